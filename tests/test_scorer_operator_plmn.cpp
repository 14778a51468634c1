// Rules M1/M2/M3 on a PLMN of its own, at the level of cell records, without a baseline. Truths: the scenes
// written here (which cell is the rogue, which PLMN it broadcasts), the operator list's own content (262-01,
// 262-02 and 262-03 are in Debian's list, 262-99 and 262-10 are not: checked first, the test stands on it),
// ITU-T E.212 (MCC 001 test networks) and TS 45.005 clause 2 (R-GSM ARFCN 955..974).
#include <gtest/gtest.h>

#include <set>

#include "src/cells/operator_names.hpp"
#include "src/scorer/scorer.hpp"
#include "support/scorer_test_support.hpp"
#include "support/test_support.hpp"

namespace {

using nlohmann::json;
using tw::test::reasons_of;

constexpr std::int64_t kNow = 1700000000000;

json gsm(int arfcn, int mcc, const std::string& mnc, int lac, int ci, std::vector<int> neighbors, double power = -45.0) {
  const bool rgsm = arfcn >= 955;
  return json{{"type", "cell"}, {"rat", "GSM"}, {"arfcn", arfcn}, {"band", rgsm ? "R-GSM900" : "P-GSM900"},
              {"freq_hz", rgsm ? 935e6 + 200e3 * (arfcn - 1024) : 935e6 + 200e3 * arfcn}, {"bsic", 13}, {"mcc", mcc},
              {"mnc", mnc}, {"lac", lac}, {"ci", ci}, {"t3212", 20}, {"cro", 0}, {"neighbors", neighbors},
              {"si_seen", {"SI1", "SI2", "SI3", "SI4"}}, {"power_dbfs", power}, {"snr_db", 25.0}, {"cfo_hz", 0.0}};
}

// Two operators, four cells each, two LACs each, reciprocal neighbour lists.
std::vector<json> network() {
  const std::vector<int> a = {10, 14, 18, 22}, b = {40, 44, 48, 52};
  std::vector<json> out;
  for (std::size_t i = 0; i < 4; ++i) {
    std::vector<int> na, nb;
    for (std::size_t k = 0; k < 4; ++k)
      if (k != i) na.push_back(a[k]), nb.push_back(b[k]);
    out.push_back(gsm(a[i], 262, "01", i < 2 ? 1234 : 1235, 10011 + static_cast<int>(i), na, -40.0 - 3.0 * i));
    out.push_back(gsm(b[i], 262, "02", i < 2 ? 3101 : 3102, 21001 + static_cast<int>(i), nb, -42.0 - 3.0 * i));
  }
  return out;
}

tw::SweepObservations sweep_of(const std::vector<json>& records) {
  tw::SweepObservations s;
  s.time_unix_ms = kNow;
  s.sensor_id = "test";
  for (const auto& r : records) s.cells.push_back(tw::CellObservation::from_cell_record(r, kNow, "test"));
  return s;
}

std::set<std::string> rules_of(const tw::SweepObservations& s, int arfcn) {
  const tw::ScorerOptions opt;
  const tw::ScoringContext ctx{s, nullptr, opt};
  for (const auto& c : s.cells)
    if (c.arfcn == arfcn) {
      std::set<std::string> out;
      for (const auto& r : tw::evaluate_cell(c, ctx)) out.insert(r.rule);
      return out;
    }
  ADD_FAILURE() << "no cell on " << arfcn;
  return {};
}

// A site that has learned the campus network 262-99 (its one cell, 5000/7001) beside 262-01 and 262-02.
class LearnedCampus : public tw::BaselineView {
 public:
  std::optional<tw::KnownCell> find_cell(int mcc, const std::string& mnc, int lac, int ci) const override {
    if (mcc != 262 || mnc != "99" || lac != 5000 || ci != 7001) return std::nullopt;
    tw::KnownCell k;
    k.mcc = 262;
    k.mnc = "99";
    k.lac = 5000;
    k.ci = 7001;
    k.arfcns = {100};
    k.source = "observed";
    return k;
  }
  bool operator_known(int mcc, const std::string& mnc) const override { return mcc == 262 && mnc == "99"; }
  std::vector<std::pair<int, std::string>> operators() const override { return {{262, "01"}, {262, "02"}, {262, "99"}}; }
};

class OwnPlmn : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!tw::cells::operator_list_info().loaded) {
      if (tw::test::running_in_ci()) FAIL() << "operator list: " << tw::cells::operator_list_info().error;
      GTEST_SKIP() << "no operator list: " << tw::cells::operator_list_info().error;
    }
    // The premises, from the list itself.
    for (const char* mnc : {"01", "02", "03"}) ASSERT_TRUE(tw::cells::plmn_known(262, mnc)) << "262-" << mnc;
    for (const char* mnc : {"99", "10"}) ASSERT_FALSE(tw::cells::plmn_known(262, mnc)) << "262-" << mnc;
  }
};

TEST_F(OwnPlmn, LegitimateNetworkWithGsmRCellRaisesNothing) {
  auto recs = network();
  recs.push_back(gsm(960, 262, "10", 100, 501, {962, 965}, -60.0));   // a railway's GSM-R cell (R-GSM ARFCN)
  const auto s = sweep_of(recs);
  const tw::ScorerOptions opt;
  const tw::ScoringContext ctx{s, nullptr, opt};
  for (const auto& c : s.cells)
    for (const auto& r : tw::evaluate_cell(c, ctx)) ADD_FAILURE() << "ARFCN " << c.arfcn << ": " << r.rule << " " << r.detail;
  EXPECT_TRUE(tw::score_sweep(s, nullptr).empty());
}

TEST_F(OwnPlmn, GsmCatcherOnAnUnlistedPlmnAlertsWithoutBaseline) {
  auto recs = network();
  recs.push_back(gsm(30, 262, "99", 4711, 99, {10, 14, 40}, -45.0));
  const auto s = sweep_of(recs);
  EXPECT_EQ(rules_of(s, 30), (std::set<std::string>{"M2", "M3"}));
  const auto m3 = reasons_of(s, 30, "M3");
  ASSERT_EQ(m3.size(), 1u);
  EXPECT_EQ(m3[0].evidence["unknown_plmns"], json({"262-99"}));
  EXPECT_NE(m3[0].detail.find("262-99"), std::string::npos) << m3[0].detail;
  const auto alerts = tw::score_sweep(s, nullptr);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].cell.arfcn, 30);
  EXPECT_DOUBLE_EQ(alerts[0].score, 2.6);   // M2 1.6 + M3 1.0
  // The alert's JSON names no operator for it (null), the M2 reason says "unknown operator".
  const auto j = tw::to_json(alerts[0]);
  EXPECT_TRUE(j["cell"].contains("operator"));
  EXPECT_TRUE(j["cell"]["operator"].is_null());
  EXPECT_NE(reasons_of(s, 30, "M2")[0].detail.find("262-99 (unknown operator)"), std::string::npos);
}

TEST_F(OwnPlmn, TestPlmnCatcherAlertsWithoutBaseline) {
  auto recs = network();
  recs.push_back(gsm(30, 1, "01", 1, 1, {}, -45.0));   // OpenBTS/YateBTS default: E.212 test network
  const auto s = sweep_of(recs);
  // K1: empty neighbour list too. M3 leaves MCC 001 to M1.
  EXPECT_EQ(rules_of(s, 30), (std::set<std::string>{"M1", "M2", "K1"}));
  const auto alerts = tw::score_sweep(s, nullptr);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].cell.arfcn, 30);
  EXPECT_GE(alerts[0].score, 2.6);
}

TEST_F(OwnPlmn, LoneCellOfAListedOperatorDoesNotAlert) {
  // One cell of 262-03 at the edge of the sweep (listed operator, no other of its cells heard).
  auto recs = network();
  recs.push_back(gsm(100, 262, "03", 5000, 7001, {102, 105}, -85.0));
  const auto s = sweep_of(recs);
  EXPECT_EQ(rules_of(s, 100), (std::set<std::string>{"M2"}));
  EXPECT_TRUE(tw::score_sweep(s, nullptr).empty());
  // The same cell on an unlisted MNC, but the site's baseline has learned that network (a campus network):
  // M3 is silent, M2 alone does not alert.
  recs.back()["mnc"] = "99";
  const auto s2 = sweep_of(recs);
  const LearnedCampus learned;
  const tw::ScorerOptions opt;
  const tw::ScoringContext ctx{s2, &learned, opt};
  std::set<std::string> ids;
  for (const auto& c : s2.cells)
    if (c.arfcn == 100)
      for (const auto& r : tw::evaluate_cell(c, ctx)) ids.insert(r.rule);
  EXPECT_EQ(ids, (std::set<std::string>{"M2"}));
  EXPECT_EQ(rules_of(s2, 100), (std::set<std::string>{"M2", "M3"}));   // without the baseline: alerts
}

TEST_F(OwnPlmn, GsmRCellOnAnUnlistedPlmnIsExemptOnlyInTheRgsmBand) {
  auto recs = network();
  recs.push_back(gsm(960, 262, "10", 100, 501, {}, -60.0));
  recs.push_back(gsm(980, 262, "98", 100, 502, {}, -60.0));   // E-GSM 975..1023: public spectrum
  const auto s = sweep_of(recs);
  EXPECT_TRUE(reasons_of(s, 960, "M3").empty());
  EXPECT_TRUE(reasons_of(s, 960, "M2").empty());
  EXPECT_EQ(reasons_of(s, 980, "M3").size(), 1u);
}

TEST_F(OwnPlmn, LteCatcherOnAnUnlistedPlmnAlertsWithoutBaseline) {
  auto recs = network();
  json lte = {{"type", "cell"}, {"rat", "LTE"}, {"earfcn", 1500}, {"band", "LTE-B3"}, {"pci", 7},
              {"rsrp_dbfs", -50.0}, {"sinr_db", 20.0}, {"cfo_hz", 0.0}, {"mcc", 262}, {"mnc", "99"},
              {"plmns", json::array({json{{"mcc", 262}, {"mnc", "99"}, {"reserved", false}}})}, {"tac", 4101},
              {"cell_identity", 0x0123999}, {"sibs_seen", {"SIB1", "SIB2", "SIB3"}}};
  recs.push_back(lte);
  auto s = sweep_of(recs);
  const tw::ScorerOptions opt;
  const tw::ScoringContext ctx{s, nullptr, opt};
  std::set<std::string> ids;
  for (const auto& r : tw::evaluate_cell(s.cells.back(), ctx)) ids.insert(r.rule);
  EXPECT_TRUE(ids.count("M2") && ids.count("M3")) << ::testing::PrintToString(ids);
  const auto alerts = tw::score_sweep(s, nullptr);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].cell.rat, "LTE");
  // A cell shared with a listed operator (SIB1 PLMN list 262-01 + 262-99) is not lone: M3 still names
  // the unlisted PLMN (1.0), no alert.
  recs.back()["plmns"].push_back({{"mcc", 262}, {"mnc", "01"}, {"reserved", false}});
  s = sweep_of(recs);
  const tw::ScoringContext ctx2{s, nullptr, opt};
  ids.clear();
  for (const auto& r : tw::evaluate_cell(s.cells.back(), ctx2)) ids.insert(r.rule);
  EXPECT_FALSE(ids.count("M2"));
  EXPECT_TRUE(ids.count("M3"));
  EXPECT_TRUE(tw::score_sweep(s, nullptr).empty());
}

}  // namespace
