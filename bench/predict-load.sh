#!/usr/bin/env bash
# /predict under load: builds the service in Release inside its bench host (bench/PredictLoad.Host: src/Api's own
# entry point plus the comparison endpoint POST /bench/trivial, which reads the same JSON body through the
# framework's binder and answers 10 floats, like ../shared/reference-bench's PredictServer), starts it on
# 127.0.0.1 with a fresh SQLite file, trains a
# W2-shaped model (784-256-128-10 ReLU/softmax, a few epochs on the MNIST subset), then runs
# wrk -t2 -c64 --latency against the trivial endpoint, JSON /predict and binary /predict, in rounds.
# Prints `RESULT http.<name> rps=… p50_ms=… p99_ms=… server_cores=… wrk_cores=… error_lines=…` lines.
#
# The one key's predict rate is raised far above the load (the default, 1,000 per second per key, is for many callers
# sharing a service); the concurrency limit and the timeout keep their defaults, so their cost is measured.
# Usage:  flock /tmp/dotnet.lock bench/predict-load.sh     (hold the build lock for the whole run; the script
#         does not take it itself)
# Env:    REPEATS=3  WRK_SECONDS=15  PORT=5077  EPOCHS=3  MNIST_DIR=<auto: shared/data/mnist-10k above this
#         folder, else /work/shared/data/mnist-10k>  OUT=<raw wrk output file>
# Needs:  .NET 10 SDK, wrk (apt-get install -y wrk), curl, jq, python3, GNU time.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
REPEATS="${REPEATS:-3}"
WRK_SECONDS="${WRK_SECONDS:-15}"
PORT="${PORT:-5077}"
EPOCHS="${EPOCHS:-3}"
B="http://127.0.0.1:$PORT"
# The service's first admin key (Auth:AdminKey); curl and the wrk scripts send it (wrk reads BENCH_KEY).
export BENCH_KEY="bp_predict-load-bench-admin-key-0123456789"
AUTH=(-H "Authorization: Bearer $BENCH_KEY")

source "$HERE/find-mnist.sh"
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/predict-load.XXXXXX")"
OUT="${OUT:-$WORK/results.txt}"
SPID=""
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null; rm -rf "$WORK/db"; true; }
trap cleanup EXIT

echo "# building src/Api in its bench host (Release)"
dotnet build "$HERE/PredictLoad.Host/PredictLoad.Host.csproj" -c Release -nologo -v q | grep -E " error |warn.*[1-9] Warn" || true
BIN="$HERE/PredictLoad.Host/bin/Release/net10.0"

mkdir -p "$WORK/db"
echo "# starting the service on $B (database $WORK/db/backprop.db)"
(cd "$BIN" && ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Default="Data Source=$WORK/db/backprop.db" \
   Logging__LogLevel__Default=Warning Auth__AdminKey="$BENCH_KEY" \
   Limits__Predict__PermitsPerSecond=10000000 Limits__Predict__Burst=10000000 \
   exec dotnet BackpropService.Bench.PredictLoadHost.dll --urls "$B") > "$WORK/server.log" 2>&1 &
SPID=$!
for _ in $(seq 1 120); do curl -sf -o /dev/null "$B/health/ready" && break; sleep 0.5; done
curl -sf -o /dev/null "$B/health/ready" || { cat "$WORK/server.log"; echo "the service did not start" >&2; exit 1; }

echo "# training W2 (784-256-128-10, ReLU/softmax, $EPOCHS epochs) on $MNIST_DIR"
DATASET=$(curl -sf "${AUTH[@]}" -X POST "$B/api/datasets" -F name=mnist-train \
  -F images=@"$MNIST_DIR/train-images-idx3-ubyte.gz" -F labels=@"$MNIST_DIR/train-labels-idx1-ubyte.gz" | jq -r .id)
JOB=$(curl -sf "${AUTH[@]}" -X POST "$B/api/jobs" -H 'Content-Type: application/json' -d "{
  \"name\": \"w2\", \"datasetId\": \"$DATASET\",
  \"layers\": [ {\"size\": 256, \"activation\": \"relu\"}, {\"size\": 128, \"activation\": \"relu\"}, {\"size\": 10, \"activation\": \"softmax\"} ],
  \"cost\": \"crossEntropy\", \"optimizer\": \"momentum\", \"learningRate\": 0.05, \"momentum\": 0.9, \"batchSize\": 64,
  \"epochs\": $EPOCHS, \"init\": \"he\", \"seed\": 1 }" | jq -r .id)
for _ in $(seq 1 600); do
  STATUS=$(curl -sf "${AUTH[@]}" "$B/api/jobs/$JOB" | jq -r .status)
  [ "$STATUS" = succeeded ] && break
  [ "$STATUS" = failed ] || [ "$STATUS" = cancelled ] && { curl -s "${AUTH[@]}" "$B/api/jobs/$JOB"; exit 1; }
  sleep 0.5
done
[ "$STATUS" = succeeded ] || { echo "training did not finish" >&2; exit 1; }
echo "# model: $(curl -sf "${AUTH[@]}" "$B/api/jobs/$JOB" | jq -c '{modelId, latest: {validationAccuracy: .latest.validationAccuracy}}')"

python3 "$HERE/wrk/make-bodies.py" "$MNIST_DIR" w2 "$WORK"
cp "$HERE"/wrk/*.lua "$WORK/"
# Each endpoint answers the body correctly before it is loaded.
curl -sf "${AUTH[@]}" -X POST "$B/bench/trivial" -H 'Content-Type: application/json' --data-binary @"$WORK/body.json" | jq -c 'length' > /dev/null
curl -sf "${AUTH[@]}" -X POST "$B/predict" -H 'Content-Type: application/json' --data-binary @"$WORK/body.json" | jq -c '.predictions[0] | del(.outputs)'
curl -sf "${AUTH[@]}" -X POST "$B/predict" -H 'Content-Type: application/x-float32' -H 'Accept: application/x-float32' \
  --data-binary @"$WORK/body.bin" -o "$WORK/answer.bin"
echo "# binary answer: $(stat -c %s "$WORK/answer.bin") bytes ($(stat -c %s "$WORK/body.bin")-byte request, $(stat -c %s "$WORK/body.json")-byte JSON request)"

NAMES=(trivial predict_json predict_binary)
declare -A URL=([trivial]="$B/bench/trivial" [predict_json]="$B/predict" [predict_binary]="$B/predict")
declare -A SCRIPT=([trivial]=post-json.lua [predict_json]=post-json.lua [predict_binary]=post-binary.lua)
{
  echo "# $(date -u +%FT%TZ) $(uname -sr) cpu='$(lscpu | sed -n 's/^Model name: *//p')' cores=$(nproc) dotnet=$(dotnet --version) repeats=$REPEATS wrk_seconds=$WRK_SECONDS"
  echo "# loadavg at start: $(cat /proc/loadavg)"
} | tee -a "$OUT"
echo "# warm-up 5 s per endpoint"
for n in "${NAMES[@]}"; do (cd "$WORK" && wrk -t2 -c64 -d5s -s "${SCRIPT[$n]}" "${URL[$n]}" > /dev/null); done

HZ=$(getconf CLK_TCK)
cputicks() { awk '{print $14+$15}' "/proc/$SPID/stat"; }
to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) printf "%.4f", v/1000; else if (v ~ /ms$/) printf "%.4f", v+0; else printf "%.4f", v*1000 }'; }
for rep in $(seq 1 "$REPEATS"); do
  for n in "${NAMES[@]}"; do
    c0=$(cputicks)
    out=$(cd "$WORK" && /usr/bin/time -f "WRKCPU %U %S" wrk -t2 -c64 -d"${WRK_SECONDS}s" --latency -s "${SCRIPT[$n]}" "${URL[$n]}" 2>&1)
    c1=$(cputicks)
    echo "$out" >> "$OUT"
    rps=$(echo "$out" | awk '/^Requests\/sec/{print $2}')
    p50=$(to_ms "$(echo "$out" | awk '$1=="50%"{print $2}')")
    p99=$(to_ms "$(echo "$out" | awk '$1=="99%"{print $2}')")
    errs=$(echo "$out" | awk '/Non-2xx|Socket errors/{n++} END{print n+0}')
    wrkcpu=$(echo "$out" | awk '/^WRKCPU/{print $2+$3}')
    echo "RESULT http.$n rps=$rps p50_ms=$p50 p99_ms=$p99 server_cores=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v s="$WRK_SECONDS" 'BEGIN{printf "%.2f",(b-a)/hz/s}') wrk_cores=$(awk -v c="$wrkcpu" -v s="$WRK_SECONDS" 'BEGIN{printf "%.2f",c/s}') error_lines=$errs" | tee -a "$OUT"
  done
done
echo "# loadavg at end: $(cat /proc/loadavg)" | tee -a "$OUT"

# Medians over the repeats, and the issue's ratios.
grep '^RESULT http\.' "$OUT" | awk '
  { name=$2; for (i=3;i<=NF;i++){ split($i,kv,"="); v[name,kv[1],++c[name,kv[1]]]=kv[2] } names[name]=1 }
  function median(name,key,   n,i,j,t,a){ n=c[name,key]; for(i=1;i<=n;i++) a[i]=v[name,key,i];
    for(i=1;i<=n;i++) for(j=i+1;j<=n;j++) if (a[j]+0<a[i]+0){t=a[i];a[i]=a[j];a[j]=t}
    return (n%2)? a[(n+1)/2] : (a[n/2]+a[n/2+1])/2 }
  END {
    printf "# median over repeats\n"
    for (n in names) printf "MEDIAN %s rps=%.0f p50_ms=%.3f p99_ms=%.3f\n", n, median(n,"rps"), median(n,"p50_ms"), median(n,"p99_ms")
    t="http.trivial"; j="http.predict_json"; b="http.predict_binary"
    printf "RATIO json/trivial rps=%.3f (target >= 0.9)  p99 json/trivial=%.3f (target <= 1.2)  binary/json rps=%.3f (aim >= 2)\n",
      median(j,"rps")/median(t,"rps"), median(j,"p99_ms")/median(t,"p99_ms"), median(b,"rps")/median(j,"rps")
  }' | tee -a "$OUT"
echo "# raw output: $OUT"
