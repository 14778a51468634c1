#!/bin/sh
# Cross-check with Wireshark (a peer dissector; NOT part of CI): synthesize a 1-cell scene, decode it with
# `towerwatch analyze --json`, wrap every decoded block in a GSMTAP/UDP packet (text2pcap), and let tshark
# dissect them. Shows that Wireshark reads the identity (MCC, MNC, LAC, CI), T3212 and the neighbour list
# that the scene set.
#
# Needs: tshark (Debian: apt-get install tshark).
# usage: tools/check_with_tshark.sh [TOWERWATCH_BINARY] [SCENE] [SECONDS]    (defaults: build/towerwatch, single, 3)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tw=${1:-${TW_BINARY:-$here/build/towerwatch}}
scene=${2:-single}
seconds=${3:-3}
[ -x "$tw" ] || { echo "check_with_tshark: no towerwatch binary at $tw" >&2; exit 2; }
command -v tshark >/dev/null && command -v text2pcap >/dev/null ||
  { echo "check_with_tshark: tshark is not installed (apt-get install tshark)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$tw" synth "$scene" --rate 1083333.3333333333 --duration "$seconds" --format cf32 -o "$work/c.cf32" --quiet >/dev/null
"$tw" analyze "$work/c.sigmf-meta" --json > "$work/decoded.jsonl"

# GSMTAP v2 header (osmocom gsmtap.h): version 2, 4 words, type UM, TS, ARFCN, signal, SNR, FN, sub-type.
python3 - "$work/decoded.jsonl" > "$work/blocks.txt" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] != "gsm_block" or e["channel"] not in ("BCCH", "CCCH"):
        continue
    sub = 1 if e["channel"] == "BCCH" else 2
    hdr = bytes([2, 4, 1, e["tn"]]) + (e["arfcn"] or 0).to_bytes(2, "big") + bytes([0, 0]) \
        + e["fn"].to_bytes(4, "big") + bytes([sub, 0, 0, 0])
    data = hdr + bytes.fromhex(e["hex"].replace(" ", ""))
    print("0000 " + " ".join("%02x" % b for b in data))
PY
text2pcap -q -u 4729,4729 "$work/blocks.txt" "$work/blocks.pcap"
tshark -r "$work/blocks.pcap" -V -d udp.port==4729,gsmtap > "$work/dissected.txt" 2>/dev/null

python3 - "$work/c.truth.json" "$work/dissected.txt" <<'PY'
import json, re, sys
cell = json.load(open(sys.argv[1]))["cells"][0]
text = open(sys.argv[2]).read()
def want(label, pattern):
    ok = re.search(pattern, text, re.M) is not None
    print(("ok      " if ok else "MISSING ") + label)
    return ok
mnc = str(cell["mnc"]).zfill(cell["mnc_digits"])
results = [
    want("MCC %d" % cell["mcc"], r"Mobile Country Code \(MCC\): .*\(%d\)" % cell["mcc"]),
    want("MNC %s" % mnc, r"Mobile Network Code \(MNC\): .*\(%s\)" % mnc),
    want("LAC %d" % cell["lac"], r"Location Area Code \(LAC\): 0x%04x \(%d\)" % (cell["lac"], cell["lac"])),
    want("CI %d" % cell["ci"], r"Cell CI: 0x%04x \(%d\)" % (cell["ci"], cell["ci"])),
    want("T3212 %d" % cell["t3212"], r"^\s*T3212: %d\b" % cell["t3212"]),
]
for arfcn in cell["neighbors"]:
    results.append(want("neighbour ARFCN %d" % arfcn, r"List of ARFCNs =.*\b%d\b" % arfcn))
print("tshark dissected %d packets" % text.count("\nFrame "))
sys.exit(0 if all(results) else 1)
PY
