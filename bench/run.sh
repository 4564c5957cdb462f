#!/usr/bin/env bash
# Builds bench/Engine.Bench in Release and runs every part (W1, W2, W3 + ONNX Runtime, W4, GEMM + FMA peak, W4's conv kernels)
# at 1 and 2 threads, REPEATS times, printing RESULT lines (raw output kept in $OUT).
# Usage:  bench/run.sh [--smoke] [--epochs N]        Env: REPEATS=1  OUT=<file>  MNIST_DIR=<dir>
#         TIERED=1 runs with the runtime's default tiered JIT instead of the project's setting (off).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPEATS="${REPEATS:-1}"
OUT="${OUT:-${TMPDIR:-/tmp}/engine-bench-$(date +%Y%m%d-%H%M%S).txt}"
dotnet build "$HERE/Engine.Bench/Engine.Bench.csproj" -c Release -nologo -v q | grep -E " error |warn.*[1-9] Warn" || true
DLL="$HERE/Engine.Bench/bin/Release/net10.0/BackpropService.Engine.Bench.dll"
[ "${TIERED:-0}" = "1" ] && export DOTNET_TieredCompilation=1
{
  echo "# $(date -u +%FT%TZ) $(uname -sr) cpu='$(lscpu | sed -n 's/^Model name: *//p')' cores=$(nproc) dotnet=$(dotnet --version) repeats=$REPEATS tiered=${TIERED:-0}"
  echo "# loadavg at start: $(cat /proc/loadavg)"
} | tee "$OUT"
for rep in $(seq 1 "$REPEATS"); do
  for t in 1 2; do
    for part in w1 w2 w3 w4 gemm conv; do
      echo "# run: --part $part --threads $t --seed $rep $*" >> "$OUT"
      dotnet "$DLL" --part "$part" --threads "$t" --seed "$rep" "$@" 2>&1 | tee -a "$OUT" | grep -E '^(RESULT|Unhandled|   at )' || true
    done
  done
done
echo "# loadavg at end: $(cat /proc/loadavg)" | tee -a "$OUT"
echo "# results: $OUT"
