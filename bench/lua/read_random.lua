-- GET one event at a time, a random id in [lo, hi] each request: opts.prefix .. id .. opts.suffix.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local lo, hi, prefix, suffix

function on_init()
   lo, hi = tonumber(opts.lo), tonumber(opts.hi)
   prefix, suffix = opts.prefix, opts.suffix or ""
   math.randomseed(tid * 7919 + tonumber(opts.run or "0"))
end

function request()
   return wrk.format("GET", prefix .. math.random(lo, hi) .. suffix)
end
