// The packet walk of pcap input (hw/pcap_packet, src/capture): one GSMTAP datagram carried over every link
// type towerwatch reads must come out as the block that went in (octets, ARFCN, timeslot, frame number,
// level); every truncation of every frame, and every wrong length or unknown type, must be a counted skip
// naming its layer, never a message. Frames are built octet by octet from the RFCs (tests/support/pcap_frames).
#include <gtest/gtest.h>

#include <variant>

#include "src/capture/packet_decoder.hpp"
#include "src/output/gsmtap.hpp"
#include "support/pcap_frames.hpp"

namespace {

using namespace tw::test;
using tw::capture::CapturedGsmBlock;
using tw::capture::CapturedLteRrc;
using tw::capture::decode_packet;

// A GSMTAP GSM Um block as towerwatch itself writes it (src/output/gsmtap.cpp, through libosmocore's header).
Octets gsmtap_block() {
  tw::GsmtapBlock b;
  b.arfcn = 62;
  b.fn = 1234567;
  b.tn = 0;
  b.channel = "BCCH";
  b.power_dbm = -33;
  b.snr_db = 21;
  for (int i = 0; i < 23; ++i) b.octets[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(0x30 + i);
  return bytes_of(tw::GsmtapSender::datagram(b));
}

void expect_block(const tw::capture::PacketResult& r, const std::string& what) {
  ASSERT_TRUE(std::holds_alternative<CapturedGsmBlock>(r))
      << what << ": " << (std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : "LTE");
  const auto& b = std::get<CapturedGsmBlock>(r);
  EXPECT_EQ(b.arfcn, 62) << what;
  EXPECT_EQ(b.fn, 1234567u) << what;
  EXPECT_EQ(b.tn, 0) << what;
  EXPECT_EQ(b.channel, "BCCH") << what;
  EXPECT_EQ(b.signal_dbm, -33) << what;
  EXPECT_EQ(b.snr_db, 21) << what;
  for (int i = 0; i < 23; ++i) EXPECT_EQ(b.octets[static_cast<std::size_t>(i)], 0x30 + i) << what;
}

std::string skip_of(const tw::capture::PacketResult& r) {
  return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string("(a message)");
}

struct Case {
  std::string name;
  int link_type;
  Octets frame;
};

std::vector<Case> every_link_type() {
  const Octets u = udp(40000, 4729, gsmtap_block());
  const Octets v4 = ipv4(u);
  const Octets v6 = ipv6(u);
  return {
      {"Ethernet IPv4", 1, ethernet(0x0800, v4)},
      {"Ethernet IPv6", 1, ethernet(0x86dd, v6)},
      {"Ethernet 802.1Q IPv4", 1, ethernet(0x0800, v4, {0x8100})},
      {"Ethernet 802.1ad+802.1Q IPv6", 1, ethernet(0x86dd, v6, {0x88a8, 0x8100})},
      {"Ethernet IPv4 with options", 1, ethernet(0x0800, ipv4(u, 17, 3))},
      {"SLL IPv4", 113, sll(0x0800, v4)},
      {"SLL IPv6", 113, sll(0x86dd, v6)},
      {"SLL2 IPv4", 276, sll2(0x0800, v4)},
      {"SLL2 IPv6", 276, sll2(0x86dd, v6)},
      {"DLT_RAW IPv4", 12, v4},
      {"DLT_RAW IPv6", 12, v6},
      {"LINKTYPE_IPV4", 228, v4},
      {"LINKTYPE_IPV6", 229, v6},
      {"NULL IPv4 little-endian", 0, null_link(2, false, v4)},
      {"NULL IPv4 big-endian", 0, null_link(2, true, v4)},
      {"NULL IPv6 (Darwin 30) little-endian", 0, null_link(30, false, v6)},
      {"NULL IPv6 (FreeBSD 28) big-endian", 0, null_link(28, true, v6)},
      {"NULL IPv6 (OpenBSD 24) little-endian", 0, null_link(24, false, v6)},
      {"LOOP IPv4", 108, null_link(2, true, v4)},
      {"IPv6 Hop-by-Hop + Routing + Destination Options", 229, ipv6(u, {{0, 0}, {43, 1}, {60, 2}})},
      {"IPv6 atomic Fragment header", 229, ipv6(u, {{44, 0, 0}})},
  };
}

TEST(PcapPacket, EveryLinkTypeCarriesTheGsmtapBlock) {
  for (const auto& c : every_link_type()) expect_block(decode_packet(c.link_type, c.frame, static_cast<std::uint32_t>(c.frame.size())), c.name);
}

TEST(PcapPacket, EthernetPaddingAfterTheIpDatagramIsIgnored) {
  Octets f = ethernet(0x0800, ipv4(udp(1, 4729, gsmtap_block())));
  f.resize(f.size() + 6, 0);
  expect_block(decode_packet(1, f, static_cast<std::uint32_t>(f.size())), "padded");
}

// Every frame cut at every length is a skip, never a message; the reason names the layer cut.
TEST(PcapPacket, EveryTruncationOfEveryFrameIsASkip) {
  for (const auto& c : every_link_type()) {
    for (std::size_t n = 0; n < c.frame.size(); ++n) {
      const Octets cut(c.frame.begin(), c.frame.begin() + static_cast<std::ptrdiff_t>(n));
      const auto r = decode_packet(c.link_type, cut, static_cast<std::uint32_t>(n));
      ASSERT_TRUE(std::holds_alternative<std::string>(r)) << c.name << " cut at " << n;
      const std::string why = std::get<std::string>(r);
      EXPECT_TRUE(why == "truncated_link" || why == "truncated_ip" || why == "not_ip")
          << c.name << " cut at " << n << ": " << why;
      // The same octets with the wire length saying more: cut by the snaplen.
      EXPECT_EQ(skip_of(decode_packet(c.link_type, cut, static_cast<std::uint32_t>(c.frame.size()))), "frame_cut_by_snaplen");
    }
  }
}

TEST(PcapPacket, TruncatedLinkHeadersNameTheLinkLayer) {
  EXPECT_EQ(skip_of(decode_packet(1, Octets(13, 0), 13)), "truncated_link");
  EXPECT_EQ(skip_of(decode_packet(113, Octets(15, 0), 15)), "truncated_link");
  EXPECT_EQ(skip_of(decode_packet(276, Octets(19, 0), 19)), "truncated_link");
  EXPECT_EQ(skip_of(decode_packet(0, Octets(3, 0), 3)), "truncated_link");
}

TEST(PcapPacket, WrongLengthsAndTypesAreCountedSkips) {
  const Octets g = gsmtap_block();
  auto eth = [](const Octets& ip) { return ethernet(0x0800, ip); };
  auto decode = [](int lt, const Octets& f, std::uint16_t port = 4729) {
    return skip_of(decode_packet(lt, f, static_cast<std::uint32_t>(f.size()), port));
  };
  // UDP length one more, one less than the datagram, and below the header.
  EXPECT_EQ(decode(1, eth(ipv4(udp(1, 4729, g, +1)))), "bad_udp_length");
  EXPECT_EQ(decode(1, eth(ipv4(udp(1, 4729, g, -1)))), "bad_udp_length");
  EXPECT_EQ(decode(1, eth(ipv4(udp(1, 4729, g, -static_cast<int>(g.size()) - 1)))), "bad_udp_length");
  // IP: TCP, a fragment (MF), a later fragment, a bad version, an IPv6 fragment, ESP after IPv6.
  EXPECT_EQ(decode(1, eth(ipv4(udp(1, 4729, g), 6))), "not_udp");
  EXPECT_EQ(decode(1, eth(ipv4(udp(1, 4729, g), 17, 0, 0x2000))), "ip_fragment");
  EXPECT_EQ(decode(1, eth(ipv4(udp(1, 4729, g), 17, 0, 0x0010))), "ip_fragment");
  Octets badv = ipv4(udp(1, 4729, g));
  badv[0] = 0x55;
  EXPECT_EQ(decode(228, badv), "bad_ip_header");
  EXPECT_EQ(decode(229, ipv6(udp(1, 4729, g), {{44, 0, static_cast<std::uint16_t>(1 << 3)}})), "ip_fragment");
  EXPECT_EQ(decode(229, ipv6(udp(1, 4729, g), {{44, 0, 1}})), "ip_fragment");
  EXPECT_EQ(decode(229, ipv6(Octets(16, 0), {}, 50)), "not_udp");
  // Link: ARP, an unsupported link type, an unknown address family.
  EXPECT_EQ(decode(1, ethernet(0x0806, Octets(28, 0))), "not_ip");
  EXPECT_EQ(decode(105, eth(ipv4(udp(1, 4729, g)))), "unsupported_link_type");
  EXPECT_EQ(decode(0, null_link(7, false, ipv4(udp(1, 4729, g)))), "not_ip");
  // UDP on another port; the same datagram on a port given with --gsmtap-port.
  EXPECT_EQ(decode(1, eth(ipv4(udp(1, 5000, g)))), "udp_other_port");
  expect_block(decode_packet(1, eth(ipv4(udp(1, 5000, g))), static_cast<std::uint32_t>(eth(ipv4(udp(1, 5000, g))).size()), 5000),
               "--gsmtap-port 5000");
  // GSMTAP: hdr_len below the 16-octet header and beyond the datagram, a version, an unknown type, an
  // uplink block, a block that is not 23 octets, a TCH sub-type.
  auto with = [&](std::size_t at, std::uint8_t v) {
    Octets x = g;
    x[at] = v;
    return eth(ipv4(udp(1, 4729, x)));
  };
  EXPECT_EQ(decode(1, with(1, 3)), "gsmtap_bad_hdr_len");
  EXPECT_EQ(decode(1, with(1, 200)), "gsmtap_bad_hdr_len");
  EXPECT_EQ(decode(1, with(0, 1)), "gsmtap_bad_version");
  EXPECT_EQ(decode(1, with(0, 3)), "gsmtap_v3_not_read");   // SCAT --gsmtapv3: another header
  EXPECT_EQ(decode(1, with(2, 0x0a)), "gsmtap_type_other");   // GMR-1
  EXPECT_EQ(decode(1, with(4, 0x40)), "gsm_uplink");
  EXPECT_EQ(decode(1, with(12, 0x09)), "gsm_subtype_other");
  EXPECT_EQ(decode(1, with(12, 0x07)), "gsm_dedicated_channel");        // SDCCH/4
  EXPECT_EQ(decode(1, with(12, 0x87)), "gsm_dedicated_channel");        // SACCH/C4
  Octets longer = g;
  longer.push_back(0x2b);
  EXPECT_EQ(decode(1, eth(ipv4(udp(1, 4729, longer)))), "gsm_bad_length");
  EXPECT_EQ(decode(1, eth(ipv4(udp(1, 4729, Octets(g.begin(), g.begin() + 15))))), "gsmtap_truncated");
}

// MAC-LTE: an SI-RNTI PDU in link type 147 (no start string) and in UDP (start string, any port).
TEST(PcapPacket, MacLteSiRntiAndPRntiPdus) {
  const Octets pdu{0x40, 0x48, 0x12, 0x34, 0x56};
  for (int framed = 0; framed < 2; ++framed) {
    const Octets m = mac_lte(framed == 1, 4, pdu, 321, 5);
    const Octets frame = framed ? ethernet(0x0800, ipv4(udp(1, 9999, m))) : m;
    const auto r = decode_packet(framed ? 1 : 147, frame, static_cast<std::uint32_t>(frame.size()));
    ASSERT_TRUE(std::holds_alternative<CapturedLteRrc>(r)) << skip_of(r);
    const auto& l = std::get<CapturedLteRrc>(r);
    EXPECT_EQ(l.channel, CapturedLteRrc::Channel::bcch_dl_sch);
    EXPECT_EQ(l.octets, pdu);
    EXPECT_EQ(l.sfn, 321);
    EXPECT_EQ(l.subframe, 5);
    EXPECT_EQ(l.framing, framed ? "mac-lte-udp" : "mac-lte");
  }
  const auto p = decode_packet(147, mac_lte(false, 1, pdu), static_cast<std::uint32_t>(mac_lte(false, 1, pdu).size()));
  ASSERT_TRUE(std::holds_alternative<CapturedLteRrc>(p));
  EXPECT_EQ(std::get<CapturedLteRrc>(p).channel, CapturedLteRrc::Channel::pcch);
  auto decode = [](const Octets& f) { return skip_of(decode_packet(147, f, static_cast<std::uint32_t>(f.size()))); };
  EXPECT_EQ(decode(mac_lte(false, 3, pdu)), "mac_lte_rnti_other");          // C-RNTI: a UE's data
  EXPECT_EQ(decode(mac_lte(false, 4, pdu, 0, 5, 0)), "mac_lte_uplink");
  EXPECT_EQ(decode(mac_lte(false, 4, pdu, 0, 5, 1, {0x07, 0x00})), "mac_lte_crc_failed");
  EXPECT_EQ(decode(mac_lte(false, 4, pdu, 0, 5, 1, {0x7f})), "mac_lte_bad_tag");
  EXPECT_EQ(decode(mac_lte(false, 4, {})), "mac_lte_empty");
  // Tags of every size before the payload: PHY info (length-prefixed), SR list (counted), flags.
  const Octets tags{0x0b, 3, 9, 9, 9, 0x11, 0, 1, 0, 1, 0, 2, 0x08, 0x0c, 0x0a, 2, 0x07, 1};
  const auto t = decode_packet(147, mac_lte(false, 4, pdu, 0, 5, 1, tags), static_cast<std::uint32_t>(mac_lte(false, 4, pdu, 0, 5, 1, tags).size()));
  ASSERT_TRUE(std::holds_alternative<CapturedLteRrc>(t)) << skip_of(t);
  EXPECT_EQ(std::get<CapturedLteRrc>(t).octets, pdu);
  EXPECT_EQ(std::get<CapturedLteRrc>(t).carrier_id, 2);
  // Every cut before the payload's first octet is a skip.
  const Octets full = mac_lte(false, 4, pdu, 0, 5, 1, tags);
  for (std::size_t n = 0; n < full.size() - pdu.size(); ++n) {
    const Octets cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_TRUE(std::holds_alternative<std::string>(decode_packet(147, cut, static_cast<std::uint32_t>(n)))) << n;
  }
}

// GSMTAP LTE RRC sub-types in libosmocore gsmtap.h's enum order (GSMTAP_LTE_RRC_SUB_DL_CCCH_Message = 0 ...
// SC_MCCH_Message_NB = 22, as QCSuper's protocol/gsmtap.py and SCAT's util.py number them): only BCCH-BCH (4),
// BCCH-DL-SCH (5) and PCCH (6) are read; NB-IoT, MBMS, eMTC and sidelink messages are other ASN.1 types.
// GSMTAP types that are not read are counted by name; the uplink flag is honoured on LTE RRC too; SFN from
// the frame number and subframe from sub_slot (SCAT), both 0 (QCSuper) read as not given.
TEST(PcapPacket, GsmtapLteSubTypesTypesAndFrameNumbers) {
  auto lte = [](std::uint8_t sub_type, std::uint16_t arfcn = 1303, std::uint32_t fn = 954, std::uint8_t sub_slot = 5,
                std::uint8_t type = 0x0d) {
    Octets g{2, 4, type, 0};
    put16(g, arfcn);
    g.push_back(0);
    g.push_back(0);
    put32(g, fn);
    g.push_back(sub_type);
    g.push_back(0);
    g.push_back(sub_slot);
    g.push_back(0);
    g.push_back(0x40);   // payload
    const Octets f = ethernet(0x0800, ipv4(udp(13337, 4729, g)));
    return decode_packet(1, f, static_cast<std::uint32_t>(f.size()));
  };
  const char* expected[23] = {"lte_rrc_dedicated", "lte_rrc_dedicated", "lte_rrc_dedicated", "lte_rrc_dedicated",
                              nullptr, nullptr, nullptr, "lte_rrc_mbms", "lte_rrc_mbms", "lte_rrc_br", "lte_rrc_mbms",
                              "lte_rrc_mbms", "lte_rrc_sidelink", "lte_rrc_sidelink", "lte_rrc_nb_iot",
                              "lte_rrc_nb_iot", "lte_rrc_nb_iot", "lte_rrc_nb_iot", "lte_rrc_nb_iot", "lte_rrc_nb_iot",
                              "lte_rrc_nb_iot", "lte_rrc_nb_iot", "lte_rrc_nb_iot"};
  for (std::uint8_t st = 0; st < 23; ++st) {
    const auto r = lte(st);
    if (expected[st]) {
      EXPECT_EQ(skip_of(r), expected[st]) << int(st);
    } else {
      ASSERT_TRUE(std::holds_alternative<CapturedLteRrc>(r)) << int(st) << " " << skip_of(r);
      const auto& m = std::get<CapturedLteRrc>(r);
      EXPECT_EQ(tw::capture::channel_name(m.channel), std::string(st == 4 ? "BCCH-BCH" : st == 5 ? "BCCH-DL-SCH" : "PCCH"));
      EXPECT_EQ(m.earfcn, 1303);
      EXPECT_EQ(m.sfn, 954);
      EXPECT_EQ(m.subframe, 5);
    }
  }
  EXPECT_EQ(skip_of(lte(23)), "lte_rrc_subtype_other");
  EXPECT_EQ(skip_of(lte(5, 0x4000 | 1303)), "lte_rrc_uplink");
  const auto qcsuper = lte(5, 0, 0, 0);
  ASSERT_TRUE(std::holds_alternative<CapturedLteRrc>(qcsuper));
  EXPECT_FALSE(std::get<CapturedLteRrc>(qcsuper).earfcn.has_value());
  EXPECT_FALSE(std::get<CapturedLteRrc>(qcsuper).sfn.has_value());
  EXPECT_FALSE(std::get<CapturedLteRrc>(lte(5, 1303, 1024, 0)).sfn.has_value());   // not an SFN (10 bits)
  EXPECT_EQ(std::get<CapturedLteRrc>(lte(4, 1303, 1023, 0)).sfn, 1023);
  // Types by gsmtap.h value (A-bis: sub-type 5 is not one QCSuper writes; its BCCH/CCCH frames are read).
  const std::pair<std::uint8_t, const char*> types[] = {
      {0x02, "gsm_abis_subtype_other"}, {0x03, "gsm_um_burst"}, {0x0c, "umts_not_read"}, {0x0e, "lte_mac_gsmtap_not_read"},
      {0x0f, "lte_mac_gsmtap_not_read"}, {0x10, "gsmtap_osmocore_log"}, {0x11, "gsmtap_qc_diag"}, {0x12, "lte_nas"},
      {0x13, "gsmtap_type_other"}};
  for (const auto& [type, reason] : types) EXPECT_EQ(skip_of(lte(5, 1303, 954, 5, type)), reason) << int(type);
}

TEST(PcapPacket, CountersSumEveryFrame) {
  tw::capture::PacketCounters c;
  const Octets good = ethernet(0x0800, ipv4(udp(1, 4729, gsmtap_block())));
  c.count(decode_packet(1, good, static_cast<std::uint32_t>(good.size())));
  c.count(decode_packet(1, Octets(5, 0), 5));
  c.count(decode_packet(1, Octets(5, 0), 5));
  EXPECT_EQ(c.frames, 3u);
  EXPECT_EQ(c.gsm_blocks, 1u);
  EXPECT_EQ(c.skipped.at("truncated_link"), 2u);
  EXPECT_EQ(c.to_json()["skipped"]["truncated_link"], 2);
}

}  // namespace

namespace {
// GSMTAP A-bis (QCSuper's GSM RR): the header's ARFCN when a writer sets it, none when 0 (QCSuper); the block
// rebuilt from the message (the real SI3 of a live cell, IMSI-catcher's README) equals the one sent.
TEST(PcapPacket, GsmtapAbisBlock) {
  const Octets air{0x49, 0x06, 0x1b, 0x95, 0xcc, 0x02, 0xf8, 0x02, 0x01, 0x9c, 0xc8, 0x03,
                   0x1e, 0x57, 0xa5, 0x01, 0x79, 0x00, 0x00, 0x1c, 0x13, 0x2b, 0x2b};
  auto frame = [&](std::uint16_t arfcn_field, std::uint8_t sub_type) {
    Octets g{2, 4, 0x02, 3};
    put16(g, arfcn_field);
    g = cat(g, Octets{0xc4, 0x14, 0, 0, 0, 9, sub_type, 0, 0, 0});
    const Octets f = ethernet(0x0800, ipv4(udp(4729, 4729, cat(g, Octets(air.begin() + 1, air.end())))));
    return decode_packet(1, f, static_cast<std::uint32_t>(f.size()));
  };
  for (const std::uint16_t arfcn : {0, 62}) {
    const auto r = frame(arfcn, 1);
    ASSERT_TRUE(std::holds_alternative<CapturedGsmBlock>(r)) << skip_of(r);
    const auto& b = std::get<CapturedGsmBlock>(r);
    EXPECT_EQ(Octets(b.octets.begin(), b.octets.end()), air);
    EXPECT_EQ(b.channel, "BCCH");
    EXPECT_EQ(b.tn, 3);
    EXPECT_EQ(b.fn, 9u);
    EXPECT_EQ(b.signal_dbm, -60);
    if (arfcn == 0) EXPECT_FALSE(b.arfcn.has_value());
    else EXPECT_EQ(b.arfcn, 62);
  }
  EXPECT_EQ(std::get<CapturedGsmBlock>(frame(0, 2)).channel, "CCCH");
  EXPECT_EQ(skip_of(frame(0x4000, 1)), "gsm_abis_uplink");
  EXPECT_EQ(skip_of(frame(0, 6)), "gsm_abis_dedicated_channel");      // SDCCH
  EXPECT_EQ(skip_of(frame(0, 0x86)), "gsm_abis_dedicated_channel");   // SACCH
  EXPECT_EQ(skip_of(frame(0, 0x89)), "gsm_abis_dedicated_channel");   // FACCH
  EXPECT_EQ(skip_of(frame(0, 3)), "gsm_abis_subtype_other");          // RACH
}
}  // namespace
