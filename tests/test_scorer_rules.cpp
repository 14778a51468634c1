// Unit tests of the scorer's rules on cell records written here in the form `towerwatch analyze --json`
// emits (src/cells/gsm_cell_tracker.cpp build()). Each rule fires on the case it exists for and stays
// silent on the legitimate neighbours; the truths are the specs' codings (cited) and the rules' documented
// thresholds.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

#include "src/core/error.hpp"
#include "src/scorer/rule.hpp"
#include "src/scorer/scorer.hpp"
#include "support/scorer_test_support.hpp"

namespace {

using nlohmann::json;

// P-GSM 900 downlink carrier of ARFCN n (TS 45.005 2): 890 + 0.2 n + 45 MHz.
double pgsm_downlink_hz(int n) { return 935e6 + 200e3 * n; }

json record(int arfcn, const std::string& mnc, int lac, int ci, std::vector<int> neighbors) {
  json j{{"type", "cell"}, {"rat", "GSM"}, {"arfcn", arfcn}, {"band", "P-GSM900"},
         {"freq_hz", pgsm_downlink_hz(arfcn)}, {"offset_hz", 0.0}, {"bsic", 10},
         {"mcc", 262}, {"mnc", mnc}, {"lac", lac}, {"ci", ci}, {"t3212", 20}, {"att", true},
         {"bs_ag_blks_res", 1}, {"bs_pa_mfrms", 4}, {"ccch_conf", 0}, {"cell_reselect_hysteresis", 2},
         {"ms_txpwr_max_cch", 5}, {"rxlev_access_min", 0}, {"cell_barred", false}, {"max_retrans", 4},
         {"access_classes_barred", 0}, {"cro", 0}, {"gprs", true},
         {"neighbors", neighbors}, {"si_seen", {"SI1", "SI2", "SI3", "SI4", "SI13", "SI2quater"}},
         {"power_dbfs", -40.0}, {"snr_db", 25.0}, {"cfo_hz", 300.0},
         {"immediate_assignment", {{"count", 10}, {"hopping", 8}, {"tbf", 0}, {"reject", 0}}},
         {"si2quater", json::array({{{"serving_priority", {{"geran_priority", 2}, {"thresh_priority_search", 15}}},
                                     {"eutran", {{"ccn_active", false},
                                                 {"neighbours", json::array({{{"earfcns", {1300}},
                                                                              {"eutran_priority", 6},
                                                                              {"thresh_eutran_high", 10}}})}}}}})}};
  return j;
}

// Operator 262-01 in LAC 1234 on ARFCNs 58/62/66 and 262-02 in LAC 3101 on 70/73/76, reciprocal lists.
std::vector<json> legit_network() {
  return {record(58, "01", 1234, 10011, {62, 66}), record(62, "01", 1234, 10012, {58, 66}),
          record(66, "01", 1234, 10013, {58, 62}), record(70, "02", 3101, 21001, {73, 76}),
          record(73, "02", 3101, 21002, {70, 76}), record(76, "02", 3101, 21003, {70, 73})};
}

tw::SweepObservations sweep_of(const std::vector<json>& records) {
  tw::SweepObservations s;
  s.time_unix_ms = 1700000000000;
  s.sensor_id = "test";
  for (const auto& r : records) s.cells.push_back(tw::CellObservation::from_cell_record(r, s.time_unix_ms, "test"));
  return s;
}

using tw::test::reasons_of;

// Rules firing for any cell of the sweep except `except_arfcn`.
std::set<std::string> rules_fired_elsewhere(const tw::SweepObservations& s, int except_arfcn) {
  const tw::ScorerOptions options;
  const tw::ScoringContext ctx{s, nullptr, options};
  std::set<std::string> out;
  for (const auto& c : s.cells)
    if (c.arfcn != except_arfcn)
      for (const auto& r : tw::evaluate_cell(c, ctx)) out.insert(r.rule + "@" + std::to_string(c.arfcn));
  return out;
}

TEST(ScorerTable, EveryRuleHasIdTitleWeightRationaleAndFunction) {
  std::set<std::string> ids;
  for (const auto& r : tw::rule_table()) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate rule id " << r.id;
    EXPECT_GT(r.weight, 0.0) << r.id;
    // No single cell rule may alert alone. A band rule (J1) is the only rule of its band observation and is
    // itself a conjunction of two measurements (rules_table.cpp): it may reach the threshold.
    if (!r.band_scope) EXPECT_LT(r.weight, 2.6) << r.id << ": no single rule may alert alone";
    EXPECT_GT(std::string(r.title).size(), 5u) << r.id;
    EXPECT_GT(std::string(r.rationale).size(), 80u) << r.id;
    EXPECT_NE(r.fn, nullptr) << r.id;
  }
  for (const char* id : {"A2", "A4", "A5", "K1", "K2", "R1", "R2", "T1", "F1", "I1", "P1", "B1"})
    EXPECT_NE(tw::find_rule(id), nullptr) << id;
  EXPECT_EQ(tw::find_rule("Z9"), nullptr);
}

TEST(ScorerRules, LegitimateNetworkRaisesNoReasonAtAll) {
  auto s = sweep_of(legit_network());
  const tw::ScorerOptions options;
  const tw::ScoringContext ctx{s, nullptr, options};
  for (const auto& c : s.cells) {
    auto reasons = tw::evaluate_cell(c, ctx);
    EXPECT_TRUE(reasons.empty()) << "ARFCN " << c.arfcn << ": " << reasons.front().rule << " " << reasons.front().detail;
  }
  EXPECT_TRUE(tw::score_sweep(s, nullptr).empty());
}

TEST(ScorerRules, A2ForeignLacAmongThreeSameOperatorCells) {
  auto recs = legit_network();
  recs.push_back(record(64, "01", 4711, 10099, {58, 62}));
  auto s = sweep_of(recs);
  auto r = reasons_of(s, 64, "A2");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(r[0].weight, 1.5);
  EXPECT_EQ(r[0].evidence["lac"], 4711);
  EXPECT_EQ(r[0].evidence["operator_lacs"], json::array({1234}));
  EXPECT_EQ(r[0].evidence["operator_cells"], 3);
  EXPECT_TRUE(reasons_of(s, 58, "A2").empty());
  // Operator B's cell with a foreign LAC is judged against B's cells only.
  EXPECT_TRUE(reasons_of(s, 70, "A2").empty());
  // With only 2 other same-operator cells the rule does not judge.
  recs.erase(recs.begin() + 2);   // drop ARFCN 66
  EXPECT_TRUE(reasons_of(sweep_of(recs), 64, "A2").empty());
}

TEST(ScorerRules, A4SameIdentityOnAnotherArfcnFlagsBoth) {
  auto recs = legit_network();
  recs.push_back(record(64, "01", 1234, 10012, {58, 66}));   // clones ARFCN 62's CGI
  auto s = sweep_of(recs);
  auto clone = reasons_of(s, 64, "A4");
  auto original = reasons_of(s, 62, "A4");
  ASSERT_EQ(clone.size(), 1u);
  ASSERT_EQ(original.size(), 1u);
  EXPECT_EQ(clone[0].evidence["also_on_arfcns"], json::array({62}));
  EXPECT_EQ(original[0].evidence["also_on_arfcns"], json::array({64}));
  EXPECT_TRUE(reasons_of(s, 58, "A4").empty());
  // The same CI in another LAC is another cell (CGI = MCC+MNC+LAC+CI, TS 23.003 4.3.1).
  recs.back() = record(64, "01", 1235, 10012, {58, 66});
  EXPECT_TRUE(reasons_of(sweep_of(recs), 64, "A4").empty());
}

TEST(ScorerRules, A5LoneLacOnlyWhenTheOperatorHasAPopulousLac) {
  auto recs = legit_network();
  recs.push_back(record(64, "01", 4711, 10099, {58, 62}));
  auto s = sweep_of(recs);
  auto r = reasons_of(s, 64, "A5");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(r[0].weight, 0.5);
  EXPECT_EQ(r[0].evidence["other_lac"], 1234);
  EXPECT_EQ(r[0].evidence["cells_in_other_lac"], 3);
  EXPECT_TRUE(reasons_of(s, 58, "A5").empty());
  // A small sweep: two lone cells in two LACs, no populous LAC to compare with.
  auto small = sweep_of({record(58, "01", 1234, 1, {62}), record(62, "01", 1235, 2, {58})});
  EXPECT_TRUE(reasons_of(small, 58, "A5").empty());
  EXPECT_TRUE(reasons_of(small, 62, "A5").empty());
}

TEST(ScorerRules, K1EmptyAndSingleNeighbourOnlyWhenSi2Decoded) {
  auto recs = legit_network();
  recs.push_back(record(64, "01", 1234, 10099, {}));
  recs.push_back(record(80, "02", 3101, 21009, {70}));
  auto s = sweep_of(recs);
  auto empty = reasons_of(s, 64, "K1");
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_DOUBLE_EQ(empty[0].weight, 1.0);
  auto single = reasons_of(s, 80, "K1");
  ASSERT_EQ(single.size(), 1u);
  EXPECT_DOUBLE_EQ(single[0].weight, 0.5);
  EXPECT_TRUE(reasons_of(s, 58, "K1").empty());   // two neighbours
  // Without SI2 the list is unknown, not empty.
  recs[6]["si_seen"] = {"SI3", "SI4"};
  EXPECT_TRUE(reasons_of(sweep_of(recs), 64, "K1").empty());
}

TEST(ScorerRules, K2CroAbove40dB) {
  auto recs = legit_network();
  recs[0]["cro"] = 21;   // 45.008 9: 2 dB steps -> 42 dB
  recs[1]["cro"] = 20;   // 40 dB: not above
  recs[2]["cro"] = 63;
  recs[2]["penalty_time"] = 31;   // 45.008 9: sign of CRO reversed
  auto s = sweep_of(recs);
  auto r = reasons_of(s, 58, "K2");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(r[0].weight, 1.0);
  EXPECT_EQ(r[0].evidence["cro_db"], 42);
  EXPECT_TRUE(reasons_of(s, 62, "K2").empty());
  EXPECT_TRUE(reasons_of(s, 66, "K2").empty());
  recs[1]["cro"] = 64;   // a 6-bit field cannot hold 64
  EXPECT_THROW(reasons_of(sweep_of(recs), 62, "K2"), tw::InputError);
}

TEST(ScorerRules, R1UnannouncedCell) {
  auto recs = legit_network();
  recs.push_back(record(64, "01", 1234, 10099, {58, 62, 66}));
  auto s = sweep_of(recs);
  auto r = reasons_of(s, 64, "R1");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["neighbour_lists_checked"], 3);
  for (int a : {58, 62, 66, 70, 73, 76}) EXPECT_TRUE(reasons_of(s, a, "R1").empty()) << a;
  // One neighbour announcing it is enough.
  recs[0]["neighbors"] = {62, 64, 66};
  EXPECT_TRUE(reasons_of(sweep_of(recs), 64, "R1").empty());
  // Fewer than 2 same-operator lists: not judged.
  auto few = sweep_of({record(58, "01", 1234, 1, {62}), record(64, "01", 1234, 2, {58})});
  EXPECT_TRUE(reasons_of(few, 64, "R1").empty());
}

TEST(ScorerRules, R2PagingGroupsAbove80) {
  auto recs = legit_network();
  recs[0]["bs_ag_blks_res"] = 0;
  recs[0]["bs_pa_mfrms"] = 9;   // (9 - 0) x 9 = 81
  recs[1]["bs_ag_blks_res"] = 1;
  recs[1]["bs_pa_mfrms"] = 9;   // 8 x 9 = 72
  recs[2]["bs_ag_blks_res"] = 0;
  recs[2]["ccch_conf"] = 1;     // combined: (9 - 0 - 6) x 9 = 27
  recs[2]["bs_pa_mfrms"] = 9;
  auto s = sweep_of(recs);
  auto r = reasons_of(s, 58, "R2");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["paging_groups"], 81);
  EXPECT_TRUE(reasons_of(s, 62, "R2").empty());
  EXPECT_TRUE(reasons_of(s, 66, "R2").empty());
  recs[1]["bs_pa_mfrms"] = 10;   // decoded BS_PA_MFRMS is coded value + 2 = 2..9 (44.018 10.5.2.11)
  EXPECT_THROW(reasons_of(sweep_of(recs), 62, "R2"), tw::InputError);
}

TEST(ScorerRules, T1GradedByT3212) {
  const std::map<int, double> expected = {{0, 0.0}, {1, 1.5}, {4, 1.5}, {5, 0.7}, {8, 0.7}, {9, 0.0}, {20, 0.0}};
  for (const auto& [t3212, weight] : expected) {
    auto recs = legit_network();
    recs[0]["t3212"] = t3212;
    auto r = reasons_of(sweep_of(recs), 58, "T1");
    if (weight == 0.0) {
      EXPECT_TRUE(r.empty()) << "T3212 " << t3212;
    } else {
      ASSERT_EQ(r.size(), 1u) << "T3212 " << t3212;
      EXPECT_DOUBLE_EQ(r[0].weight, weight) << "T3212 " << t3212;
      EXPECT_EQ(r[0].evidence["minutes"], t3212 * 6);   // decihours
    }
  }
}

TEST(ScorerRules, F1ResidualBeyond500ppb) {
  auto recs = legit_network();
  recs[0]["cfo_residual_ppb"] = 2500.0;
  recs[1]["cfo_residual_ppb"] = -499.0;
  recs[2]["cfo_residual_ppb"] = -501.0;
  auto s = sweep_of(recs);
  ASSERT_EQ(reasons_of(s, 58, "F1").size(), 1u);
  EXPECT_TRUE(reasons_of(s, 62, "F1").empty());
  ASSERT_EQ(reasons_of(s, 66, "F1").size(), 1u);
  EXPECT_TRUE(reasons_of(s, 70, "F1").empty());   // no residual: the median of the others (all 300 Hz)
}

TEST(ScorerRules, F1WithoutCalibrationAgainstTheSweepMedian) {
  auto recs = legit_network();
  // The receiver is 300 Hz off for everyone (record default); the rogue's own oscillator adds 2.5 ppm.
  const double rogue_hz = 300.0 + 2.5e-6 * pgsm_downlink_hz(64);
  recs.push_back(record(64, "01", 1234, 10099, {58, 62}));
  recs.back()["cfo_hz"] = rogue_hz;
  recs[1]["cfo_hz"] = 320.0;   // +21 ppb: a normal BTS
  auto s = sweep_of(recs);
  auto r = reasons_of(s, 64, "F1");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0].evidence["deviation_ppb"].get<double>(), 2500.0, 1.0);
  for (int a : {58, 62, 66, 70, 73, 76}) EXPECT_TRUE(reasons_of(s, a, "F1").empty()) << a;
}

TEST(ScorerRules, I1NonHoppingWhereTheOperatorHops) {
  auto recs = legit_network();
  recs.push_back(record(64, "01", 1234, 10099, {58, 62}));
  recs.back()["immediate_assignment"] = {{"count", 12}, {"hopping", 0}, {"tbf", 0}, {"reject", 0}};
  auto s = sweep_of(recs);
  auto r = reasons_of(s, 64, "I1");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["operator_hopping"], 24);
  EXPECT_EQ(r[0].evidence["operator_count"], 30);
  // An operator that does not hop: nothing to compare with.
  for (int i = 0; i < 3; ++i) recs[i]["immediate_assignment"]["hopping"] = 0;
  EXPECT_TRUE(reasons_of(sweep_of(recs), 64, "I1").empty());
  recs[0]["immediate_assignment"]["hopping"] = 11;   // more hopping than assignments
  EXPECT_THROW(reasons_of(sweep_of(recs), 58, "I1"), tw::InputError);
}

TEST(ScorerRules, P1EutranBelowGeran) {
  auto recs = legit_network();
  recs[0]["si2quater"][0]["serving_priority"]["geran_priority"] = 5;
  recs[0]["si2quater"][0]["eutran"]["neighbours"][0]["eutran_priority"] = 3;
  auto s = sweep_of(recs);
  auto r = reasons_of(s, 58, "P1");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["geran_priority"], 5);
  EXPECT_EQ(r[0].evidence["eutran_below"][0]["earfcns"], json::array({1300}));
  EXPECT_TRUE(reasons_of(s, 62, "P1").empty());   // LTE 6 above GERAN 2
}

class FakeBaseline : public tw::BaselineView {
 public:
  std::set<std::tuple<int, std::string, int, int>> cells;
  std::optional<tw::KnownCell> find_cell(int mcc, const std::string& mnc, int lac, int ci) const override {
    if (!cells.count({mcc, mnc, lac, ci})) return std::nullopt;
    tw::KnownCell k;
    k.mcc = mcc;
    k.mnc = mnc;
    k.lac = lac;
    k.ci = ci;
    return k;
  }
  bool operator_known(int mcc, const std::string& mnc) const override {
    for (const auto& c : cells)
      if (std::get<0>(c) == mcc && std::get<1>(c) == mnc) return true;
    return false;
  }
};

TEST(ScorerRules, B1NotInBaselineOfAKnownOperator) {
  auto recs = legit_network();
  recs.push_back(record(64, "01", 1234, 10099, {58, 62}));
  auto s = sweep_of(recs);
  FakeBaseline b;
  b.cells = {{262, "01", 1234, 10011}, {262, "01", 1234, 10012}, {262, "01", 1234, 10013}};
  ASSERT_EQ(reasons_of(s, 64, "B1", &b).size(), 1u);
  EXPECT_TRUE(reasons_of(s, 58, "B1", &b).empty());
  EXPECT_TRUE(reasons_of(s, 70, "B1", &b).empty());    // operator 262-02 unknown to this baseline
  EXPECT_TRUE(reasons_of(s, 64, "B1", nullptr).empty());
}

TEST(Scorer, RogueAlertsWithScoreTheSumOfItsReasons) {
  auto recs = legit_network();
  auto rogue = record(64, "01", 4711, 10099, {});
  rogue["cro"] = 63;
  rogue["t3212"] = 1;
  recs.push_back(rogue);
  auto s = sweep_of(recs);
  auto alerts = tw::score_sweep(s, nullptr);
  ASSERT_EQ(alerts.size(), 1u);
  const auto& a = alerts[0];
  EXPECT_EQ(a.cell.arfcn, 64);
  std::set<std::string> fired;
  double sum = 0;
  for (const auto& r : a.reasons) {
    fired.insert(r.rule);
    sum += r.weight;
  }
  // A2 1.5 + A5 0.5 + K1 1.0 + K2 1.0 + R1 1.0 + T1 1.5
  EXPECT_EQ(fired, (std::set<std::string>{"A2", "A5", "K1", "K2", "R1", "T1"}));
  EXPECT_NEAR(a.score, 6.5, 1e-9);
  EXPECT_NEAR(sum, 6.5, 1e-9);
  EXPECT_TRUE(rules_fired_elsewhere(s, 64).empty());
  // The threshold is inclusive; raising it above the score silences the alert.
  tw::ScorerOptions high;
  high.threshold = 6.5;
  EXPECT_EQ(tw::score_sweep(s, nullptr, high).size(), 1u);
  high.threshold = 6.6;
  EXPECT_TRUE(tw::score_sweep(s, nullptr, high).empty());
  tw::ScorerOptions no_t1;
  no_t1.disabled_rules = {"T1"};
  EXPECT_NEAR(tw::score_sweep(s, nullptr, no_t1).at(0).score, 5.0, 1e-9);

  json j = tw::to_json(a);
  EXPECT_EQ(j["type"], "alert");
  EXPECT_NEAR(j["score"].get<double>(), 6.5, 1e-9);
  EXPECT_EQ(j["cell"]["arfcn"], 64);
  EXPECT_EQ(j["cell"]["lac"], 4711);
  EXPECT_EQ(j["cell"]["mnc"], "01");
  ASSERT_EQ(j["reasons"].size(), 6u);
  for (const auto& r : j["reasons"]) {
    EXPECT_TRUE(r["rule"].is_string());
    EXPECT_TRUE(r["weight"].is_number());
    EXPECT_FALSE(r["detail"].get<std::string>().empty());
  }
  EXPECT_EQ(j["reasons"][0]["rule"], "A2");   // table order
}

TEST(Scorer, MalformedRecordFieldsAreInputErrorsNamingTheField) {
  auto recs = legit_network();
  recs[0]["neighbors"] = {62, "x"};
  try {
    tw::score_sweep(sweep_of(recs), nullptr);
    FAIL() << "no error";
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("neighbors"), std::string::npos) << e.what();
  }
  recs = legit_network();
  recs[0]["t3212"] = "short";
  EXPECT_THROW(tw::score_sweep(sweep_of(recs), nullptr), tw::InputError);
  recs = legit_network();
  recs[0]["neighbors"] = {62, 1024};   // ARFCNs are 0..1023 (45.005 2)
  EXPECT_THROW(tw::score_sweep(sweep_of(recs), nullptr), tw::InputError);
}

}  // namespace
