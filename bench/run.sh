#!/usr/bin/env bash
# bench/run.sh: how fast does suanwang simulate a national network?
#
# Prints, in order:
#  1. the targets, in one table:
#     - week_2023: today's national week, frozen in bench/national_week_2023/,
#       old engine (commit bbf86a2, actors) vs this build: CPU and wall time,
#       jobs completed, speed-up (target: >= 5x);
#     - national_{10k,100k,1m}: the bench mix (bench/scenarios/national_*.lua:
#       national topology, least_loaded in Lua, full HDF5 output to /tmp) vs
#       bench/raw_simgrid (plain SimGrid, same platform and job stream,
#       hard-coded least-loaded), without output and writing the same jobs
#       table (--output: suanwang's recorder, so both do the same work,
#       results included; bench/raw_same_jobs.py checks the rows agree):
#       CPU and wall ratios (target: <= 1.5x at 1M), peak RSS,
#       and RSS at 1M over RSS at 100k (target: flat). Both model the same
#       thing: raw_simgrid keeps each pool as a bag of chips, so suanwang runs
#       these rows on the national topology with flat pools (the same chips,
#       bench/servers_topology.py --flat); what servers cost is the next row;
#     - national_{SIZE}_servers, _nodes, _data and _span (the largest size of
#       --sizes, 1m by default): the same jobs on the topology as shipped
#       (servers of 8 chips, best_fit placement), on servers placed by FGD
#       (node_placement = "fgd"), with the data tier on flat pools
#       (bench/scenarios/national_1m_data.lua: catalog, storage hubs, caches,
#       streamed fine-tuning), and with every training job split over two
#       centers on flat pools (national_1m_span.lua: split_training,
#       params.parts = 2, gradients on the backbone): CPU x the flat row;
#     - national_{SIZE}_span_<slice>: the first --replay-span (default 20h) of
#       that spanning run, suanwang against bench/raw_replay, plain SimGrid
#       carrying the run's recorded flows (record_flows) one comm per flow
#       and nothing else: the raw baseline of a run whose cost is the
#       network's (target: suanwang <= 1.5x its CPU). raw_replay must find
#       every flow ending where suanwang said, or the row fails;
#     - national_year_2025 (bench/scenarios/national_year_2025.lua: the full
#       mix with the data tier and a Lua policy, ~46 million jobs a year):
#       a week and a month of it by default, the whole year with --year
#       (target: >= 100,000 jobs per wall-second, peak RSS < 512 MiB and flat:
#       month / week and year / week <= 1.2); jobs per CPU-second too;
#  2. scaling curves (bench/engine_scaling and raw_simgrid --loop, the closed
#     loop of bench/closed_loop.hpp): CPU per job versus jobs in flight and
#     versus transfers in flight (100 to 50,000), for suanwang's two flow
#     models and the raw baseline; CPU per job versus topology size (national,
#     then 100-300 synthetic cities from bench/make_big_topology.py);
#  3. the policy micro-benchmarks (bench/policy_bench).
#
#   bench/run.sh [--quick] [--reps N] [--sizes 10k,100k,1m] [--policies P1,P2]
#                [--old-build DIR | --build-old] [--year-2025 FILE.lua]
#                [--inflight 100,1000,10000,50000] [--cities 38,100,200,300]
#                [--year] [--no-week] [--no-national] [--no-models] [--no-scaling]
#                [--no-micro] [--no-build] [--replay-span DURATION]
#
#   --quick      seconds: national_2k (and its node-model and data-tier
#                rows), two simulated hours of the 2025 year, one rep, scaling
#                at N = 100 on the national topology, small micro-benchmarks;
#                no week. The CI smoke test (ctest -R bench_quick); no timed
#                assertion.
#   --year       also the whole simulated year of national_year_2025 (about
#                tens of minutes; one run).
#   --reps N     timed runs per row of table 1 (default 3): CPU and wall are
#                each the best of N, RSS the largest.
#   --old-build  build folder of commit bbf86a2 (default $SUANWANG_OLD_BUILD_DIR,
#                else /tmp/suanwang-old/build); --build-old makes it (a detached
#                git worktree of bbf86a2 in /tmp/suanwang-old, Release).
#   --year-2025  the 2025 scenario (default $SUANWANG_2025_SCENARIO, else the first
#                of bench/scenarios/national_year_2025.lua and
#                scripts/examples/national_year_2025.lua that exists).
#   --no-models  no node-model, data-tier, spanning and replay rows.
#   --replay-span  the slice of the spanning run replayed by raw_replay
#                (default 20h, 1h with --quick; 0 for no replay row). The
#                replay's cost grows with the square of the flows in flight:
#                20h of national_1m_span takes it ~3 minutes, 50h over an hour.
#   --no-build   run the binaries of the build folder ($SUANWANG_BUILD_DIR,
#                default /tmp/build-bench: set it to time your own build) as
#                they are (the ctest smoke test: rebuilding there would relink
#                binaries other tests are running).
# CPU time = user + system of the process (GNU time); scaling rows measure a
# window inside the run (getrusage). The machine's load average is printed
# with every section: on a shared machine wall time follows the load, CPU
# time much less.
# Build dir: $SUANWANG_BUILD_DIR (default /tmp/build-bench), built Release if needed.
# Exit status: 0 when every run succeeded (a missed target is not a failure).
set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${SUANWANG_BUILD_DIR:-/tmp/build-bench}
OLD_BUILD=${SUANWANG_OLD_BUILD_DIR:-/tmp/suanwang-old/build}
OLD_COMMIT=bbf86a2
Y2025=${SUANWANG_2025_SCENARIO:-}
QUICK=0
REPS=3
SIZES="10k,100k,1m"
POLICIES="least_loaded"
INFLIGHT="100,1000,10000,50000"
CITIES="38,100,200,300"
WEEK=1 NATIONAL=1 MODELS=1 YEAR=0 SCALING=1 MICRO=1 BUILD_OLD=0 BUILD_IT=1
REPLAY_SPAN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; REPS=1; SIZES="2k"; INFLIGHT="100"; CITIES="38"; WEEK=0; REPLAY_SPAN=${REPLAY_SPAN:-1h} ;;
    --reps) REPS=$2; shift ;;
    --sizes) SIZES=$2; shift ;;
    --policies) POLICIES=$2; shift ;;
    --old-build) OLD_BUILD=$2; shift ;;
    --build-old) BUILD_OLD=1 ;;
    --year-2025) Y2025=$2; shift ;;
    --inflight) INFLIGHT=$2; shift ;;
    --cities) CITIES=$2; shift ;;
    --no-week) WEEK=0 ;;
    --year) YEAR=1 ;;
    --no-models) MODELS=0 ;;
    --no-national) NATIONAL=0 ;;
    --no-scaling) SCALING=0 ;;
    --no-micro) MICRO=0 ;;
    --no-build) BUILD_IT=0 ;;
    --replay-span) REPLAY_SPAN=$2; shift ;;
    -h|--help) sed -n '2,81p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

REPLAY_SPAN=${REPLAY_SPAN:-20h}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "run.sh: $TIME (GNU time) is required" >&2; exit 2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# ---- builds --------------------------------------------------------------------
# --no-build (the ctest smoke test): the binaries as they are. Building here
# while other tests run the same binaries would relink them under their feet.
if [ "$BUILD_IT" = 1 ] && [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 1
fi
for t in suanwang raw_simgrid raw_replay engine_scaling policy_bench; do
  [ "$BUILD_IT" = 1 ] || break
  if ! cmake --build "$BUILD" --target "$t" -j2 >"$BUILD/bench-build-$t.log" 2>&1; then
    echo "run.sh: building $t failed (log: $BUILD/bench-build-$t.log)" >&2
  fi
done
SW=$BUILD/suanwang
RAW=$BUILD/bench/raw_simgrid
REPLAY=$BUILD/bench/raw_replay
SCALE=$BUILD/bench/engine_scaling
MICROBIN=$BUILD/bench/policy_bench

if [ "$BUILD_OLD" = 1 ]; then
  src=$(dirname "$OLD_BUILD")
  if [ ! -d "$src" ]; then
    git -C "$ROOT" worktree add --detach "$src" "$OLD_COMMIT" >/dev/null || exit 1
  fi
  cmake -S "$src" -B "$OLD_BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null &&
    cmake --build "$OLD_BUILD" --target suanwang -j2 >"$OLD_BUILD.log" 2>&1 ||
    { echo "run.sh: building $OLD_COMMIT failed (log: $OLD_BUILD.log)" >&2; exit 1; }
fi

TMP=$(mktemp -d /tmp/suanwang-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
STATUS=0

echo "suanwang bench: $(date '+%Y-%m-%d %H:%M'), $(nproc) cores, load $(load)"
echo "build $BUILD ($(git -C "$ROOT" describe --always --dirty 2>/dev/null))"
echo "CPU = user+sys of the process; table 1: best of $REPS runs (CPU and wall each), RSS the largest"

# ---- table 1: targets ----------------------------------------------------------------
ROWS=()
FMT='%-20s %-18s %-18s %9s %9s %6s %8s %8s %11s %8s %7s  %s'
row() { ROWS+=("$(printf "$FMT" "$@")"); }
fmt_int() { [ -n "$1" ] && [ "$1" != "-" ] && printf "%d" "$1" || echo "-"; }

# timed_best N CMD...: runs CMD N times under GNU time. Sets B_CPU, B_WALL
# (each the best), B_RSS (MiB, the largest), B_OUT (output of the last run).
timed_best() {
  local n=$1; shift
  B_CPU="" B_WALL="" B_RSS=0 B_OUT=$TMP/out.$RANDOM
  local i w u s k
  for ((i = 0; i < n; ++i)); do
    "$TIME" -f "%e %U %S %M" -o "$TMP/time" "$@" >"$B_OUT" 2>&1 || return 1
    read -r w u s k < <(tail -1 "$TMP/time")
    local c; c=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u + s}')
    if [ -z "$B_CPU" ] || awk -v a="$c" -v b="$B_CPU" 'BEGIN{exit !(a < b)}'; then B_CPU=$c; fi
    if [ -z "$B_WALL" ] || awk -v a="$w" -v b="$B_WALL" 'BEGIN{exit !(a < b)}'; then B_WALL=$w; fi
    B_RSS=$(awk -v a="$B_RSS" -v k="$k" 'BEGIN{m = k / 1024; printf "%.1f", (m > a ? m : a)}')
  done
}
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN{ if (a != "" && b > 0) printf f, a / b; else print "-" }'; }
# From a suanwang run's summary: submitted and completed jobs.
sw_jobs() { sed -n 's/^ *jobs *\([0-9]*\) submitted, \([0-9]*\) completed.*/\1 \2/p' "$1" | head -1; }
# From a raw_simgrid run's summary line: submitted and completed jobs.
raw_jobs() { sed -n 's/.* jobs=\([0-9]*\) completed=\([0-9]*\).*/\1 \2/p' "$1" | head -1; }

if [ "$WEEK" = 1 ]; then
  WEEK_SCEN=$ROOT/bench/national_week_2023/national_week.lua
  old_cpu=""
  if [ -x "$OLD_BUILD/suanwang" ]; then
    if timed_best "$REPS" "$OLD_BUILD/suanwang" run "$WEEK_SCEN" -o "$TMP/run.h5" --force; then
      read -r sub fin < <(sw_jobs "$B_OUT")
      old_cpu=$B_CPU
      old_wall=$B_WALL
      row week_2023 "old ($OLD_COMMIT)" least_loaded "$sub" "$fin" 7.00 "$B_CPU" "$B_WALL" \
          "$(div "$sub" "$B_WALL" %.0f)" "$B_RSS" "-" "reference"
    else
      echo "run.sh: the old build failed on the week:" >&2; tail -5 "$B_OUT" >&2; STATUS=1
      row week_2023 "old ($OLD_COMMIT)" least_loaded - - 7.00 FAILED - - - - -
    fi
  else
    ROWS+=("week_2023            old ($OLD_COMMIT): not available (no $OLD_BUILD/suanwang; bench/run.sh --build-old makes it)")
  fi
  if timed_best "$REPS" "$SW" run "$WEEK_SCEN" -o "$TMP/run.h5" --force; then
    read -r sub fin < <(sw_jobs "$B_OUT")
    if [ -n "$old_cpu" ]; then
      sp_cpu=$(div "$old_cpu" "$B_CPU" %.1f)
      sp_wall=$(div "$old_wall" "$B_WALL" %.1f)
      verdict=$(awk -v s="$sp_cpu" 'BEGIN{print (s >= 5 ? "met" : "MISSED")}')
      row week_2023 "suanwang" least_loaded "$sub" "$fin" 7.00 "$B_CPU" "$B_WALL" \
          "$(div "$sub" "$B_WALL" %.0f)" "$B_RSS" "${sp_cpu}x" \
          "speed-up old/new: ${sp_cpu}x CPU, ${sp_wall}x wall (target >= 5x: $verdict)"
    else
      row week_2023 "suanwang" least_loaded "$sub" "$fin" 7.00 "$B_CPU" "$B_WALL" \
          "$(div "$sub" "$B_WALL" %.0f)" "$B_RSS" "-" "speed-up: no old build"
    fi
  else
    echo "run.sh: suanwang failed on the week:" >&2; tail -5 "$B_OUT" >&2; STATUS=1
    row week_2023 suanwang least_loaded - - 7.00 FAILED - - - - -
  fi
fi

n_of() { case "$1" in 2k) echo 2000 ;; 10k) echo 10000 ;; 100k) echo 100000 ;; 1m) echo 1000000 ;;
         *) echo "run.sh: unknown size '$1' (2k, 10k, 100k, 1m)" >&2; exit 2 ;; esac; }
declare -A RSS_OF CPU_OF
# The national topology with flat pools: what raw_simgrid models.
FLAT_TOPO=$TMP/china_flat.graphml
if ! /usr/bin/python3 "$ROOT/bench/servers_topology.py" --flat "$ROOT/topology/china.graphml" "$FLAT_TOPO" >/dev/null 2>&1; then
  echo "run.sh: bench/servers_topology.py --flat failed" >&2; exit 1
fi
if [ "$NATIONAL" = 1 ]; then
  IFS=, read -r -a SIZE_LIST <<<"$SIZES"
  IFS=, read -r -a POLICY_LIST <<<"$POLICIES"
  for size in "${SIZE_LIST[@]}"; do
    n=$(n_of "$size")
    scen=$ROOT/bench/scenarios/national_$size.lua
    [ -f "$scen" ] || { echo "run.sh: missing $scen" >&2; STATUS=1; continue; }
    days="-"  # the raw run's (same horizon by construction: bench_horizon)
    raw_cpu=""
    if [ -x "$RAW" ] && timed_best "$REPS" "$RAW" --jobs "$n"; then
      raw_cpu=$B_CPU
      read -r sub fin < <(raw_jobs "$B_OUT")
      rdays=$(sed -n 's/.*simulated_days=\([0-9.]*\).*/\1/p' "$B_OUT")
      days=$rdays
      RSS_OF[raw_$size]=$B_RSS
      row "national_$size" raw_simgrid "least_loaded(C++)" "$sub" "$fin" "$rdays" "$B_CPU" "$B_WALL" \
          "$(div "$sub" "$B_WALL" %.0f)" "$B_RSS" 1.00 "reference (no output)"
    else
      echo "run.sh: raw_simgrid --jobs $n failed" >&2; [ -f "${B_OUT:-}" ] && tail -5 "$B_OUT" >&2
      row "national_$size" raw_simgrid "least_loaded(C++)" - - - FAILED - - - - -; STATUS=1
    fi
    # The same, writing its jobs table through suanwang's recorder (the same
    # columns, chunks, deflate and writer thread): the two programs doing the
    # same work, results included (bench/raw_same_jobs.py checks the rows).
    rawt_cpu="" rawt_wall=""
    if [ -x "$RAW" ] && timed_best "$REPS" "$RAW" --jobs "$n" --output "$TMP/raw.h5"; then
      rawt_cpu=$B_CPU rawt_wall=$B_WALL
      read -r sub fin < <(raw_jobs "$B_OUT")
      row "national_$size" "raw_simgrid+table" "least_loaded(C++)" "$sub" "$fin" "$days" "$B_CPU" "$B_WALL" \
          "$(div "$sub" "$B_WALL" %.0f)" "$B_RSS" "$(div "$B_CPU" "$raw_cpu")" "reference writing the jobs table (--output)"
    else
      echo "run.sh: raw_simgrid --jobs $n --output failed" >&2; [ -f "${B_OUT:-}" ] && tail -5 "$B_OUT" >&2
      row "national_$size" "raw_simgrid+table" "least_loaded(C++)" - - - FAILED - - - - -; STATUS=1
    fi
    rm -f "$TMP/raw.h5"
    for pol in "${POLICY_LIST[@]}"; do
      if timed_best "$REPS" "$SW" run "$scen" -o "$TMP/run.h5" --force --set "policy=$pol" --set "topology=$FLAT_TOPO"; then
        read -r sub fin < <(sw_jobs "$B_OUT")
        ratio=$(div "$B_CPU" "$raw_cpu")
        rt_cpu=$(div "$B_CPU" "$rawt_cpu") rt_wall=$(div "$B_WALL" "$rawt_wall")
        note="CPU x raw; x raw+table: ${rt_cpu} CPU, ${rt_wall} wall"
        if [ "$size" = 1m ]; then
          v() { awk -v r="$1" 'BEGIN{print (r != "-" && r <= 1.5 ? "met" : "MISSED")}'; }
          note="target <= 1.5 at 1M: CPU x raw $(v "$ratio"); x raw+table ${rt_cpu} CPU $(v "$rt_cpu"), ${rt_wall} wall $(v "$rt_wall")"
        fi
        [ "$pol" = least_loaded ] && RSS_OF[sw_$size]=$B_RSS && CPU_OF[sw_$size]=$B_CPU
        row "national_$size" suanwang "$pol" "$sub" "$fin" "$days" "$B_CPU" "$B_WALL" \
            "$(div "$sub" "$B_WALL" %.0f)" "$B_RSS" "$ratio" "$note"
      else
        echo "run.sh: suanwang run national_$size ($pol) failed:" >&2; tail -5 "$B_OUT" >&2
        row "national_$size" suanwang "$pol" - - "$days" FAILED - - - - -; STATUS=1
      fi
    done
  done
  for p in sw raw; do
    if [ -n "${RSS_OF[${p}_1m]:-}" ] && [ -n "${RSS_OF[${p}_100k]:-}" ]; then
      r=$(div "${RSS_OF[${p}_1m]}" "${RSS_OF[${p}_100k]}")
      prog=$([ $p = sw ] && echo suanwang || echo raw_simgrid)
      row rss_1m/100k "$prog" "" "" "" "" "" "" "" "${RSS_OF[${p}_1m]}" "$r" \
          "peak RSS 1M / 100k (target: flat, <= 1.2: $(awk -v r="$r" 'BEGIN{print (r <= 1.2 ? "met" : "MISSED")}'))"
    fi
  done
fi

# The node model and the data tier at the largest size: the same jobs as the
# flat row (least_loaded), their CPU over the flat row's.
if [ "$NATIONAL" = 1 ] && [ "$MODELS" = 1 ]; then
  IFS=, read -r -a SIZE_LIST <<<"$SIZES"
  size=${SIZE_LIST[${#SIZE_LIST[@]}-1]}
  flat=${CPU_OF[sw_$size]:-}
  for variant in servers nodes data span; do
    scen=$ROOT/bench/scenarios/national_$size.lua
    policy=least_loaded
    reps=$REPS
    case $variant in
      servers) extra=(); what="CPU x flat: servers of 8 chips (the topology as shipped), best_fit" ;;
      nodes) extra=(--set node_placement=fgd); what="CPU x flat: servers of 8 chips, FGD placement" ;;
      *)
        # The data tier and training across centers, on flat pools: the bench
        # mix with opts.data or opts.span (national_mix.lua), made on the fly
        # for sizes other than 1m.
        scen=$ROOT/bench/scenarios/national_${size}_${variant}.lua
        [ "$size" != 1m ] && { printf 'local mix = require "national_mix"\nreturn mix.scenario("%s", %d, "%s", { %s = true })\n' \
            "$size" "$(n_of "$size")" "$(sed -n 's/.*mix.scenario("[^"]*", [0-9]*, "\([^"]*\)").*/\1/p' "$ROOT/bench/scenarios/national_$size.lua")" \
            "$variant" >"$TMP/national_${size}_${variant}.lua"; cp "$ROOT/bench/scenarios/national_mix.lua" "$TMP/"; scen=$TMP/national_${size}_${variant}.lua; }
        extra=(--set "topology=$FLAT_TOPO")
        if [ $variant = data ]; then what="CPU x flat: catalog, storage hubs, caches, streams"
        else
          # The spanning row is one run: at 1M jobs it takes minutes (the backbone's
          # max-min solve over the split jobs' gradient flows; bench/PROFILE.md).
          policy=split_training; reps=1; what="CPU x flat: every training job split over 2 centers, gradients on the backbone"
        fi ;;
    esac
    if timed_best "$reps" "$SW" run "$scen" -o "$TMP/run.h5" --force "${extra[@]}"; then
      read -r sub fin < <(sw_jobs "$B_OUT")
      row "national_${size}_${variant}" suanwang $policy "$sub" "$fin" - "$B_CPU" "$B_WALL" \
          "$(div "$sub" "$B_WALL" %.0f)" "$B_RSS" "$(div "$B_CPU" "$flat")" "$what"
    else
      echo "run.sh: suanwang failed on national_${size}_${variant}:" >&2; tail -5 "$B_OUT" >&2; STATUS=1
      row "national_${size}_${variant}" suanwang $policy - - - FAILED - - - - -
    fi
    if [ $variant = span ] && [ "$REPLAY_SPAN" != 0 ]; then
      # The raw baseline of the spanning run: its first REPLAY_SPAN, timed
      # without recording flows; the flows of a second, recording run
      # replayed one comm per flow (raw_replay checks every flow's end).
      what="raw_replay: the run's flows, one comm per flow, plain SimGrid"
      slice=(--set "duration=$REPLAY_SPAN")
      if timed_best "$reps" "$SW" run "$scen" -o "$TMP/run.h5" --force "${extra[@]}" "${slice[@]}"; then
        sw_cpu=$B_CPU sw_wall=$B_WALL sw_rss=$B_RSS
        read -r sub fin < <(sw_jobs "$B_OUT")
        if ! "$SW" run "$scen" -o "$TMP/flows.h5" --force -q "${extra[@]}" "${slice[@]}" --set record_flows=true \
               >"$TMP/record.out" 2>&1; then
          echo "run.sh: suanwang failed recording the flows of national_${size}_span:" >&2
          tail -5 "$TMP/record.out" >&2; STATUS=1
          row "national_${size}_span_$REPLAY_SPAN" raw_replay "one comm per flow" - - - FAILED - - - - -
        elif timed_best 1 "$REPLAY" "$TMP/flows.h5" --topology "$FLAT_TOPO"; then
          flows=$(sed -n 's/^raw_replay: \([0-9]*\) flows.*peak \([0-9]*\) comms.*/\1 flows, peak \2 in flight/p' "$B_OUT")
          row "national_${size}_span_$REPLAY_SPAN" raw_replay "one comm per flow" - - - "$B_CPU" "$B_WALL" \
              - "$B_RSS" - "$flows; every flow ends where suanwang's did"
          ratio=$(div "$sw_cpu" "$B_CPU")
          verdict=$(awk -v r="$ratio" 'BEGIN{print (r != "-" && r <= 1.5 ? "met" : "MISSED")}')
          row "national_${size}_span_$REPLAY_SPAN" suanwang $policy "$sub" "$fin" - "$sw_cpu" "$sw_wall" \
              "$(div "$sub" "$sw_wall" %.0f)" "$sw_rss" "$ratio" "CPU x raw_replay (target <= 1.5x: $verdict)"
        else
          echo "run.sh: the replay of national_${size}_span failed:" >&2; tail -5 "$B_OUT" >&2; STATUS=1
          row "national_${size}_span_$REPLAY_SPAN" raw_replay "one comm per flow" - - - FAILED - - - - -
        fi
      else
        echo "run.sh: suanwang failed on national_${size}_span ($REPLAY_SPAN):" >&2; tail -5 "$B_OUT" >&2; STATUS=1
        row "national_${size}_span_$REPLAY_SPAN" suanwang $policy - - - FAILED - - - - -
      fi
    fi
  done
fi

# The 2025 national network: the full mix, a week and a month (and the whole
# year with --year), when its scenario exists.
if [ -z "$Y2025" ]; then
  for c in "$ROOT/bench/scenarios/national_year_2025.lua" "$ROOT/scripts/examples/national_year_2025.lua"; do
    [ -f "$c" ] && { Y2025=$c; break; }
  done
fi
if [ -z "$Y2025" ] || [ ! -f "$Y2025" ]; then
  ROWS+=("national_year_2025   not available: no scenario (bench/scenarios/national_year_2025.lua, scripts/examples/national_year_2025.lua or --year-2025 FILE)")
else
  if [ "$QUICK" = 1 ]; then SPANS="2h"; else SPANS="7d 30d"; [ "$YEAR" = 1 ] && SPANS="7d 30d 365d"; fi
  week_rss=""
  for span in $SPANS; do
    days=$(awk -v s="$span" 'BEGIN{ v = s + 0; if (s ~ /h$/) v /= 24; printf "%.3g", v }')
    if timed_best 1 "$SW" run "$Y2025" -o "$TMP/run.h5" --force --set "duration=$span"; then
      read -r sub fin < <(sw_jobs "$B_OUT")
      jps=$(div "$sub" "$B_WALL" %.0f)
      note="$(div "$sub" "$B_CPU" %.0f) jobs/CPU-s; >= 100000 jobs/wall-s: $(awk -v j="$jps" 'BEGIN{print (j >= 100000 ? "met" : "MISSED")}'), RSS < 512 MiB: $(awk -v r="$B_RSS" 'BEGIN{print (r < 512 ? "met" : "MISSED")}')"
      ratio=-
      if [ "$span" = 7d ]; then week_rss=$B_RSS
      elif [ -n "$week_rss" ]; then
        ratio=$(div "$B_RSS" "$week_rss")
        note="$note, RSS / week's $ratio (flat <= 1.2: $(awk -v r="$ratio" 'BEGIN{print (r <= 1.2 ? "met" : "MISSED")}'))"
      fi
      row "national_year_2025" "suanwang $span" "data_local" "$sub" "$fin" "$days" "$B_CPU" "$B_WALL" "$jps" "$B_RSS" "$ratio" "$note"
    else
      echo "run.sh: suanwang failed on $Y2025 ($span):" >&2; tail -5 "$B_OUT" >&2; STATUS=1
      row national_year_2025 "suanwang $span" - - - - FAILED - - - - -
    fi
  done
fi

echo
echo "== 1. targets (load $(load)) =="
printf "$FMT\n" scenario program policy jobs completed sim_d cpu_s wall_s jobs/wall_s rss_MiB ratio target
printf '%s\n' "${ROWS[@]}"

# ---- 2. scaling curves ------------------------------------------------------------------
# loop_run PROGRAM MODE N [args...]: one closed-loop run; prints "cpu_us rss setup_s" or "FAILED".
loop_args() {  # MODE N -> window options
  local mode=$1 n=$2
  case "$mode" in
    jobs) echo "--warmup $n --measure $(( n * 2 > 200000 ? n * 2 : 200000 ))" ;;
    transfers) echo "--warmup $(( n < 200 ? n : 200 )) --measure 5000 --max-cpu 15" ;;
    mixed) echo "--warmup $n --measure 50000" ;;
  esac
}
[ "$QUICK" = 1 ] && loop_args() { echo "--warmup 100 --measure 1000 --max-cpu 2"; }
kv() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$1" | head -1; }
loop_run() {
  local prog=$1 mode=$2 n=$3; shift 3
  local out=$TMP/loop.$RANDOM
  # shellcheck disable=SC2046
  if [ "$prog" = raw ]; then
    "$RAW" --loop "$mode" --inflight "$n" $(loop_args "$mode" "$n") "$@" >"$out" 2>&1
  else
    "$SCALE" "$ROOT/bench/scenarios/scaling.lua" --loop "$mode" --inflight "$n" \
      $(loop_args "$mode" "$n") --set "flow_model=$prog" "$@" >"$out" 2>&1
  fi
  if [ $? -ne 0 ] || [ -z "$(kv "$out" cpu_us_per_job)" ]; then
    echo "run.sh: closed loop $prog $mode N=$n failed:" >&2; tail -3 "$out" >&2; STATUS=1
    echo "FAILED - - -"; return
  fi
  echo "$(kv "$out" cpu_us_per_job) $(kv "$out" peak_rss_mib) $(kv "$out" setup_cpu_s) $(kv "$out" measured)"
}

# same_work MODE N: raw_simgrid and suanwang (both flow models) on the same
# closed loop must finish the same jobs at the same instants (per_transfer:
# to 1 ns; bundled: to 1e-6 relative). Prints one line; a mismatch fails.
same_work() {
  local mode=$1 n=$2 f
  local opts=(--loop "$mode" --inflight "$n" --warmup 10 --measure 1000)
  SUANWANG_LOOP_TRACE=1 "$RAW" "${opts[@]}" >/dev/null 2>"$TMP/tr_raw" || { echo "run.sh: raw_simgrid ${opts[*]} failed" >&2; STATUS=1; return; }
  for f in per_transfer bundled; do
    SUANWANG_LOOP_TRACE=1 "$SCALE" "$ROOT/bench/scenarios/scaling.lua" "${opts[@]}" --set "flow_model=$f" \
      >/dev/null 2>"$TMP/tr_$f" || { echo "run.sh: engine_scaling ${opts[*]} ($f) failed" >&2; STATUS=1; return; }
  done
  local verdict
  verdict=$(paste "$TMP/tr_raw" "$TMP/tr_per_transfer" "$TMP/tr_bundled" | awk '
    $1 != "finished" || $4 != "finished" || $7 != "finished" { next }
    { n++; a = $3 - $6; if (a < 0) a = -a; if (a > pa) pa = a;
      b = ($3 - $9) / ($3 > 1 ? $3 : 1); if (b < 0) b = -b; if (b > pb) pb = b }
    END { printf "%d %.3g %.3g %s", n, pa, pb, (n >= 1000 && pa <= 1e-9 && pb <= 1e-6 ? "same" : "DIFFERENT") }')
  read -r cnt pa pb v <<<"$verdict"
  printf '  %-9s N=%-6s %5s jobs: per_transfer max |dt| %-9s s, bundled max rel. |dt| %-9s  %s\n' "$mode" "$n" "$cnt" "$pa" "$pb" "$v"
  [ "$v" = same ] || { echo "run.sh: raw_simgrid no longer does the engine's work in mode $mode (see bench/closed_loop.hpp)" >&2; STATUS=1; }
}

if [ "$SCALING" = 1 ]; then
  echo
  echo "== 2. same work: finish times of the first 1,000+ jobs, raw_simgrid vs suanwang =="
  for mode in jobs transfers mixed; do same_work "$mode" 100; done
  IFS=, read -r -a N_LIST <<<"$INFLIGHT"
  for mode in jobs transfers; do
    echo
    if [ $mode = jobs ]; then
      echo "== 2a. CPU us per job vs jobs in flight (closed loop: 0.1-chip jobs, Exp(1h), no data; load $(load)) =="
    else
      echo "== 2b. CPU us per transfer vs transfers in flight (closed loop: LogNormal(50 GB) datasets, every origin to every center; load $(load)) =="
    fi
    printf '%-10s %18s %22s %14s %10s %10s %s\n' in_flight suanwang/bundled suanwang/per_transfer raw_simgrid bundled/raw per_tr/raw "measured (b/p/r)"
    for n in "${N_LIST[@]}"; do
      read -r b_us b_rss _ b_m < <(loop_run bundled $mode "$n")
      read -r p_us p_rss _ p_m < <(loop_run per_transfer $mode "$n")
      read -r r_us r_rss _ r_m < <(loop_run raw $mode "$n")
      printf '%-10s %18s %22s %14s %10s %10s %s\n' "$n" "$b_us" "$p_us" "$r_us" \
        "$(div "$b_us" "$r_us")" "$(div "$p_us" "$r_us")" "$b_m/$p_m/$r_m"
    done
  done

  echo
  echo "== 2c. CPU us per job vs topology size (closed loop 'mixed': 1,000 one-chip jobs in flight, 20 GB in, 2 GB out; load $(load)) =="
  printf '%-8s %6s %9s %14s %12s %12s %10s %12s %10s\n' cities links variants suanwang_us raw_us suanwang/raw setup_cpu_s suanwang_MiB raw_MiB
  IFS=, read -r -a C_LIST <<<"$CITIES"
  n_mixed=1000
  [ "$QUICK" = 1 ] && n_mixed=100
  for c in "${C_LIST[@]}"; do
    if [ "$c" = 38 ]; then
      topo=$ROOT/topology/china.graphml
    else
      topo=$(/usr/bin/python3 "$ROOT/bench/make_big_topology.py" "$c" "$TMP/big_$c" | tail -1) ||
        { echo "run.sh: make_big_topology.py $c failed" >&2; STATUS=1; continue; }
    fi
    info=$("$SW" topo "$topo" 2>/dev/null)
    ncity=$(sed -n 's/^  cities *\([0-9]*\).*/\1/p' <<<"$info")
    nlink=$(sed -n 's/^  links *\([0-9]*\).*/\1/p' <<<"$info")
    nvar=$(sed -n 's/.*max \([0-9]*\) route variants.*/\1/p' <<<"$info")
    read -r s_us s_rss s_setup _ < <(loop_run bundled mixed "$n_mixed" --set "topology=$topo")
    read -r r_us r_rss _ _ < <(loop_run raw mixed "$n_mixed" --topology "$topo")
    printf '%-8s %6s %9s %14s %12s %12s %10s %12s %10s\n' "${ncity:-$c}" "${nlink:-?}" "${nvar:-?}" \
      "$s_us" "$r_us" "$(div "$s_us" "$r_us")" "$s_setup" "$s_rss" "$r_rss"
  done
fi

# ---- 3. policy micro-benchmarks ----------------------------------------------------------------
if [ "$MICRO" = 1 ]; then
  echo
  echo "== 3. policy micro-benchmarks (load $(load)) =="
  if [ -x "$MICROBIN" ]; then
    if [ "$QUICK" = 1 ]; then mj=2000; mreps=1; else mj=10000; mreps=3; fi
    "$MICROBIN" --jobs "$mj" --reps "$mreps" || STATUS=1
  else
    echo "run.sh: policy_bench not built (log: $BUILD/bench-build-policy_bench.log)" >&2; STATUS=1
  fi
fi
exit $STATUS
