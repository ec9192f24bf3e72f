-- The timing shared by the interpreter peers (fib, loop, nested, strings, fields, appends):
-- call a function 5 times and print the median CPU seconds (os.clock), as run.sh expects.
local timing = {}

-- Times `call()` `reps` (default 5) times and prints the median seconds.
function timing.print_median(call, reps)
  reps = reps or 5
  local times = {}
  for r = 1, reps do
    local t0 = os.clock()
    call()
    times[r] = os.clock() - t0
  end
  table.sort(times)
  print(string.format("%.9g", times[(reps + 1) // 2]))
end

return timing
