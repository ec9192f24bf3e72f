-- Peer for record field access, 1 M iterations reading two fields of a dict; prints the median CPU seconds (os.clock) of 5 calls.
package.path = (arg[0]:match("(.*/)") or "./") .. "?.lua;" .. package.path  -- timing.lua sits beside this file
local timing = require("timing")
local N = 1000000

local function f(n)
  local p = {x = 1.5, y = 2.5}
  local s = 0
  for i = 0, n - 1 do s = s + p.x * p.y end
  return s
end

assert(f(1000) == 3750)
timing.print_median(function() f(N) end)
