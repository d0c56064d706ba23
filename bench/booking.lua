-- booking.lua - wrk script for scripts/bench-booking.sh: every request books a distinct free
-- slot with POST /api/v1/public/{business}/bookings, and the answers are counted by status.
--
-- Settings come from the environment (read once per wrk thread):
--   BENCH_BUSINESS   business slug                        (default "bench")
--   BENCH_SERVICE    service id                           (default "s60")
--   BENCH_PROVIDERS  number of providers, named p0..pN-1   (default 32)
--   BENCH_T0         first start, epoch seconds           (required)
--   BENCH_STEP       slot grid step in seconds            (default 60)
--   BENCH_THREADS    wrk's -t, so the threads' walks interleave without meeting
--   BENCH_DAYS       days the walk spreads over                 (default 360)
--
-- The walk: request number k of thread t (t in 0..T-1) takes the global index g = k*T + t,
-- then provider p(g mod P), round r = floor(g / P), and start
-- T0 + (r mod DAYS) days + floor(r / DAYS) * STEP. Every g is used once and (provider,
-- start) is a one-to-one function of g (while floor(r / DAYS) * STEP < 1 day), so no two
-- requests ever ask for the same slot: connections of one thread share the thread's counter,
-- threads take disjoint residues. Spreading over DAYS keeps the bookings near any one start
-- few (a slot list reads every booking within days of its slots), so the figure
-- does not depend on how long the run is; BENCH_DAYS=1 packs them minute after minute.
-- Each request also has its own customer email, so no customer row is shared.
--
-- done() prints one line on stdout for the calling script to read:
--   booking-result duration_us=D requests=N s201=A s409=B sother=C sockerr=E first_other=...

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("tid", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local business, service, providers, t0, step, nthreads, days
local k = 0
s201, s409, sother, first_other = 0, 0, 0, ""

function init(args)
   business = os.getenv("BENCH_BUSINESS") or "bench"
   service = os.getenv("BENCH_SERVICE") or "s60"
   providers = tonumber(os.getenv("BENCH_PROVIDERS") or "32")
   t0 = tonumber(os.getenv("BENCH_T0") or error("BENCH_T0 is not set"))
   step = tonumber(os.getenv("BENCH_STEP") or "60")
   nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
   days = tonumber(os.getenv("BENCH_DAYS") or "360")
   wrk.method = "POST"
   wrk.path = "/api/v1/public/" .. business .. "/bookings"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   local g = k * nthreads + tid
   k = k + 1
   local p = g % providers
   local r = math.floor(g / providers)
   local start = t0 + (r % days) * 86400 + math.floor(r / days) * step
   local body = string.format(
      '{"service":"%s","start":"%s","provider":"p%d",' ..
      '"customer":{"name":"Bench Customer %d","email":"c%d@bench.example"}}',
      service, os.date("!%Y-%m-%dT%H:%M:%SZ", start), p, g, g)
   return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
   if status == 201 then
      s201 = s201 + 1
   elseif status == 409 then
      s409 = s409 + 1
      if first_other == "" then first_other = "409 " .. body end
   else
      sother = sother + 1
      if first_other == "" then first_other = status .. " " .. body end
   end
end

function done(summary, latency, requests)
   local a, b, c, first = 0, 0, 0, ""
   for _, t in ipairs(threads) do
      a = a + t:get("s201")
      b = b + t:get("s409")
      c = c + t:get("sother")
      local f = t:get("first_other")
      if first == "" and f and f ~= "" then first = f end
   end
   local e = summary.errors
   local sockerr = e.connect + e.read + e.write + e.timeout
   first = first:gsub("[\r\n]", " "):sub(1, 300)
   io.write(string.format(
      "booking-result duration_us=%d requests=%d s201=%d s409=%d sother=%d sockerr=%d " ..
      "p50_us=%d p99_us=%d first_other=%s\n",
      summary.duration, summary.requests, a, b, c, sockerr,
      latency:percentile(50), latency:percentile(99), first))
end
