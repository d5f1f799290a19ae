-- Scenario (g): GET /api/v1/events over the seeded search data set ("purchase" events with properties
-- orderId "ord-<n>" (unique), category "cat-0..19", price 0..999, sku "sku-00000..99999").
--   BENCH_SEARCH_MODE=eq     where=orderId&ord-<random n>&=&end               (selective equality, 1 hit)
--   BENCH_SEARCH_MODE=three  where=category&cat-<k>&=&and,price&<p>&>&and,sku&<d>&like&end  limit=100
--                            (~5 % x ~50 % x ~41 % of the events match: the first page of 100 is always full)
--   BENCH_SEARCH_EVENTS      how many events were seeded (range of n)
-- '&' inside `where` is percent-encoded (%26), as SPEC §3 requires; '=' and '>' too.
dofile((os.getenv("BENCH_WRK_DIR") or ".") .. "/common.lua")

local read_headers = bench.auth({}, "read")

local mode = os.getenv("BENCH_SEARCH_MODE") or "eq"
local total = tonumber(os.getenv("BENCH_SEARCH_EVENTS") or "1000000") or 1000000

bench.request = function()
  local path
  if mode == "eq" then
    path = string.format("/api/v1/events?eventName=purchase&where=orderId%%26ord-%d%%26%%3D%%26end", math.random(1, total))
  else
    path = string.format(
      "/api/v1/events?eventName=purchase&limit=100&where=category%%26cat-%d%%26%%3D%%26and,price%%26%d%%26%%3E%%26and,sku%%26%d%%26like%%26end",
      math.random(0, 19), math.random(100, 900), math.random(0, 9))
  end
  return wrk.format("GET", path, read_headers)
end

bench.install()
