-- Scenario (j): POST /v1/batch (Segment's protocol), BENCH_BATCH_SIZE messages (default 100) per request: track
-- messages of 5 users with 3 to 10 properties, some nested (cart.items, cart.price.amount, ...). Every message id is
-- new (deduplication is on: a repeated id would be answered without being stored), so each request is built from one
-- of 8 prepared bodies by replacing a placeholder with a per-request prefix (one gsub, in C).
dofile((os.getenv("BENCH_WRK_DIR") or ".") .. "/common.lua")

local headers = bench.auth({ ["Content-Type"] = "application/json" }, "ingest")
local size = tonumber(os.getenv("BENCH_BATCH_SIZE") or "100") or 100
local templates = {}
local n = 0
local prefix = ""

local function message(i, now)
  local k = i % 8 -- 3..10 properties: action, value, plan, then up to 7 more, some nested
  local extra = {}
  if k >= 1 then extra[#extra + 1] = string.format('"cart":{"items":%d,"sku":"sku-%05d"}', i % 7, math.random(0, 99999)) end
  if k >= 3 then extra[#extra + 1] = string.format('"price":{"amount":%d.5,"currency":"EUR"}', math.random(0, 999)) end
  if k >= 5 then extra[#extra + 1] = '"gift":true,"channel":"web"' end
  if k >= 7 then extra[#extra + 1] = '"tags":["a","b"]' end
  local props = string.format('"action":"test","value":%d,"plan":"pro"', math.random(0, 999))
  if #extra > 0 then props = props .. "," .. table.concat(extra, ",") end
  return string.format('{"type":"track","event":"sdk-bench","userId":"sdk-user-%d","messageId":"@R@-%d","timestamp":"%s","properties":{%s}}',
    math.random(1, 5), i, now, props)
end

bench.init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6) + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003)
  prefix = string.format("%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
  local now = os.date("!%Y-%m-%dT%H:%M:%S.000Z")
  for b = 1, 8 do
    local items = {}
    for i = 1, size do
      items[i] = message(i, now)
    end
    templates[b] = '{"batch":[' .. table.concat(items, ",") .. '],"sentAt":"' .. now .. '"}'
  end
end

bench.request = function()
  n = n + 1
  local body = templates[n % #templates + 1]:gsub("@R@", prefix .. "-" .. n)
  return wrk.format("POST", "/v1/batch", headers, body)
end

bench.install()
