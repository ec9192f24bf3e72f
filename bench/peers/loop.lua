-- Peer for the loop: sum of i * i for i < 10 M inside a function; median CPU seconds
-- (os.clock) of 5 calls.
local N = 10000000
local REPS = 5

local function loop(n)
  local s = 0
  for i = 0, n - 1 do s = s + i * i end
  return s
end

assert(loop(1000) == 332833500)
local times = {}
for r = 1, REPS do
  local t0 = os.clock()
  loop(N)
  times[r] = os.clock() - t0
end
table.sort(times)
print(string.format("%.9g", times[(REPS + 1) // 2]))
