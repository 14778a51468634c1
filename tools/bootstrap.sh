#!/usr/bin/env bash
# One command from a fresh Debian machine: install what is missing (apt-get, idempotent), build, then
#   tools/bootstrap.sh demo [ARGS]   run the main job on the built-in default (towerwatch demo)
#   tools/bootstrap.sh test          run every test suite (ctest), then the fuzz smoke run, as CI does
#   tools/bootstrap.sh build         only set up and build
# Environment: BUILD_DIR (default: build), BUILD_TYPE (default: Release), TW_SANITIZE=ON for ASan+UBSan.
# The fuzz smoke run (test mode; tests/fuzz/README.md): every libFuzzer harness built with clang in
# FUZZ_BUILD_DIR (default: build-fuzz) and run TW_FUZZ_RUNS times (default 20000) on its committed corpus;
# TW_FUZZ=0 skips it.
# The package test (test mode, tests/package/test_deb.sh): the .deb built from BUILD_DIR, installed with apt-get,
# checked and purged again; needs root (CI); TW_PACKAGE_TEST=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-demo}"
[ $# -gt 0 ] && shift

PACKAGES=(build-essential cmake pkg-config
          libsoapysdr-dev libliquid-dev libfftw3-dev libeigen3-dev libgtest-dev
          libosmocore-dev libsqlite3-dev nlohmann-json3-dev libbenchmark-dev
          clang libclang-rt-dev    # clang + its sanitizer/libFuzzer runtimes: the fuzz harnesses
          mobile-broadband-provider-info libxml2-utils   # operator names; xmllint as the tests' peer reader
          libpcap-dev                # analyze FILE.pcap (GSMTAP, MAC-LTE)
          libmosquitto-dev libpq-dev mosquitto postgresql faketime openssl   # fleet: clients; servers, a skewed clock, test certificates
          gpsd gpsd-clients libgps-dev   # positions: libgps; gpsd + gpsfake for the tests
          python3   # the KML export tests read the file with Python's XML parser (xml.etree)
          dpkg-dev file man-db systemd)   # the .deb: cpack's dpkg-shlibdeps and file; its test: man, systemd-analyze
# Only for the tests: headless Chromium lays out the HTML report (tests/test_report_browser_e2e.cpp).
[ "$mode" = test ] && PACKAGES+=(chromium fonts-dejavu-core)   # a font: text laid out at real widths

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

# libFuzzer harnesses (tests/fuzz): their own clang build with ASan+UBSan, only the harness targets, then a
# fixed number of executions each on the committed corpus, so a parser regression fails CI.
fuzz_smoke() {
  local dir="${FUZZ_BUILD_DIR:-build-fuzz}"
  # -O1 as libFuzzer recommends (faster to build than -O3 with ASan+UBSan); NDEBUG unset: assertions stay on.
  CC=clang CXX=clang++ cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Fuzz -DCMAKE_CXX_FLAGS_FUZZ="-O1" \
    -DCMAKE_C_FLAGS_FUZZ="-O1" -DTW_FUZZ=ON -DTW_BUILD_TESTS=OFF \
    -DTW_BUILD_BENCH=OFF >&2
  cmake --build "$dir" --target fuzz_all -j "$JOBS" >&2
  tests/fuzz/run_fuzz.sh "$dir/fuzz" "${TW_FUZZ_RUNS:-20000}"
}

case "$mode" in
  demo)  exec "$BUILD_DIR/towerwatch" demo "$@" ;;
  test)
    status=0
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" "$@" || status=$?
    if [ "${TW_PACKAGE_TEST:-1}" != 0 ]; then
      tests/package/test_deb.sh "$BUILD_DIR" || status=1
    fi
    if [ "${TW_FUZZ:-1}" != 0 ]; then
      fuzz_smoke || status=1
    fi
    exit "$status" ;;
  build) exit 0 ;;
  *)     echo "usage: tools/bootstrap.sh demo|test|build [ARGS]" >&2; exit 2 ;;
esac
