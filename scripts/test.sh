#!/usr/bin/env bash
# Sets up, builds, and runs the whole test suite through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
SUANWANG_EXTRA_PACKAGES="slurm-wlm munge" scripts/setup.sh
BUILD_DIR=${SUANWANG_BUILD_DIR:-build}
cd "$BUILD_DIR"
ctest --output-on-failure -j "$(nproc)" --timeout 600 "$@"
