-- Scenario (d): POST /api/v1/events/batch, BENCH_BATCH_SIZE events (default 500) per request, each the
-- seed 000 event of crm_event.lua (campaign link, 3 properties). Each thread prepares 8 distinct bodies up
-- front so that building 500-event JSON in Lua does not become the load generator's bottleneck.
dofile((os.getenv("BENCH_WRK_DIR") or ".") .. "/common.lua")

local headers = bench.auth({ ["Content-Type"] = "application/json" }, "ingest")
local size = tonumber(os.getenv("BENCH_BATCH_SIZE") or "500") or 500
local users = { "test-user-1", "test-user-2", "test-user-3", "test-user-4", "test-user-5" }
local fmt = '{"name":"benchmark-event","campaignName":"benchmark-campaign","externalId":"%s",'
  .. '"properties":[{"key":"action","value":"test"},{"key":"timestamp","value":"%s.%03dZ"},{"key":"value","value":"%d"}]}'
local requests = {}
local n = 0

bench.init = function(args)
  local now = os.date("!%Y-%m-%dT%H:%M:%S")
  for b = 1, 8 do
    local items = {}
    for i = 1, size do
      items[i] = string.format(fmt, users[math.random(1, 5)], now, (b * size + i) % 1000, math.random(0, 999))
    end
    requests[b] = wrk.format("POST", "/api/v1/events/batch", headers, "[" .. table.concat(items, ",") .. "]")
  end
end

bench.request = function()
  n = n % #requests + 1
  return requests[n]
end

bench.install()
