-- Single-key fetches of the load generator's bench data, for wrk (an independent client, in C).
-- Start the fetcher with the data first: FetchLoadGenerator --serve=600 (fetcher-service/README.md "Benchmark"),
-- which prints this command with its port:
--   wrk -t1 -c16 -d30s --latency -s fetcher-service/src/test/resources/bench/wrk-single-key.lua http://127.0.0.1:PORT -- AT_MILLIS KEYS
-- Each request posts one random key of the KEYS written, as the load generator's own single-key phases do.

local path
local keys

function init(args)
  if #args < 2 then error("arguments after --: AT_MILLIS KEYS (the load generator's --serve prints them)") end
  path = "/v1/features/groupby/bench_fetch_load?atMillis=" .. args[1]
  keys = tonumber(args[2])
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  return wrk.format(nil, path, nil, '[{"user_id":"user_' .. math.random(0, keys - 1) .. '"}]')
end
-- no response() callback: it would hand every answer to Lua; wrk counts non-2xx answers itself
