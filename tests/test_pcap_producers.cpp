// pcaps written octet for octet as the tools people capture with write them, carrying real content, read by
// `towerwatch analyze`. The layouts are the producers' own (cited per test); the content is the real SIB1 of
// a live band-3 cell (../shared/captures/lte/reference.json: MCC 206, MNC 01, TAC 9340, cell identity
// 46136577, as srsRAN and LTE-Cell-Scanner decoded it), the synthesizer's System Information (scene truth)
// and a real GSM Paging Request (../shared/captures/gsm/reference.json). The cells must carry the truth's
// identity, every frame that is not the cell's downlink broadcast must be counted by its reason, and no
// paging identity may appear in the output.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>

#include "src/core/hex.hpp"
#include "support/pcap_frames.hpp"
#include "support/test_support.hpp"
#include "tools/synth/l3/encode.hpp"
#include "tools/synth/scene.hpp"

namespace {

using nlohmann::json;
using namespace tw::test;

struct Sib1Truth {
  Octets octets;
  json fields;
};

Octets from_hex(const std::string& h) {
  Octets o;
  for (std::size_t i = 0; i + 1 < h.size();) {
    if (h[i] == ' ') { ++i; continue; }
    o.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
    i += 2;
  }
  return o;
}

Sib1Truth real_sib1(const std::filesystem::path& shared) {
  const json ref = json::parse(read_file((shared / "captures/lte/reference.json").string()));
  for (const auto& c : ref["captures"])
    for (const auto& cell : c["cells"])
      if (cell.contains("sib1")) return {from_hex(cell["sib1"]["hex"].get<std::string>()), cell["sib1"]};
  throw std::runtime_error("no SIB1 in the LTE reference");
}

Octets real_paging_block(const std::filesystem::path& shared) {
  const json ref = json::parse(read_file((shared / "captures/gsm/reference.json").string()));
  return from_hex(ref["captures"][0]["blocks"][0]["hex"].get<std::string>());   // fn 675007: two TMSIs
}

// GSMTAP v2 header (libosmocore include/osmocom/core/gsmtap.h struct gsmtap_hdr), hdr_len in words.
Octets gsmtap_v2(std::uint8_t type, std::uint16_t arfcn, std::uint32_t fn, std::uint8_t sub_type, const Octets& payload,
                 std::uint8_t sub_slot = 0, std::uint8_t timeslot = 0, std::int8_t signal = 0, std::int8_t snr = 0,
                 const Octets& extra_header = {}) {
  Octets o{2, static_cast<std::uint8_t>(4 + extra_header.size() / 4), type, timeslot};
  put16(o, arfcn);
  o.push_back(static_cast<std::uint8_t>(signal));
  o.push_back(static_cast<std::uint8_t>(snr));
  put32(o, fn);
  o.push_back(sub_type);
  o.push_back(0);
  o.push_back(sub_slot);
  o.push_back(0);
  return cat(cat(o, extra_header), payload);
}

json cells_of(const std::vector<json>& lines, const std::string& rat) {
  json out = json::array();
  for (const auto& c : lines_of_type(lines, "cell"))
    if (c["rat"] == rat) out.push_back(c);
  return out;
}

void expect_real_cell(const json& c, const Sib1Truth& t) {
  EXPECT_EQ(c["mcc"], t.fields["mcc"]);
  EXPECT_EQ(c["mnc"], t.fields["mnc"]);
  EXPECT_EQ(c["tac"], t.fields["tac"]);
  EXPECT_EQ(c["cell_identity"], t.fields["cell_identity"]);
}

bool have_tshark() { return std::system("command -v tshark >/dev/null 2>&1") == 0; }
// Wireshark's count of frames it dissects as SIB1 (peer check where tshark is installed; not a CI dependency).
int tshark_sib1_frames(const std::string& path, const std::string& options = "") {
  const std::string cmd = "tshark " + options + " -r '" + path + "' -Y lte-rrc.systemInformationBlockType1_element 2>/dev/null | wc -l";
  FILE* p = popen(cmd.c_str(), "r");
  int n = -1;
  if (p && std::fscanf(p, "%d", &n) != 1) n = -1;
  if (p) pclose(p);
  return n;
}

// QCSuper (P1sec/QCSuper modules/pcap_dump.py PcapDumper.__init__: pcap magic 0xa1b2c3d4 written little-endian,
// 2.4, snaplen 65535, LINKTYPE_IPV4 228 in older releases, LINKTYPE_RAW 101 in src/qcsuper/modules/pcap_dump.py;
// 5G NR RRC logs in UDP port 47928 for its own Wireshark plug-in; protocol/gsmtap.py build_gsmtap_ip: IPv4 IHL 5, id 0, no flags, TTL 64,
// checksum 0, 0.0.0.0 -> 0.0.0.0; UDP 4729 -> 4729, checksum 0; GSMTAP v2, 4 words, ARFCN field = uplink << 14
// and nothing else, frame number 0; LTE RRC sub-types per gsmtap.h; GSM RR as type A-bis without the L2 pseudo
// length; LTE NAS type 0x12).
Octets qcsuper_ip(std::uint8_t type, std::uint8_t sub_type, bool uplink, const Octets& payload) {
  const Octets g = gsmtap_v2(type, static_cast<std::uint16_t>(uplink << 14), 0, sub_type, payload);
  Octets u;
  put16(u, 4729);
  put16(u, 4729);
  put16(u, static_cast<std::uint16_t>(g.size() + 8));
  put16(u, 0);
  u = cat(u, g);
  Octets ip{0x45, 0};
  put16(ip, static_cast<std::uint16_t>(u.size() + 20));
  put16(ip, 0);
  put16(ip, 0);
  ip.push_back(64);
  ip.push_back(17);
  put16(ip, 0);
  put32(ip, 0);
  put32(ip, 0);
  return cat(ip, u);
}

TEST(PcapProducers, QcsuperRawIpGsmtap) {
  TW_REQUIRE_SHARED(shared);
  for (const int link_type : {228, DLT_RAW}) {   // libpcap writes DLT_RAW as LINKTYPE_RAW 101 in the file header
  SCOPED_TRACE(link_type);
  TempDir dir;
  const Sib1Truth t = real_sib1(shared);
  std::vector<TimedFrame> f;
  double time = 1.7e9;
  for (int i = 0; i < 4; ++i) f.push_back({time += 0.08, qcsuper_ip(0x0d, 5, false, t.octets)});   // BCCH-DL-SCH
  f.push_back({time += 0.01, qcsuper_ip(0x0d, 2, true, {0x40, 0x12, 0x34})});       // UL-CCCH, uplink flag
  f.push_back({time += 0.01, qcsuper_ip(0x0d, 5, true, t.octets)});                 // uplink flag wins
  f.push_back({time += 0.01, qcsuper_ip(0x0d, 1, false, {0x22, 0x00})});            // DL-DCCH
  f.push_back({time += 0.01, qcsuper_ip(0x0d, 20, false, {0x00, 0x01})});           // BCCH-DL-SCH-NB
  f.push_back({time += 0.01, qcsuper_ip(0x02, 1, false, {0x06, 0x1b, 0x00, 0x01})});  // GSM SI3 as A-bis, cut short
  f.push_back({time += 0.01, qcsuper_ip(0x12, 0, true, {0x07, 0x41})});             // LTE NAS Attach Request
  Octets nr = qcsuper_ip(0x0d, 5, false, {0x01, 0x02});                              // NR RRC log: port 47928
  nr[20] = nr[22] = 47928 >> 8;
  nr[21] = nr[23] = 47928 & 0xff;
  f.push_back({time += 0.01, nr});
  const auto path = (dir / "qcsuper.pcap").string();
  write_pcap(path, link_type, f);
  const std::string file = read_file(path);   // the file header's link type, as QCSuper writes it
  ASSERT_GE(file.size(), 24u);
  EXPECT_EQ(static_cast<unsigned char>(file[20]), link_type == 228 ? 228 : 101);
  const auto r = run_towerwatch({"analyze", path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  const json lte = cells_of(lines, "LTE");
  ASSERT_EQ(lte.size(), 1u) << r.out;
  expect_real_cell(lte[0], t);
  EXPECT_TRUE(lte[0]["earfcn"].is_null());   // QCSuper does not write the EARFCN
  const json s = lines_of_type(lines, "summary").at(0);
  EXPECT_EQ(s["lte_messages"], 4);
  EXPECT_EQ(s["skipped"], json({{"lte_rrc_uplink", 2}, {"lte_rrc_dedicated", 1}, {"lte_rrc_nb_iot", 1},
                                {"gsm_abis_truncated", 1}, {"lte_nas", 1}, {"udp_other_port", 1}}));
  if (have_tshark()) {   // Wireshark reads the uplink-flagged one too
    EXPECT_EQ(tshark_sib1_frames(path), 5);
  }
  }
}

// QCSuper 2G (src/modules/pcap_dump.py, LOG_GSM_RR_SIGNALING_MESSAGE_C): GSMTAP type A-bis (2), sub-type BCCH (1),
// CCCH (2), SDCCH (6), SACCH (0x86), FACCH (0x89), RACH (3); the ARFCN field only the uplink flag; for BCCH and
// CCCH the diag's message without its first octet (the L2 pseudo length), rest octets kept. Real blocks: the
// shared reference's four Paging Request Type 1 (CCCH), and an SI3 a live cell sent (IMSI-catcher's README,
// grgsm_livemon output), with an SI2 of gr-gsm's recording (python/qa_message_printer.py).
const char* kLiveSi3 = "49 06 1b 95 cc 02 f8 02 01 9c c8 03 1e 57 a5 01 79 00 00 1c 13 2b 2b";
const char* kLiveSi2 = "59 06 1a 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff e5 04 00";

Octets as_diag_delivers(const Octets& air) { return Octets(air.begin() + 1, air.end()); }

std::string tshark_fields(const std::string& path, const std::string& fields) {
  const std::string cmd = "tshark -r '" + path + "' -Y 'gsm_a.dtap.msg_rr_type == 0x1b' -T fields " + fields +
                          " 2>/dev/null | head -1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[256];
  while (p && std::fgets(buf, sizeof buf, p)) out += buf;
  if (p) pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

TEST(PcapProducers, QcsuperGsmAbis) {
  TW_REQUIRE_SHARED(shared);
  TempDir dir;
  std::ifstream in(shared / "captures" / "gsm" / "reference.json");
  ASSERT_TRUE(in);
  const json ref = json::parse(in);
  std::vector<TimedFrame> f;
  double time = 1.7e9;
  for (int k = 0; k < 3; ++k) {
    f.push_back({time += 0.2, qcsuper_ip(0x02, 1, false, as_diag_delivers(tw::octets_from_hex(kLiveSi3)))});
    f.push_back({time += 0.01, qcsuper_ip(0x02, 1, false, as_diag_delivers(tw::octets_from_hex(kLiveSi2)))});
  }
  int pages = 0;
  for (const auto& cap : ref["captures"])
    for (const auto& b : cap["blocks"]) {
      f.push_back({time += 0.01, qcsuper_ip(0x02, 2, false, as_diag_delivers(tw::octets_from_hex(b["hex"].get<std::string>())))});
      ++pages;
    }
  ASSERT_EQ(pages, 4);
  // Counted, never read: an SDCCH Identity Response carrying an IMSI (24.008 9.2.11, 10.5.1.4), a SACCH
  // Measurement Report, the uplink RACH, a CCCH message that is no RR message, an RR message of the DCCH.
  f.push_back({time += 0.01, qcsuper_ip(0x02, 6, false, tw::octets_from_hex("05 19 08 29 26 10 89 67 45 23 01"))});
  f.push_back({time += 0.01, qcsuper_ip(0x02, 0x86, true, tw::octets_from_hex("06 15 3c 3c 00 00 00"))});
  f.push_back({time += 0.01, qcsuper_ip(0x02, 3, true, tw::octets_from_hex("23"))});
  f.push_back({time += 0.01, qcsuper_ip(0x02, 2, false, tw::octets_from_hex("05 08 00"))});
  f.push_back({time += 0.01, qcsuper_ip(0x02, 1, false, tw::octets_from_hex("06 2e 00 00 00"))});
  const auto path = (dir / "qcsuper-2g.pcap").string();
  write_pcap(path, 228, f);
  const auto r = run_towerwatch({"analyze", path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  const json gsm = cells_of(lines, "GSM");
  ASSERT_FALSE(gsm.empty()) << r.out;
  const json& c = gsm.back();
  // The live SI3's cell identity and LAI (24.008 10.5.1.1, 10.5.1.3): CI 95 cc, MCC 2 0 8, MNC 2 0, LAC 01 9c.
  EXPECT_EQ(c["ci"], 0x95cc);
  EXPECT_EQ(c["mcc"], 208);
  EXPECT_EQ(c["mnc"], "20");
  EXPECT_EQ(c["lac"], 0x019c);
  EXPECT_TRUE(c["arfcn"].is_null());   // QCSuper writes no ARFCN
  if (have_tshark()) {   // Wireshark's reading of the same file (A-bis: its DTAP dissector on the bare message)
    EXPECT_EQ(tshark_fields(path, "-e e212.lai.mcc -e e212.lai.mnc -e gsm_a.lac -e gsm_a.bssmap.cell_ci"),
              "208\t20\t0x019c\t0x95cc");
  }
  const json s = lines_of_type(lines, "summary").at(0);
  EXPECT_EQ(s["gsm_blocks"], 10);
  EXPECT_EQ(s["skipped"], json({{"gsm_abis_dedicated_channel", 1}, {"gsm_abis_uplink", 2},
                                {"gsm_abis_not_rr", 1}, {"gsm_abis_rr_type_not_bcch_ccch", 1}}));
  // Neither the pages' TMSIs (Wireshark: 0x2402810b, 0x18000312, 0x2e020e94) nor the SDCCH's IMSI are output.
  for (const char* id : {"2402810b", "18000312", "2e020e94", "262019876543210", "29 26 10"}) {
    EXPECT_EQ(r.out.find(id), std::string::npos) << id;
    EXPECT_EQ(r.err.find(id), std::string::npos) << id;
  }
}

TEST(PcapProducers, QcsuperGsmReselectionKeepsTwoCells) {
  // A phone reselecting between two cells and back: QCSuper gives no ARFCN, so the cells are told apart by
  // the identity their SI3 broadcasts. Cell A: the live SI3 above; cell B: the same SI3 with another cell
  // identity (95 cd) and LAC (01 9d). Truth: two records, each with its own SI3's identity (one record
  // whose identity flips would read as a known cell changing its identity, rule C1, against a baseline).
  TempDir dir;
  const Octets si3_a = tw::octets_from_hex(kLiveSi3);
  Octets si3_b = si3_a;
  si3_b[4] = 0xcd;    // CI 95 cd
  si3_b[9] = 0x9d;    // LAC 01 9d (after the pseudo length, PD, type, CI and the MCC/MNC octets)
  std::vector<TimedFrame> f;
  double time = 1.7e9;
  for (const Octets* si3 : std::initializer_list<const Octets*>{&si3_a, &si3_b, &si3_a, &si3_b})
    for (int k = 0; k < 3; ++k) {
      f.push_back({time += 0.2, qcsuper_ip(0x02, 1, false, as_diag_delivers(*si3))});
      f.push_back({time += 0.01, qcsuper_ip(0x02, 1, false, as_diag_delivers(tw::octets_from_hex(kLiveSi2)))});
    }
  const auto path = (dir / "qcsuper-reselect.pcap").string();
  write_pcap(path, 228, f);
  const auto r = run_towerwatch({"analyze", path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  // Cell lines come as the cells fill in; the sweep's summary counts the records stored and scored.
  EXPECT_EQ(lines_of_type(lines, "sweep_summary").at(0)["cells"], 2) << r.out;
  const json gsm = cells_of(lines, "GSM");
  std::set<std::pair<int, int>> seen;
  for (const auto& c : gsm) {
    EXPECT_TRUE(c["arfcn"].is_null());
    seen.insert({c["lac"].get<int>(), c["ci"].get<int>()});
  }
  EXPECT_EQ(seen, (std::set<std::pair<int, int>>{{0x019c, 0x95cc}, {0x019d, 0x95cd}}));
}

// SCAT (fgsect/scat src/scat/writers/pcapwriter.py: pcap little-endian 2.4, snaplen 0xffff, link type 1,
// an all-zero Ethernet header with type 0x0800, IPv4 id counting up, flags 0x40 (DF), TTL 64, checksum 0xffff,
// 127.0.0.1 -> 127.0.0.1 + radio id; UDP 13337 -> 4729 (control plane), checksum 0xffff;
// parsers/qualcomm/diagltelogparser.py parse_lte_rrc: ARFCN = EARFCN, frame number = SFN, sub_slot =
// subframe; create_lte_mac_gsmtap_packet: type LTE_MAC 0x0e, MAC-LTE context then only the logged MAC header;
// util.py create_gsmtap_header version 3: version 3, reserved, 16-bit hdr_len, type, sub-type).
Octets scat_frame(const Octets& gsmtap, std::uint16_t ip_id) {
  Octets u;
  put16(u, 13337);
  put16(u, 4729);
  put16(u, static_cast<std::uint16_t>(gsmtap.size() + 8));
  put16(u, 0xffff);
  u = cat(u, gsmtap);
  Octets ip{0x45, 0};
  put16(ip, static_cast<std::uint16_t>(u.size() + 20));
  put16(ip, ip_id);
  ip.push_back(0x40);
  ip.push_back(0);
  ip.push_back(0x40);
  ip.push_back(17);
  put16(ip, 0xffff);
  put32(ip, 0x7f000001);
  put32(ip, 0x7f000001);
  Octets eth(12, 0);
  put16(eth, 0x0800);
  return cat(eth, cat(ip, u));
}

std::vector<TimedFrame> scat_frames(const Sib1Truth& t) {
  std::vector<TimedFrame> f;
  std::uint16_t id = 0;
  double time = 1.7e9;
  for (int sfn = 952; sfn <= 958; sfn += 2)   // SIB1 in subframe 5 of even frames (reference.json notes)
    f.push_back({time += 0.02, scat_frame(gsmtap_v2(0x0d, 1303, static_cast<std::uint32_t>(sfn), 5, t.octets, 5), id++)});
  f.push_back({time += 0.01, scat_frame(gsmtap_v2(0x0d, 1303, 953, 18, {0x00, 0x00, 0x00, 0x00, 0x00}, 0), id++)});  // MIB-NB
  Octets mac{1, 1, 4, 0x04};   // FDD, downlink, SI-RNTI, SFN/subframe tag
  put16(mac, 954 << 4 | 5);
  mac.push_back(0x01);
  mac.push_back(0x48);         // the one logged header octet
  f.push_back({time += 0.01, scat_frame(gsmtap_v2(0x0e, 0, 0, 0, mac), id++)});
  Octets v3{3, 0};
  put16(v3, 3);                // 12 octets: the 8-octet header, CHANNEL_NUMBER would follow
  put16(v3, 0x0403);           // LTE RRC
  put16(v3, 0x0003);           // BCCH-DL-SCH
  put32(v3, 0xfffe0000);
  f.push_back({time += 0.01, scat_frame(cat(v3, t.octets), id++)});
  return f;
}

void check_scat(const std::string& path, const Sib1Truth& t) {
  const auto r = run_towerwatch({"analyze", path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  const json lte = cells_of(lines, "LTE");
  ASSERT_EQ(lte.size(), 1u) << r.out;
  expect_real_cell(lte[0], t);
  // 36.101 5.7.3: band 3 downlink EARFCN 1200-1949; F = 1805 + 0.1 (1303 - 1200) = 1815.3 MHz, the recording's
  // centre frequency.
  EXPECT_EQ(lte[0]["earfcn"], 1303);
  EXPECT_DOUBLE_EQ(lte[0]["freq_hz"].get<double>(), 1815.3e6);
  std::vector<int> sfns;
  for (const auto& b : lines_of_type(lines, "lte_block")) {
    sfns.push_back(b["sfn"].get<int>());
    EXPECT_EQ(b["subframe"], 5);
  }
  EXPECT_EQ(sfns, (std::vector<int>{952, 954, 956, 958}));
  const json s = lines_of_type(lines, "summary").at(0);
  EXPECT_EQ(s["skipped"], json({{"lte_rrc_nb_iot", 1}, {"lte_mac_gsmtap_not_read", 1}, {"gsmtap_v3_not_read", 1}}));
}

TEST(PcapProducers, ScatEthernetGsmtap) {
  TW_REQUIRE_SHARED(shared);
  TempDir dir;
  const Sib1Truth t = real_sib1(shared);
  const auto path = (dir / "scat.pcap").string();
  write_pcap(path, DLT_EN10MB, scat_frames(t));
  check_scat(path, t);
  if (have_tshark()) {
    EXPECT_EQ(tshark_sib1_frames(path), 4);
  }
}

// SCAT's pcapng (src/scat/writers/pcapngwriter.py): SHB (byte-order magic 0x1a2b3c4d, 1.0, section length -1),
// IDB link type 1 with snap length 0 (no limit), EPBs with microsecond timestamps; little-endian blocks.
void le32(std::string& s, std::uint32_t v) { for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>(v >> (8 * i))); }
std::string block(std::uint32_t type, std::string body) {
  while (body.size() % 4) body.push_back('\0');
  std::string b;
  le32(b, type);
  le32(b, static_cast<std::uint32_t>(body.size() + 12));
  b += body;
  le32(b, static_cast<std::uint32_t>(body.size() + 12));
  return b;
}

TEST(PcapProducers, ScatPcapng) {
  TW_REQUIRE_SHARED(shared);
  TempDir dir;
  const Sib1Truth t = real_sib1(shared);
  std::string shb, idb, out;
  le32(shb, 0x1a2b3c4d);
  shb += std::string("\x01\x00\x00\x00", 4);
  shb += std::string(8, '\xff');
  idb += std::string("\x01\x00\x00\x00", 4);
  le32(idb, 0);
  out = block(0x0a0d0d0a, shb) + block(1, idb);
  for (const auto& fr : scat_frames(t)) {
    std::string e;
    const auto us = static_cast<std::uint64_t>(fr.time_s * 1e6);
    le32(e, 0);
    le32(e, static_cast<std::uint32_t>(us >> 32));
    le32(e, static_cast<std::uint32_t>(us));
    le32(e, static_cast<std::uint32_t>(fr.data.size()));
    le32(e, static_cast<std::uint32_t>(fr.data.size()));
    e.append(fr.data.begin(), fr.data.end());
    out += block(6, e);
  }
  const auto path = (dir / "scat.pcapng").string();
  std::ofstream(path, std::ios::binary) << out;
  check_scat(path, t);
  if (have_tshark()) {
    EXPECT_EQ(tshark_sib1_frames(path), 4);
  }
}

// gr-gsm (grgsm_livemon / grgsm_decode send GSMTAP v2 to 127.0.0.1:4729; captured on lo, which Linux presents
// as Ethernet with zero addresses): GSM Um downlink blocks with ARFCN, timeslot, frame number, signal and SNR
// (gsmtap.h). The synthesizer's SI3 and SI4 for a scene cell, a real Paging Request with two TMSIs, an uplink
// RACH (uplink flag), a SACCH block (ACCH flag) and an SI3 behind a header of 5 words (hdr_len honoured).
TEST(PcapProducers, GrGsmOnLoopback) {
  TW_REQUIRE_SHARED(shared);
  TempDir dir;
  const auto cell = tw::synth::load_scene("single").cells.at(0);
  const auto si3 = tw::synth::l3::encode_si3(cell);
  const auto si4 = tw::synth::l3::encode_si4(cell);
  const Octets page = real_paging_block(shared);
  ASSERT_EQ(page.size(), 23u);
  auto lo = [](const Octets& g) {
    Octets eth(12, 0);
    put16(eth, 0x0800);
    return cat(eth, ipv4(udp(51234, 4729, g)));
  };
  const std::uint16_t arfcn = static_cast<std::uint16_t>(cell.arfcn);
  std::vector<TimedFrame> f;
  double time = 1.7e9;
  for (int k = 0; k < 3; ++k) {
    const std::uint32_t fn = 1000u + 51u * static_cast<std::uint32_t>(k);
    f.push_back({time += 0.235, lo(gsmtap_v2(1, arfcn, fn + 2, 1, Octets(si3.begin(), si3.end()), 0, 0, -60, 25))});
    f.push_back({time += 0.01, lo(gsmtap_v2(1, arfcn, fn + 6, 1, Octets(si4.begin(), si4.end()), 0, 0, -60, 25))});
    f.push_back({time += 0.01, lo(gsmtap_v2(1, arfcn, fn + 14, 2, page, 0, 0, -61, 24))});
  }
  f.push_back({time += 0.01, lo(gsmtap_v2(1, static_cast<std::uint16_t>(arfcn | 0x4000), 1200, 3, {0x23}))});  // RACH, uplink
  f.push_back({time += 0.01, lo(gsmtap_v2(1, arfcn, 1201, 0x86, page))});   // SACCH
  f.push_back({time += 0.01, lo(gsmtap_v2(1, arfcn, 1202, 1, Octets(si3.begin(), si3.end()), 0, 0, -60, 25,
                                          {0xde, 0xad, 0xbe, 0xef}))});   // hdr_len 5
  const auto path = (dir / "grgsm.pcap").string();
  write_pcap(path, DLT_EN10MB, f);
  const auto r = run_towerwatch({"analyze", path, "--json", "--blocks"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  json gsm = cells_of(lines, "GSM");   // a cell line per update: every one is this cell, the last is whole
  ASSERT_FALSE(gsm.empty()) << r.out;
  for (const auto& c : gsm) EXPECT_EQ(c["ci"], cell.ci);
  gsm = json::array({gsm.back()});
  EXPECT_EQ(gsm[0]["arfcn"], cell.arfcn);
  EXPECT_EQ(gsm[0]["mcc"], cell.mcc);
  EXPECT_EQ(gsm[0]["lac"], cell.lac);
  EXPECT_EQ(gsm[0]["ci"], cell.ci);
  const json s = lines_of_type(lines, "summary").at(0);
  EXPECT_EQ(s["gsm_blocks"], 10);
  EXPECT_EQ(s["skipped"], json({{"gsm_uplink", 1}, {"gsm_dedicated_channel", 1}}));
  // The real page's TMSIs (Wireshark: 0x2402810b, 0x18000312) appear in no form.
  for (const char* id : {"2402810b", "2402810B", "18000312", "604078347", "402653970"}) {
    EXPECT_EQ(r.out.find(id), std::string::npos) << id;
    EXPECT_EQ(r.err.find(id), std::string::npos) << id;
  }
}

// srsRAN 4G's MAC pcap (srsRAN_4G lib/include/srsran/common/pcap.h LTE_PCAP_MAC_WritePDU; link type 147, as
// LTESniffer writes it through the same code): radio type, direction, RNTI type, then the tags RNTI, UE id,
// SFN/subframe, CRC status, carrier id, NB mode, and the payload tag before the PDU. The real SIB1 on SI-RNTI
// (0xffff), one with a failed CRC, one in NB-IoT mode (a SIB1-NB would follow), an uplink C-RNTI PDU.
Octets srsran_mac(std::uint8_t direction, std::uint8_t rnti_type, std::uint16_t rnti, int sfn, int sf, bool crc_ok,
                  bool nb_iot, const Octets& pdu) {
  Octets o{1, direction, rnti_type, 0x02};
  put16(o, rnti);
  o.push_back(0x03);
  put16(o, 0);
  o.push_back(0x04);
  put16(o, static_cast<std::uint16_t>(sfn << 4 | sf));
  o.push_back(0x07);
  o.push_back(crc_ok ? 1 : 0);
  o.push_back(0x0a);
  o.push_back(0);
  o.push_back(0x0f);
  o.push_back(nb_iot ? 1 : 0);
  o.push_back(0x01);
  return cat(o, pdu);
}

TEST(PcapProducers, SrsranMacPcap) {
  TW_REQUIRE_SHARED(shared);
  TempDir dir;
  const Sib1Truth t = real_sib1(shared);
  const Octets padded_sib1 = t.octets;   // the whole transport block: TBS 176 bits = 22 octets (reference.json notes)
  std::vector<TimedFrame> f;
  double time = 1.7e9;
  for (int sfn = 952; sfn <= 958; sfn += 2) f.push_back({time += 0.02, srsran_mac(1, 4, 0xffff, sfn, 5, true, false, padded_sib1)});
  f.push_back({time += 0.001, srsran_mac(1, 4, 0xffff, 960, 5, false, false, padded_sib1)});
  f.push_back({time += 0.001, srsran_mac(1, 4, 0xffff, 961, 5, true, true, {0x00, 0x11, 0x22})});
  f.push_back({time += 0.001, srsran_mac(0, 3, 0x4601, 962, 2, true, false, {0x3d, 0x21, 0x00})});
  const auto path = (dir / "srsran_mac.pcap").string();
  write_pcap(path, 147, f);
  const auto r = run_towerwatch({"analyze", path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  const json lte = cells_of(lines, "LTE");
  ASSERT_EQ(lte.size(), 1u) << r.out;
  expect_real_cell(lte[0], t);
  EXPECT_EQ(lte[0]["duplex"], "FDD");
  const json s = lines_of_type(lines, "summary").at(0);
  EXPECT_EQ(s["lte_messages"], 4);
  EXPECT_EQ(s["skipped"], json({{"mac_lte_crc_failed", 1}, {"mac_lte_nb_iot", 1}, {"mac_lte_uplink", 1}}));
  // Wireshark, with link type 147 (USER0) mapped to mac-lte-framed in its user DLT table, finds the 4 good SIB1s.
  if (have_tshark()) {
    EXPECT_EQ(tshark_sib1_frames(path, "-o 'uat:user_dlts:\"User 0 (DLT=147)\",\"mac-lte-framed\",\"0\",\"\",\"0\",\"\"'"), 4);
  }
}

// Wireshark "Export PDUs" (File > Export PDUs to File; epan/exported_pdu.h: 16-bit tag and length, strings
// NUL-padded to 4 octets, tag 12 dissector name, 14 dissector table, 32 its value, 0 end of options).
Octets exported(const std::vector<std::pair<std::uint16_t, Octets>>& tags, const Octets& pdu) {
  Octets o;
  for (const auto& [tag, v] : tags) {
    put16(o, tag);
    put16(o, static_cast<std::uint16_t>(v.size()));
    o = cat(o, v);
  }
  put16(o, 0);
  put16(o, 0);
  return cat(o, pdu);
}
Octets padded(const std::string& s) {
  Octets o = bytes_of(s);
  do o.push_back(0); while (o.size() % 4);
  return o;
}

TEST(PcapProducers, WiresharkExportedPdus) {
  TW_REQUIRE_SHARED(shared);
  TempDir dir;
  const Sib1Truth t = real_sib1(shared);
  Octets port;
  put32(port, 4729);
  std::vector<TimedFrame> f;
  f.push_back({1.7e9, exported({{12, padded("lte_rrc.bcch_dl_sch")}}, t.octets)});
  f.push_back({1.7e9 + 0.08, exported({{12, padded("gsmtap")}}, gsmtap_v2(0x0d, 1303, 954, 5, t.octets, 5))});
  f.push_back({1.7e9 + 0.16, exported({{14, padded("udp.port")}, {32, port}}, gsmtap_v2(0x0d, 1303, 956, 5, t.octets, 5))});
  f.push_back({1.7e9 + 0.17, exported({{12, padded("lte_rrc.ul_dcch")}}, {0x08, 0x00})});
  f.push_back({1.7e9 + 0.18, Octets{0x00, 0x0c, 0x00, 0x40, 0x6c}});   // a tag longer than the frame
  const auto path = (dir / "exported.pcap").string();
  write_pcap(path, 252, f);
  const auto r = run_towerwatch({"analyze", path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  const json lte = cells_of(lines, "LTE");
  ASSERT_GE(lte.size(), 1u) << r.out;
  for (const auto& c : lte) expect_real_cell(c, t);
  const json s = lines_of_type(lines, "summary").at(0);
  EXPECT_EQ(s["lte_messages"], 3);
  EXPECT_EQ(s["skipped"], json({{"exported_pdu_dissector_other", 1}, {"exported_pdu_truncated", 1}}));
  // Wireshark 4.0 dissects the bare RRC message and the GSMTAP reached through the udp.port table; it has no
  // dissector registered by the name "gsmtap" (its own exports of GSMTAP use the table), so frame 2 stays opaque.
  if (have_tshark()) {
    EXPECT_EQ(tshark_sib1_frames(path), 2);
  }
}

}  // namespace
