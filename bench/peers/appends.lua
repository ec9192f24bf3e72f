-- Peer for list append, 1 M `xs[#xs + 1] = i` inside a function; prints the median CPU seconds (os.clock) of 5 calls.
local N = 1000000
local REPS = 5

local function f(n)
  local xs = {}
  for i = 0, n - 1 do xs[#xs + 1] = i end
  return #xs
end

assert(f(1000) == 1000)
local times = {}
for r = 1, REPS do
  local t0 = os.clock()
  f(N)
  times[r] = os.clock() - t0
end
table.sort(times)
print(string.format("%.9g", times[(REPS + 1) // 2]))
