// MAC-LTE framed pcaps from a simulated eNodeB: the synthesizer's SIB encoder (tools/synth/lte, written from
// the ASN.1 independently of the receiver's decoder) gives SIB1 and the SI messages of a scene's LTE cell;
// they are framed as srsRAN writes them (link type 147, no start string) and as the UDP encapsulation
// ("mac-lte" start string, any port), with the MIB on the BCH and a page on P-RNTI. `towerwatch analyze`
// must give one LTE cell whose PLMN, TAC and cell identity are the scene's keys, with its SIBs.
#include <gtest/gtest.h>

#include "dsp/lte/mib.hpp"
#include "support/pcap_frames.hpp"
#include "support/test_support.hpp"
#include "support/uper_writer.hpp"
#include "tools/synth/lte/sib_encoder.hpp"
#include "tools/synth/scene.hpp"

namespace {

using nlohmann::json;
using namespace tw::test;
using tw::test::UperWriter;

const char* kScene = R"({"seed":3,"noise_dbfs":-70,"lte_cells":[{"earfcn":1300,"pci":150,"ports":2,"bandwidth_prb":50,
  "mcc":262,"mnc":"03","tac":4242,"cell_identity":180150273}]})";

struct Enb {
  Octets sib1;
  std::vector<Octets> si;
  Octets mib;
};

Enb simulated_enb() {
  const auto scene = tw::synth::parse_scene_with_lte_text(kScene, "test scene");
  const auto& cell = scene.lte_cells.at(0);
  Enb e;
  e.sib1 = tw::synth::lte::encode_sib1(cell.system_info);
  for (auto& m : tw::synth::lte::encode_si_messages(cell.system_info)) e.si.push_back(m);
  tw::dsp::lte::Mib mib;
  mib.bandwidth_prb = 50;
  mib.sfn = 0;
  const auto packed = tw::dsp::lte::pack_mib(mib);
  e.mib.assign(packed.begin(), packed.end());
  return e;
}

// 36.331 6.2.2 Paging with two records: s-TMSI (mmec, m-TMSI) and a 15-digit IMSI, cn-Domain ps.
Octets two_records() {
  UperWriter w;
  w.put(0, 1).put(0b1000, 4).put(1, 4);        // c1; pagingRecordList only; 2 records
  w.put(0, 1).put(0, 1).put(0, 1).put(0x5a, 8).put(0x12345678, 32).put(0, 1);
  w.put(0, 1).put(0, 1).put(1, 1).put(9, 4);
  for (int d = 0; d < 15; ++d) w.put(d % 10, 4);
  w.put(0, 1);
  return w.bytes();
}

// 1.28 s of an eNodeB: MIB every 40 ms (SFN mod 4 = 0, subframe 0), SIB1 every 80 ms (subframe 5, SFN even
// mod 8 = 0), each SI message every 160 ms; SI-RNTI transport blocks padded to 4 more octets (the MAC pads a
// transparent PDU to the transport block). A page on P-RNTI carries nothing the record keeps.
std::vector<Octets> pdus(const Enb& e, bool udp_framing, std::vector<double>& times) {
  std::vector<Octets> out;
  auto frame = [&](std::uint8_t rnti_type, const Octets& pdu, int sfn, int sf) {
    const Octets m = mac_lte(udp_framing, rnti_type, pdu, sfn, sf);
    out.push_back(udp_framing ? ethernet(0x0800, ipv4(udp(40000, 9999, m))) : m);
    times.push_back(1.7e9 + sfn * 0.01 + sf * 0.001);
  };
  for (int sfn = 0; sfn < 128; ++sfn) {
    if (sfn % 4 == 0) frame(0, e.mib, sfn, 0);
    if (sfn % 8 == 0) {
      Octets padded = e.sib1;
      padded.resize(padded.size() + 4, 0);
      frame(4, padded, sfn, 5);
    }
    for (std::size_t i = 0; i < e.si.size(); ++i)
      if (sfn % 16 == static_cast<int>(2 + 2 * i)) frame(4, e.si[i], sfn, 0);
    if (sfn % 32 == 7) frame(1, Octets{0x10}, sfn, 9);   // Paging: systemInfoModification only (36.331 6.2.2)
    if (sfn % 32 == 15) frame(1, two_records(), sfn, 9);   // Paging: an S-TMSI and an IMSI
  }
  return out;
}

void check(const std::string& path, const Enb& e) {
  const auto report = path + ".html";
  const auto r = run_towerwatch({"analyze", path, "--json", "--report", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(report).find("4242"), std::string::npos);   // the report shows the cell (its TAC)
  // The text table too.
  const auto text = run_towerwatch({"analyze", path});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("262-03"), std::string::npos) << text.out;
  const auto lines = json_lines(r.out);
  std::vector<json> cells;
  for (const auto& c : lines_of_type(lines, "cell"))
    if (c["rat"] == "LTE") cells.push_back(c);
  ASSERT_EQ(cells.size(), 1u) << r.out;
  const json& c = cells[0];
  const json scene = json::parse(kScene)["lte_cells"][0];
  EXPECT_EQ(c["mcc"], scene["mcc"]);
  EXPECT_EQ(c["mnc"], scene["mnc"]);
  EXPECT_EQ(c["tac"], scene["tac"]);
  EXPECT_EQ(c["cell_identity"], scene["cell_identity"]);
  EXPECT_EQ(c["enb_id"], scene["cell_identity"].get<int>() >> 8);   // 36.300 / 23.003: ECI = eNB id (20 bits) + cell (8)
  EXPECT_EQ(c["bandwidth_prb"], 50);                                  // from the MIB on the BCH
  const auto sibs = c["sibs_seen"].get<std::vector<std::string>>();
  EXPECT_EQ(sibs.front(), "SIB1");
  EXPECT_NE(std::find(sibs.begin(), sibs.end(), "SIB2"), sibs.end());
  EXPECT_NE(std::find(sibs.begin(), sibs.end(), "SIB3"), sibs.end());
  EXPECT_EQ(c["paging"]["messages"], 8);
  EXPECT_EQ(c["paging"]["tmsi"], 4);
  EXPECT_EQ(c["paging"]["imsi"], 4);
  EXPECT_EQ(c["paging"]["malformed"], 0);
  EXPECT_TRUE(c["pci"].is_null());        // MAC-LTE framing carries no PCI
  EXPECT_EQ(c["duplex"], "FDD");
  std::string sib1_hex;
  for (auto o : e.sib1) {
    char b[3];
    std::snprintf(b, sizeof b, "%02x", o);
    sib1_hex += b;
  }
  EXPECT_EQ(c["sib1"].get<std::string>().substr(0, sib1_hex.size()), sib1_hex);
  // Every MIB, SIB1 and SI message is an lte_block event; pages have no octets in the output.
  int pages = 0;
  for (const auto& b : lines_of_type(lines, "lte_block"))
    if (b["channel"] == "PCCH") {
      ++pages;
      EXPECT_FALSE(b.contains("hex"));
    }
  EXPECT_EQ(pages, 8);
  const auto summary = lines_of_type(lines, "summary").at(0);
  EXPECT_EQ(summary["skipped"], json::object());
  EXPECT_EQ(summary["lte_messages"], summary["frames"]);
}

TEST(PcapMacLte, LinkType147FromASimulatedEnodeb) {
  TempDir dir;
  const Enb e = simulated_enb();
  std::vector<double> t;
  const auto frames = pdus(e, false, t);
  std::vector<TimedFrame> tf;
  for (std::size_t i = 0; i < frames.size(); ++i) tf.push_back({t[i], frames[i]});
  write_pcap((dir / "enb.pcap").string(), 147, tf);
  check((dir / "enb.pcap").string(), e);
}

TEST(PcapMacLte, UdpEncapsulationFromASimulatedEnodeb) {
  TempDir dir;
  const Enb e = simulated_enb();
  std::vector<double> t;
  const auto frames = pdus(e, true, t);
  std::vector<TimedFrame> tf;
  for (std::size_t i = 0; i < frames.size(); ++i) tf.push_back({t[i], frames[i]});
  // A name without a pcap extension: the magic number decides.
  write_pcap((dir / "enb.capture").string(), DLT_EN10MB, tf);
  check((dir / "enb.capture").string(), e);
}

}  // namespace
