// LTE System Information end to end through the CLI: `towerwatch synth` renders a scene whose LTE cell sends
// SIB1 and SI messages built from its scene keys (identity, TAC, reselection priorities, neighbour carriers,
// GERAN carriers), and `towerwatch analyze --json` must report what the scene set, with SIB1's octets equal
// to the truth file's transmissions; seen through an RTL-SDR-like 1.92 Msps capture, the same 10 MHz cell keeps
// its MIB and says why it has no SIB1.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/test_support.hpp"

namespace {

using nlohmann::json;

const char* kScene = R"({"seed":3, "noise_dbfs":-95, "lte_cells":[{"earfcn":1300, "pci":123, "ports":2,
  "bandwidth_prb":50, "power_dbfs":-60, "cfi":2, "first_sfn":200,
  "mcc":262, "mnc":"07", "tac":4711, "cell_identity":12345678, "q_rx_lev_min":-64,
  "scheduling":[{"periodicity_rf":8, "sibs":["SIB3"]}, {"periodicity_rf":16, "sibs":["SIB5", "SIB7"]}],
  "si_window_ms":10,
  "sibs":{"sib3":{"cell_reselection_priority":5},
          "sib5":{"carriers":[{"earfcn":6300, "cell_reselection_priority":4}, {"earfcn":3050, "cell_reselection_priority":6}]},
          "sib7":{"carriers":[{"starting_arfcn":512, "band_indicator":"dcs1800", "arfcns":[514, 518],
                               "cell_reselection_priority":2}]}}}]})";

json lte_cell(const std::string& out) {
  json cell;
  for (const auto& e : tw::test::lines_of_type(tw::test::json_lines(out), "cell"))
    if (e.value("rat", "") == "LTE") cell = e;
  return cell;
}

TEST(E2eLteSi, SceneKeysComeBackFromTheAir) {
  tw::test::TempDir dir;
  tw::test::write_file(dir / "scene.json", kScene);
  const auto iq = (dir / "lte.cf32").string();
  const auto s = tw::test::run_towerwatch({"synth", (dir / "scene.json").string(), "--rate", "15.36M", "--duration",
                                           "0.2", "-o", iq});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const json truth = json::parse(tw::test::read_file(dir / "lte.truth.json"));
  ASSERT_EQ(truth["lte_cells"].size(), 1u);
  std::string sib1_hex;
  for (const auto& t : truth["lte_cells"][0]["si_transmissions"])
    if (t["message"] == "SIB1") sib1_hex = t["hex"].get<std::string>();
  ASSERT_FALSE(sib1_hex.empty());

  const auto a = tw::test::run_towerwatch({"analyze", iq, "--json", "--rat", "lte"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const json c = lte_cell(a.out);
  ASSERT_FALSE(c.is_null()) << a.out;
  EXPECT_EQ(c["pci"], 123);
  ASSERT_TRUE(c["sib1"].is_string()) << c.value("sib1_error", json()).dump();
  // The transport block: the message the truth lists, then zero padding to the TBS (36.321 6.1.1: a BCCH
  // transport block carries the RRC message alone).
  const std::string got = c["sib1"].get<std::string>();
  EXPECT_EQ(got.substr(0, sib1_hex.size()), sib1_hex);
  EXPECT_EQ(got.find_first_not_of('0', sib1_hex.size()), std::string::npos) << got;
  EXPECT_EQ(c["mcc"], 262);
  EXPECT_EQ(c["mnc"], "07");
  EXPECT_EQ(c["tac"], 4711);
  EXPECT_EQ(c["cell_identity"], 12345678);
  EXPECT_EQ(c["enb_id"], 12345678 >> 8);
  EXPECT_EQ(c["sector"], 12345678 & 0xff);
  EXPECT_EQ(c["q_rx_lev_min_dbm"], -128);   // IE x 2 dBm (36.331 6.3.4 Q-RxLevMin)
  EXPECT_EQ(c["freq_band_indicator"], 3);   // the EARFCN's band (36.101 table 5.7.3-1: 1200..1949)
  EXPECT_EQ(c["si_window_ms"], 10);
  // Both SI messages are in 0.2 s (periods of 80 and 160 ms).
  ASSERT_TRUE(c.contains("sib3")) << c.dump();
  EXPECT_EQ(c["sib3"]["cell_reselection_priority"], 5);
  ASSERT_TRUE(c.contains("sib5")) << c.dump();
  ASSERT_EQ(c["sib5"]["carriers"].size(), 2u);
  EXPECT_EQ(c["sib5"]["carriers"][0]["earfcn"], 6300);
  EXPECT_EQ(c["sib5"]["carriers"][0]["priority"], 4);
  EXPECT_EQ(c["sib5"]["carriers"][1]["priority"], 6);
  ASSERT_TRUE(c.contains("sib7")) << c.dump();
  EXPECT_EQ(c["sib7"]["carrier_sets"][0]["priority"], 2);
  // CarrierFreqsGERAN (36.331 6.3.4): startingARFCN and the explicit list of following ARFCNs make the set.
  EXPECT_EQ(c["sib7"]["carrier_sets"][0]["arfcns"], json({512, 514, 518}));
  for (const char* sib : {"SIB1", "SIB2", "SIB3", "SIB5", "SIB7"})
    EXPECT_NE(std::find(c["sibs_seen"].begin(), c["sibs_seen"].end(), sib), c["sibs_seen"].end()) << sib;
  // Every message is also an lte_block line (MIB, SIB1, SystemInformation).
  int sib1_blocks = 0, si_blocks = 0;
  for (const auto& b : tw::test::lines_of_type(tw::test::json_lines(a.out), "lte_block")) {
    sib1_blocks += b["message"] == "SystemInformationBlockType1";
    si_blocks += b["message"] == "SystemInformation";
  }
  EXPECT_EQ(sib1_blocks, 1);
  EXPECT_EQ(si_blocks, 2);
}

TEST(E2eLteSi, NarrowCaptureKeepsTheMibAndSaysWhy) {
  tw::test::TempDir dir;
  tw::test::write_file(dir / "scene.json", kScene);
  const auto iq = (dir / "narrow.cf32").string();
  const auto s = tw::test::run_towerwatch({"synth", (dir / "scene.json").string(), "--rate", "1.92M", "--duration",
                                           "0.1", "-o", iq});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const auto a = tw::test::run_towerwatch({"analyze", iq, "--json", "--rat", "lte"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const json c = lte_cell(a.out);
  ASSERT_FALSE(c.is_null()) << a.out;
  EXPECT_EQ(c["pci"], 123);
  EXPECT_TRUE(c["mib"].is_string());
  EXPECT_TRUE(c["sib1"].is_null());
  ASSERT_TRUE(c["sib1_error"].is_string());
  EXPECT_NE(c["sib1_error"].get<std::string>().find("bandwidth not captured"), std::string::npos) << c["sib1_error"];
  EXPECT_FALSE(c.contains("mcc"));
}

}  // namespace
