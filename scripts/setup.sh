#!/usr/bin/env bash
# Installs what suanwang needs (Debian 12 packages) when missing, then
# configures and builds it (Release) in build/. Idempotent: a second run with
# nothing changed installs nothing and rebuilds nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config git
  libsimgrid-dev libboost-graph-dev libtbb-dev liblua5.4-dev
  libhdf5-dev hdf5-tools zlib1g-dev
  googletest libgtest-dev
  python3 python3-h5py python3-pandas python3-matplotlib python3-numpy
)
# scripts/test.sh adds what only the tests need (a single-node Slurm for the
# sweep end-to-end test).
read -r -a extra <<< "${SUANWANG_EXTRA_PACKAGES:-}"
PACKAGES+=("${extra[@]}")
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

BUILD_DIR=${SUANWANG_BUILD_DIR:-build}
BUILD_TYPE=${SUANWANG_BUILD_TYPE:-Release}
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" >/dev/null
fi
log="$BUILD_DIR/build.log"
if ! cmake --build "$BUILD_DIR" -j "$(nproc)" >"$log" 2>&1; then
  grep -E 'error|Error' "$log" | head -40 >&2
  echo "setup: build failed (full log: $log)" >&2
  exit 1
fi
# Warnings are bugs waiting: show them even when the build succeeds.
grep -E 'warning:' "$log" >&2 || true
