#!/usr/bin/env bash
# bench/icount.sh: instructions the simulation's thread runs per simulated
# interval of the 2025 year, a measure that does not move with the machine's
# load (wall and CPU time on a shared machine move by 10-30%).
#
# Runs `suanwang run bench/scenarios/national_year_2025.lua` under callgrind
# (valgrind) at two durations and prints the difference for the main thread:
# the set-up and the end of the run cancel out, what is left is the cost of
# the jobs in between (~31,000 jobs from 6 h to 12 h). Functions of
# suanwang::topo:: and libtbb are left out: the routes are computed at
# start-up by a TBB parallel_for whose work lands on the main thread or not
# from run to run (50-120 M instructions). Address randomisation is off
# (setarch -R) so the Lua state's hash seed is the same in every run.
#
# usage: bench/icount.sh [--build DIR] [--from 6h] [--to 12h] [--set key=value]...
# Needs valgrind (callgrind_annotate) and python3; takes ~1 minute.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${SUANWANG_BUILD_DIR:-$ROOT/build}
FROM=6h TO=12h
SETS=()
while [ $# -gt 0 ]; do
  case $1 in
    --build) BUILD=$2; shift ;;
    --from) FROM=$2; shift ;;
    --to) TO=$2; shift ;;
    --set) SETS+=(--set "$2"); shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "icount.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null ||
  { echo "icount.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
[ -x "$BUILD/suanwang" ] || { echo "icount.sh: no $BUILD/suanwang (--build DIR)" >&2; exit 2; }
TMP=$(mktemp -d /tmp/suanwang-icount.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
for d in "$TO" "$FROM"; do
  setarch -R valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$TMP/$d.out" \
    "$BUILD/suanwang" run "$ROOT/bench/scenarios/national_year_2025.lua" --set "duration=$d" "${SETS[@]}" \
    -o "$TMP/run.h5" --force >/dev/null 2>"$TMP/err" || { tail -3 "$TMP/err" >&2; exit 1; }
  callgrind_annotate --threshold=100 "$TMP/$d.out-01" >"$TMP/$d.txt" 2>/dev/null
done
/usr/bin/python3 - "$TMP/$TO.txt" "$TMP/$FROM.txt" "$FROM" "$TO" <<'PY'
import re, sys

def total(path):
    kept = routing = 0
    for line in open(path):
        m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(.*)$", line)
        if not m or "PROGRAM TOTALS" in line:
            continue
        v = int(m.group(1).replace(",", ""))
        if re.search(r"suanwang::topo::|libtbb", m.group(2)):
            routing += v
        else:
            kept += v
    return kept, routing

to, to_r = total(sys.argv[1])
fr, fr_r = total(sys.argv[2])
print(f"simulation thread, {sys.argv[3]} -> {sys.argv[4]} of national_year_2025: {(to - fr) / 1e6:,.1f} M instructions "
      f"(left out, routing on this thread: {to_r / 1e6:,.0f} M and {fr_r / 1e6:,.0f} M)")
PY
