#!/usr/bin/env bash
# Cross-check of pcap input against Wireshark (not in CI; needs the Debian package tshark): the GSMTAP GSM Um
# downlink blocks tshark dissects in FILE (ARFCN, frame number, timeslot) must be the gsm_block events
# `towerwatch analyze FILE --json` reports, one for one (towerwatch skips uplink and non-signalling
# sub-types, so those are filtered out of tshark's list the same way).
#   tools/check_pcap_with_tshark.sh FILE.pcap [GSMTAP_PORT]
set -euo pipefail
file="$1"
port="${2:-4729}"
tw="${TW_BINARY:-build/towerwatch}"
command -v tshark >/dev/null || { echo "check_pcap_with_tshark: tshark is not installed" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# GSMTAP type 1 (Um), downlink, sub-types BCCH/CCCH/AGCH/PCH/SDCCH(4/8) with or without ACCH.
tshark -r "$file" -d "udp.port==$port,gsmtap" -Y "gsmtap.type == 1 && gsmtap.uplink == 0" \
  -T fields -e gsmtap.arfcn -e gsmtap.frame_nr -e gsmtap.ts -e gsmtap.chan_type 2>/dev/null |
  awk -F'\t' '{ c = $4 % 128; if (c == 1 || c == 2 || c == 4 || c == 5 || c == 6 || c == 7 || c == 8) print $1, $2, $3 }' |
  sort >"$work/tshark"
"$tw" analyze "$file" --json --gsmtap-port "$port" 2>"$work/stderr" |
  python3 -c 'import json,sys
for l in sys.stdin:
  e = json.loads(l)
  if e.get("type") == "gsm_block": print(e["arfcn"], e["fn"], e["tn"])' | sort >"$work/towerwatch"
n_t=$(wc -l <"$work/tshark"); n_w=$(wc -l <"$work/towerwatch")
if diff -q "$work/tshark" "$work/towerwatch" >/dev/null; then
  echo "check_pcap_with_tshark: $file: the same $n_w GSM blocks (ARFCN, FN, TN) as tshark"
  cat "$work/stderr"
else
  echo "check_pcap_with_tshark: $file: tshark $n_t blocks, towerwatch $n_w; differences:" >&2
  diff "$work/tshark" "$work/towerwatch" | head -20 >&2
  exit 1
fi
