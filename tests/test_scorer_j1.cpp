// Rule J1 (LTE band jammed) on hand-made sweeps against a baseline view written here: the thresholds of
// src/scorer/rules/j1.cpp (>= 3 learned floors, a rise of max(10 dB, 4 robust sigma), at least half of the known
// cells missing for the full weight, known = learned in >= 3 sweeps and seen within 7 days), what counts as a
// cell still received (its EARFCN with its PCI or its cell identity) and the band observation in score_sweep.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "src/scorer/rule.hpp"
#include "src/scorer/scorer.hpp"

namespace {

constexpr std::int64_t kT = 1767225600000;
constexpr std::int64_t kDay = 24LL * 3600 * 1000;

class FloorView : public tw::BaselineView {
 public:
  std::vector<double> floors;
  std::vector<tw::KnownCell> cells;
  std::optional<tw::KnownCell> find_cell(int, const std::string&, int, int) const override { return std::nullopt; }
  bool operator_known(int, const std::string&) const override { return false; }
  std::optional<tw::LearnedFloor> learned_band_floor(const std::string& sensor, const std::string& rat,
                                                     const std::string& band) const override {
    if (sensor != "s1" || rat != "LTE" || band != "LTE-B20" || floors.empty()) return std::nullopt;
    return tw::LearnedFloor{floors, static_cast<std::int64_t>(floors.size())};
  }
  std::vector<tw::KnownCell> learned_cells_in_band(const std::string& rat, const std::string& band) const override {
    return rat == "LTE" && band == "LTE-B20" ? cells : std::vector<tw::KnownCell>{};
  }
};

tw::KnownCell known(int earfcn, int pci, int eci, std::int64_t n = 6, std::int64_t last = kT - 3600000) {
  tw::KnownCell k;
  k.rat = "LTE";
  k.mcc = 262;
  k.mnc = "01";
  k.lac = 4101;
  k.ci = eci;
  k.arfcns = {earfcn};
  k.pci = pci;
  k.n_observations = n;
  k.last_seen_unix_ms = last;
  return k;
}

tw::CellObservation lte(int earfcn, int pci, std::optional<int> eci) {
  tw::CellObservation o;
  o.time_unix_ms = kT;
  o.sensor_id = "s1";
  o.rat = "LTE";
  o.arfcn = earfcn;
  o.band = "LTE-B20";
  o.ci = eci;
  o.params = {{"type", "cell"}, {"rat", "LTE"}, {"earfcn", earfcn}, {"pci", pci}};
  return o;
}

tw::SweepObservations sweep(double floor, std::vector<tw::CellObservation> cells) {
  tw::SweepObservations s;
  s.time_unix_ms = kT;
  s.sensor_id = "s1";
  s.cells = std::move(cells);
  s.band_floors = {tw::BandFloor{"LTE", "LTE-B20", floor, 3}};
  return s;
}

// J1's reasons for the sweep's one band floor.
std::vector<tw::Reason> j1(const tw::SweepObservations& s, const tw::BaselineView* b) {
  const tw::ScorerOptions o;
  const tw::ScoringContext ctx{s, b, o};
  std::vector<tw::Reason> out;
  for (auto& r : tw::evaluate_cell(tw::band_observation(s.band_floors.at(0), s.time_unix_ms, s.sensor_id), ctx))
    if (r.rule == "J1") out.push_back(r);
  return out;
}

TEST(RuleJ1, FloorRiseAndMissingCells) {
  FloorView v;
  v.floors = {-99.0, -98.8, -99.1};
  v.cells = {known(6200, 100, 1), known(6300, 107, 2), known(6400, 114, 3), known(6450, 120, 4)};
  const double full = tw::find_rule("J1")->weight;
  // No baseline, or fewer than 3 learned floors: silent.
  EXPECT_TRUE(j1(sweep(-40.0, {}), nullptr).empty());
  FloorView two = v;
  two.floors = {-99.0, -98.8};
  EXPECT_TRUE(j1(sweep(-40.0, {}), &two).empty());
  // Median -99.0: a rise of 9.9 dB is not enough, 10.0 is.
  EXPECT_TRUE(j1(sweep(-89.1, {}), &v).empty());
  auto r = j1(sweep(-89.0, {}), &v);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(r[0].weight, full);
  EXPECT_EQ(r[0].evidence["missing_cells"].size(), 4u);
  EXPECT_DOUBLE_EQ(r[0].evidence["learned_floor_dbfs_per_mhz"].get<double>(), -99.0);
  // Half of the known cells gone: full weight; one of four: interference (1.0); every cell there: 1.0.
  EXPECT_DOUBLE_EQ(j1(sweep(-60.0, {lte(6200, 100, 1), lte(6300, 107, 2)}), &v).at(0).weight, full);
  EXPECT_DOUBLE_EQ(j1(sweep(-60.0, {lte(6200, 100, 1), lte(6300, 107, 2), lte(6400, 114, 3)}), &v).at(0).weight, 1.0);
  auto all = j1(sweep(-60.0, {lte(6200, 100, 1), lte(6300, 107, 2), lte(6400, 114, 3), lte(6450, 120, 4)}), &v);
  EXPECT_DOUBLE_EQ(all.at(0).weight, 1.0);
  EXPECT_TRUE(all[0].evidence["missing_cells"].empty());
  // Received: its EARFCN with its PCI, or with its cell identity; not the PCI on another EARFCN.
  EXPECT_DOUBLE_EQ(j1(sweep(-60.0, {lte(6200, 333, 1), lte(6300, 107, std::nullopt), lte(6400, 114, 3)}), &v).at(0).weight, 1.0);
  EXPECT_DOUBLE_EQ(j1(sweep(-60.0, {lte(6210, 100, 9), lte(6310, 107, 8), lte(6400, 114, 3)}), &v).at(0).weight, full);
  // Not known: seen in fewer than 3 sweeps, or not within 7 days: they do not count, missing or not.
  FloorView stale = v;
  stale.cells = {known(6200, 100, 1, 2), known(6300, 107, 2, 6, kT - 8 * kDay), known(6400, 114, 3)};
  auto st = j1(sweep(-60.0, {lte(6400, 114, 3)}), &stale);
  EXPECT_DOUBLE_EQ(st.at(0).weight, 1.0);
  EXPECT_EQ(st[0].evidence["known_cells"], 1);
  // A floor that wanders (robust sigma of 4 dB): 4 sigma, not 10 dB, is the bar.
  FloorView noisy = v;
  noisy.floors = {-99.0, -95.0, -103.0, -99.0, -91.0, -107.0};
  EXPECT_TRUE(j1(sweep(-84.0, {}), &noisy).empty());
  EXPECT_EQ(j1(sweep(-75.0, {}), &noisy).size(), 1u);
}

TEST(RuleJ1, BandObservationAlertsInScoreSweepAndCellRulesIgnoreIt) {
  FloorView v;
  v.floors = {-99.0, -98.8, -99.1};
  v.cells = {known(6200, 100, 1), known(6300, 107, 2)};
  const auto alerts = tw::score_sweep(sweep(-45.0, {}), &v);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_TRUE(tw::is_band_observation(alerts[0].cell));
  ASSERT_EQ(alerts[0].reasons.size(), 1u);   // no cell rule judged the band
  EXPECT_EQ(alerts[0].reasons[0].rule, "J1");
  const auto j = tw::to_json(alerts[0]);
  EXPECT_EQ(j["cell"]["band"], "LTE-B20");
  EXPECT_DOUBLE_EQ(j["cell"]["noise_floor_dbfs_per_mhz"].get<double>(), -45.0);
  EXPECT_EQ(j["reasons"][0]["evidence"]["rise_db"], 54.0);
  // A cell of the sweep is never judged by J1.
  const tw::ScorerOptions o;
  const auto s = sweep(-45.0, {lte(6200, 100, 1)});
  const tw::ScoringContext ctx{s, &v, o};
  for (const auto& r : tw::evaluate_cell(s.cells[0], ctx)) EXPECT_NE(r.rule, "J1");
}

}  // namespace
