-- Peer for a 1000×1000 nested loop with an `if` inside a function; prints the median CPU seconds (os.clock) of 5 calls.
package.path = (arg[0]:match("(.*/)") or "./") .. "?.lua;" .. package.path  -- timing.lua sits beside this file
local timing = require("timing")
local N = 1000

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
timing.print_median(function() f(N) end)
