// End to end through the CLI: the baseline learns NR cells from `towerwatch analyze --db` of the synthesizer's
// built-in scene "nr" (two n78 gNodeBs, PCI 301 and 302 at GSCN 7880, CORESET#0 12; tools/synth/scenes_builtin.cpp)
// and judges a capture where PCI 301 is cloned by a fake gNodeB: another controlResourceSetZero (scene key
// "coreset_zero") and its own oscillator 17.5 kHz (about 5 ppm) off; two new PCIs on the legitimate cells'
// offset give F1 its median. Expected: exactly one alert, on the clone, with N1 naming the changed field and
// its learned value, and F1; the legitimate capture again: no alert.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace {
using nlohmann::json;

std::vector<json> alerts_of(const std::string& out) { return tw::test::lines_of_type(tw::test::json_lines(out), "alert"); }
}  // namespace

TEST(E2eNrRules, ClonedPciWithAnotherMibAlertsLegitimateDoesNot) {
  tw::test::TempDir dir;
  const auto db = (dir / "site.db").string();
  auto s = tw::test::run_towerwatch({"synth", "nr", "--duration", "0.03", "--rate", "7.68M", "-o", (dir / "nr.cf32").string()});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const json truth = json::parse(tw::test::read_file(dir / "nr.truth.json"));
  for (int i = 0; i < 2; ++i) {
    auto a = tw::test::run_towerwatch({"analyze", (dir / "nr.sigmf-meta").string(), "--rat", "nr", "--json", "--db", db});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    EXPECT_TRUE(alerts_of(a.out).empty()) << a.out;
  }
  auto l = tw::test::run_towerwatch({"baseline", "learn", "--db", db, "--json"});
  ASSERT_EQ(l.exit_code, 0) << l.err;
  EXPECT_EQ(tw::test::json_lines(l.out).at(0)["cells_new"], 2) << l.out;

  // No false alarm: the legitimate capture judged against what it taught.
  auto again = tw::test::run_towerwatch({"analyze", (dir / "nr.sigmf-meta").string(), "--rat", "nr", "--json", "--db", db});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(alerts_of(again.out).empty()) << again.out;

  // The clone: the built-in scene's cells with PCI 301's CORESET#0 and oscillator changed, two more PCIs.
  json cells = json::array();
  int learned_coreset = -1;
  for (const auto& t : truth["nr_cells"]) {
    json c = json::object();   // the truth's scene keys (tools/synth/nr/nr_cell_config.hpp), not its derived ones
    for (const char* k : {"gscn", "pci", "ssb_indices", "scs_common_khz", "ssb_subcarrier_offset", "k_ssb_msb",
                          "dmrs_type_a_position", "coreset_zero", "search_space_zero", "cell_barred",
                          "intra_freq_reselection_allowed", "power_dbfs", "freq_offset_hz", "delay_us"})
      if (t.contains(k)) c[k] = t[k];
    if (c["pci"] == 301) {
      learned_coreset = c["coreset_zero"];
      c["coreset_zero"] = 5;
      c["freq_offset_hz"] = 17500.0;
    } else {
      for (int pci : {303, 305}) {
        json extra = c;
        extra["pci"] = pci;
        extra["ssb_indices"] = json::array({pci == 303 ? 1 : 3});
        extra["delay_us"] = pci == 303 ? 4100.0 : 5300.0;
        cells.push_back(extra);
      }
    }
    cells.push_back(c);
  }
  ASSERT_EQ(learned_coreset, 12);
  tw::test::write_file(dir / "clone.json",
                       json{{"name", "nr-clone"}, {"seed", 5}, {"noise_dbfs", -80}, {"nr_cells", cells}}.dump());
  s = tw::test::run_towerwatch({"synth", (dir / "clone.json").string(), "--duration", "0.03", "--rate", "7.68M", "-o",
                                (dir / "clone.cf32").string()});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  auto c = tw::test::run_towerwatch({"analyze", (dir / "clone.sigmf-meta").string(), "--rat", "nr", "--json", "--db", db});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const auto alerts = alerts_of(c.out);
  ASSERT_EQ(alerts.size(), 1u) << c.out;
  EXPECT_EQ(alerts[0]["cell"]["pci"], 301);
  EXPECT_EQ(alerts[0]["cell"]["gscn"], 7880);
  const json* n1 = nullptr;
  bool f1 = false;
  for (const auto& r : alerts[0]["reasons"]) {
    if (r["rule"] == "N1") n1 = &r;
    f1 = f1 || r["rule"] == "F1";
  }
  ASSERT_TRUE(n1) << alerts[0].dump();
  EXPECT_TRUE(f1) << alerts[0].dump();
  EXPECT_EQ((*n1)["evidence"]["pci"], 301);
  EXPECT_EQ((*n1)["evidence"]["gscn"], 7880);
  ASSERT_EQ((*n1)["evidence"]["changed"].size(), 1u);
  EXPECT_EQ((*n1)["evidence"]["changed"][0]["field"], "pdcch_config_sib1.control_resource_set_zero");
  EXPECT_EQ((*n1)["evidence"]["changed"][0]["now"], 5);
  EXPECT_EQ((*n1)["evidence"]["changed"][0]["learned"], json::array({learned_coreset}));
  EXPECT_NE((*n1)["detail"].get<std::string>().find("controlResourceSetZero 5 (learned 12)"), std::string::npos);
}
