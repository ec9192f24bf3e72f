-- Peer for string building, 1 M appends of a two-character string inside a function (Lua's idiom: the pieces gathered in a table, then table.concat); prints the median CPU seconds (os.clock) of 5 calls.
package.path = (arg[0]:match("(.*/)") or "./") .. "?.lua;" .. package.path  -- timing.lua sits beside this file
local timing = require("timing")
local N = 1000000

local function f(n)
  local parts = {}
  for i = 1, n do parts[#parts + 1] = "ab" end
  local s = table.concat(parts)
  return #s
end

assert(f(1000) == 2000)
timing.print_median(function() f(N) end)
