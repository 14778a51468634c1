#!/usr/bin/env python3
"""Writes the hand-made seeds of tests/fuzz/corpus/pcap_packet: one frame per link type carrying a GSMTAP GSM
block or an LTE RRC message, IPv6 extension headers, VLAN tags, MAC-LTE in link type 147 and in UDP, and
Wireshark exported PDUs (link type 252: a bare RRC message, GSMTAP through the udp.port table, mac-lte-framed).
Each seed: octet 0 picks the link type (index into fuzz_pcap_packet.cpp's kLinkTypes), octet 1 bit 0 the
GSMTAP port 4729, then the frame. QCSuper's GSM RR as GSMTAP A-bis (no L2 pseudo length).   python3 tests/fuzz/make_corpus_pcap.py"""
import os, struct

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "corpus", "pcap_packet")
os.makedirs(out, exist_ok=True)
LINK = {0: 0, 1: 1, 12: 2, 101: 3, 108: 4, 113: 5, 147: 6, 228: 7, 229: 8, 276: 9, 252: 11}


def gsmtap(type_, sub, payload, arfcn=62, fn=1000, tn=0):
    return struct.pack(">BBBBHbbIBBBB", 2, 4, type_, tn, arfcn, -40, 20, fn, sub, 0, 0, 0) + payload


SI3 = bytes.fromhex("49061b1624 62f210 04d2 4900 0001 c8 0454 65 ".replace(" ", "")) + b"\x2b" * 6
SI3 = (SI3 + b"\x2b" * 23)[:23]
PAGING = bytes.fromhex("1506210008296000000000000000000000000000000000")[:23].ljust(23, b"\x2b")
SIB1 = bytes.fromhex("4840a0006405c0001e4e020418")
gsm_bcch = gsmtap(1, 1, SI3)
gsm_ccch = gsmtap(1, 2, PAGING)
lte_sib1 = gsmtap(0x0D, 5, SIB1, arfcn=1300, fn=80 * 10 + 5)
lte_mib = gsmtap(0x0D, 4, bytes.fromhex("6e0400"), arfcn=1300, fn=80 * 10)


def udp(payload, dst=4729):
    return struct.pack(">HHHH", 40000, dst, 8 + len(payload), 0) + payload


def ipv4(payload, opts=0):
    ihl = 5 + opts
    h = struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), 1, 0x4000, 64, 17, 0,
                    b"\x7f\0\0\1", b"\x7f\0\0\1") + b"\x01" * (4 * opts)
    return h + payload


def ipv6(payload, ext=()):
    body, nxt = b"", 17
    for t in reversed(ext):
        body = (bytes([nxt, 0]) + b"\0" * 6) + body
        nxt = t
    body += payload
    return struct.pack(">IHBB", 0x60000000, len(body), nxt, 64) + b"\0" * 15 + b"\1" + b"\0" * 15 + b"\1" + body


def eth(payload, et=0x0800, vlans=()):
    h = b"\x02\0\0\0\0\1\x02\0\0\0\0\2"
    for v in vlans:
        h += struct.pack(">HH", v, 42)
    return h + struct.pack(">H", et) + payload


def mac_lte(rnti_type, pdu, start=False):
    s = b"mac-lte" if start else b""
    return s + bytes([1, 1, rnti_type, 2, 0xFF, 0xFF, 4, 0x05, 0x05, 1]) + pdu


def put(name, link, frame, port_4729=True):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([LINK[link], 1 if port_4729 else 0]) + frame)


put("hand_eth_ipv4_bcch", 1, eth(ipv4(udp(gsm_bcch))))
put("hand_eth_vlan_ipv4_ccch", 1, eth(ipv4(udp(gsm_ccch)), vlans=(0x8100,)))
put("hand_eth_qinq_ipv6_sib1", 1, eth(ipv6(udp(lte_sib1)), 0x86DD, (0x88A8, 0x8100)))
put("hand_eth_ipv4_options_mib", 1, eth(ipv4(udp(lte_mib), 2)))
put("hand_sll_ipv4", 113, b"\0\0\x03\x04\0\6" + b"\0" * 8 + b"\x08\x00" + ipv4(udp(gsm_bcch)))
put("hand_sll2_ipv6", 276, b"\x86\xdd\0\0\0\0\0\1\x03\x04\0\6" + b"\0" * 8 + ipv6(udp(gsm_ccch)))
put("hand_raw_ipv4", 12, ipv4(udp(gsm_bcch)))
put("hand_raw_ipv6_ext", 101, ipv6(udp(lte_sib1), (0, 43, 60)))
put("hand_ipv4", 228, ipv4(udp(gsm_ccch)))
put("hand_ipv6_frag_atomic", 229, ipv6(udp(gsm_bcch), (44,)))
put("hand_null_le", 0, struct.pack("<I", 2) + ipv4(udp(gsm_bcch)))
put("hand_null_be_ipv6", 0, struct.pack(">I", 30) + ipv6(udp(lte_sib1)))
put("hand_loop", 108, struct.pack(">I", 2) + ipv4(udp(gsm_ccch)))
put("hand_mac_lte_147_si", 147, mac_lte(4, SIB1 + b"\0\0"))
put("hand_mac_lte_147_paging", 147, mac_lte(1, b"\x10"))
# QCSuper's GSM RR: GSMTAP A-bis, no ARFCN, frame number 0, the block without its L2 pseudo length octet.
put("hand_qcsuper_abis_bcch", 228, ipv4(udp(gsmtap(2, 1, SI3[1:], arfcn=0, fn=0))))
put("hand_qcsuper_abis_ccch", 228, ipv4(udp(gsmtap(2, 2, PAGING[1:], arfcn=0, fn=0))))
put("hand_qcsuper_abis_si4_cbch", 228, ipv4(udp(gsmtap(2, 1, bytes.fromhex(
    "061c62f21004d24548f100006450e3e8ca43b5722b2b2b"), arfcn=0, fn=0))))
put("hand_mac_lte_udp", 1, eth(ipv4(udp(mac_lte(4, SIB1, True), 9999))), False)


def tag(t, v):
    return struct.pack(">HH", t, len(v)) + v


def name(s_):
    b = s_.encode() + b"\0"
    return b + b"\0" * (-len(b) % 4)


END = tag(0, b"")
put("hand_exported_pdu_lte_rrc", 252, tag(12, name("lte_rrc.bcch_dl_sch")) + END + SIB1)
put("hand_exported_pdu_udp_port_gsmtap", 252, tag(14, name("udp.port")) + tag(32, struct.pack(">I", 4729)) + END + lte_sib1)
put("hand_exported_pdu_mac_lte_framed", 252, tag(12, name("mac-lte-framed")) + END + mac_lte(4, SIB1))
