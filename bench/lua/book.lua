-- POST one booking per request: events lo..hi in turn, a client with a phone never used before.
-- Options: prefix, suffix (the path around the event id), lo, hi, run (a number unique per run),
-- and body=online for the online booking's body instead of v2's.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")
count_statuses()

local lo, span, prefix, suffix, run, online
local n = 0

function on_init()
   lo = tonumber(opts.lo)
   span = tonumber(opts.hi) - lo + 1
   prefix, suffix, run = opts.prefix, opts.suffix, tonumber(opts.run)
   online = opts.body == "online"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   n = n + 1
   local event = lo + (n + tid * 97) % span
   local who = string.format("%03d%02d%07d", run % 1000, tid % 100, n)
   local body
   if online then
      body = '{"fullname": "Bench Client", "phone": "+1' .. who .. '", "email": "b' .. who ..
         '@bench.example", "clients_count": 1}'
   else
      body = '{"client": {"name": "Bench", "surname": "Client", "phone": "+1' .. who ..
         '", "email": "b' .. who .. '@bench.example", "gender": 0}, "clients_count": 1}'
   end
   return wrk.format("POST", prefix .. event .. suffix, nil, body)
end
