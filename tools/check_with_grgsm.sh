#!/bin/sh
# Cross-check of the scene synthesizer with gr-gsm (a peer decoder; NOT part of CI).
# Synthesizes a 1-cell cf32 capture at 4 samples/symbol with `towerwatch synth`, decodes it with gr-gsm's
# grgsm_decode (BCCH/CCCH on TS0), and compares every block gr-gsm prints with OUT.truth.json by frame number.
#
# Needs: gr-gsm (Debian: apt-get install gr-gsm). Debian 12's /usr/bin/grgsm_decode imports socket_pdu from
# gnuradio.pdu, where GNU Radio 3.10 no longer has it; this script runs a copy that takes it from
# gnuradio.network.
#
# usage: tools/check_with_grgsm.sh [TOWERWATCH_BINARY] [SCENE] [SECONDS]
#   defaults: build/towerwatch (or $TW_BINARY), single, 4
# Exit 0 when gr-gsm decoded at least one SI block and every block it decoded equals the truth.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tw=${1:-${TW_BINARY:-$here/build/towerwatch}}
scene=${2:-single}
seconds=${3:-4}
[ -x "$tw" ] || { echo "check_with_grgsm: no towerwatch binary at $tw" >&2; exit 2; }
[ -x /usr/bin/grgsm_decode ] || { echo "check_with_grgsm: gr-gsm is not installed (apt-get install gr-gsm)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rate=1083333.3333333333

"$tw" synth "$scene" --rate "$rate" --duration "$seconds" --format cf32 -o "$work/capture.cf32" --quiet
freq=$(python3 -c "import json; print(json.load(open('$work/capture.truth.json'))['center_freq_hz'])")

sed -e 's/^from gnuradio import pdu$/from gnuradio import pdu\nfrom gnuradio import network/' \
    -e 's/pdu\.socket_pdu(/network.socket_pdu(/g' /usr/bin/grgsm_decode > "$work/grgsm_decode"
/usr/bin/python3 "$work/grgsm_decode" -c "$work/capture.cf32" -s "$rate" -f "$freq" -m BCCH -t 0 -v \
    > "$work/grgsm.txt" 2> "$work/grgsm.err" || { cat "$work/grgsm.err" >&2; exit 1; }

python3 - "$work/capture.truth.json" "$work/grgsm.txt" <<'PY'
import json, re, sys
truth = json.load(open(sys.argv[1]))
by_fn = {(b["fn"]): b for b in truth["blocks"]}
decoded = []
for line in open(sys.argv[2]):
    # gr-gsm's message printer (-v): "<fn> <frame counter>:  <23 hex octets>"
    m = re.match(r"\s*(\d+)\s+(\d+):\s+((?:[0-9a-f]{2}\s*){23})$", line.rstrip())
    if m:
        decoded.append((int(m.group(1)), " ".join(m.group(3).split())))
if not decoded:
    print("gr-gsm decoded nothing; its output was:")
    print(open(sys.argv[2]).read()[:2000])
    sys.exit(1)
ok = bad = unknown = 0
si = 0
for fn, hexs in decoded:
    b = by_fn.get(fn)
    if b is None:
        unknown += 1
        print(f"fn {fn}: gr-gsm decoded {hexs}, no block in the truth at this fn")
        continue
    if b["hex"] == hexs:
        ok += 1
        si += b["channel"] == "BCCH"
    else:
        bad += 1
        print(f"fn {fn}: gr-gsm {hexs}\n        truth  {b['hex']} ({b['message']})")
print(f"gr-gsm decoded {len(decoded)} blocks: {ok} equal to the truth ({si} System Information), "
      f"{bad} different, {unknown} at frame numbers the truth does not have; the truth has {len(by_fn)} blocks")
sys.exit(0 if ok > 0 and si > 0 and bad == 0 and unknown == 0 else 1)
PY
