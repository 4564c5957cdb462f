-- wrk script: POST the JSON predict body in body.json ({"model": ..., "inputs": [[784 floats]]}).
-- Run from the folder that holds body.json (bench/predict-load.sh writes it).
local f = assert(io.open("body.json", "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
-- The service wants an API key (bench/predict-load.sh exports BENCH_KEY).
wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("BENCH_KEY"), "BENCH_KEY is not set")
