-- Peer for fib(27): naive recursion; prints the median CPU seconds (os.clock) of 5 calls.
package.path = (arg[0]:match("(.*/)") or "./") .. "?.lua;" .. package.path  -- timing.lua sits beside this file
local timing = require("timing")

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

assert(fib(20) == 6765)
timing.print_median(function() fib(27) end)
