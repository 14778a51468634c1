// Unit tests of the rules C1 B2 M1 S1 S2 S3 P2 F2 and the FN clock arithmetic, on cell records in the form
// `towerwatch analyze --json` emits (src/cells/gsm_cell_tracker.cpp build()) and a baseline written here.
// Each rule fires just beyond its documented boundary and stays silent just inside it; the truths are the
// specs' numbers (cited) and the rules' documented thresholds, worked out by hand below.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "src/core/error.hpp"
#include "src/scorer/fn_clock.hpp"
#include "src/scorer/rule.hpp"
#include "src/scorer/scorer.hpp"
#include "support/scorer_test_support.hpp"

namespace {

using nlohmann::json;

json record(int arfcn, const std::string& mnc, int lac, int ci, std::vector<int> neighbors, double power = -40.0) {
  return json{{"type", "cell"}, {"rat", "GSM"}, {"arfcn", arfcn}, {"band", "P-GSM900"},
              {"freq_hz", 935e6 + 200e3 * arfcn}, {"bsic", 13}, {"mcc", 262}, {"mnc", mnc}, {"lac", lac},
              {"ci", ci}, {"t3212", 20}, {"cro", 0}, {"neighbors", neighbors},
              {"si_seen", {"SI1", "SI2", "SI3", "SI4"}}, {"power_dbfs", power}, {"snr_db", 25.0}, {"cfo_hz", 0.0}};
}

constexpr std::int64_t kNow = 1700000000000;

tw::SweepObservations sweep_of(const std::vector<json>& records, std::int64_t t = kNow) {
  tw::SweepObservations s;
  s.time_unix_ms = t;
  s.sensor_id = "test";
  for (const auto& r : records) s.cells.push_back(tw::CellObservation::from_cell_record(r, t, "test"));
  return s;
}

std::vector<json> network() {
  return {record(58, "01", 1234, 10011, {62, 66}, -38), record(62, "01", 1234, 10012, {58, 66}, -33),
          record(66, "01", 1234, 10013, {58, 62}, -47), record(70, "02", 3101, 21001, {73, 76}, -41),
          record(73, "02", 3101, 21002, {70, 76}, -45), record(76, "02", 3101, 21003, {70, 73}, -50)};
}

using tw::test::reasons_of;

// A baseline written by the test: every answer is set explicitly.
class Baseline : public tw::BaselineView {
 public:
  std::vector<tw::KnownCell> cells;               // learned or imported (source)
  std::map<std::pair<int, std::string>, tw::OperatorPlan> plans;
  std::vector<std::pair<int, std::string>> ops;
  std::optional<tw::CellHistory> history;
  std::optional<tw::KnownCell> find_cell(int mcc, const std::string& mnc, int lac, int ci) const override {
    for (const auto& k : cells)
      if (k.mcc == mcc && k.mnc == mnc && k.lac == lac && k.ci == ci) return k;
    return std::nullopt;
  }
  bool operator_known(int mcc, const std::string& mnc) const override {
    for (const auto& k : cells)
      if (k.mcc == mcc && k.mnc == mnc) return true;
    return false;
  }
  std::vector<tw::KnownCell> learned_cells_on(int arfcn) const override {
    std::vector<tw::KnownCell> out;
    for (const auto& k : cells)
      if (k.source == "observed" && !k.arfcns.empty() && k.arfcns[0] == arfcn) out.push_back(k);
    return out;
  }
  tw::OperatorPlan operator_plan(int mcc, const std::string& mnc, const std::string&) const override {
    auto it = plans.find({mcc, mnc});
    return it == plans.end() ? tw::OperatorPlan{} : it->second;
  }
  std::vector<std::pair<int, std::string>> operators() const override { return ops; }
  std::optional<tw::CellHistory> cell_history(const tw::CellObservation&, std::int64_t) const override {
    return history;
  }
};

tw::KnownCell learned(int arfcn, int lac, int ci, int bsic, std::int64_t n) {
  tw::KnownCell k;
  k.mcc = 262;
  k.mnc = "01";
  k.lac = lac;
  k.ci = ci;
  k.arfcns = {arfcn};
  k.bsic = bsic;
  k.n_observations = n;
  k.source = "observed";
  return k;
}

// ---- FN clock (45.002 4.3.3: frames of 120/26 ms = 60/13 ms, hyperframe 26 x 51 x 2048) ----
TEST(FnClock, FramesPhaseAndDistance) {
  EXPECT_EQ(tw::fn_clock::kHyperframe, 2715648);
  EXPECT_EQ(tw::fn_clock::frames_since_epoch(0), 0);
  EXPECT_EQ(tw::fn_clock::frames_since_epoch(60), 13);      // 13 frames = 60 ms exactly
  EXPECT_EQ(tw::fn_clock::frames_since_epoch(59), 12);
  EXPECT_EQ(tw::fn_clock::frames_in(60.0), 13000);
  // A counter that advances with wall time keeps its phase.
  const std::int64_t t0 = kNow;
  const std::int64_t p0 = tw::fn_clock::phase(1000, t0);
  EXPECT_EQ(tw::fn_clock::phase(1000 + 13 * 1000, t0 + 60 * 1000), p0);
  // ... across the hyperframe wrap too.
  const std::int64_t fn = (tw::fn_clock::kHyperframe - 5);
  EXPECT_EQ(tw::fn_clock::phase((fn + 13) % tw::fn_clock::kHyperframe, t0 + 60), tw::fn_clock::phase(fn, t0));
  EXPECT_EQ(tw::fn_clock::distance(5, tw::fn_clock::kHyperframe - 5), 10);
  EXPECT_EQ(tw::fn_clock::distance(0, tw::fn_clock::kHyperframe / 2), tw::fn_clock::kHyperframe / 2);
  auto c = tw::CellObservation::from_cell_record(record(58, "01", 1, 1, {}), t0, "t");
  EXPECT_FALSE(tw::fn_clock::cell_phase(c));
  c.params["sync_fn"] = tw::fn_clock::kHyperframe;          // out of range
  EXPECT_FALSE(tw::fn_clock::cell_phase(c));
  c.params["sync_fn"] = 1000;
  EXPECT_EQ(tw::fn_clock::cell_phase(c), p0);
  EXPECT_FALSE(tw::fn_clock::wall_clock_phase(c));
  c.params["sync_time_s"] = 0.06;                            // SCH 60 ms into the run
  EXPECT_EQ(tw::fn_clock::cell_phase(c), tw::fn_clock::phase(1000, t0 + 60));
  c.params["sync_unix_ms"] = t0 + 120;                       // the SCH's wall clock wins
  EXPECT_EQ(tw::fn_clock::cell_phase(c), tw::fn_clock::phase(1000, t0 + 120));
  EXPECT_EQ(tw::fn_clock::wall_clock_phase(c), tw::fn_clock::phase(1000, t0 + 120));
}

// ---- C1 ----
TEST(NewRules, C1IdentityChangeOfAKnownCarrier) {
  auto recs = network();
  recs[2]["lac"] = 4711;                       // ARFCN 66 BSIC 13 now in LAC 4711
  auto s = sweep_of(recs);
  Baseline b;
  b.cells = {learned(66, 1234, 10013, 13, 2), learned(58, 1234, 10011, 13, 5)};
  auto r = reasons_of(s, 66, "C1", &b);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(r[0].weight, 1.5);
  EXPECT_EQ(r[0].evidence["lac_changed"], true);
  EXPECT_EQ(r[0].evidence["known"][0]["lac"], 1234);
  EXPECT_TRUE(reasons_of(s, 58, "C1", &b).empty());         // same CGI as learned
  EXPECT_TRUE(reasons_of(s, 66, "C1").empty());             // no baseline
  b.cells[0].n_observations = 1;                            // seen once: not enough
  EXPECT_TRUE(reasons_of(s, 66, "C1", &b).empty());
  b.cells[0].n_observations = 2;
  b.cells[0].bsic = 14;                                     // another colour code: another cell (reuse)
  EXPECT_TRUE(reasons_of(s, 66, "C1", &b).empty());
  b.cells[0].bsic = 13;
  recs[2]["lac"] = 1234;
  recs[2]["ci"] = 10099;                                    // CI change only
  auto s2 = sweep_of(recs);
  r = reasons_of(s2, 66, "C1", &b);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["lac_changed"], false);
}

// ---- B2 ----
TEST(NewRules, B2ArfcnOutsideTheLearnedPlan) {
  auto recs = network();
  recs.push_back(record(64, "01", 1234, 10099, {58, 62}));
  auto s = sweep_of(recs);
  Baseline b;
  b.plans[{262, "01"}] = tw::OperatorPlan{{5, 12, 58, 62, 66}, 3, 3};
  auto r = reasons_of(s, 64, "B2", &b);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["operator_arfcns"], json::array({5, 12, 58, 62, 66}));
  EXPECT_TRUE(reasons_of(s, 62, "B2", &b).empty());
  EXPECT_TRUE(reasons_of(s, 70, "B2", &b).empty());         // 262-02: no plan learned
  b.plans[{262, "01"}].cells = 2;                           // too few cells to know the plan
  EXPECT_TRUE(reasons_of(s, 64, "B2", &b).empty());
  b.plans[{262, "01"}].cells = 3;
  b.plans[{262, "01"}].sweeps = 2;                          // too few sweeps
  EXPECT_TRUE(reasons_of(s, 64, "B2", &b).empty());
}

// ---- M1 ----
TEST(NewRules, M1ReservedMccRegionAndBaselineOperators) {
  auto recs = network();
  recs.push_back(record(64, "01", 1, 1, {58}));
  recs.back()["mcc"] = 1;                                   // E.212 test network
  recs.push_back(record(80, "260", 100, 2, {58}));
  recs.back()["mcc"] = 310;                                 // zone 3: North America
  recs.push_back(record(84, "03", 100, 3, {58}));          // 262-03: not in the baseline
  auto s = sweep_of(recs);
  auto r = reasons_of(s, 64, "M1");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["reserved_mcc"], true);
  EXPECT_TRUE(reasons_of(s, 80, "M1").empty());             // no region, no baseline: no opinion
  tw::ScorerOptions eu;
  eu.region = "eu";
  r = reasons_of(s, 80, "M1", nullptr, eu);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["region"], "eu");
  EXPECT_TRUE(reasons_of(s, 58, "M1", nullptr, eu).empty()); // 262: zone 2, Europe
  tw::ScorerOptions us;
  us.region = "us";
  EXPECT_TRUE(reasons_of(s, 80, "M1", nullptr, us).empty());
  EXPECT_EQ(reasons_of(s, 58, "M1", nullptr, us).size(), 1u);
  Baseline b;
  EXPECT_TRUE(reasons_of(s, 84, "M1", &b).empty());        // a baseline without operators knows nothing
  b.ops = {{262, "01"}, {262, "02"}};
  r = reasons_of(s, 84, "M1", &b);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["baseline_operators"], json::array({"262-01", "262-02"}));
  EXPECT_TRUE(reasons_of(s, 58, "M1", &b).empty());
  b.ops = {{262, "1"}, {262, "2"}, {262, "003"}};             // OpenCellID's numeric MNCs match by value
  EXPECT_TRUE(reasons_of(s, 58, "M1", &b).empty());
  EXPECT_TRUE(reasons_of(s, 84, "M1", &b).empty());
}

// ---- S1 ----
TEST(NewRules, S1AboveTheCellsOwnLearnedLevel) {
  // Learned powers -40 -41 -39 -40 -42: median -40, MAD 1 -> sigma max(1.48, 2) = 2, limit max(10, 8) = 10 dB.
  Baseline b;
  auto k = learned(62, 1234, 10012, 13, 5);
  k.power_recent_dbfs = {-40, -41, -39, -40, -42};
  b.cells = {k};
  auto recs = network();
  recs[1]["power_dbfs"] = -29.9;
  auto r = reasons_of(sweep_of(recs), 62, "S1", &b);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(r[0].weight, 1.0);
  EXPECT_DOUBLE_EQ(r[0].evidence["baseline_median_dbfs"].get<double>(), -40.0);
  recs[1]["power_dbfs"] = -30.1;
  EXPECT_TRUE(reasons_of(sweep_of(recs), 62, "S1", &b).empty());
  b.cells[0].power_recent_dbfs.pop_back();                  // 4 sweeps: not enough history
  recs[1]["power_dbfs"] = -20.0;
  auto s = sweep_of(recs);
  // Still strong against the sweep: others -38 -47 -41 -45 -50: top -38, median -45, MAD 4 -> sigma 5.93;
  // -20 is 18 dB above the top and 25 dB > 3 sigma above the median: half weight.
  r = reasons_of(s, 62, "S1", &b);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(r[0].weight, 0.5);
  EXPECT_DOUBLE_EQ(r[0].evidence["sweep_max_other_dbfs"].get<double>(), -38.0);
  EXPECT_DOUBLE_EQ(r[0].evidence["sweep_median_dbfs"].get<double>(), -45.0);
}

TEST(NewRules, S1AboveEveryNeighbourNeedsSixDbAndThreeSigma) {
  auto recs = network();
  // Others of ARFCN 62: -38 -47 -41 -45 -50, median -45, MAD 3 (|-38+45|=7,2,4,0,5 -> 4)... worked out:
  // deviations 7, 2, 4, 0, 5 -> MAD 4 -> sigma 5.93; 3 sigma = 17.8 dB above -45 = -27.2 dBFS.
  recs[1]["power_dbfs"] = -27.0;   // 11 dB above the top, 18 dB above the median: fires
  EXPECT_EQ(reasons_of(sweep_of(recs), 62, "S1").size(), 1u);
  recs[1]["power_dbfs"] = -27.5;   // 17.5 dB above the median: under 3 sigma
  EXPECT_TRUE(reasons_of(sweep_of(recs), 62, "S1").empty());
  recs[1]["power_dbfs"] = -33.0;   // the city's legitimate strongest cell: 5 dB above the next
  EXPECT_TRUE(reasons_of(sweep_of(recs), 62, "S1").empty());
}

// ---- S2 ----
TEST(NewRules, S2TransientAtTheQuarterBoundary) {
  auto s = sweep_of(network());
  Baseline b;
  b.history = tw::CellHistory{1, 7, kNow - 86400000LL};     // with this sweep: 2 of 8 = 25 %
  auto r = reasons_of(s, 58, "S2", &b);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["sweeps_seen"], 2);
  EXPECT_EQ(r[0].evidence["sweeps_covering"], 8);
  b.history = tw::CellHistory{1, 6, kNow - 86400000LL};     // 2 of 7 = 29 %
  EXPECT_TRUE(reasons_of(s, 58, "S2", &b).empty());
  b.history = tw::CellHistory{0, 0, std::nullopt};          // never seen: new, not transient (B1's case)
  EXPECT_TRUE(reasons_of(s, 58, "S2", &b).empty());
  b.history = tw::CellHistory{1, 4, kNow - 86400000LL};     // 2 of 5: too few sweeps... and 40 %
  EXPECT_TRUE(reasons_of(s, 58, "S2", &b).empty());
  b.history = tw::CellHistory{1, 7, kNow - 31 * 86400000LL};   // first seen 31 days ago: a rare distant cell
  EXPECT_TRUE(reasons_of(s, 58, "S2", &b).empty());
}

// ---- S3 ----
TEST(NewRules, S3BeyondTwiceTheOpenCellIdRange) {
  Baseline b;
  tw::KnownCell k = learned(-1, 1234, 10011, 13, 0);
  k.arfcns.clear();
  k.source = "opencellid";
  k.lat = 52.5;
  k.lon = 13.4;
  k.range_m = 1000.0;   // limit 2 km
  b.cells = {k};
  auto s = sweep_of(network());
  auto place = [&](double dlat) {
    for (auto& c : s.cells) {
      c.lat = 52.5 + dlat;
      c.lon = 13.4;
    }
  };
  // 1 degree of latitude = 6371 km x pi / 180 = 111.19 km: 0.019 deg = 2.11 km, 0.017 deg = 1.89 km.
  place(0.019);
  auto r = reasons_of(s, 58, "S3", &b);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0].evidence["distance_m"].get<double>(), 2112.7, 1.0);
  place(0.017);
  EXPECT_TRUE(reasons_of(s, 58, "S3", &b).empty());
  // A learned cell: 35 km (timing advance 63).
  b.cells[0].source = "observed";
  place(0.30);   // 33.4 km
  EXPECT_TRUE(reasons_of(s, 58, "S3", &b).empty());
  place(0.33);   // 36.7 km
  EXPECT_EQ(reasons_of(s, 58, "S3", &b).size(), 1u);
}

// ---- P2 ----
json with_paging(json r, long long messages, long long sch_ok) {
  r["paging"] = {{"messages", messages}, {"imsi", 0}, {"tmsi", messages}, {"imei", 0}};
  r["sync"] = {{"acquisitions", 1}, {"fn_jumps", 0}, {"sch_ok", sch_ok}, {"sch_failed", 0}};
  return r;
}

TEST(NewRules, P2PagingRateFarAboveTheOperator) {
  // 50 SCH = 10 multiframes of 235.38 ms = 2.354 s. Others page 7 and 8 times: 2.97/s and 3.40/s, median
  // 3.19/s, MAD 0.21 -> limit max(9.56, 4.45) = 9.56/s = 22.5 messages; Poisson: 7.5 expected, + 4 x 2.74 + 5
  // = 23.45 -> more than 23.45 messages fire.
  auto recs = network();
  recs[0] = with_paging(recs[0], 7, 50);
  recs[2] = with_paging(recs[2], 8, 50);
  recs[1] = with_paging(recs[1], 24, 50);
  auto r = reasons_of(sweep_of(recs), 62, "P2");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0].evidence["seconds"].get<double>(), 2.3538, 1e-3);
  EXPECT_NEAR(r[0].evidence["operator_median_per_s"].get<double>(), 7.5 / 2.35385, 1e-3);
  recs[1] = with_paging(recs[1], 23, 50);
  EXPECT_TRUE(reasons_of(sweep_of(recs), 62, "P2").empty());
  // Operator B's cells do not count for operator A.
  recs[1] = with_paging(recs[1], 60, 50);
  recs[0].erase("paging");
  EXPECT_TRUE(reasons_of(sweep_of(recs), 62, "P2").empty());
  recs[1]["paging"]["messages"] = -1;
  recs[0] = with_paging(recs[0], 7, 50);
  EXPECT_THROW(reasons_of(sweep_of(recs), 62, "P2"), tw::InputError);
}

// ---- F2 ----
TEST(NewRules, F2TwinIdentitiesWithUnrelatedFrameClocks) {
  auto recs = network();
  recs.push_back(record(64, "01", 1234, 10012, {58, 66}));   // 62's identity cloned on 64
  recs[1]["sync_fn"] = 100000;
  recs.back()["sync_fn"] = 100000 + 13001;                   // 60 s = 13000 frames: just beyond
  auto s = sweep_of(recs);
  auto r = reasons_of(s, 64, "F2");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["twins"][0]["distance_frames"], 13001);
  EXPECT_EQ(reasons_of(s, 62, "F2").size(), 1u);             // both: one sweep cannot tell
  EXPECT_TRUE(reasons_of(s, 58, "F2").empty());
  recs.back()["sync_fn"] = 100000 + 13000;
  EXPECT_TRUE(reasons_of(sweep_of(recs), 64, "F2").empty());
  // With the learned phase of the identity (3 agreeing sweeps) and the SCH wall clock in the records, only
  // the clone is flagged.
  recs.back()["sync_fn"] = 100000 + 500000;
  for (auto& r : recs) r["sync_unix_ms"] = kNow;
  auto s2 = sweep_of(recs);
  Baseline b;
  auto k = learned(62, 1234, 10012, 13, 10);
  k.fn_phase = tw::fn_clock::phase(100000 + 20, kNow);      // 20 frames of sweep jitter
  k.fn_phase_n = 3;
  b.cells = {k};
  EXPECT_TRUE(reasons_of(s2, 62, "F2", &b).empty());
  r = reasons_of(s2, 64, "F2", &b);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["distance_frames"], 500000 - 20);
  b.cells[0].fn_phase_n = 2;                                 // not established: back to the sweep comparison
  EXPECT_EQ(reasons_of(s2, 62, "F2", &b).size(), 1u);
  b.cells[0].fn_phase_n = 3;
  for (auto& r : recs) r.erase("sync_unix_ms");               // a file analysed later: no wall clock
  EXPECT_EQ(reasons_of(sweep_of(recs), 62, "F2", &b).size(), 1u);   // the sweep comparison only
}

TEST(NewRules, TableHoldsTheNewRules) {
  for (const char* id : {"C1", "B2", "M1", "S1", "S2", "S3", "P2", "F2"}) {
    const auto* r = tw::find_rule(id);
    ASSERT_NE(r, nullptr) << id;
    EXPECT_LT(r->weight, 2.6) << id;
  }
}

}  // namespace
