#!/usr/bin/env bash
# bench/run.sh: how fast does suanwang sweep a national network?
#
# Runs the bench scenarios (bench/scenarios/national_*.lua: national topology,
# realistic mix, energy on, full HDF5 output to /tmp) with two Lua policies,
# and bench/raw_simgrid (plain SimGrid, same platform and job stream,
# hard-coded least-loaded placement) at the same job count, each under
# /usr/bin/time; prints one table, then the policy micro-benchmarks
# (bench/policy_bench).
#
#   bench/run.sh [--quick] [--sizes 10k,100k,1m] [--policies least_loaded,...] [--no-micro]
#
#   --quick   ~2,000 jobs, least_loaded only, + raw baseline + micro-benchmarks
#             with a small batch: the CI smoke test (ctest -R bench_quick).
#   default   sizes 10k,100k,1m.
# Build dir: $SUANWANG_BUILD_DIR (default /tmp/build-bench), built Release if needed.
# Exit status: 0 when every run succeeded.
set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${SUANWANG_BUILD_DIR:-/tmp/build-bench}
QUICK=0
SIZES="10k,100k,1m"
POLICIES="least_loaded,east_data_west_compute"
MICRO=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; SIZES="2k"; POLICIES="least_loaded" ;;
    --sizes) SIZES="$2"; shift ;;
    --policies) POLICIES="$2"; shift ;;
    --no-micro) MICRO=0 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "run.sh: $TIME (GNU time) is required" >&2; exit 2; }

# ---- build (Release) if needed -------------------------------------------------
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 1
fi
for t in raw_simgrid policy_bench suanwang; do
  if ! cmake --build "$BUILD" --target "$t" -j2 >"$BUILD/bench-build-$t.log" 2>&1; then
    echo "run.sh: building $t failed (log: $BUILD/bench-build-$t.log)" >&2
  fi
done
RAW=$BUILD/bench/raw_simgrid
MICROBIN=$BUILD/bench/policy_bench
SW=$BUILD/suanwang
[ -x "$SW" ] || SW=$(find "$BUILD" -maxdepth 3 -type f -name suanwang -perm -u+x 2>/dev/null | head -1)

TMP=$(mktemp -d /tmp/suanwang-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
STATUS=0

n_of() { case "$1" in 2k) echo 2000 ;; 10k) echo 10000 ;; 100k) echo 100000 ;; 1m) echo 1000000 ;;
         *) echo "run.sh: unknown size '$1' (2k, 10k, 100k, 1m)" >&2; exit 2 ;; esac; }

ROWS=()
row() { ROWS+=("$(printf '%-20s %-24s %9s %8s %9s %10s %8s %7s' "$@")"); }

# timed CMD...: runs under GNU time; sets T_WALL, T_RSS_MIB, T_OUT (stdout+stderr file); returns rc.
timed() {
  local out=$TMP/out.$RANDOM
  "$TIME" -f "%e %M" -o "$TMP/time" "$@" >"$out" 2>&1
  local rc=$?
  read -r T_WALL T_RSS_KIB < <(tail -1 "$TMP/time")
  T_RSS_MIB=$(awk -v k="$T_RSS_KIB" 'BEGIN{printf "%.1f", k/1024}')
  T_OUT=$out
  return $rc
}

IFS=, read -r -a SIZE_LIST <<<"$SIZES"
IFS=, read -r -a POLICY_LIST <<<"$POLICIES"
for size in "${SIZE_LIST[@]}"; do
  n=$(n_of "$size")
  scen=$ROOT/bench/scenarios/national_$size.lua
  [ -f "$scen" ] || { echo "run.sh: missing $scen" >&2; STATUS=1; continue; }
  days=$(awk '/^  duration = /{gsub(/[^0-9]/,"",$3); printf "%.2f", $3/24}' "$scen")

  raw_wall=""
  if [ -x "$RAW" ] && timed "$RAW" --jobs "$n"; then
    raw_wall=$T_WALL
    jobs=$(sed -n 's/.*raw_simgrid jobs=\([0-9]*\).*/\1/p' "$T_OUT")
    rdays=$(sed -n 's/.*simulated_days=\([0-9.]*\).*/\1/p' "$T_OUT")
    row "raw_$size" "least_loaded(C++)" "$jobs" "$rdays" "$T_WALL" \
        "$(awk -v j="$jobs" -v w="$T_WALL" 'BEGIN{printf "%.0f", (w > 0 ? j / w : 0)}')" "$T_RSS_MIB" "1.00"
  else
    echo "run.sh: raw_simgrid --jobs $n failed:" >&2; [ -n "${T_OUT:-}" ] && tail -5 "$T_OUT" >&2
    row "raw_$size" "least_loaded(C++)" "-" "-" "FAILED" "-" "-" "-"; STATUS=1
  fi

  for pol in "${POLICY_LIST[@]}"; do
    h5=/tmp/suanwang-bench-national_${size}-${pol}.h5
    rm -f "$h5"
    if [ -n "$SW" ] && [ -x "$SW" ] &&
       timed "$SW" run "$scen" --set "policy=$pol" -o "$h5" --force; then
      jobs=$(sed -n 's/^ *jobs *\([0-9]*\) submitted.*/\1/p' "$T_OUT" | head -1)
      [ -n "$jobs" ] || jobs=$(sed -n 's/.*(\([0-9]*\) jobs\/s).*/?/p' "$T_OUT" | head -1)
      ratio=$(awk -v a="$T_WALL" -v b="$raw_wall" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "-" }')
      row "national_$size" "$pol" "${jobs:-?}" "$days" "$T_WALL" \
          "$(awk -v j="${jobs:-0}" -v w="$T_WALL" 'BEGIN{printf "%.0f", (w > 0 ? j / w : 0)}')" "$T_RSS_MIB" "$ratio"
    else
      if [ -z "$SW" ] || [ ! -x "$SW" ]; then
        echo "run.sh: no suanwang binary in $BUILD (build log: $BUILD/bench-build-suanwang.log)" >&2
      else
        echo "run.sh: suanwang run national_$size ($pol) failed:" >&2; tail -5 "$T_OUT" >&2
      fi
      row "national_$size" "$pol" "-" "$days" "FAILED" "-" "-" "-"; STATUS=1
    fi
    rm -f "$h5"
  done
done

echo
printf '%-20s %-24s %9s %8s %9s %10s %8s %7s\n' scenario policy jobs sim_days wall_s jobs/s rss_MiB x_raw
printf '%s\n' "${ROWS[@]}"

if [ "$MICRO" = 1 ]; then
  echo
  if [ -x "$MICROBIN" ]; then
    if [ "$QUICK" = 1 ]; then mj=2000; reps=1; else mj=10000; reps=3; fi
    "$MICROBIN" --jobs "$mj" --reps "$reps" || STATUS=1
  else
    echo "run.sh: policy_bench not built (log: $BUILD/bench-build-policy_bench.log)" >&2; STATUS=1
  fi
fi
exit $STATUS
