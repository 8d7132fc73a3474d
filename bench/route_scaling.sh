#!/usr/bin/env bash
# bench/route_scaling.sh [SUANWANG]: how loading + routing scales with the
# number of cities. Synthetic 3-carrier topologies (bench/make_big_topology.py)
# of 100, 200 and 300 cities, and the national file; prints one table.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/build/suanwang}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
printf "%-28s %7s %7s %9s %12s\n" topology cities links variants route_ms
row() {
  local out
  out=$("$BIN" topo "$1")
  printf "%-28s %7s %7s %9s %12s\n" "$(basename "$1")" \
    "$(sed -n 's/^  cities *\([0-9]*\).*/\1/p' <<<"$out")" \
    "$(sed -n 's/^  links *\([0-9]*\).*/\1/p' <<<"$out")" \
    "$(sed -n 's/.*max \([0-9]*\) route variants.*/\1/p' <<<"$out")" \
    "$(sed -n 's/.*routed in \([0-9.]*\) ms.*/\1/p' <<<"$out")"
}
row "$ROOT/topology/china.graphml"
for n in 100 200 300; do
  row "$(/usr/bin/python3 "$ROOT/bench/make_big_topology.py" "$n" "$TMP/$n" | tail -1)"
done
