#!/usr/bin/env bash
# bench/node_model.sh: what the node model (centers made of servers) costs at
# the national scale, in speed and memory.
#
# Runs the bench scenario bench/scenarios/national_<size>.lua (the national
# topology, national_week's first mix at 16x its rates, least_loaded in Lua,
# full HDF5 output) in four variants and prints one table:
#   flat      every pool a bag of chips
#   best_fit  every pool made of 8-chip servers (chip:NxG: the same chips),
#             node_placement best_fit
#   fgd       the same servers, node_placement fgd (scores every server)
#   pooled    the same servers, gpu_sharing pooled (remote vGPU: one bag)
# Both topologies are made here, in a temporary folder, from
# topology/china.graphml by bench/servers_topology.py.
#
#   bench/node_model.sh [--sizes 100k,1m] [--variants flat,best_fit,fgd,pooled] [--quick]
#
#   --quick   2k jobs: a smoke test (ctest -R bench_node_model_quick)
#   default   sizes 100k,1m, the four variants
# Binary: $SUANWANG_BUILD_DIR/suanwang (default: build/ of this repository).
# Columns: wall and CPU (user + system) seconds, jobs per wall-second and per
# CPU-second, peak RSS, and the run's mean wait and chip utilisation (the
# variants do not run the same schedule: servers refuse what a bag takes).
# Exit status: 0 when every run succeeded.
set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${SUANWANG_BUILD_DIR:-$ROOT/build}
SIZES="100k,1m"
VARIANTS="flat,best_fit,fgd,pooled"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) SIZES="2k" ;;
    --sizes) SIZES="$2"; shift ;;
    --variants) VARIANTS="$2"; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "node_model.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
SW=$BUILD/suanwang
[ -x "$SW" ] || { echo "node_model.sh: no suanwang binary at $SW (build it, or set SUANWANG_BUILD_DIR)" >&2; exit 2; }
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "node_model.sh: $TIME (GNU time) is required" >&2; exit 2; }

TMP=$(mktemp -d /tmp/suanwang-node-model.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# The national topology twice: every pool flat, and every pool made of 8-chip
# servers (bench/servers_topology.py: the same chips either way).
TOPO=$ROOT/topology/china.graphml
/usr/bin/python3 "$ROOT/bench/servers_topology.py" --flat "$TOPO" "$TMP/flat.graphml" || exit 1
/usr/bin/python3 "$ROOT/bench/servers_topology.py" "$TMP/flat.graphml" "$TMP/servers.graphml" || exit 1

ROWS=()
STATUS=0
FMT='%-8s %-9s %9s %8s %8s %9s %9s %8s %10s %7s'
for size in ${SIZES//,/ }; do
  scen=$ROOT/bench/scenarios/national_$size.lua
  [ -f "$scen" ] || { echo "node_model.sh: missing $scen" >&2; STATUS=1; continue; }
  for v in ${VARIANTS//,/ }; do
    case "$v" in
      flat) sets=(--set "topology=$TMP/flat.graphml") ;;
      best_fit|fgd) sets=(--set "topology=$TMP/servers.graphml" --set "node_placement=$v") ;;
      pooled) sets=(--set "topology=$TMP/servers.graphml" --set "gpu_sharing=pooled") ;;
      *) echo "node_model.sh: unknown variant '$v'" >&2; exit 2 ;;
    esac
    out=$TMP/run.h5
    if "$TIME" -f "%e %U %S %M" -o "$TMP/time" "$SW" run "$scen" "${sets[@]}" -o "$out" --force \
         >"$TMP/log" 2>&1; then
      read -r wall user sys rss_kib < <(tail -1 "$TMP/time")
      jobs=$(sed -n 's/^ *jobs *\([0-9]*\) submitted.*/\1/p' "$TMP/log" | head -1)
      wait=$(sed -n 's/^ *wait *mean \([^,]*\),.*/\1/p' "$TMP/log" | head -1)
      util=$(sed -n 's/^ *utilisation *\([0-9.]*%\).*/\1/p' "$TMP/log" | head -1)
      ROWS+=("$(awk -v s="$size" -v v="$v" -v j="$jobs" -v w="$wall" -v u="$user" -v y="$sys" -v r="$rss_kib" \
                    -v mw="$wait" -v ut="$util" -v f="$FMT" \
        'BEGIN { c = u + y; printf f, s, v, j, w, c, (w > 0 ? sprintf("%.0f", j / w) : "-"),
                 (c > 0 ? sprintf("%.0f", j / c) : "-"), sprintf("%.1f", r / 1024), mw, ut }')")
    else
      echo "node_model.sh: national_$size ($v) failed:" >&2; tail -5 "$TMP/log" >&2
      ROWS+=("$(printf "$FMT" "$size" "$v" - FAILED - - - - - -)"); STATUS=1
    fi
    rm -f "$out"
  done
done

echo
printf "$FMT\n" size variant jobs wall_s cpu_s jobs/wall jobs/cpu rss_MiB mean_wait util
printf '%s\n' "${ROWS[@]}"
exit $STATUS
