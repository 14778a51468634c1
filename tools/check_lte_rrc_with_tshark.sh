#!/bin/sh
# Cross-check LTE RRC octets with Wireshark (a peer dissector; NOT part of CI): each argument (or each line of
# standard input with "-") is one BCCH-DL-SCH-Message in hex (SIB1 or a SystemInformation message, as
# tools/synth/lte/sib_encoder.hpp writes them or a receiver decodes them). Each is wrapped in a pcap record of
# user DLT 147 (text2pcap -l 147) and dissected as lte-rrc.bcch.dl.sch; the dissection is printed, and the
# script fails when tshark calls any message malformed or raises an expert warning or error on it.
# With no argument it checks the live SIB1 of ../shared/captures/lte/reference.json.
#
# Needs: tshark (Debian: apt-get install tshark).
# usage: tools/check_lte_rrc_with_tshark.sh [HEX ... | -]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
command -v tshark >/dev/null && command -v text2pcap >/dev/null ||
  { echo "check_lte_rrc_with_tshark: tshark is not installed (apt-get install tshark)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $# -eq 0 ]; then
  python3 -c 'import json,sys
for c in json.load(open(sys.argv[1]))["captures"]:
    for cell in c["cells"]:
        if "sib1" in cell: print(cell["sib1"]["hex"])' "$here/../shared/captures/lte/reference.json" > "$work/hex.txt"
elif [ "$1" = "-" ]; then
  cat > "$work/hex.txt"
else
  printf '%s\n' "$@" > "$work/hex.txt"
fi

status=0
n=0
while read -r hex; do
  hex=$(printf '%s' "$hex" | tr -d ' :')
  [ -n "$hex" ] || continue
  n=$((n + 1))
  case "$hex" in *[!0-9a-fA-F]*) echo "message $n: not hex: $hex" >&2; status=1; continue ;; esac
  [ $(( ${#hex} % 2 )) -eq 0 ] || { echo "message $n: odd number of hex digits" >&2; status=1; continue; }
  echo "0000 $(printf '%s' "$hex" | sed 's/../& /g')" > "$work/m.txt"
  text2pcap -q -l 147 "$work/m.txt" "$work/m.pcap"
  tshark -r "$work/m.pcap" -o 'uat:user_dlts:"User 0 (DLT=147)","lte-rrc.bcch.dl.sch","0","","0",""' -V \
    > "$work/d.txt" 2>/dev/null
  echo "=== message $n: $hex"
  sed -n '/^BCCH-DL-SCH-Message/,$p' "$work/d.txt"
  if grep -qiE 'malformed|\[Expert Info \((Warning|Error)' "$work/d.txt"; then
    echo "message $n: MALFORMED or expert warning" >&2
    status=1
  fi
done < "$work/hex.txt"
echo "tshark dissected $n message(s)"
exit $status
