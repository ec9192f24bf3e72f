-- Peer for record field access, 1 M iterations reading two fields of a dict; prints the median CPU seconds (os.clock) of 5 calls.
local N = 1000000
local REPS = 5

local function f(n)
  local p = {x = 1.5, y = 2.5}
  local s = 0
  for i = 0, n - 1 do s = s + p.x * p.y end
  return s
end

assert(f(1000) == 3750)
local times = {}
for r = 1, REPS do
  local t0 = os.clock()
  f(N)
  times[r] = os.clock() - t0
end
table.sort(times)
print(string.format("%.9g", times[(REPS + 1) // 2]))
