-- bench/wrk/common.lua — shared wrk hooks for the Pulse benchmark scenarios.
--
-- A scenario script sets `bench.request` (a function returning a wrk request) and, optionally,
-- `bench.setup_thread` and then calls `bench.install()`. Everything else comes from the environment:
--   BENCH_EXPECT_STATUS  comma-separated acceptable statuses (default: any 2xx)
--   BENCH_EXPECT_BODY    a substring every accepted response body must contain (default: none)
--   BENCH_THINK_MS       think time after each response, per connection (wrk's delay(); default 0 = none)
--   BENCH_RATE           instead: a total request rate to pace to (with BENCH_THREADS = wrk's -t), see below
--   BENCH_JSON_TAG       prefix of the JSON line printed by done() (default BENCH_JSON)
--   BENCH_INGEST_KEY, BENCH_READ_KEY  the API keys the requests present (see bench.auth)
-- done() prints one line `BENCH_JSON {...}` with the request count, duration, socket errors, latency
-- (mean, stdev, min, max, p50/p75/p90/p95/p99/p99.9/p99.99 in microseconds), the response check counts
-- (ok / bad, with the first bad status and body) and completions per wall-clock second, which
-- bench/lib/parse.py turns into the report's tables.

bench = bench or {}

-- API keys (issue 13): bench/lib/bench.py creates an ingest and a read key and passes them as BENCH_INGEST_KEY and
-- BENCH_READ_KEY; unset (BENCH_AUTH=open) the requests carry none. bench.auth(headers, "ingest"|"read") adds the
-- key's Authorization header to a headers table (wrk.format does not merge wrk.headers into given ones).
local keys = { ingest = os.getenv("BENCH_INGEST_KEY") or "", read = os.getenv("BENCH_READ_KEY") or "" }
function bench.auth(headers, scope)
  local key = keys[scope]
  if key ~= nil and key ~= "" then headers["Authorization"] = "Bearer " .. key end
  return headers
end

local expect_status = {}
local any_2xx = true
do
  local s = os.getenv("BENCH_EXPECT_STATUS") or ""
  for code in string.gmatch(s, "%d+") do
    expect_status[tonumber(code)] = true
    any_2xx = false
  end
end
local expect_body = os.getenv("BENCH_EXPECT_BODY")
if expect_body == "" then expect_body = nil end
local think_ms = tonumber(os.getenv("BENCH_THINK_MS") or "0") or 0
-- BENCH_RATE (total requests/s) with BENCH_THREADS (wrk's -t): paced sending instead of a fixed think time.
-- Each thread hands out send slots 1/(rate/threads) s apart to its connections via delay(); a thread that
-- falls behind restarts its schedule from "now" (no catch-up bursts). Needs LuaJIT's ffi for a ms clock.
local rate = tonumber(os.getenv("BENCH_RATE") or "0") or 0
local rate_threads = tonumber(os.getenv("BENCH_THREADS") or "1") or 1
local now_ms = nil
if rate > 0 then
  local ok, ffi = pcall(require, "ffi")
  if ok then
    pcall(ffi.cdef, "typedef struct { long tv_sec; long tv_nsec; } bench_timespec; int clock_gettime(int, bench_timespec *);")
    local ts = ffi.new("bench_timespec")
    now_ms = function()
      ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
    end
  else
    io.stderr:write("common.lua: BENCH_RATE needs LuaJIT's ffi; falling back to BENCH_THINK_MS\n")
    rate = 0
  end
end
local next_slot = 0
local tag = os.getenv("BENCH_JSON_TAG") or "BENCH_JSON"

-- Per-thread state (each wrk thread runs its own copy of this script); read back in done() via thread:get.
bench_ok = 0
bench_bad = 0
bench_bad_status = 0
bench_first_bad = ""
bench_secs = {}
bench_t0 = 0

local threads = {}

function bench.install()
  setup = function(thread)
    table.insert(threads, thread)
    thread:set("bench_thread_id", #threads)
    if bench.setup_thread then bench.setup_thread(thread, #threads) end
  end

  init = function(args)
    math.randomseed(os.time() * 1000 + (bench_thread_id or 0) * 7919 + math.floor(os.clock() * 1000000))
    for _ = 1, 10 do math.random() end
    bench_t0 = os.time()
    if bench.init then bench.init(args) end
  end

  request = bench.request

  response = function(status, headers, body)
    local good
    if any_2xx then good = status >= 200 and status < 300 else good = expect_status[status] == true end
    if good and expect_body ~= nil then
      good = body ~= nil and string.find(body, expect_body, 1, true) ~= nil
    end
    if good then
      bench_ok = bench_ok + 1
    else
      bench_bad = bench_bad + 1
      if status < 200 or status >= 300 then bench_bad_status = bench_bad_status + 1 end
      if bench_first_bad == "" then
        bench_first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 300)
      end
    end
    local t = os.time()
    bench_secs[t] = (bench_secs[t] or 0) + 1
  end

  if rate > 0 then
    local interval = 1000.0 * rate_threads / rate
    delay = function()
      local now = now_ms()
      local slot = next_slot
      if slot < now then slot = now end
      next_slot = slot + interval
      return math.floor(slot - now + 0.5)
    end
  elseif think_ms > 0 then
    delay = function() return think_ms end
  end

  done = bench.done
end

local function json_string(s)
  s = string.gsub(s, '[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\" end
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. s .. '"'
end

function bench.done(summary, latency, requests)
  local t_end = os.time()
  local ok, bad, bad_status, first_bad, t0 = 0, 0, 0, "", nil
  local secs = {}
  for _, thread in ipairs(threads) do
    ok = ok + (thread:get("bench_ok") or 0)
    bad = bad + (thread:get("bench_bad") or 0)
    bad_status = bad_status + (thread:get("bench_bad_status") or 0)
    local fb = thread:get("bench_first_bad") or ""
    if first_bad == "" then first_bad = fb end
    local ts = thread:get("bench_t0") or 0
    if ts > 0 and (t0 == nil or ts < t0) then t0 = ts end
    local s = thread:get("bench_secs") or {}
    for k, v in pairs(s) do secs[k] = (secs[k] or 0) + v end
  end
  t0 = t0 or t_end
  local per_sec = {}
  for t = t0, t_end do table.insert(per_sec, tostring(secs[t] or 0)) end

  local p = {}
  for _, q in ipairs({50, 75, 90, 95, 99, 99.9, 99.99}) do
    table.insert(p, string.format('"%s":%d', tostring(q), latency:percentile(q)))
  end
  local e = summary.errors
  io.write(tag, " {",
    string.format('"requests":%d,"duration_us":%d,"bytes":%d,', summary.requests, summary.duration, summary.bytes),
    string.format('"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},',
      e.connect, e.read, e.write, e.status, e.timeout),
    string.format('"latency_us":{"mean":%.1f,"stdev":%.1f,"min":%d,"max":%d,%s},',
      latency.mean, latency.stdev, latency.min, latency.max, table.concat(p, ",")),
    string.format('"check":{"ok":%d,"bad":%d,"bad_status":%d,"first_bad":%s},', ok, bad, bad_status, json_string(first_bad)),
    string.format('"per_second":{"start":%d,"counts":[%s]}', t0, table.concat(per_sec, ",")),
    "}\n")
end
