#!/usr/bin/env bash
# Epoch times through the service, each workload in a fresh process: how slow is the first epoch of a new
# process against the steady state, and how fast does the README's run command train against a Release publish?
# Starts the service, uploads the MNIST subset, trains one job, reads its per-epoch `seconds` from
# GET /api/jobs/{id}/metrics and stops the service; then the next workload in a new process.
#
#   W1: 784-30-10 sigmoid, quadratic, SGD 3.0, batch 10, N(0,1) init, 10 epochs (bench/README.md's W1)
#   W2: 784-100-10 ReLU/softmax, cross-entropy, Adam 0.001, batch 32, He init, 6 epochs
#
# Prints `RESULT service.<mode>.<workload> epoch1_s=… steady_s=… ratio=… epochs=…` (steady_s: median of
# epochs 2..N; ratio = epoch1_s / steady_s).
#
# Usage:  flock /tmp/dotnet.lock bench/service-epochs.sh [readme|publish] [w1|w2 ...]
#         readme  (default): the run command from README.md's quick start, exactly as written, plus --urls
#                 (RUN="dotnet run --project src/Api" runs another command instead)
#         publish: `dotnet publish src/Api -c Release`, then `dotnet BackpropService.Api.dll`
# Env:    PORT=5078  MNIST_DIR=<auto, as bench/predict-load.sh>  REPEATS=1  DOTNET_* knobs pass through to the service
# Needs:  .NET 10 SDK, curl, jq, python3. Hold the build lock for the whole run; the script does not take it.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
MODE="${1:-readme}"
shift || true
WORKLOADS=("$@")
[ ${#WORKLOADS[@]} -eq 0 ] && WORKLOADS=(w1 w2)
REPEATS="${REPEATS:-1}"
PORT="${PORT:-5078}"
B="http://127.0.0.1:$PORT"

source "$HERE/find-mnist.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/service-epochs.XXXXXX")"
SPID=""
stop_service() {
  # The service runs in its own process group (setsid), so `dotnet run` and the app it starts stop together.
  if [ -n "$SPID" ]; then kill -TERM -- "-$SPID" 2>/dev/null || true; wait "$SPID" 2>/dev/null || true; SPID=""; fi
}
cleanup() { stop_service; rm -rf "$WORK"; }
trap cleanup EXIT

case "$MODE" in
  readme)
    # The quick start's first command, as a newcomer would type it (cd to the repository root first).
    RUN="${RUN:-$(grep -m1 -oE '^dotnet run --project src/Api[^#]*' "$ROOT/README.md" | sed 's/ *$//')}"
    [ -n "$RUN" ] || { echo "no 'dotnet run --project src/Api' line in README.md" >&2; exit 1; }
    echo "# README run command: $RUN"
    # `dotnet run` builds before it starts the service, so the build is over before the first epoch.
    START=(bash -c "cd '$ROOT' && exec $RUN --urls '$B'")
    ;;
  publish)
    echo "# dotnet publish src/Api -c Release"
    dotnet publish "$ROOT/src/Api/Api.csproj" -c Release -o "$WORK/publish" -nologo -v q | grep -E " error |warn.*[1-9] Warn" || true
    START=(bash -c "cd '$WORK/publish' && exec dotnet BackpropService.Api.dll --urls '$B'")
    ;;
  *) echo "mode: readme or publish" >&2; exit 2 ;;
esac

job_body() {
  case "$1" in
    w1) echo "{ \"name\": \"w1\", \"datasetId\": \"$2\",
      \"layers\": [ {\"size\": 30, \"activation\": \"sigmoid\"}, {\"size\": 10, \"activation\": \"sigmoid\"} ],
      \"cost\": \"quadratic\", \"optimizer\": \"sgd\", \"learningRate\": 3.0, \"batchSize\": 10, \"epochs\": 10,
      \"init\": \"normal\", \"seed\": 1, \"validationSplit\": 0 }" ;;
    w2) echo "{ \"name\": \"w2\", \"datasetId\": \"$2\",
      \"layers\": [ {\"size\": 100, \"activation\": \"relu\"}, {\"size\": 10, \"activation\": \"softmax\"} ],
      \"cost\": \"crossEntropy\", \"optimizer\": \"adam\", \"learningRate\": 0.001, \"batchSize\": 32, \"epochs\": 6,
      \"init\": \"he\", \"seed\": 1, \"validationSplit\": 0 }" ;;
    *) echo "workload: w1 or w2" >&2; exit 2 ;;
  esac
}

echo "# $(date -u +%FT%TZ) $(uname -sr) cores=$(nproc) dotnet=$(dotnet --version) loadavg: $(cat /proc/loadavg)"
for rep in $(seq 1 "$REPEATS"); do
  for workload in "${WORKLOADS[@]}"; do
    rm -f "$WORK"/backprop.db*
    ConnectionStrings__Default="Data Source=$WORK/backprop.db" Logging__LogLevel__Default=Warning \
      setsid "${START[@]}" > "$WORK/server.log" 2>&1 &
    SPID=$!
    for _ in $(seq 1 240); do curl -sf -o /dev/null "$B/health/ready" && break; sleep 0.5; done
    curl -sf -o /dev/null "$B/health/ready" || { cat "$WORK/server.log"; echo "the service did not start" >&2; exit 1; }

    DATASET=$(curl -sf -X POST "$B/api/datasets" -F name=mnist-train \
      -F images=@"$MNIST_DIR/train-images-idx3-ubyte.gz" -F labels=@"$MNIST_DIR/train-labels-idx1-ubyte.gz" | jq -r .id)
    JOB=$(curl -sf -X POST "$B/api/jobs" -H 'Content-Type: application/json' -d "$(job_body "$workload" "$DATASET")" | jq -r .id)
    STATUS=""
    for _ in $(seq 1 1200); do
      STATUS=$(curl -sf "$B/api/jobs/$JOB" | jq -r .status)
      case "$STATUS" in succeeded) break ;; failed|cancelled) curl -s "$B/api/jobs/$JOB"; exit 1 ;; esac
      sleep 0.5
    done
    [ "$STATUS" = succeeded ] || { echo "training did not finish" >&2; exit 1; }
    curl -sf "$B/api/jobs/$JOB/metrics" | jq '[.[].seconds]' | python3 -c "
import json, statistics, sys
s = json.load(sys.stdin)
steady = statistics.median(s[1:])
print(f'RESULT service.$MODE.$workload epoch1_s={s[0]:.4f} steady_s={steady:.4f} ratio={s[0] / steady:.2f} epochs=' + ','.join(f'{x:.4f}' for x in s))"
    stop_service
  done
done
echo "# loadavg at end: $(cat /proc/loadavg)"
