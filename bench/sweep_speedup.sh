#!/bin/bash
# Parallel speedup of `suanwang sweep`: runs the 8-point sweep of
# bench/scenarios/sweep8.lua (2 policies x 2 local queues x 2 replications,
# each point a few seconds) with -j 1 and with -j 2 (or -j $JOBS), checks that
# both give the same results (tests/sweep/compare_runs.py, when h5py is
# available) and prints the wall times and the speedup ratio.
#
# Usage: bench/sweep_speedup.sh [path/to/suanwang]   (default: build/suanwang)
# Environment: JOBS (parallel worker count, default 2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/suanwang}
jobs=${JOBS:-2}
[ -x "$bin" ] || { echo "sweep_speedup.sh: $bin is not an executable (pass the suanwang binary)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scenario=$root/bench/scenarios/sweep8.lua

wall() {  # wall seconds of a command
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l 2>/dev/null || awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}

echo "sweep_speedup: $("$bin" sweep "$scenario" --list 2>/dev/null | wc -l) points, $(nproc) CPUs"
t1=$(wall "$bin" sweep "$scenario" -j 1 --quiet -o "$tmp/j1.h5")
tn=$(wall "$bin" sweep "$scenario" -j "$jobs" --quiet -o "$tmp/jn.h5")
if /usr/bin/python3 -c 'import h5py' 2>/dev/null; then
  /usr/bin/python3 "$root/tests/sweep/compare_runs.py" "$tmp/j1.h5" "$tmp/jn.h5"
fi
awk -v a="$t1" -v b="$tn" -v j="$jobs" 'BEGIN {
  printf "-j 1: %.2f s\n-j %d: %.2f s\nspeedup -j%d/-j1: %.2fx\n", a, j, b, j, a / b }'
