-- The other reads of (g)'s read-under-write measurement (issue 12 item 4), besides bench/wrk/search.lua:
--   BENCH_READ=stats  GET /api/statistics?eventType=CLICK&componentId=<1000..2000>&minutes=60  (the tracked clicks
--                     of scenario (c) count there: a minute-bucket sum over the last hour)
--   BENCH_READ=users  GET /api/v1/users?page=<0..4>&size=20  (the listing of the 105 users the run enrolls)
-- Paced with BENCH_RATE / BENCH_THREADS like the soak (common.lua).
dofile((os.getenv("BENCH_WRK_DIR") or ".") .. "/common.lua")

local read_headers = bench.auth({}, "read")

local read = os.getenv("BENCH_READ") or "stats"

bench.request = function()
  local path
  if read == "users" then
    path = string.format("/api/v1/users?page=%d&size=20", math.random(0, 4))
  else
    path = string.format("/api/statistics?eventType=CLICK&componentId=%d&minutes=60", math.random(1000, 2000))
  end
  return wrk.format("GET", path, read_headers)
end

bench.install()
