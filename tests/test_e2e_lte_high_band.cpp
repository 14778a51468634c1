// Issue 20 ("Around it"): a capture centred above 3.24 GHz, where 100 ppm of the carrier is more than the
// 1.92 Msps LTE search holds (324 kHz), is searched with the widest window it allows and says so; before,
// `analyze` stopped on "LTE search window: max_cfo_hz 350280 Hz outside (0, 324000]" before any search.
// Truth: the synthesizer's scene (a band-42 TDD cell at 3502.8 MHz, EARFCN 42618 by TS 36.101 table 5.7.3-1,
// seen through a receiver 10 ppm off).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/test_support.hpp"

namespace {

using nlohmann::json;

TEST(E2eLteHighBand, CaptureAt3p5GHzIsSearchedWithTheWindowItAllows) {
  tw::test::TempDir dir;
  tw::test::write_file(dir / "scene.json", R"({"seed":5, "noise_dbfs":-90, "receiver_ppm":10,
    "lte_cells":[{"earfcn":42618, "pci":77, "ports":1, "bandwidth_prb":25, "power_dbfs":-60, "duplex":"TDD",
                  "first_sfn":40}]})");
  const auto iq = (dir / "b42.cf32").string();
  const auto s = tw::test::run_towerwatch({"synth", (dir / "scene.json").string(), "--rate", "1.92M", "--duration",
                                           "0.1", "-o", iq});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const json truth = json::parse(tw::test::read_file(dir / "b42.truth.json"));
  ASSERT_EQ(truth["lte_cells"].size(), 1u);

  const auto a = tw::test::run_towerwatch({"analyze", iq, "--json", "--rat", "lte"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto lines = tw::test::json_lines(a.out);
  json cell;
  for (const auto& e : tw::test::lines_of_type(lines, "cell"))
    if (e.value("rat", "") == "LTE") cell = e;
  ASSERT_FALSE(cell.is_null()) << a.out << a.err;
  EXPECT_EQ(cell["pci"], 77);
  EXPECT_EQ(cell["duplex"], "TDD");
  EXPECT_EQ(cell["earfcn"], 42618);
  EXPECT_EQ(cell["band"], "LTE-B42");
  EXPECT_EQ(cell["freq_hz"], 3502.8e6);
  // 10 ppm of 3502.8 MHz: the receiver sees the carrier 35 kHz high (the synthesizer's sign), found inside the
  // narrowed window.
  EXPECT_NEAR(cell["carrier_offset_ppm"].get<double>(), 10.0, 0.5);
  // The summary says what was narrowed: 100 ppm of the centre (350280 Hz) to the 324 kHz the search holds.
  const auto summaries = tw::test::lines_of_type(lines, "summary");
  ASSERT_FALSE(summaries.empty());
  const json& sum = summaries.back();
  ASSERT_TRUE(sum.contains("lte_search_notes")) << sum.dump();
  ASSERT_EQ(sum["lte_search_notes"].size(), 1u);
  const json& n = sum["lte_search_notes"][0];
  EXPECT_NEAR(n["max_cfo_hz_wanted"].get<double>(), 350280.0, 1.0);
  EXPECT_NEAR(n["max_cfo_hz"].get<double>(), 324000.0, 1.0);
  EXPECT_NE(n["note"].get<std::string>().find("narrowed"), std::string::npos);
  EXPECT_NE(a.err.find("narrowed"), std::string::npos) << a.err;  // also a warning on stderr
}

}  // namespace
