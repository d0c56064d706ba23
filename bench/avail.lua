-- avail.lua - wrk script for scripts/bench.sh: availability questions that differ from one
-- request to the next (the first date, the client's zone), as customers ask them.
--
-- Settings come from the environment (read once per wrk thread):
--   BENCH_PATH    the availability path with service (and business), without dates or tz
--   BENCH_DAY0    first date that may be asked, epoch days (UTC)            (required)
--   BENCH_SPREAD  how many first dates to pick from                          (default 60)
--   BENCH_DAYS    days in each question (from..to, both included)           (default 7)
--
-- done() prints "avail-result requests=N non2xx=M" for the calling script.

local path, day0, spread, days
local zones = {"Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo",
               "Australia/Sydney", "UTC", "Asia/Kolkata", "America/Los_Angeles"}
local threads = {}
local next_id = 0
bad = 0

function setup(thread)
   thread:set("tid", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

function init(args)
   path = os.getenv("BENCH_PATH")
   day0 = tonumber(os.getenv("BENCH_DAY0"))
   spread = tonumber(os.getenv("BENCH_SPREAD") or "60")
   days = tonumber(os.getenv("BENCH_DAYS") or "7")
   math.randomseed(os.time() + tid * 7919)
end

local function date(d)
   return os.date("!%Y-%m-%d", d * 86400)
end

function request()
   local d = day0 + math.random(0, spread - 1)
   local z = zones[math.random(1, #zones)]
   return wrk.format("GET", path .. "&from=" .. date(d) .. "&to=" .. date(d + days - 1) ..
                     "&tz=" .. z:gsub("/", "%%2F"))
end

function response(status, headers, body)
   if status ~= 200 then
      bad = bad + 1
   end
end

function done(summary, latency, requests)
   local n = 0
   for _, t in ipairs(threads) do
      n = n + t:get("bad")
   end
   io.write(string.format("avail-result requests=%d non2xx=%d\n", summary.requests, n))
end
