-- Peer for fib(27): naive recursion; prints the median CPU seconds (os.clock) of 5 calls.
local REPS = 5

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

assert(fib(20) == 6765)
local times = {}
for r = 1, REPS do
  local t0 = os.clock()
  fib(27)
  times[r] = os.clock() - t0
end
table.sort(times)
print(string.format("%.9g", times[(REPS + 1) // 2]))
