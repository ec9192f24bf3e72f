-- Peer for list append, 1 M `xs[#xs + 1] = i` inside a function; prints the median CPU seconds (os.clock) of 5 calls.
package.path = (arg[0]:match("(.*/)") or "./") .. "?.lua;" .. package.path  -- timing.lua sits beside this file
local timing = require("timing")
local N = 1000000

local function f(n)
  local xs = {}
  for i = 0, n - 1 do xs[#xs + 1] = i end
  return #xs
end

assert(f(1000) == 1000)
timing.print_median(function() f(N) end)
