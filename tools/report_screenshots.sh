#!/usr/bin/env bash
# Screenshots of an HTML report (--report FILE) in headless Chromium (Debian package chromium), at a desktop
# (1366 px) and a phone (390 px) width:
#   tools/report_screenshots.sh [REPORT.html] [OUTDIR]
# Without REPORT.html it makes the demo's report first (build/towerwatch demo --report OUTDIR/demo-report.html).
# Writes OUTDIR/report-desktop.png and OUTDIR/report-phone.png (OUTDIR default: report-shots). The window is
# tall (TW_SHOT_HEIGHT_DESKTOP, default 7000 px; TW_SHOT_HEIGHT_PHONE, default 16000 px) so the whole page fits;
# what lies below the page is blank. Screenshots are for looking at, never committed.
# Environment: BUILD_DIR (default build), TW_CHROMIUM (the browser binary, default: chromium on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

report="${1:-}"
out="${2:-report-shots}"
mkdir -p "$out"
chromium="${TW_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium" ]; then
  echo "report_screenshots: Chromium not found (apt-get install chromium, or set TW_CHROMIUM)" >&2
  exit 2
fi
if [ -z "$report" ]; then
  report="$out/demo-report.html"
  "${BUILD_DIR:-build}/towerwatch" demo --report "$report" > /dev/null 2> "$out/demo.log" || {
    cat "$out/demo.log" >&2; exit 1; }
fi
[ -f "$report" ] || { echo "report_screenshots: $report: no such file" >&2; exit 2; }

url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
extra=()
[ "$(id -u)" -eq 0 ] && extra+=(--no-sandbox)   # root (containers): Chromium refuses its sandbox

shot() {  # name width height
  "$chromium" --headless=new "${extra[@]}" --disable-gpu --hide-scrollbars --no-first-run \
    --no-default-browser-check --disable-extensions --disable-background-networking --disable-dev-shm-usage \
    --user-data-dir="$profile" --window-size="$2,$3" --screenshot="$out/report-$1.png" "$url" > /dev/null 2>&1
  echo "$out/report-$1.png (${2} px wide)"
}
shot desktop 1366 "${TW_SHOT_HEIGHT_DESKTOP:-7000}"
shot phone 390 "${TW_SHOT_HEIGHT_PHONE:-16000}"
