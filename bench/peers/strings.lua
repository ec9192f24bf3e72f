-- Peer for string building, 1 M appends of a two-character string inside a function (Lua's idiom: the pieces gathered in a table, then table.concat); prints the median CPU seconds (os.clock) of 5 calls.
local N = 1000000
local REPS = 5

local function f(n)
  local parts = {}
  for i = 1, n do parts[#parts + 1] = "ab" end
  local s = table.concat(parts)
  return #s
end

assert(f(1000) == 2000)
local times = {}
for r = 1, REPS do
  local t0 = os.clock()
  f(N)
  times[r] = os.clock() - t0
end
table.sort(times)
print(string.format("%.9g", times[(REPS + 1) // 2]))
