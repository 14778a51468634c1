#!/usr/bin/env python3
"""Writes the hand-made and real-capture seeds of tests/fuzz/corpus (the synthesizer-made ones come from
make_corpus.cpp): gr-gsm's reference decodes of the real GSM captures (/work/shared, ../shared from the project
root) as L3 blocks, SigMF metadata, IQ files and SigMF archives, OpenCellID CSV rows.
  python3 tests/fuzz/make_corpus_shared.py [SHARED_DIR]"""
import io, json, os, struct, sys, tarfile

here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(here, "corpus")
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "shared")


def put(harness, name, data):
    d = os.path.join(corpus, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# ---- real GSM blocks (gr-gsm decodes of the GSMSP captures) ----
ref = os.path.join(shared, "captures", "gsm", "reference.json")
if os.path.exists(ref):
    seen = set()
    for cap in json.load(open(ref))["captures"]:
        for b in cap["blocks"]:
            octets = bytes(int(x, 16) for x in b["hex"].split())
            if octets in seen:
                continue
            seen.add(octets)
            tag = b["message"].lower().replace(" ", "_")
            put("gsm_l3", "real_%d_%s" % (b["fn"], tag), octets)
            if octets[2] in (0x1a, 0x02, 0x19):  # SI2 / SI2bis / SI1: the 16-octet frequency list
                put("gsm_frequency_list", "real_%d" % b["fn"], bytes([0]) + octets[3:19])
else:
    print("no shared captures at", shared, "- real seeds skipped", file=sys.stderr)

# ---- SigMF metadata ----
def meta(glob, caps=None):
    return json.dumps({"global": glob, "captures": caps if caps is not None else [{"core:sample_start": 0}],
                       "annotations": []}, indent=1)

base = {"core:datatype": "cf32_le", "core:sample_rate": 1083333.33, "core:version": "1.0.0"}
put("sigmf_meta", "ok_cf32", meta(base, [{"core:sample_start": 0, "core:frequency": 947.4e6}]))
put("sigmf_meta", "ok_ci16_dataset", meta(dict(base, **{"core:datatype": "ci16_le", "core:dataset": "x.cs16",
                                                        "core:description": "gr\u00fc\u00dfe"})))
put("sigmf_meta", "two_captures", meta(dict(base, **{"core:datatype": "cu8", "core:trailing_bytes": 4}),
                                       [{"core:sample_start": 10, "core:header_bytes": 128, "core:frequency": 1.8e9},
                                        {"core:sample_start": 1000}]))
put("sigmf_meta", "rate_negative", meta(dict(base, **{"core:sample_rate": -1.0})))
put("sigmf_meta", "rate_huge", meta(dict(base, **{"core:sample_rate": 1e15})))
put("sigmf_meta", "freq_zero", meta(base, [{"core:frequency": 0}]))
put("sigmf_meta", "freq_inf", '{"global":{"core:datatype":"ci8","core:sample_rate":2e6},"captures":[{"core:frequency":1e400}]}')
put("sigmf_meta", "real_type", meta(dict(base, **{"core:datatype": "rf32_le"})))
put("sigmf_meta", "deep", "[" * 70 + "]" * 70)

# ---- IQ files: octet 0 = mode (bits 1..0 format cu8 cs8 cs16 cf32, bit 2 archive, bit 3 skip octet) ----
put("iq_file", "cu8", bytes([0]) + bytes(range(256)))
put("iq_file", "cs8_odd", bytes([1]) + bytes(range(0, 255, 3)))
put("iq_file", "cs16_skip", bytes([2 | 8, 6]) + struct.pack("<8h", 0, 1, -1, 32767, -32768, 100, -100, 5))
nan, inf = float("nan"), float("inf")
put("iq_file", "cf32_nan", bytes([3]) + struct.pack("<10f", 0.5, -0.5, nan, 0.0, 1.0, inf, -inf, 2.0, 1e-40, 3.0))
put("iq_file", "empty", bytes([3]))


def archive(meta_text, data, data_name="rec.sigmf-data", fmt=tarfile.USTAR_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for name, payload in (("rec/rec.sigmf-meta", meta_text.encode()), ("rec/" + data_name, data)):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            t.addfile(info, io.BytesIO(payload))
    return buf.getvalue()


samples = struct.pack("<16h", *range(-8, 8))
put("iq_file", "archive_ustar", bytes([4]) + archive(meta(dict(base, **{"core:datatype": "ci16_le"})), samples))
put("iq_file", "archive_pax", bytes([4]) + archive(meta(dict(base, **{"core:datatype": "cu8"})), bytes(range(64)),
                                                    fmt=tarfile.PAX_FORMAT))
put("iq_file", "archive_gnu_dataset",
    bytes([4]) + archive(meta(dict(base, **{"core:datatype": "ci8", "core:dataset": "d.cs8"})), bytes(range(32)),
                         data_name="d.cs8", fmt=tarfile.GNU_FORMAT))

# ---- OpenCellID CSV ----
header = "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal\n"
put("opencellid", "ok", header +
    "GSM,262,1,1234,5678,,13.4,52.5,1000,12,1,1300000000,1600000000,0\n"
    "UMTS,262,2,100,268435455,5,13.41,52.51,500,3,1,1300000000,1600000000,-80\n"
    "LTE,310,410,65535,1,0,-122.4,37.7,200,1,0,1500000000,1500000000,0\n"
    "NR,440,10,16777215,68719476735,,139.7,35.7,100,1,1,1600000000,1700000000,0\n")
put("opencellid", "bad_rows",
    "CDMA,1,2,3,4,,0,0,0,0,0,0,0,0\r\n"
    "GSM,1000,1,1,1,,0,0,0,0,0,0,0,0\n"
    "\"GSM\",262,\"0\"\"1\",1,1,,0,0,0,0,0,0,0,0\n"
    "GSM,262,1,1,1,,nan,0,0,0,0,0,0,0\n"
    "GSM,262,1,1,1,,0,91,0,0,0,0,0,0\n"
    "\"unterminated,262\n"
    "GSM,262\x00,1,1,1,,0,0,0,0,0,0,0,0\n" + "x" * 1100 + "\n")
# One line each for the row parser (fuzz_opencellid_row), without the line end, and a few more shapes.
rows = open(os.path.join(corpus, "opencellid", "ok"), "rb").read().split(b"\n")[1:] + \
    open(os.path.join(corpus, "opencellid", "bad_rows"), "rb").read().split(b"\n")
rows += [b"GSM,+262,+1,+1234,+5678,,+13.4,-52.5,0,0,0,0,0,-75", b"GSM,262,1,1,1,,+-13.4,52.5,0,0,0,0,0,0",
         b"\"LTE\",\"310\",\"410\",\"1,2\",1,,0,0,0,0,0,0,0,0", b"GSM,262,1,1,1,,1e1,5e-1,0,0,0,0,0,0"]
for i, row in enumerate(r for r in rows if r):
    put("opencellid_row", "row_%02d" % i, row)
print("wrote seeds under", corpus)
