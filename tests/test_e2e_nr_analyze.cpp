// End to end through the CLI for 5G NR: `towerwatch synth nr` renders the built-in n78 scene (two gNodeBs'
// SS/PBCH blocks), `towerwatch analyze --json` reports every cell, checked against the synthesizer's truth
// file (PCI, GSCN, SSB index, SFN, half-frame, MIB); and the shared recording of a real gNodeB (band n3)
// gives reference.json's PCI, SSB index, SFN 4 LSBs, half-frame and k_SSB MSB.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace {
using nlohmann::json;
using tw::test::json_lines;
}  // namespace

TEST(E2eNrAnalyze, SynthesizedN78CellsMatchTheTruth) {
  tw::test::TempDir dir;
  const auto iq = (dir / "nr.cf32").string();
  auto s = tw::test::run_towerwatch({"synth", "nr", "--duration", "0.03", "-o", iq});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const json truth = json::parse(tw::test::read_file(dir / "nr.truth.json"));
  ASSERT_EQ(truth["nr_cells"].size(), 2u);

  auto a = tw::test::run_towerwatch({"analyze", (dir / "nr.sigmf-meta").string(), "--rat", "nr", "--json"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  std::map<int, json> cells;
  json summary;
  for (const auto& e : json_lines(a.out)) {
    if (e["type"] == "cell") {
      EXPECT_EQ(e["rat"], "NR");
      cells[e["pci"].get<int>()] = e;
    }
    if (e["type"] == "summary") summary = e;
  }
  ASSERT_EQ(cells.size(), 2u) << a.out;
  // 7.68 Msps: the 30 kHz SSB (7.2 MHz) fits at the centre's raster point, not at the outer ones.
  EXPECT_EQ(summary["nr_pbch"], "decodable at some points");
  const double t_search = 0.03;
  for (const auto& c : truth["nr_cells"]) {
    const int pci = c["pci"];
    ASSERT_TRUE(cells.count(pci)) << pci;
    const json& got = cells[pci];
    EXPECT_EQ(got["gscn"], c["gscn"]);
    EXPECT_EQ(got["nr_arfcn"], c["nr_arfcn"]);
    EXPECT_EQ(got["band"], "NR-n78");
    EXPECT_EQ(got["pbch"], "decoded");
    EXPECT_NEAR(got["rsrp_dbfs"].get<double>(), c["power_dbfs"].get<double>(), 1.5);
    EXPECT_NEAR(got["cfo_hz"].get<double>(), c["freq_offset_hz"].get<double>(), 200.0);
    // The SSB reported is one the truth lists within the search window, with its index, SFN and MIB.
    const double t = got["ssb_start_sample"].get<double>() / truth["sample_rate_hz"].get<double>();
    const json* ssb = nullptr;
    for (const auto& x : c["ssbs"])
      if (std::fabs(x["t_s"].get<double>() - t) < 2e-6 && x["t_s"].get<double>() < t_search) ssb = &x;
    ASSERT_TRUE(ssb) << got.dump();
    EXPECT_EQ(got["ssb_index"], (*ssb)["ssb_index"]);
    EXPECT_EQ(got["sfn"], (*ssb)["sfn"]);
    EXPECT_EQ(got["half_frame"], (*ssb)["half_frame"]);
    EXPECT_EQ(got["mib_hex"], (*ssb)["mib_hex"]);
    ASSERT_TRUE(got["mib"].is_object());
    EXPECT_EQ(got["mib"]["sfn"], (*ssb)["sfn"]);
    EXPECT_EQ(got["mib"]["scs_common_khz"], c["scs_common_khz"]);
    EXPECT_EQ(got["mib"]["pdcch_config_sib1"]["control_resource_set_zero"], c["coreset_zero"]);
    EXPECT_EQ(got["k_ssb"].get<int>(), c["k_ssb_msb"].get<int>() * 16 + c["ssb_subcarrier_offset"].get<int>());
  }
}

TEST(E2eNrAnalyze, SharedRecordingAsTheReference) {
  TW_REQUIRE_SHARED(shared);
  std::ifstream in(shared / "captures/nr/reference.json");
  ASSERT_TRUE(in.good());
  const json ref = json::parse(in);
  for (const auto& cap : ref.at("captures")) {
    const auto file = shared / "captures/nr" / cap.at("file").get<std::string>();
    char rate[32], freq[32];
    std::snprintf(rate, sizeof rate, "%.0f", cap.at("sample_rate").get<double>());
    std::snprintf(freq, sizeof freq, "%.0f", cap.at("center_freq").get<double>());
    auto a = tw::test::run_towerwatch({"analyze", file.string(), "--format", "cf32", "--rate", rate, "--freq", freq, "--json"});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    std::vector<json> nr;
    for (const auto& e : json_lines(a.out))
      if (e["type"] == "cell" && e["rat"] == "NR") nr.push_back(e);
    const auto& want = cap.at("cells");
    ASSERT_EQ(nr.size(), want.size()) << a.out;
    for (std::size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(nr[i]["pci"], want[i]["pci"]);
      EXPECT_EQ(nr[i]["nr_arfcn"], cap["ssb_nr_arfcn"]);
      EXPECT_EQ(nr[i]["band"], "NR-" + cap["band"].get<std::string>());
      EXPECT_EQ(nr[i]["ssb_index"], want[i]["ssb_index"]);
      ASSERT_TRUE(nr[i]["sfn"].is_number());
      EXPECT_EQ(nr[i]["sfn"].get<int>() % 16, want[i]["sfn_4lsb"].get<int>());
      EXPECT_EQ(nr[i]["half_frame"], want[i]["half_frame"]);
      EXPECT_EQ(nr[i]["k_ssb_msb"], want[i]["k_ssb_msb"]);
      EXPECT_EQ(nr[i]["k_ssb"].get<int>() / 16, want[i]["k_ssb_msb"].get<int>());
      // reference.json's notes: CORESET#0 index 6.
      EXPECT_EQ(nr[i]["mib"]["pdcch_config_sib1"]["control_resource_set_zero"], 6);
    }
  }
}
