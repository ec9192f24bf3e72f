-- Peer for the loop: sum of i * i for i < 10 M inside a function; median CPU seconds
-- (os.clock) of 5 calls.
package.path = (arg[0]:match("(.*/)") or "./") .. "?.lua;" .. package.path  -- timing.lua sits beside this file
local timing = require("timing")
local N = 10000000

local function loop(n)
  local s = 0
  for i = 0, n - 1 do s = s + i * i end
  return s
end

assert(loop(1000) == 332833500)
timing.print_median(function() loop(N) end)
