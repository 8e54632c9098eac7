-- Shared by every scenario script: options from the command line (key=value after `--`),
-- the API headers, per-thread ids, optional status counting, and a JSON report at the end.

opts = {}
counts = {}
tid = 0
local threads = {}

function setup(thread)
   thread:set("tid", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   for _, arg in ipairs(args) do
      local key, value = arg:match("^([%w_]+)=(.*)$")
      if key then opts[key] = value end
   end
   if opts.accept then wrk.headers["Accept"] = opts.accept end
   if opts.auth then wrk.headers["Authorization"] = opts.auth end
   if on_init then on_init() end
end

-- A script that wants statuses counted calls this; it costs a Lua call per response.
function count_statuses()
   function response(status, headers, body)
      counts[status] = (counts[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local statuses = {}
   for _, thread in ipairs(threads) do
      local c = thread:get("counts")
      if c then
         for status, n in pairs(c) do statuses[status] = (statuses[status] or 0) + n end
      end
   end
   local parts = {}
   for status, n in pairs(statuses) do parts[#parts + 1] = string.format('"%d": %d', status, n) end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "p999": %d, "max": %d, "mean": %.1f}, ' ..
      '"statuses": {%s}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
      latency.max, latency.mean, table.concat(parts, ", ")))
end
