-- Peer for a 1000×1000 nested loop with an `if` inside a function; prints the median CPU seconds (os.clock) of 5 calls.
local N = 1000
local REPS = 5

local function f(n)
  local c = 0
  for i = 0, n - 1 do
    for j = 0, n - 1 do
      if i < j then c = c + 1 end
    end
  end
  return c
end

assert(f(100) == 4950)
local times = {}
for r = 1, REPS do
  local t0 = os.clock()
  f(N)
  times[r] = os.clock() - t0
end
table.sort(times)
print(string.format("%.9g", times[(REPS + 1) // 2]))
