-- wrk script: POST the binary predict body in body.bin (BPF1 header, model name, 784 float32) and
-- ask for the binary answer. Run from the folder that holds body.bin (bench/predict-load.sh writes it).
local f = assert(io.open("body.bin", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/x-float32"
wrk.headers["Accept"] = "application/x-float32"
-- The service wants an API key (bench/predict-load.sh exports BENCH_KEY).
wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("BENCH_KEY"), "BENCH_KEY is not set")
