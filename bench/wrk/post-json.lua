-- wrk script: POST the JSON predict body in body.json ({"model": ..., "inputs": [[784 floats]]}).
-- Run from the folder that holds body.json (bench/predict-load.sh writes it).
local f = assert(io.open("body.json", "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
