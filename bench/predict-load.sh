#!/usr/bin/env bash
# /predict under load: builds the service in Release inside its bench host (bench/PredictLoad.Host: src/Api's own
# entry point plus the comparison endpoint POST /bench/trivial, which reads the same JSON body through the
# framework's binder and answers 10 floats, like ../shared/reference-bench's PredictServer), starts it on
# 127.0.0.1 with a fresh SQLite file, trains a
# W2-shaped model (784-256-128-10 ReLU/softmax, a few epochs on the MNIST subset), then runs
# wrk -t2 -c64 --latency against the trivial endpoint, JSON /predict and binary /predict, in rounds.
# Prints `RESULT http.<name> rps=… p50_ms=… p99_ms=… server_cores=… wrk_cores=… error_lines=…` lines.
#
# The service is started as bench/predict-service.sh says (the predict rate raised above the load, the other limits at
# their defaults). For a before/after of two commits, bench/predict-ab.sh loads both side by side (less noise).
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
source "$HERE/find-mnist.sh"
BENCH_DIR="$HERE"
source "$HERE/predict-service.sh"
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/predict-load.XXXXXX")"
OUT="${OUT:-$WORK/results.txt}"
SERVICE_PID=""
cleanup() { [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null; rm -rf "$WORK/db"; true; }
trap cleanup EXIT

echo "# building src/Api in its bench host (Release)"
BIN="$(build_bench_host "$ROOT")"
echo "# starting the service on $B (database $WORK/db/backprop.db)"
start_service "$BIN" "$B" "$WORK"
echo "# training W2 (784-256-128-10, ReLU/softmax, $EPOCHS epochs) on $MNIST_DIR"
train_w2 "$B" "$EPOCHS"
write_bodies "$WORK"
check_answers "$B" "$WORK"

NAMES=("${BENCH_ENDPOINTS[@]}")
declare -A URL SCRIPT
for n in "${NAMES[@]}"; do URL[$n]="$B${BENCH_PATH[$n]}"; SCRIPT[$n]="${BENCH_SCRIPT[$n]}"; done
{
  echo "# $(date -u +%FT%TZ) $(uname -sr) cpu='$(lscpu | sed -n 's/^Model name: *//p')' cores=$(nproc) dotnet=$(dotnet --version) repeats=$REPEATS wrk_seconds=$WRK_SECONDS"
  echo "# loadavg at start: $(cat /proc/loadavg)"
} | tee -a "$OUT"
echo "# warm-up 5 s per endpoint"
for n in "${NAMES[@]}"; do (cd "$WORK" && wrk -t2 -c64 -d5s -s "${SCRIPT[$n]}" "${URL[$n]}" > /dev/null); done

HZ=$(getconf CLK_TCK)
cputicks() { awk '{print $14+$15}' "/proc/$SERVICE_PID/stat"; }
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
