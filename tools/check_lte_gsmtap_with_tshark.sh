#!/bin/sh
# Cross-check towerwatch's GSMTAP LTE RRC with Wireshark (a peer dissector; NOT part of CI): tshark listens on
# the loopback interface while `towerwatch analyze --rat lte --gsmtap=127.0.0.1:PORT --json` decodes an LTE
# capture; tshark then dissects the datagrams it caught (GSMTAP type LTE RRC: BCCH-BCH and BCCH-DL-SCH) and the
# script compares what Wireshark reads (PLMN, TAC, cell identity, reselection priorities) with towerwatch's cell
# records. Exit 0 when every decoded cell agrees, 1 otherwise.
#
# Needs: tshark (Debian: apt-get install tshark), permission to capture on lo (root).
# usage: tools/check_lte_gsmtap_with_tshark.sh [CAPTURE ANALYZE-OPTIONS...]
#   default: ../shared/captures/lte/f1815.3_s19.2_bw20_0.08s_hackrf.bin --format cs8
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tw=${TW_BINARY:-$here/build/towerwatch}
[ -x "$tw" ] || { echo "check_lte_gsmtap_with_tshark: no towerwatch binary at $tw" >&2; exit 2; }
command -v tshark >/dev/null || { echo "check_lte_gsmtap_with_tshark: tshark is not installed (apt-get install tshark)" >&2; exit 2; }
[ $# -gt 0 ] || set -- "$here/../shared/captures/lte/f1815.3_s19.2_bw20_0.08s_hackrf.bin" --format cs8
port=${PORT:-47290}

work=$(mktemp -d)
trap 'kill "$cap" 2>/dev/null || true; rm -rf "$work"' EXIT
tshark -q -i lo -f "udp port $port" -w "$work/gsmtap.pcapng" 2>"$work/tshark.err" &
cap=$!
# tshark is ready once it says it is capturing.
for _ in $(seq 1 50); do grep -q "Capturing on" "$work/tshark.err" 2>/dev/null && break; sleep 0.1; done
"$tw" analyze "$@" --rat lte --json --gsmtap="127.0.0.1:$port" > "$work/decoded.jsonl"
sleep 1
kill -INT "$cap"
wait "$cap" 2>/dev/null || true
tshark -r "$work/gsmtap.pcapng" -V -d "udp.port==$port,gsmtap" > "$work/dissected.txt" 2>/dev/null

python3 - "$work/decoded.jsonl" "$work/dissected.txt" <<'PY'
import json, re, sys
cells = [json.loads(l) for l in open(sys.argv[1])]
cells = [c for c in cells if c.get("type") == "cell" and c.get("sib1")]
text = open(sys.argv[2]).read()
frames = text.split("\nFrame ")
digits, tac, eci, prio = [], [], [], []
for f in frames:
    if "BCCH-DL-SCH-Message" not in f:
        continue
    if "systemInformationBlockType1" in f:
        d = re.findall(r"MCC-MNC-Digit: (\d)", f)
        digits.append("".join(d))
        m = re.search(r"trackingAreaCode: \S+ \[.*?decimal value (\d+)\]", f)
        tac.append(int(m.group(1)) if m else None)
        m = re.search(r"cellIdentity: \S+ \[.*?decimal value (\d+)\]", f)
        eci.append(int(m.group(1)) if m else None)
    prio += [int(x) for x in re.findall(r"cellReselectionPriority: (\d+)", f)]
n_frames = sum(1 for f in frames if "gsmtap" in f.lower() or "GSM TAP" in f)
print("tshark: %d GSMTAP frames, %d SIB1, priorities %s" % (n_frames, len(digits), sorted(set(prio))))
ok = bool(cells)
for c in cells:
    want_plmn = "%03d%s" % (c["mcc"], c["mnc"])
    plmn_ok = want_plmn in digits
    tac_ok = c["tac"] in tac
    eci_ok = c["cell_identity"] in eci
    ours = [c.get("sib3", {}).get("cell_reselection_priority")] if c.get("sib3") else []
    ours += [x.get("priority") for x in c.get("sib5", {}).get("carriers", [])] if c.get("sib5") else []
    prio_ok = all(p in prio for p in ours if p is not None)
    print("PCI %s: PLMN %s %s, TAC %s %s, ECI %s %s, priorities %s %s" % (
        c["pci"], want_plmn, "ok" if plmn_ok else "DIFFERS", c["tac"], "ok" if tac_ok else "DIFFERS",
        c["cell_identity"], "ok" if eci_ok else "DIFFERS", ours, "ok" if prio_ok else "DIFFERS"))
    ok = ok and plmn_ok and tac_ok and eci_ok and prio_ok
if not cells:
    print("no cell with a decoded SIB1 in the capture")
sys.exit(0 if ok else 1)
PY
