#!/usr/bin/env bash
# Sets up, builds (Release), runs the default national scenario and prints a
# summary. The HDF5 result lands in outputs/; the report (PNG figures and a
# Markdown summary) in outputs/national_week_report/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR=${SUANWANG_BUILD_DIR:-build}
mkdir -p outputs

echo "== the national topology"
"$BUILD_DIR/suanwang" topo topology/china.graphml

echo
echo "== a national week: scripts/examples/national_week.lua"
"$BUILD_DIR/suanwang" run scripts/examples/national_week.lua -o outputs/national_week.h5 --force

echo
echo "== report"
/usr/bin/python3 scripts/report.py outputs/national_week.h5 -o outputs/national_week_report
echo "figures and summary: outputs/national_week_report/"
