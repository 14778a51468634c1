// Privacy of pcap input: a GSMTAP pcap with Paging Requests for an IMSI and TMSIs (encoded by the
// synthesizer's L3 encoder, 44.018 9.1.22/9.1.23, 24.008 10.5.1.4) and a MAC-LTE page on P-RNTI with an IMSI
// (36.331 6.2.2 Paging, bits written here from the ASN.1). By default no identity appears in any output:
// stdout (JSON and --blocks text), stderr, the GSMTAP re-sent, the SQLite store and the HTML report. With
// --keep-identities they appear in stdout and GSMTAP (so the search below does find them when present).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "src/output/gsmtap.hpp"
#include "support/pcap_frames.hpp"
#include "support/test_support.hpp"
#include "support/udp_capture.hpp"
#include "support/uper_writer.hpp"
#include "tools/synth/l3/encode.hpp"
#include "tools/synth/scene.hpp"

namespace {

using nlohmann::json;
using namespace tw::test;

const std::vector<std::uint8_t> kImsi{2, 6, 2, 0, 1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
const std::string kImsiText = "262019876543210";
const std::uint32_t kTmsi1 = 0xdeadbeef, kTmsi2 = 0x0badcafe;
const std::vector<std::uint8_t> kLteImsi{0, 0, 1, 0, 1, 5, 5, 5, 1, 2, 3, 4, 5, 6, 7};
const std::string kLteImsiText = "001015551234567";

Octets gsmtap(const std::array<std::uint8_t, 23>& octets, const char* channel, std::uint32_t fn) {
  tw::GsmtapBlock b;
  b.arfcn = 62;
  b.fn = fn;
  b.channel = channel;
  b.power_dbm = -40;
  b.snr_db = 20;
  b.octets = octets;
  return bytes_of(tw::GsmtapSender::datagram(b));
}

// 36.331 6.2.2: PCCH-Message c1.paging, pagingRecordList of one record: ue-Identity imsi (15 digits), cn-Domain ps.
Octets lte_page() {
  tw::test::UperWriter w;
  w.put(0, 1);          // PCCH-MessageType: c1
  w.put(0b1000, 4);     // Paging: pagingRecordList present; systemInfoModification, etws, nonCritical absent
  w.put(0, 4);          // SIZE(1..16): 1 record
  w.put(0, 1);          // PagingRecord extension bit
  w.put(0, 1);          // PagingUE-Identity extension bit
  w.put(1, 1);          // imsi
  w.put(15 - 6, 4);     // SIZE(6..21)
  for (auto d : kLteImsi) w.put(d, 4);
  w.put(0, 1);          // cn-Domain ps
  return w.bytes();
}

// QCSuper's GSM RR framing (P1sec/QCSuper src/protocol/gsmtap.py build_gsmtap_ip, src/modules/pcap_dump.py):
// GSMTAP A-bis (type 2), ARFCN field only the uplink flag, the message without its L2 pseudo length octet for
// BCCH/CCCH; in raw IPv4 (link type 228).
Octets qcsuper_abis(std::uint8_t sub_type, const Octets& l3) {
  Octets g{2, 4, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, sub_type, 0, 0, 0};
  return ipv4(udp(4729, 4729, cat(g, l3)));
}
template <std::size_t N>
Octets without_pseudo_length(const std::array<std::uint8_t, N>& block) { return Octets(block.begin() + 1, block.end()); }

std::vector<std::string> forms(const std::vector<std::uint8_t>& imsi_digits, const std::string& text) {
  // The BCD octets as 24.008 10.5.1.4 packs digits 2.. (low nibble first), with and without spaces.
  std::string spaced, compact;
  char b[4];
  for (std::size_t i = 1; i < imsi_digits.size(); i += 2) {
    const int hi = i + 1 < imsi_digits.size() ? imsi_digits[i + 1] : 0xf;
    std::snprintf(b, sizeof b, "%02x", hi << 4 | imsi_digits[i]);
    compact += b;
    spaced += (spaced.empty() ? "" : " ") + std::string(b);
  }
  return {text, compact, spaced};
}

class PcapPrivacy : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto cell = tw::synth::load_scene("single").cells.at(0);
    tw::synth::l3::MobileIdentity imsi;
    imsi.kind = tw::synth::l3::MobileIdentity::Kind::imsi;
    imsi.digits = kImsi;
    std::vector<TimedFrame> frames;
    double t = 1.7e9;
    auto add = [&](const Octets& payload) {
      frames.push_back({t, ethernet(0x0800, ipv4(udp(40000, 4729, payload)))});
      t += 0.01;
    };
    add(gsmtap(tw::synth::l3::encode_si3(cell), "BCCH", 2 * 51 + 2));
    add(gsmtap(tw::synth::l3::encode_paging_request_1({imsi}), "CCCH", 2 * 51 + 6));
    add(gsmtap(tw::synth::l3::encode_paging_request_2(kTmsi1, kTmsi2, nullptr), "CCCH", 2 * 51 + 12));
    write_pcap((dir / "pages.pcap").string(), DLT_EN10MB, frames);
    // The same pages as QCSuper writes them, and an SDCCH Identity Response (24.008 9.2.11) carrying the IMSI:
    // dedicated signalling, counted and never output.
    std::vector<TimedFrame> abis;
    abis.push_back({t, qcsuper_abis(1, without_pseudo_length(tw::synth::l3::encode_si3(cell)))});
    abis.push_back({t + 0.01, qcsuper_abis(2, without_pseudo_length(tw::synth::l3::encode_paging_request_1({imsi})))});
    abis.push_back({t + 0.02, qcsuper_abis(2, without_pseudo_length(
                                                   tw::synth::l3::encode_paging_request_2(kTmsi1, kTmsi2, nullptr)))});
    abis.push_back({t + 0.03, qcsuper_abis(6, {0x05, 0x19, 0x08, 0x29, 0x26, 0x10, 0x89, 0x67, 0x45, 0x23, 0x01})});
    write_pcap((dir / "abis-pages.pcap").string(), 228, abis);
    const Octets page = lte_page();
    write_pcap((dir / "lte-pages.pcap").string(), 147, {{t, mac_lte(false, 1, page, 10, 9)}});
    // Wireshark exported PDUs (link type 252, epan/exported_pdu.h): the page under dissector name (tag 12)
    // "lte_rrc.pcch", and inside GSMTAP (LTE RRC, sub-type PCCH 6) reached through the udp.port table.
    auto tag = [](std::uint16_t t, const Octets& v) {
      Octets o;
      put16(o, t);
      put16(o, static_cast<std::uint16_t>(v.size()));
      return cat(o, v);
    };
    const Octets end{0, 0, 0, 0};
    Octets name = bytes_of("lte_rrc.pcch");
    name.resize(16, 0);
    Octets table = bytes_of("udp.port");
    table.resize(12, 0);
    Octets port;
    put32(port, 4729);
    Octets g{2, 4, 0x0d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0};
    write_pcap((dir / "exported-pages.pcap").string(), 252,
               {{t, cat(cat(tag(12, name), end), page)},
                {t + 0.01, cat(cat(cat(tag(14, table), tag(32, port)), end), cat(g, page))}});
  }
  // Runs analyze on both pcaps with every output; returns everything the run produced, as one text each.
  std::vector<std::pair<std::string, std::string>> outputs(bool keep) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const char* name : {"pages.pcap", "abis-pages.pcap", "lte-pages.pcap", "exported-pages.pcap"}) {
      UdpCapture cap;
      for (const bool json_mode : {true, false}) {
        const auto db = (dir / (std::string(name) + ".db")).string();
        const auto report = (dir / (std::string(name) + ".html")).string();
        std::vector<std::string> args{"analyze", (dir / name).string(), json_mode ? "--json" : "--blocks", "--db", db,
                                      "--report", report, "--verbose", "--gsmtap=127.0.0.1:" + std::to_string(cap.port())};
        if (keep) args.push_back("--keep-identities");
        const auto r = run_towerwatch(args);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        out.push_back({std::string(name) + " stdout", r.out});
        out.push_back({std::string(name) + " stderr", r.err});
        out.push_back({std::string(name) + " db", read_file(db)});
        out.push_back({std::string(name) + " report", read_file(report)});
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      cap.stop();
      std::string all;
      for (const auto& d : cap.datagrams()) all.append(d.payload.begin(), d.payload.end());
      out.push_back({std::string(name) + " gsmtap", all});
      // GSMTAP as hex text too, so that on-air octets are found in the raw datagrams.
      std::string hexed;
      char b[4];
      for (unsigned char c : all) {
        std::snprintf(b, sizeof b, "%02x", c);
        hexed += b;
      }
      out.push_back({std::string(name) + " gsmtap hex", hexed});
    }
    return out;
  }
  TempDir dir;
};

std::vector<std::string> every_identity_form() {
  std::vector<std::string> f = forms(kImsi, kImsiText);
  for (const auto& x : forms(kLteImsi, kLteImsiText)) f.push_back(x);
  for (const char* t : {"deadbeef", "de ad be ef", "0badcafe", "0b ad ca fe"}) f.push_back(t);
  return f;
}

TEST_F(PcapPrivacy, NoIdentityInAnyOutputByDefault) {
  for (const auto& [where, text] : outputs(false)) {
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const auto& f : every_identity_form())
      EXPECT_EQ(lower.find(f), std::string::npos) << "identity form '" << f << "' in " << where;
    if (where.find(" gsmtap") != std::string::npos && where.find("hex") == std::string::npos) {
      // The TMSI octets and the LTE page's octets never go out raw.
      EXPECT_EQ(text.find(std::string{'\xde', '\xad', '\xbe', '\xef'}), std::string::npos) << where;
      const Octets page = lte_page();
      EXPECT_EQ(text.find(std::string(page.begin(), page.end())), std::string::npos) << where;
    }
  }
}

TEST_F(PcapPrivacy, KeepIdentitiesShowsThemAndCountsAreTheSame) {
  const auto kept = outputs(true);
  auto find = [&](const std::string& where_prefix, const std::string& form) {
    for (const auto& [where, text] : kept) {
      std::string lower = text;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (where.rfind(where_prefix, 0) == 0 && lower.find(form) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(find("pages.pcap stdout", kImsiText));
  EXPECT_TRUE(find("pages.pcap stdout", "deadbeef"));
  EXPECT_TRUE(find("pages.pcap gsmtap hex", "deadbeef"));
  EXPECT_TRUE(find("abis-pages.pcap stdout", kImsiText));   // QCSuper's pages: the same, through the same path
  EXPECT_TRUE(find("abis-pages.pcap stdout", "deadbeef"));
  EXPECT_TRUE(find("abis-pages.pcap gsmtap hex", "deadbeef"));
  const Octets page = lte_page();
  std::string page_hex;   // as the JSON "hex" writes octets: spaced
  char b[4];
  for (auto o : page) {
    std::snprintf(b, sizeof b, "%02x", o);
    page_hex += (page_hex.empty() ? "" : " ") + std::string(b);
  }
  EXPECT_TRUE(find("lte-pages.pcap stdout", page_hex));
  EXPECT_TRUE(find("exported-pages.pcap stdout", page_hex));   // the exported-PDU path reaches the output
  // The counts are kept either way.
  const auto r = run_towerwatch({"analyze", (dir / "pages.pcap").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json cell;
  for (const auto& c : lines_of_type(json_lines(r.out), "cell")) cell = c;
  ASSERT_TRUE(cell.is_object()) << r.out;
  EXPECT_EQ(cell["paging"]["messages"], 2);
  EXPECT_EQ(cell["paging"]["imsi"], 1);
  EXPECT_EQ(cell["paging"]["tmsi"], 2);
  // QCSuper's framing gives the same counts; the SDCCH message is counted as skipped, not read.
  const auto a = run_towerwatch({"analyze", (dir / "abis-pages.pcap").string(), "--json"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  json abis_cell;
  for (const auto& c : lines_of_type(json_lines(a.out), "cell")) abis_cell = c;
  ASSERT_TRUE(abis_cell.is_object()) << a.out;
  EXPECT_EQ(abis_cell["paging"], cell["paging"]);
  EXPECT_EQ(lines_of_type(json_lines(a.out), "summary").at(0)["skipped"], json({{"gsm_abis_dedicated_channel", 1}}));
}

}  // namespace
