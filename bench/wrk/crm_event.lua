-- Seed 000's k6 test body: POST /api/v1/events for test-user-1..5 and the campaign benchmark-campaign,
-- properties action="test", timestamp=now (ISO-8601 UTC), value=random 0..999.
-- Scenario (a) runs it with BENCH_THINK_MS=100 (k6's sleep(0.1)), (b) and (h) without / with a tuned delay.
dofile((os.getenv("BENCH_WRK_DIR") or ".") .. "/common.lua")

local headers = bench.auth({ ["Content-Type"] = "application/json" }, "ingest")
local users = { "test-user-1", "test-user-2", "test-user-3", "test-user-4", "test-user-5" }
local fmt = '{"name":"benchmark-event","campaignName":"benchmark-campaign","externalId":"%s",'
  .. '"properties":[{"key":"action","value":"test"},{"key":"timestamp","value":"%s.%03dZ"},{"key":"value","value":"%d"}]}'
local ms = 0

bench.request = function()
  ms = (ms + 7) % 1000
  local body = string.format(fmt, users[math.random(1, 5)], os.date("!%Y-%m-%dT%H:%M:%S"), ms, math.random(0, 999))
  return wrk.format("POST", "/api/v1/events", headers, body)
end

bench.install()
