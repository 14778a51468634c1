// End to end: the synthesizer's built-in scenes swept through the simulated radio and decoded by the real
// receiver (`towerwatch demo --json --scene NAME`), the cell records scored. The truth is the scene's
// definition (tools/synth/scenes_builtin.cpp): "city-with-rogue" adds one rogue on ARFCN 64 that clones
// operator 262-01 with LAC 4711, an empty neighbour list, CRO 63, T3212 1, a 2.5 ppm oscillator and
// non-hopping assignments; "city" is the same network without it.
#include <gtest/gtest.h>

#include <set>

#include "src/scorer/scorer.hpp"
#include "support/test_support.hpp"

namespace {

tw::SweepObservations decode_scene(const std::string& scene, std::size_t expected_cells,
                                   const std::string& bands = "GSM900") {
  auto r = tw::test::run_towerwatch({"demo", "--json", "--scene", scene, "--band", bands});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  tw::SweepObservations s;
  s.time_unix_ms = 1700000000000;
  s.sensor_id = "demo";
  for (const auto& j : tw::test::json_lines(r.out))
    if (j.value("type", "") == "cell") s.cells.push_back(tw::CellObservation::from_cell_record(j, s.time_unix_ms, "demo"));
  EXPECT_EQ(s.cells.size(), expected_cells) << r.out;
  return s;
}

std::set<std::string> rule_ids(const tw::Alert& a) {
  std::set<std::string> ids;
  for (const auto& r : a.reasons) ids.insert(r.rule);
  return ids;
}

TEST(ScorerE2E, CityWithRogueGivesExactlyOneAlertOnTheRogue) {
  auto s = decode_scene("city-with-rogue", 7);
  auto alerts = tw::score_sweep(s, nullptr);
  ASSERT_EQ(alerts.size(), 1u);
  const auto& a = alerts[0];
  EXPECT_EQ(a.cell.arfcn, 64);
  EXPECT_EQ(a.cell.lac, 4711);
  EXPECT_EQ(a.cell.ci, 10099);
  const auto ids = rule_ids(a);
  for (const char* id : {"A2", "K1", "K2", "T1", "F1"}) EXPECT_TRUE(ids.count(id)) << "missing " << id;
  EXPECT_GE(a.score, 2.6);
  // Every reason carries the values that made it fire.
  for (const auto& r : a.reasons) {
    if (r.rule == "K2") {
      EXPECT_EQ(r.evidence["cro_db"], 126);   // 45.008 9: CRO 63 x 2 dB
    } else if (r.rule == "T1") {
      EXPECT_EQ(r.evidence["minutes"], 6);    // T3212 1 decihour
    } else if (r.rule == "F1") {
      EXPECT_NEAR(r.evidence["cfo_residual_ppb"].get<double>(), 2500.0, 100.0);   // the scene's 2.5 ppm
    }
  }
  auto j = tw::to_json(a);
  EXPECT_EQ(j["type"], "alert");
  EXPECT_EQ(j["cell"]["arfcn"], 64);
  EXPECT_EQ(j["reasons"].size(), a.reasons.size());
  std::cout << j.dump() << "\n";   // for the report: the alert as `towerwatch demo` will print it

  // Without the receiver's calibration (analyze of one capture), F1 judges against the sweep's median.
  for (auto& c : s.cells) c.cfo_residual_ppb.reset();
  auto uncalibrated = tw::score_sweep(s, nullptr);
  ASSERT_EQ(uncalibrated.size(), 1u);
  EXPECT_EQ(uncalibrated[0].cell.arfcn, 64);
  EXPECT_TRUE(rule_ids(uncalibrated[0]).count("F1"));
}

void expect_no_reason(const tw::SweepObservations& s) {
  EXPECT_TRUE(tw::score_sweep(s, nullptr).empty());
  const tw::ScorerOptions options;
  const tw::ScoringContext ctx{s, nullptr, options};
  for (const auto& c : s.cells) {
    auto reasons = tw::evaluate_cell(c, ctx);
    EXPECT_TRUE(reasons.empty()) << "ARFCN " << c.arfcn << ": " << reasons.front().rule << " "
                                 << reasons.front().detail;
  }
}

TEST(ScorerE2E, CityWithoutRogueGivesNoAlertAndNoReason) { expect_no_reason(decode_scene("city", 6)); }

// Two LACs of two cells each over two bands, SI2ter lists across bands, no hopping anywhere: no false alarm.
TEST(ScorerE2E, MultibandNetworkGivesNoAlertAndNoReason) {
  expect_no_reason(decode_scene("multiband", 4, "GSM900,DCS1800"));
}

// A lone cell: nothing to compare with, no rule may judge it from the sweep alone.
TEST(ScorerE2E, SingleCellGivesNoAlertAndNoReason) { expect_no_reason(decode_scene("single", 1)); }

}  // namespace
