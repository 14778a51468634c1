#!/usr/bin/env bash
# One command from a fresh Debian machine: install what is missing (apt-get, idempotent), build, then
#   tools/bootstrap.sh demo [ARGS]   run the main job on the built-in default (towerwatch demo)
#   tools/bootstrap.sh test          run every test suite (ctest), as CI does
#   tools/bootstrap.sh build         only set up and build
# Environment: BUILD_DIR (default: build), BUILD_TYPE (default: Release), TW_SANITIZE=ON for ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-demo}"
[ $# -gt 0 ] && shift

PACKAGES=(build-essential cmake pkg-config
          libsoapysdr-dev libliquid-dev libfftw3-dev libeigen3-dev libgtest-dev
          libosmocore-dev libsqlite3-dev nlohmann-json3-dev libbenchmark-dev)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >&2
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

BUILD_DIR="${BUILD_DIR:-build}"
BUILD_TYPE="${BUILD_TYPE:-Release}"
JOBS="$(nproc 2>/dev/null || echo 2)"
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DTW_SANITIZE="${TW_SANITIZE:-OFF}" >&2
cmake --build "$BUILD_DIR" -j "$JOBS" >&2

case "$mode" in
  demo)  exec "$BUILD_DIR/towerwatch" demo "$@" ;;
  test)  exec ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" "$@" ;;
  build) exit 0 ;;
  *)     echo "usage: tools/bootstrap.sh demo|test|build [ARGS]" >&2; exit 2 ;;
esac
