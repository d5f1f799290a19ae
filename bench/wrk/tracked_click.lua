-- Scenario (c): POST /api/events with tracked CLICK events (seed 004's body shape):
-- userId 1..100, sessionId "session-<random>", componentId 1000..2000, elementId "element-1..50".
dofile((os.getenv("BENCH_WRK_DIR") or ".") .. "/common.lua")

local headers = bench.auth({ ["Content-Type"] = "application/json" }, "ingest")
local fmt = '{"eventType":"CLICK","userId":%d,"sessionId":"session-%08x-%04x-4%03x-a%03x-%012x",'
  .. '"metadata":{"componentId":%d,"elementId":"element-%d"}}'

bench.request = function()
  local body = string.format(fmt, math.random(1, 100),
    math.random(0, 0x7fffffff), math.random(0, 0xffff), math.random(0, 0xfff), math.random(0, 0xfff),
    math.random(0, 0x7fffffff) * 4096 + math.random(0, 4095),
    math.random(1000, 2000), math.random(1, 50))
  return wrk.format("POST", "/api/events", headers, body)
end

bench.install()
