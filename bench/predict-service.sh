# Sourced by bench/predict-load.sh and bench/predict-ab.sh: builds the bench host, starts one service on loopback
# with a fresh SQLite file, trains the W2-shaped model the load scripts ask for, and writes the request bodies.
# Needs BENCH_KEY and MNIST_DIR set (find-mnist.sh) before the functions are called.

# The service's first admin key (Auth:AdminKey); curl and the wrk scripts send it (wrk reads BENCH_KEY).
export BENCH_KEY="${BENCH_KEY:-bp_predict-load-bench-admin-key-0123456789}"
BENCH_AUTH=(-H "Authorization: Bearer $BENCH_KEY")

# build_bench_host ROOT: builds ROOT/bench/PredictLoad.Host (src/Api's own entry point plus POST /bench/trivial) in
# Release and prints the folder that holds its dll.
build_bench_host() {
  dotnet build "$1/bench/PredictLoad.Host/PredictLoad.Host.csproj" -c Release -nologo -v q | grep -E " error |warn.*[1-9] Warn" >&2 || true
  echo "$1/bench/PredictLoad.Host/bin/Release/net10.0"
}

# start_service BIN URL WORKDIR [NAME=VALUE ...]: starts the bench host from BIN on URL with its database and log in
# WORKDIR, extra settings as environment variables, and waits until /health/ready answers. Sets SERVICE_PID.
# The one key's predict rate is raised far above any load (the default, 1,000 per second per key, is for many callers
# sharing a service); the concurrency limit and the timeout keep their defaults, so their cost is measured.
start_service() {
  local bin="$1" url="$2" dir="$3"; shift 3
  mkdir -p "$dir/db"
  (cd "$bin" && exec env "$@" ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Default="Data Source=$dir/db/backprop.db" \
     Logging__LogLevel__Default=Warning Auth__AdminKey="$BENCH_KEY" \
     Limits__Predict__PermitsPerSecond=10000000 Limits__Predict__Burst=10000000 \
     dotnet BackpropService.Bench.PredictLoadHost.dll --urls "$url") > "$dir/server.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 120); do curl -sf -o /dev/null "$url/health/ready" && return 0; sleep 0.5; done
  cat "$dir/server.log" >&2; echo "the service at $url did not start" >&2; return 1
}

# train_w2 URL EPOCHS: uploads the MNIST subset and trains W2 (784-256-128-10, ReLU/softmax) as model "w2";
# prints the job's model id and validation accuracy.
train_w2() {
  local url="$1" epochs="$2" dataset job status=""
  dataset=$(curl -sf "${BENCH_AUTH[@]}" -X POST "$url/api/datasets" -F name=mnist-train \
    -F images=@"$MNIST_DIR/train-images-idx3-ubyte.gz" -F labels=@"$MNIST_DIR/train-labels-idx1-ubyte.gz" | jq -r .id)
  job=$(curl -sf "${BENCH_AUTH[@]}" -X POST "$url/api/jobs" -H 'Content-Type: application/json' -d "{
    \"name\": \"w2\", \"datasetId\": \"$dataset\",
    \"layers\": [ {\"size\": 256, \"activation\": \"relu\"}, {\"size\": 128, \"activation\": \"relu\"}, {\"size\": 10, \"activation\": \"softmax\"} ],
    \"cost\": \"crossEntropy\", \"optimizer\": \"momentum\", \"learningRate\": 0.05, \"momentum\": 0.9, \"batchSize\": 64,
    \"epochs\": $epochs, \"init\": \"he\", \"seed\": 1 }" | jq -r .id)
  for _ in $(seq 1 600); do
    status=$(curl -sf "${BENCH_AUTH[@]}" "$url/api/jobs/$job" | jq -r .status)
    [ "$status" = succeeded ] && break
    if [ "$status" = failed ] || [ "$status" = cancelled ]; then curl -s "${BENCH_AUTH[@]}" "$url/api/jobs/$job" >&2; return 1; fi
    sleep 0.5
  done
  [ "$status" = succeeded ] || { echo "training did not finish at $url" >&2; return 1; }
  echo "# model at $url: $(curl -sf "${BENCH_AUTH[@]}" "$url/api/jobs/$job" | jq -c '{modelId, latest: {validationAccuracy: .latest.validationAccuracy}}')"
}

# write_bodies DIR: the request bodies (body.json, body.bin: one MNIST test image for model "w2") and the wrk scripts.
write_bodies() {
  python3 "$BENCH_DIR/wrk/make-bodies.py" "$MNIST_DIR" w2 "$1"
  cp "$BENCH_DIR"/wrk/*.lua "$1/"
}

# check_answers URL DIR: each endpoint answers the bodies correctly before it is loaded.
check_answers() {
  local url="$1" dir="$2"
  curl -sf "${BENCH_AUTH[@]}" -X POST "$url/bench/trivial" -H 'Content-Type: application/json' --data-binary @"$dir/body.json" | jq -c 'length' > /dev/null
  curl -sf "${BENCH_AUTH[@]}" -X POST "$url/predict" -H 'Content-Type: application/json' --data-binary @"$dir/body.json" | jq -c '.predictions[0] | del(.outputs)'
  curl -sf "${BENCH_AUTH[@]}" -X POST "$url/predict" -H 'Content-Type: application/x-float32' -H 'Accept: application/x-float32' \
    --data-binary @"$dir/body.bin" -o "$dir/answer.bin"
  echo "# binary answer: $(stat -c %s "$dir/answer.bin") bytes ($(stat -c %s "$dir/body.bin")-byte request, $(stat -c %s "$dir/body.json")-byte JSON request)"
}

# The endpoints the load scripts drive: name -> path and wrk script.
BENCH_ENDPOINTS=(trivial predict_json predict_binary)
declare -A BENCH_PATH=([trivial]=/bench/trivial [predict_json]=/predict [predict_binary]=/predict)
declare -A BENCH_SCRIPT=([trivial]=post-json.lua [predict_json]=post-json.lua [predict_binary]=post-binary.lua)
