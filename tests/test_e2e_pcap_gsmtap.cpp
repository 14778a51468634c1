// Acceptance of pcap input: the 7-cell scene with a rogue (city-with-rogue) is synthesized, `towerwatch
// analyze` decodes the IQ and sends its GSMTAP to a loopback UDP socket of this test; the datagrams received
// (real packets, with their receive times) are written to a pcap with Ethernet/IPv4/UDP headers by libpcap.
// `towerwatch analyze` of that pcap must give the same cells (ARFCN, MCC, MNC, LAC, CI, neighbours, T3212,
// CRO, SI seen) and the same alerted cell as the IQ file, and the synthesizer's truth agrees with both.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "support/pcap_frames.hpp"
#include "support/udp_capture.hpp"
#include "support/test_support.hpp"

namespace {

using nlohmann::json;
using namespace tw::test;

std::map<int, json> gsm_cells_by_arfcn(const std::vector<json>& lines) {
  std::map<int, json> cells;   // the last record per ARFCN
  for (const auto& e : lines)
    if (e["type"] == "cell" && e["rat"] == "GSM" && e["arfcn"].is_number()) cells[e["arfcn"].get<int>()] = e;
  return cells;
}
std::set<int> alerted_arfcns(const std::vector<json>& lines) {
  std::set<int> s;
  for (const auto& a : lines_of_type(lines, "alert")) s.insert(a["cell"]["arfcn"].get<int>());
  return s;
}

TEST(E2ePcapGsmtap, OwnGsmtapOfTheRogueSceneGivesTheSameCellsAndAlert) {
  TempDir dir;
  auto s = run_towerwatch({"synth", "city-with-rogue", "--rate", "4.8M", "--duration", "3", "-o", (dir / "city.cu8").string()});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const json truth = json::parse(read_file(dir / "city.truth.json"));

  UdpCapture cap;
  auto iq = run_towerwatch({"analyze", (dir / "city.sigmf-meta").string(), "--json", "--rat", "gsm",
                            "--gsmtap=127.0.0.1:" + std::to_string(cap.port())});
  ASSERT_EQ(iq.exit_code, 0) << iq.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  cap.stop();
  const auto iq_lines = json_lines(iq.out);
  const auto blocks = lines_of_type(iq_lines, "gsm_block");
  ASSERT_GT(blocks.size(), 100u);
  ASSERT_EQ(cap.datagrams().size(), blocks.size()) << "every block sent over GSMTAP was received";

  std::vector<TimedFrame> frames;
  for (const auto& d : cap.datagrams())
    frames.push_back({d.time_s, ethernet(0x0800, ipv4(udp(d.src_port, cap.port(), d.payload)))});
  const auto pcap_path = (dir / "city-gsmtap.pcap").string();
  write_pcap(pcap_path, DLT_EN10MB, frames);

  auto pc = run_towerwatch({"analyze", pcap_path, "--json", "--gsmtap-port", std::to_string(cap.port())});
  ASSERT_EQ(pc.exit_code, 0) << pc.err;
  const auto pc_lines = json_lines(pc.out);
  const auto summary = lines_of_type(pc_lines, "summary");
  ASSERT_EQ(summary.size(), 1u);
  // Every datagram is read, but the SDCCH/4 and SACCH/C4 blocks of the combined-CCCH cell (B-1), which are
  // counted and not read (one phone's dedicated signalling).
  std::size_t dedicated = 0;
  for (const auto& b : blocks) dedicated += b["channel"].get<std::string>().rfind("S", 0) == 0 ? 1 : 0;
  EXPECT_EQ(summary[0]["frames"], frames.size());
  EXPECT_EQ(summary[0]["gsm_blocks"], frames.size() - dedicated);
  if (dedicated) EXPECT_EQ(summary[0]["skipped"], json({{"gsm_dedicated_channel", dedicated}}));
  else EXPECT_EQ(summary[0]["skipped"], json::object());
  EXPECT_NE(pc.err.find(std::to_string(frames.size()) + " frames"), std::string::npos) << pc.err;

  const auto from_iq = gsm_cells_by_arfcn(iq_lines), from_pcap = gsm_cells_by_arfcn(pc_lines);
  ASSERT_EQ(from_iq.size(), 7u);
  ASSERT_EQ(from_pcap.size(), from_iq.size());
  for (const auto& [arfcn, a] : from_iq) {
    ASSERT_TRUE(from_pcap.count(arfcn)) << arfcn;
    const json& b = from_pcap.at(arfcn);
    for (const char* k : {"band", "freq_hz", "mcc", "mnc", "lac", "ci", "neighbors", "t3212", "cro", "si_seen",
                          "cell_barred", "ccch_conf", "bs_ag_blks_res", "gprs", "rac", "si2quater", "cell_allocation"})
      EXPECT_EQ(a.value(k, json()), b.value(k, json())) << "ARFCN " << arfcn << " " << k;
    // GSMTAP has no BSIC and no frequency error: the pcap record says so rather than guessing.
    EXPECT_TRUE(b["bsic"].is_null());
    EXPECT_FALSE(b.contains("cfo_hz"));
    // The level is the GSMTAP signal field: the IQ receiver's dBFS, rounded per block to 1 dB.
    EXPECT_NEAR(a["power_dbfs"].get<double>(), b["power_dbfs"].get<double>(), 1.5) << arfcn;
  }
  // The truth: the rogue (ARFCN 64) with its cloned identity and foreign LAC.
  for (const auto& c : truth["cells"]) {
    const int arfcn = c["arfcn"];
    ASSERT_TRUE(from_pcap.count(arfcn)) << arfcn;
    EXPECT_EQ(from_pcap.at(arfcn)["lac"], c["lac"]);
    EXPECT_EQ(from_pcap.at(arfcn)["ci"], c["ci"]);
  }
  const auto alerts_iq = alerted_arfcns(iq_lines), alerts_pcap = alerted_arfcns(pc_lines);
  EXPECT_EQ(alerts_iq, std::set<int>{64});
  EXPECT_EQ(alerts_pcap, alerts_iq);
  // The reasons: the pcap's are the IQ's, less those that need what GSMTAP does not carry (F1: the carrier's
  // frequency error; C1: the BSIC).
  auto rules = [](const std::vector<json>& lines) {
    std::set<std::string> r;
    for (const auto& a : lines_of_type(lines, "alert"))
      for (const auto& x : a["reasons"]) r.insert(x["rule"].get<std::string>());
    return r;
  };
  const auto r_iq = rules(iq_lines), r_pcap = rules(pc_lines);
  for (const auto& r : r_pcap) EXPECT_TRUE(r_iq.count(r)) << r << " fired on the pcap only";
  for (const auto& r : r_iq) {
    if (!r_pcap.count(r)) {
      EXPECT_TRUE(r == "F1" || r == "C1") << r << " fired on the IQ only";
    }
  }
  EXPECT_GE(r_pcap.size(), 5u);
}

// The LTE half: towerwatch's GSMTAP LTE RRC (MIB, SIB1, SI messages) of a synthesized eNodeB, captured over
// loopback and written as raw IPv4 packets (LINKTYPE_IPV4), gives the LTE cell of the IQ analysis: EARFCN,
// PLMN, TAC, cell identity, the SIBs seen and SIB1's octets (GSMTAP carries no PCI: the record says null).
TEST(E2ePcapGsmtap, OwnLteGsmtapGivesTheSameLteCell) {
  TempDir dir;
  write_file(dir / "scene.json", R"({"seed":3, "noise_dbfs":-95, "lte_cells":[{"earfcn":1300, "pci":123, "ports":2,
    "bandwidth_prb":50, "power_dbfs":-60, "cfi":2, "first_sfn":200, "mcc":262, "mnc":"07", "tac":4711,
    "cell_identity":12345678}]})");
  const auto iq_path = (dir / "lte.cf32").string();
  auto s = run_towerwatch({"synth", (dir / "scene.json").string(), "--rate", "15.36M", "--duration", "0.2", "-o", iq_path});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  UdpCapture cap;
  auto iq = run_towerwatch({"analyze", iq_path, "--json", "--rat", "lte", "--gsmtap=127.0.0.1:" + std::to_string(cap.port())});
  ASSERT_EQ(iq.exit_code, 0) << iq.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  cap.stop();
  const auto iq_lines = json_lines(iq.out);
  ASSERT_EQ(cap.datagrams().size(), lines_of_type(iq_lines, "lte_block").size());
  std::vector<TimedFrame> frames;
  for (const auto& d : cap.datagrams()) frames.push_back({d.time_s, ipv4(udp(d.src_port, cap.port(), d.payload))});
  const auto pcap_path = (dir / "lte-gsmtap.pcap").string();
  write_pcap(pcap_path, 228, frames);
  auto pc = run_towerwatch({"analyze", pcap_path, "--json", "--gsmtap-port", std::to_string(cap.port())});
  ASSERT_EQ(pc.exit_code, 0) << pc.err;
  auto lte_cells = [](const std::vector<json>& lines) {
    std::vector<json> v;
    for (const auto& c : lines_of_type(lines, "cell"))
      if (c["rat"] == "LTE") v.push_back(c);
    return v;
  };
  const auto a = lte_cells(iq_lines), b = lte_cells(json_lines(pc.out));
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u) << pc.out;
  ASSERT_TRUE(a[0]["sib1"].is_string());
  for (const char* k : {"earfcn", "band", "freq_hz", "mcc", "mnc", "tac", "cell_identity", "enb_id", "sibs_seen", "sib1",
                        "bandwidth_prb", "phich", "sib2", "sib3"})
    EXPECT_EQ(a[0].value(k, json()), b[0].value(k, json())) << k;
  EXPECT_EQ(b[0]["mcc"], 262);
  EXPECT_EQ(b[0]["tac"], 4711);
  EXPECT_EQ(b[0]["cell_identity"], 12345678);
  EXPECT_TRUE(b[0]["pci"].is_null());
}

}  // namespace
