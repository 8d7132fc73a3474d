#!/usr/bin/env bash
# bench/profile.sh: where a suanwang run spends its CPU, by library and by
# function (perf record, sampling; no call graphs needed).
#
#   bench/profile.sh [--build DIR] [--scenario FILE.lua] [--top N] [--freq HZ]
#                    [--inclusive] [--keep FILE.data] [-- suanwang-run-options...]
#
#   --build DIR      build folder holding `suanwang` (default: $SUANWANG_BUILD_DIR,
#                    else build/ of this checkout); give an old build to profile it
#   --scenario FILE  default bench/scenarios/national_100k.lua
#   --top N          functions listed (default 25)
#   --freq HZ        sampling frequency (default 2000)
#   --inclusive      a third table: inclusive cost of the engine's main entry
#                    points (a second run with DWARF call graphs at 400 Hz; stacks
#                    perf cannot unwind count nowhere, so these are lower bounds)
#   --keep FILE      keep perf's data file (default: deleted)
# Prints two Markdown tables: libraries grouped as suanwang (the binary, with
# its static layers), SimGrid, zlib/HDF5, Lua, libc (C and C++ runtime: libc,
# libstdc++, libm, ld.so), kernel, other; then the top functions (code of a
# library without symbols, zlib's and Lua's for instance, is one line per
# library). CPU seconds are samples / frequency (of this process only).
set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${SUANWANG_BUILD_DIR:-$ROOT/build}
SCEN=$ROOT/bench/scenarios/national_100k.lua
TOP=25
FREQ=2000
KEEP=""
INCLUSIVE=0
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD=$2; shift ;;
    --scenario) SCEN=$2; shift ;;
    --top) TOP=$2; shift ;;
    --freq) FREQ=$2; shift ;;
    --keep) KEEP=$2; shift ;;
    --inclusive) INCLUSIVE=1 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "profile.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
command -v perf >/dev/null || { echo "profile.sh: perf is required (apt-get install linux-perf)" >&2; exit 2; }
SW=$BUILD/suanwang
[ -x "$SW" ] || { echo "profile.sh: no suanwang in $BUILD" >&2; exit 2; }

TMP=$(mktemp -d /tmp/suanwang-profile.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
DATA=${KEEP:-$TMP/perf.data}

echo "profile: $SW run $(basename "$SCEN") ${EXTRA[*]:-} (perf -F $FREQ, load $(cut -d' ' -f1-3 /proc/loadavg))"
if ! perf record -q -F "$FREQ" -o "$DATA" -- "$SW" run "$SCEN" -o "$TMP/out.h5" --force --quiet "${EXTRA[@]}" \
     >"$TMP/run.log" 2>&1; then
  echo "profile.sh: the run failed:" >&2; tail -5 "$TMP/run.log" >&2; exit 1
fi

# dso|samples
perf report -i "$DATA" --stdio --no-children --sort dso -n -t '|' 2>/dev/null |
  grep -v '^#' | grep -v '^$' | awk -F'|' '{gsub(/ /,"",$3); print $3 "|" $2+0}' >"$TMP/dso"
# dso|samples|symbol
perf report -i "$DATA" --stdio --no-children --sort dso,sym -n -t '|' 2>/dev/null |
  grep -v '^#' | grep -v '^$' |
  awk -F'|' '{d=$3; gsub(/ /,"",d); s=$4; sub(/^\[[.k]\] /,"",s); gsub(/ +$/,"",s);
              if (s ~ /^0x[0-9a-f]+$/) s = "(code without symbols in " d ")";
              n[d "|" s] += $2 + 0}
             END {for (k in n) {split(k, a, "|"); print a[1] "|" n[k] "|" a[2]}}' |
  sort -t'|' -k2,2nr >"$TMP/sym"

group_of='
function group(d) {
  if (d == "suanwang") return "suanwang";
  if (d ~ /^libsimgrid/) return "SimGrid";
  if (d ~ /^libz\.|^libhdf5|^libsz|^libaec/) return "zlib/HDF5";
  if (d ~ /^liblua/) return "Lua";
  if (d ~ /^libc\.|^libstdc\+\+|^libm\.|^ld-linux|^libgcc_s/) return "libc";
  if (d ~ /kernel/) return "kernel";
  return "other";
}'

awk -F'|' -v freq="$FREQ" "$group_of"'
  { n[group($1)] += $2; tot += $2 }
  END {
    printf "\n| library | share | CPU s |\n| --- | ---: | ---: |\n";
    split("suanwang SimGrid zlib/HDF5 Lua libc kernel other", order, " ");
    for (i = 1; i <= 7; ++i) { g = order[i]; printf "| %s | %.1f%% | %.2f |\n", g, 100 * n[g] / tot, n[g] / freq }
    printf "| **total** | 100%% | %.2f |\n", tot / freq;
  }' "$TMP/dso"

awk -F'|' -v freq="$FREQ" -v top="$TOP" "$group_of"'
  { tot += $2; sym[NR] = $3; lib[NR] = group($1); n[NR] = $2 }
  END {
    printf "\n| # | function | library | share | CPU s |\n| ---: | --- | --- | ---: | ---: |\n";
    for (i = 1; i <= NR && i <= top; ++i) {
      s = sym[i]; if (length(s) > 90) s = substr(s, 1, 87) "...";
      gsub(/\|/, "\\|", s);
      printf "| %d | `%s` | %s | %.1f%% | %.3f |\n", i, s, lib[i], 100 * n[i] / tot, n[i] / freq;
    }
  }' "$TMP/sym"

if [ "$INCLUSIVE" = 1 ]; then
  perf record -q -F 400 --call-graph dwarf,32768 -o "$TMP/perf-g.data" -- "$SW" run "$SCEN" -o "$TMP/out.h5" \
    --force --quiet "${EXTRA[@]}" >"$TMP/run.log" 2>&1 || { echo "profile.sh: the run failed" >&2; exit 1; }
  perf report -i "$TMP/perf-g.data" --stdio --children --sort sym -g none 2>/dev/null |
    grep -v '^#' | grep -v '^$' >"$TMP/children"
  printf '\n| entry point (inclusive, call graphs) | what | share |\n| --- | --- | ---: |\n'
  while IFS='|' read -r sym what; do
    pct=$(awk -v s="$sym" '{ line = $0; sub(/^ *[0-9.]+% +[0-9.]+% +\[[.k]\] /, "", line); gsub(/ +$/, "", line);
                             if (line == s) { print $1; exit } }' "$TMP/children")
    printf '| `%s` | %s | %s |\n' "$sym" "$what" "${pct:-0%}"
  done <<'EOF'
simgrid::kernel::timer::Timer::execute_all|everything run from the engine's calendar (arrivals, job ends, latency ends, samples)
simgrid::kernel::EngineImpl::handle_ended_actions|everything run from a finished flow (SimGrid's completion callbacks)
suanwang::Hdf5Recorder::job|a job row: buffering, HDF5 chunk writes, deflate
suanwang::h5::Appender::write|HDF5 chunk writes (shuffle + deflate)
suanwang::LuaPolicy::place|a placement decision: view refresh + the Lua hook
suanwang::lua::NetView::refresh|the policy's view brought up to date
suanwang::lua::Sandbox::call|the Lua hook itself (net.room included)
suanwang::lua::NetView::push_room|net.room(job)
suanwang::engine::(anonymous namespace)::BundledFlows::start|a flow joins its route's bundle (a new segment comm)
suanwang::engine::(anonymous namespace)::BundledFlows::on_comm_done|a segment ends (the job's next step included)
simgrid::s4u::Comm::start|SimGrid comm creation (route lookup, LMM variable)
simgrid::kernel::EngineImpl::solve|SimGrid's step: max-min solve, next event
suanwang::engine::Meter::on_sample|hourly samples (energy, links, services)
suanwang::(anonymous namespace)::MergedSource::next|the job stream (workload generators)
suanwang::topo::RouteTable::RouteTable|routes, once
EOF
fi
