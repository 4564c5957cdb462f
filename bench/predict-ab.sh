#!/usr/bin/env bash
# /predict before/after, side by side: builds two versions of the service (two git revisions, from `git archive`
# copies), starts both on loopback with the same W2-shaped model, and in each round loads BOTH at the same time, each
# with its own `wrk -t1 -c32`, for the same seconds. Whatever else the machine does in a round (a shared host's other
# tenants, a build) falls on both alike, so the per-round ratio B/A is steadier than two runs of predict-load.sh one
# after the other, where the same build varied by ±30 % from run to run here. The two services compete for the cores:
# the one that spends less CPU per request answers more of them, which is the comparison wanted.
# Prints `ROUND <endpoint> <n> a_rps=… b_rps=… ratio=…` per round and `RATIO <endpoint> median=… rounds=…` (B / A).
#
# Usage:  flock /tmp/dotnet.lock bench/predict-ab.sh REV_A REV_B     e.g. bench/predict-ab.sh 4a502ff main
# Env:    ROUNDS=5  WRK_SECONDS=10  ENDPOINTS="trivial predict_json predict_binary"  EPOCHS=1  PORT_A=5081 PORT_B=5082
#         A_ENV / B_ENV: extra settings for one side, e.g. B_ENV="Limits__Predict__Concurrency=1000"
#         MNIST_DIR=<as predict-load.sh>
# Needs:  git, .NET 10 SDK, wrk, curl, jq, python3.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
[ $# -eq 2 ] || { sed -n '2,14p' "${BASH_SOURCE[0]}" >&2; exit 2; }
REV_A="$1"; REV_B="$2"
ROUNDS="${ROUNDS:-5}"
WRK_SECONDS="${WRK_SECONDS:-10}"
read -r -a ENDPOINTS <<< "${ENDPOINTS:-trivial predict_json predict_binary}"
EPOCHS="${EPOCHS:-1}"
URL_A="http://127.0.0.1:${PORT_A:-5081}"; URL_B="http://127.0.0.1:${PORT_B:-5082}"
source "$HERE/find-mnist.sh"
BENCH_DIR="$HERE"
source "$HERE/predict-service.sh"
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/predict-ab.XXXXXX")"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done; rm -rf "$WORK/a" "$WORK/b"; true; }
trap cleanup EXIT

# One side: its revision's source, built, started, trained.
prepare() { # SIDE REV URL ENV
  local side="$1" rev="$2" url="$3" env="$4" commit
  commit="$(git -C "$ROOT" rev-parse --short "$rev^{commit}")"
  mkdir -p "$WORK/$side/src"
  git -C "$ROOT" archive "$commit" | tar -x -C "$WORK/$side/src"
  echo "# $side = $rev ($commit) ${env:+with $env}, building"
  local bin; bin="$(build_bench_host "$WORK/$side/src")"
  # shellcheck disable=SC2086 # ENV is a list of NAME=VALUE words
  start_service "$bin" "$url" "$WORK/$side" $env
  PIDS+=("$SERVICE_PID")
  train_w2 "$url" "$EPOCHS"
}
prepare a "$REV_A" "$URL_A" "${A_ENV:-}"
prepare b "$REV_B" "$URL_B" "${B_ENV:-}"
write_bodies "$WORK"
check_answers "$URL_A" "$WORK"
check_answers "$URL_B" "$WORK"

# Both loaded at once for SECONDS; prints "a_rps b_rps errors".
both() { # ENDPOINT SECONDS
  local path="${BENCH_PATH[$1]}" script="${BENCH_SCRIPT[$1]}" w
  (cd "$WORK" && wrk -t1 -c32 -d"$2s" -s "$script" "$URL_A$path" > "$WORK/wrk-a.txt") & w=$!
  (cd "$WORK" && wrk -t1 -c32 -d"$2s" -s "$script" "$URL_B$path" > "$WORK/wrk-b.txt")
  wait "$w"
  echo "$(awk '/^Requests\/sec/{print $2}' "$WORK/wrk-a.txt") $(awk '/^Requests\/sec/{print $2}' "$WORK/wrk-b.txt")" \
    "$(cat "$WORK/wrk-a.txt" "$WORK/wrk-b.txt" | awk '/Non-2xx|Socket errors/{n++} END{print n+0}')"
}

echo "# $(date -u +%FT%TZ) cores=$(nproc) dotnet=$(dotnet --version) rounds=$ROUNDS wrk_seconds=$WRK_SECONDS loadavg: $(cat /proc/loadavg)"
for e in "${ENDPOINTS[@]}"; do
  both "$e" 15 > /dev/null # warm-up: both services' code tiered up on this path
  ratios=()
  for r in $(seq 1 "$ROUNDS"); do
    read -r a b errors < <(both "$e" "$WRK_SECONDS")
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.3f", b/a}')
    ratios+=("$ratio")
    echo "ROUND $e $r a_rps=$a b_rps=$b ratio=$ratio error_lines=$errors"
  done
  echo "RATIO $e median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END{print (NR%2)? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}') rounds=${ratios[*]} (b/a: $REV_B / $REV_A)"
done
echo "# loadavg at end: $(cat /proc/loadavg)"
