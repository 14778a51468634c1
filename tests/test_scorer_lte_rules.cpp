// The scorer on LTE cells: observations from LTE cell records (the form `towerwatch analyze --json` emits,
// src/lte/lte_rrc_json.cpp), the generalised rules A2 A4 A5 (TAC, cell identity), B1 C1 (LTE rows of the
// store's baseline) and the LTE rules L1..L5 and M2. Every rule fires just beyond its boundary and stays
// silent just inside it; the truths are the specifications' values (cited) worked out by hand. A legitimate
// two-operator network raises nothing; each rogue variant alerts alone; the live band-3 cell raises nothing.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "src/cells/operator_names.hpp"
#include "src/core/error.hpp"
#include "src/core/lte_bands.hpp"
#include "src/scorer/rule.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/scorer.hpp"
#include "src/store/store.hpp"
#include "src/store/store_baseline_view.hpp"
#include "support/scorer_test_support.hpp"
#include "support/test_support.hpp"

namespace {

using nlohmann::json;
using tw::test::reasons_of;

constexpr std::int64_t kNow = 1700000000000;

// An LTE cell record of a well-run network: SIB1 schedules SIB2+SIB3, SIB5, SIB7 (TS 36.331 5.2.1.2: SIB2
// rides in the first SI message); serving priority 5, the other LTE carriers 4, GERAN 1; q-RxLevMin -124 dBm.
json lte(int earfcn, int pci, const std::string& mnc, int tac, int eci, std::vector<int> other_earfcns) {
  const int band = *tw::lte_band_of_earfcn(earfcn);
  json carriers = json::array();
  for (int e : other_earfcns) carriers.push_back({{"earfcn", e}, {"priority", 4}, {"q_rx_lev_min_dbm", -124}});
  return json{{"type", "cell"}, {"rat", "LTE"}, {"earfcn", earfcn}, {"band", tw::lte_band_name(band)},
              {"freq_hz", *tw::lte_downlink_hz(earfcn)}, {"pci", pci}, {"rsrp_dbfs", -60.0}, {"sinr_db", 15.0},
              {"cfo_hz", 0.0}, {"mcc", 262}, {"mnc", mnc},
              {"plmns", json::array({json{{"mcc", 262}, {"mnc", mnc}, {"reserved", false}}})}, {"tac", tac},
              {"cell_identity", eci}, {"enb_id", eci >> 8}, {"sector", eci & 0xff}, {"cell_barred", false},
              {"q_rx_lev_min_dbm", -124}, {"p_max_dbm", nullptr},
              // FreqBandIndicator is 1..64; 64 defers to freqBandIndicator-v9e0 (TS 36.331 6.2.2)
              {"freq_band_indicator", band > 64 ? 64 : band}, {"multi_band_info", json::array()},
              {"freq_band_indicator_v9e0", band > 64 ? json(band) : json(nullptr)},
              {"scheduling", json::parse(R"([{"si":1,"periodicity_rf":8,"sibs":["SIB2","SIB3"]},
                                             {"si":2,"periodicity_rf":16,"sibs":["SIB5"]},
                                             {"si":3,"periodicity_rf":32,"sibs":["SIB7"]}])")},
              {"sib3", {{"cell_reselection_priority", 5}, {"q_rx_lev_min_dbm", -124}, {"thresh_serving_low", 6},
                        {"s_non_intra_search", 10}}},
              {"sib5", {{"carriers", carriers}}},
              {"sib7", {{"carrier_sets", json::array({json{{"starting_arfcn", 512}, {"band_indicator", "dcs1800"},
                                                           {"arfcns", {512, 520}}, {"priority", 1},
                                                           {"thresh_x_high", 4}}})}}},
              {"sibs_seen", {"SIB1", "SIB2", "SIB3", "SIB5", "SIB7"}}};
}

// Operator 262-01: band 3 (EARFCN 1300, 1815.0 MHz) and band 20 (6300, 806.0 MHz), TAC 4100; operator
// 262-02: band 3 (1501) and band 7 (3000), TAC 5200. Nine cells, ECIs eNB << 8 | sector (TS 36.300 8.2).
std::vector<json> network() {
  return {lte(1300, 10, "01", 4100, 100001 << 8 | 1, {6300}), lte(1300, 11, "01", 4100, 100001 << 8 | 2, {6300}),
          lte(1300, 12, "01", 4100, 100002 << 8 | 1, {6300}), lte(6300, 20, "01", 4100, 100001 << 8 | 11, {1300}),
          lte(6300, 21, "01", 4100, 100002 << 8 | 11, {1300}), lte(1501, 30, "02", 5200, 200001 << 8 | 1, {3000}),
          lte(1501, 31, "02", 5200, 200001 << 8 | 2, {3000}), lte(1501, 32, "02", 5200, 200002 << 8 | 1, {3000}),
          lte(3000, 40, "02", 5200, 200001 << 8 | 21, {1501})};
}

tw::SweepObservations sweep_of(const std::vector<json>& records, std::int64_t t = kNow) {
  tw::SweepObservations s;
  s.time_unix_ms = t;
  s.sensor_id = "test";
  for (const auto& r : records) s.cells.push_back(tw::CellObservation::from_cell_record(r, t, "test"));
  return s;
}

const tw::CellObservation& cell_with_pci(const tw::SweepObservations& s, int pci) {
  for (const auto& c : s.cells)
    if (c.params.value("pci", -1) == pci) return c;
  throw std::runtime_error("no cell with PCI " + std::to_string(pci));
}

// Rule ids that fire for the cell with this PCI.
std::set<std::string> rules_for(const tw::SweepObservations& s, int pci, const tw::BaselineView* b = nullptr) {
  const tw::ScorerOptions opt;
  const tw::ScoringContext ctx{s, b, opt};
  std::set<std::string> out;
  for (const auto& r : tw::evaluate_cell(cell_with_pci(s, pci), ctx)) out.insert(r.rule);
  return out;
}

std::vector<tw::Reason> reasons_for(const tw::SweepObservations& s, int pci, const std::string& rule,
                                    const tw::BaselineView* b = nullptr) {
  const tw::ScorerOptions opt;
  const tw::ScoringContext ctx{s, b, opt};
  std::vector<tw::Reason> out;
  for (auto& r : tw::evaluate_cell(cell_with_pci(s, pci), ctx))
    if (r.rule == rule) out.push_back(r);
  return out;
}

// A rogue LTE cell: SIB1 schedules SIB2 alone (srsRAN's default sib.conf), nothing else decoded.
json bare(int earfcn, int pci, const std::string& mnc, int tac, int eci) {
  json r = lte(earfcn, pci, mnc, tac, eci, {});
  r["scheduling"] = json::parse(R"([{"si":1,"periodicity_rf":16,"sibs":["SIB2"]}])");
  r.erase("sib3");
  r.erase("sib5");
  r.erase("sib7");
  r["sibs_seen"] = {"SIB1", "SIB2"};
  return r;
}

}  // namespace

// ---- observations ----

TEST(LteObservation, TacAndCellIdentityFillLacAndCi) {
  const auto o = tw::CellObservation::from_cell_record(lte(1300, 10, "01", 4100, 46136577, {}), kNow, "t");
  EXPECT_EQ(o.rat, "LTE");
  EXPECT_EQ(o.arfcn, 1300);
  EXPECT_EQ(o.lac, 4100);
  EXPECT_EQ(o.ci, 46136577);   // 0x2BFFD01: 28 bits, beyond a GSM CI
  EXPECT_EQ(o.power_dbfs, -60.0);
  EXPECT_EQ(o.si_seen, (std::vector<std::string>{"SIB1", "SIB2", "SIB3", "SIB5", "SIB7"}));
  // Without SIB1 (e.g. "bandwidth not captured") the identity stays empty.
  json r = lte(1300, 10, "01", 4100, 1, {});
  r["tac"] = nullptr;
  r.erase("cell_identity");
  const auto none = tw::CellObservation::from_cell_record(r, kNow, "t");
  EXPECT_FALSE(none.lac.has_value());
  EXPECT_FALSE(none.ci.has_value());
  // TS 36.331: TrackingAreaCode 16 bits, CellIdentity 28 bits.
  r = lte(1300, 10, "01", 65536, 1, {});
  tw::test::expect_input_error([&] { tw::CellObservation::from_cell_record(r, kNow, "t"); }, {"'tac'", "0..65535"});
  r = lte(1300, 10, "01", 1, 268435456, {});
  tw::test::expect_input_error([&] { tw::CellObservation::from_cell_record(r, kNow, "t"); }, {"'cell_identity'"});
  r = lte(1300, 10, "01", 1, 1, {});
  r["tac"] = 4294971396LL;   // 2^32 + 4100: refused, not truncated to 4100
  tw::test::expect_input_error([&] { tw::CellObservation::from_cell_record(r, kNow, "t"); }, {"'tac'"});
  r["tac"] = 4100;
  r["cell_identity"] = "0x2bffd01";
  tw::test::expect_input_error([&] { tw::CellObservation::from_cell_record(r, kNow, "t"); }, {"'cell_identity'"});
}

// ---- the legitimate network ----

TEST(LteRules, LegitimateNetworkRaisesNothing) {
  const auto s = sweep_of(network());
  for (const auto& c : s.cells) {
    const tw::ScorerOptions opt;
    const tw::ScoringContext ctx{s, nullptr, opt};
    const auto r = tw::evaluate_cell(c, ctx);
    EXPECT_TRUE(r.empty()) << tw::scorer::describe(c) << ": " << (r.empty() ? "" : r[0].rule + " " + r[0].detail);
  }
  EXPECT_TRUE(tw::score_sweep(s, nullptr).empty());
}

// ---- A2 / A5: a TAC of its own ----

TEST(LteRules, OwnTacFiresA2AndA5AndTheRogueAlertsAlone) {
  auto recs = network();
  recs.push_back(bare(1300, 13, "01", 4199, 100009 << 8 | 1));
  const auto s = sweep_of(recs);
  auto a2 = reasons_for(s, 13, "A2");
  ASSERT_EQ(a2.size(), 1u);
  EXPECT_NE(a2[0].detail.find("TAC 4199"), std::string::npos) << a2[0].detail;
  EXPECT_EQ(a2[0].evidence["operator_lacs"], json({4100}));
  EXPECT_EQ(a2[0].evidence["operator_cells"], 5);
  auto a5 = reasons_for(s, 13, "A5");
  ASSERT_EQ(a5.size(), 1u);
  EXPECT_EQ(a5[0].evidence["other_lac"], 4100);
  EXPECT_EQ(a5[0].evidence["cells_in_other_lac"], 5);
  // A2 + A5 + L2 (SIB2 alone) + L3 (no SIB4/SIB5 while the operator's 5 cells list carriers) = 1.5 + 0.5 +
  // 1.0 + 1.0.
  EXPECT_EQ(rules_for(s, 13), (std::set<std::string>{"A2", "A5", "L2", "L3"}));
  const auto alerts = tw::score_sweep(s, nullptr);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].cell.params["pci"], 13);
  EXPECT_DOUBLE_EQ(alerts[0].score, 4.0);
  const json j = tw::to_json(alerts[0]);
  EXPECT_EQ(j["cell"]["rat"], "LTE");
  EXPECT_EQ(j["cell"]["tac"], 4199);
  EXPECT_EQ(j["cell"]["cell_identity"], 100009 << 8 | 1);
  EXPECT_EQ(j["cell"]["pci"], 13);
  EXPECT_EQ(j["reasons"][0]["title"], "LAC (LTE: TAC) differs from every same-operator cell");
  // The other operator's TAC is no reference: 262-02 with TAC 4100 differs from its own 5200.
  EXPECT_TRUE(reasons_for(s, 30, "A2").empty());
  // With only two other cells of the operator decoded, A2 is silent (a location-area border looks the same).
  const auto few = sweep_of({recs[0], recs[1], recs.back()});
  EXPECT_TRUE(reasons_for(few, 13, "A2").empty());
}

// ---- A4: one cell identity, two carriers or two PCIs ----

TEST(LteRules, SameCellIdentityOnAnotherEarfcnOrPciFiresA4) {
  const int eci = 100001 << 8 | 1;   // the cell on EARFCN 1300 PCI 10
  auto recs = network();
  recs.push_back(lte(1300, 99, "01", 4100, eci, {6300}));   // same EARFCN, another PCI
  auto s = sweep_of(recs);
  auto r = reasons_for(s, 99, "A4");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].evidence["also_on"], json::parse(R"([{"earfcn":1300,"pci":10}])"));
  EXPECT_EQ(reasons_for(s, 10, "A4").size(), 1u);   // both: one sweep cannot tell the original
  EXPECT_TRUE(reasons_for(s, 11, "A4").empty());
  recs.back() = lte(6300, 99, "01", 4100, eci, {1300});  // another EARFCN (the same PCI would not matter)
  s = sweep_of(recs);
  r = reasons_for(s, 99, "A4");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].detail.find("EARFCN 1300 PCI 10"), std::string::npos) << r[0].detail;
  // The same cell reported twice (same EARFCN, PCI, identity) is one cell; another operator's equal ECI is
  // another cell (the ECI is unique within a PLMN).
  recs.back() = lte(1300, 10, "01", 4100, eci, {6300});
  EXPECT_TRUE(reasons_for(sweep_of(recs), 10, "A4").empty());
  recs.back() = lte(1501, 77, "02", 5200, eci, {3000});
  EXPECT_TRUE(reasons_for(sweep_of(recs), 77, "A4").empty());
}

// ---- L1: downgrade lure ----

TEST(LteRules, GeranOrUtraPriorityAboveEveryLteFiresL1) {
  json r = lte(1300, 10, "01", 4100, 1, {6300});   // serving 5, SIB5 4
  r["sib7"]["carrier_sets"][0]["priority"] = 6;     // above 5 and 4
  auto s = sweep_of({r});
  auto l1 = reasons_for(s, 10, "L1");
  ASSERT_EQ(l1.size(), 1u);
  EXPECT_EQ(l1[0].weight, 1.6);
  EXPECT_EQ(l1[0].evidence["lure"]["rat"], "GERAN");
  EXPECT_EQ(l1[0].evidence["lte_max_priority"], 5);
  // Equal to the highest LTE priority is not above it (36.304 5.2.4.1: no equal priorities across RATs).
  r["sib7"]["carrier_sets"][0]["priority"] = 5;
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L1").empty());
  // A SIB5 carrier at 7 outranks a GERAN 6.
  r["sib7"]["carrier_sets"][0]["priority"] = 6;
  r["sib5"]["carriers"][0]["priority"] = 7;
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L1").empty());
  // UTRA-FDD of SIB6 at 7 above LTE 5 (SIB5 scheduled and decoded with a carrier at 4).
  r = lte(1300, 10, "01", 4100, 1, {6300});
  r["sib6"] = {{"utra_fdd", json::array({json{{"uarfcn", 10700}, {"priority", 7}, {"thresh_x_high", 4}}})},
               {"utra_tdd", json::array()}};
  l1 = reasons_for(sweep_of({r}), 10, "L1");
  ASSERT_EQ(l1.size(), 1u);
  EXPECT_EQ(l1[0].evidence["lure"]["rat"], "UTRA-FDD");
  EXPECT_EQ(l1[0].evidence["lure"]["uarfcn"], 10700);
  // SIB5 scheduled but not received: the LTE carriers' priorities are unknown, no verdict.
  r.erase("sib5");
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L1").empty());
  // A priority outside CellReselectionPriority 0..7 is an error naming the field.
  r = lte(1300, 10, "01", 4100, 1, {6300});
  r["sib7"]["carrier_sets"][0]["priority"] = 8;
  const auto bad = sweep_of({r});
  tw::test::expect_input_error([&] { reasons_for(bad, 10, "L1"); }, {"sib7.carrier_sets[0]", "priority", "0..7"});
}

// ---- L2: incomplete scheduling ----

TEST(LteRules, IncompleteSchedulingFiresL2) {
  auto weight_of = [](const json& scheduling) {
    json r = lte(1300, 10, "01", 4100, 1, {6300});
    r["scheduling"] = scheduling;
    const auto l2 = reasons_for(sweep_of({r}), 10, "L2");
    return l2.empty() ? 0.0 : l2[0].weight;
  };
  EXPECT_EQ(weight_of(json::parse(R"([{"si":1,"periodicity_rf":16,"sibs":["SIB2"]}])")), 1.0);
  EXPECT_EQ(weight_of(json::parse(R"([{"si":1,"periodicity_rf":8,"sibs":["SIB2","SIB3","SIB5"]}])")), 1.0);  // one message
  EXPECT_EQ(weight_of(json::parse(R"([{"si":1,"sibs":["SIB2"]},{"si":2,"sibs":["SIB5"]}])")), 1.0);          // no SIB3
  EXPECT_EQ(weight_of(json::parse(R"([{"si":1,"sibs":["SIB2","SIB3"]},{"si":2,"sibs":["SIB7"]}])")), 0.5);   // no SIB5
  EXPECT_EQ(weight_of(json::parse(R"([{"si":1,"sibs":["SIB2","SIB3"]},{"si":2,"sibs":["SIB5"]}])")), 0.0);
  // The live band-3 cell's SIB1 (reference.json, decoded field by field in test_lte_bcch_dl_sch).
  EXPECT_EQ(weight_of(json::parse(R"([{"si":1,"periodicity_rf":8,"sibs":["SIB2","SIB3"]},
      {"si":2,"periodicity_rf":32,"sibs":["SIB5"]},{"si":3,"periodicity_rf":64,"sibs":["SIB6","SIB7"]}])")), 0.0);
  // No SIB1: nothing to judge.
  json r = lte(1300, 10, "01", 4100, 1, {6300});
  r.erase("scheduling");
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L2").empty());
  r["scheduling"] = json::object();
  const auto bad = sweep_of({r});
  tw::test::expect_input_error([&] { reasons_for(bad, 10, "L2"); }, {"'scheduling'"});
}

// ---- L3: no neighbours where the operator has them ----

TEST(LteRules, EmptyNeighbourListsFireL3OnlyAgainstTheOperator) {
  auto recs = network();
  json rogue = lte(1300, 13, "01", 4100, 100009 << 8 | 1, {});
  rogue["scheduling"] = json::parse(R"([{"si":1,"sibs":["SIB2","SIB3"]},{"si":2,"sibs":["SIB7"]}])");
  rogue.erase("sib5");
  recs.push_back(rogue);
  auto l3 = reasons_for(sweep_of(recs), 13, "L3");
  ASSERT_EQ(l3.size(), 1u);
  EXPECT_EQ(l3[0].evidence["operator_cells_announcing"], 5);   // the 5 other cells of 262-01 list a carrier
  // A SIB4 neighbour is information too.
  recs.back()["sib4"] = {{"neighbours", json::array({json{{"pci", 11}, {"q_offset_cell_db", 0}}})}};
  recs.back()["scheduling"][1]["sibs"].push_back("SIB4");
  EXPECT_TRUE(reasons_for(sweep_of(recs), 13, "L3").empty());
  // SIB5 scheduled but not received: unknown, not empty.
  recs.back() = rogue;
  recs.back()["scheduling"][1]["sibs"].push_back("SIB5");
  EXPECT_TRUE(reasons_for(sweep_of(recs), 13, "L3").empty());
  // Only one other cell of the operator with a list: not enough to compare.
  EXPECT_TRUE(reasons_for(sweep_of({recs[0], rogue, recs[5], recs[6]}), 13, "L3").empty());
  EXPECT_EQ(reasons_for(sweep_of({recs[0], recs[1], rogue}), 13, "L3").size(), 1u);
}

// ---- L4: band indicator vs carrier ----

TEST(LteRules, BandIndicatorOutsideTheCarrierFiresL4) {
  json r = lte(1300, 10, "01", 4100, 1, {6300});   // 1815.0 MHz, band 3 (36.101 table 5.7.3-1)
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L4").empty());
  r["freq_band_indicator"] = 7;                      // 2620..2690 MHz
  auto l4 = reasons_for(sweep_of({r}), 10, "L4");
  ASSERT_EQ(l4.size(), 1u);
  EXPECT_EQ(l4[0].evidence["bands_of_carrier"], json({3}));
  EXPECT_NE(l4[0].detail.find("1815.0 MHz"), std::string::npos) << l4[0].detail;
  r["multi_band_info"] = {3};                        // multiBandInfoList names band 3 too
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L4").empty());
  // Band 66's EARFCN 66536 is 2120.0 MHz, also in band 1 (2110..2170) and 4 (2110..2155): a band-1 or band-4
  // indicator is right, band 3 is not; band 66 through freqBandIndicator 64 + v9e0 is right.
  r = lte(66536, 10, "01", 4100, 1, {});
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L4").empty());   // 64 + v9e0 66
  r["freq_band_indicator"] = 1;
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L4").empty());
  r["freq_band_indicator"] = 4;
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L4").empty());
  r["freq_band_indicator"] = 64;
  r["freq_band_indicator_v9e0"] = 71;                // 617..652 MHz
  EXPECT_EQ(reasons_for(sweep_of({r}), 10, "L4").size(), 1u);
  r["freq_band_indicator"] = 3;
  EXPECT_EQ(reasons_for(sweep_of({r}), 10, "L4").size(), 1u);
  // A band outside towerwatch's table (band 31) proves nothing.
  r["freq_band_indicator"] = 31;
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L4").empty());
  r["freq_band_indicator"] = 65;                     // FreqBandIndicator is 1..64
  const auto bad = sweep_of({r});
  tw::test::expect_input_error([&] { reasons_for(bad, 10, "L4"); }, {"freq_band_indicator", "1..64"});
}

// ---- L5: capture thresholds ----

TEST(LteRules, FloorRxLevMinWithTopPriorityFiresL5) {
  json r = lte(1300, 10, "01", 4100, 1, {6300});
  r["q_rx_lev_min_dbm"] = -140;                      // Q-RxLevMin -70 x 2 dB: the floor
  r["sib3"]["cell_reselection_priority"] = 7;         // SIB5 carrier at 4
  auto l5 = reasons_for(sweep_of({r}), 10, "L5");
  ASSERT_EQ(l5.size(), 1u);
  EXPECT_EQ(l5[0].evidence["sib5_max_priority"], 4);
  EXPECT_EQ(l5[0].evidence["thresh_serving_low_db"], 6);
  r["q_rx_lev_min_dbm"] = -138;                      // one step above the floor
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L5").empty());
  r["q_rx_lev_min_dbm"] = -140;
  r["sib3"]["cell_reselection_priority"] = 6;
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L5").empty());
  r["sib3"]["cell_reselection_priority"] = 7;
  r["sib5"]["carriers"][0]["priority"] = 7;          // not above every carrier
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L5").empty());
  // No other LTE carrier at all (SIB5 not scheduled) counts as "above every one".
  r.erase("sib5");
  r["scheduling"] = json::parse(R"([{"si":1,"sibs":["SIB2","SIB3"]},{"si":2,"sibs":["SIB7"]}])");
  EXPECT_EQ(reasons_for(sweep_of({r}), 10, "L5").size(), 1u);
  r["scheduling"][1]["sibs"].push_back("SIB5");      // scheduled, not received: unknown
  EXPECT_TRUE(reasons_for(sweep_of({r}), 10, "L5").empty());
}

// ---- M2: lone PLMN ----

TEST(LteRules, LonePlmnFiresM2AndTheCatcherAlertsWithoutBaseline) {
  auto recs = network();
  recs.push_back(bare(3000, 7, "99", 1, 1 << 8 | 1));   // 262-99: no other cell of it anywhere
  const auto s = sweep_of(recs);
  auto m2 = reasons_for(s, 7, "M2");
  ASSERT_EQ(m2.size(), 1u);
  EXPECT_EQ(m2[0].evidence["other_cells"], 9);
  EXPECT_EQ(m2[0].evidence["other_operators"], json({"262-01", "262-02"}));
  // M2 1.6 + L2 1.0 = 2.6: the threshold, no baseline needed; the nine legitimate cells stay quiet. With
  // the operator list (Debian's mobile-broadband-provider-info has no 262-99) M3 adds 1.0.
  const bool list = tw::cells::operator_list_info().loaded;
  const std::set<std::string> expected = list ? std::set<std::string>{"M2", "L2", "M3"} : std::set<std::string>{"M2", "L2"};
  EXPECT_EQ(rules_for(s, 7), expected);
  const auto alerts = tw::score_sweep(s, nullptr);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].cell.params["pci"], 7);
  EXPECT_DOUBLE_EQ(alerts[0].score, list ? 3.6 : 2.6);
  // A second cell of 262-99 (any RAT) makes it a network.
  auto two = recs;
  two.push_back(json{{"type", "cell"}, {"rat", "GSM"}, {"arfcn", 60}, {"mcc", 262}, {"mnc", "99"}, {"lac", 1}, {"ci", 2}});
  EXPECT_TRUE(reasons_for(sweep_of(two), 7, "M2").empty());
  // A shared cell whose SIB1 lists 262-99 besides 262-01 (TS 36.331 PLMN-IdentityList).
  two = recs;
  two[0]["plmns"].push_back({{"mcc", 262}, {"mnc", "99"}, {"reserved", false}});
  EXPECT_TRUE(reasons_for(sweep_of(two), 7, "M2").empty());
  // Too few other cells to speak of an area's operators.
  EXPECT_TRUE(reasons_for(sweep_of({recs[0], recs[5], recs.back()}), 7, "M2").empty());
  EXPECT_EQ(reasons_for(sweep_of({recs[0], recs[1], recs[5], recs.back()}), 7, "M2").size(), 1u);
  // GSM-R (R-GSM ARFCN 955..974, TS 45.005 clause 2): a railway's own PLMN is legitimate.
  two = recs;
  two.push_back(json{{"type", "cell"}, {"rat", "GSM"}, {"arfcn", 960}, {"mcc", 262}, {"mnc", "10"}, {"lac", 1}, {"ci", 2}});
  two.push_back(json{{"type", "cell"}, {"rat", "GSM"}, {"arfcn", 980}, {"mcc", 262}, {"mnc", "11"}, {"lac", 1}, {"ci", 2}});
  const auto gsm = sweep_of(two);
  EXPECT_TRUE(reasons_of(gsm, 960, "M2").empty());
  EXPECT_EQ(reasons_of(gsm, 980, "M2").size(), 1u);   // E-GSM 975..1023 is public spectrum
  // The SDR default 001-01 adds M1 (E.212 test network).
  recs.back()["mcc"] = 1;
  recs.back()["mnc"] = "01";
  recs.back()["plmns"] = json::array({json{{"mcc", 1}, {"mnc", "01"}, {"reserved", false}}});
  EXPECT_EQ(rules_for(sweep_of(recs), 7), (std::set<std::string>{"M1", "M2", "L2"}));
}

// ---- the downgrade catcher as a whole ----

TEST(LteRules, DowngradeCatcherAlertsAndTheNetworkDoesNot) {
  auto recs = network();
  json rogue = lte(1501, 33, "02", 5200, 200009 << 8 | 1, {});   // the operator's TAC, a fresh ECI
  rogue["scheduling"] = json::parse(R"([{"si":1,"sibs":["SIB2","SIB3"]},{"si":2,"sibs":["SIB7"]}])");
  rogue.erase("sib5");
  rogue["sib7"]["carrier_sets"][0]["priority"] = 7;
  recs.push_back(rogue);
  const auto s = sweep_of(recs);
  // L1 1.6 + L2 0.5 (no SIB5) + L3 1.0 = 3.1.
  EXPECT_EQ(rules_for(s, 33), (std::set<std::string>{"L1", "L2", "L3"}));
  const auto alerts = tw::score_sweep(s, nullptr);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].cell.params["pci"], 33);
  EXPECT_DOUBLE_EQ(alerts[0].score, 3.1);
}

// ---- the rule table ----

TEST(LteRules, NoSingleRuleAlertsAlone) {
  for (const auto& r : tw::rule_table()) {
    if (!r.band_scope) EXPECT_LT(r.weight, tw::ScorerOptions{}.threshold) << r.id;   // J1: see rules_table.cpp
    EXPECT_GT(std::string(r.rationale).size(), 80u) << r.id;
  }
  for (const char* id : {"M2", "L1", "L2", "L3", "L4", "L5"}) EXPECT_NE(tw::find_rule(id), nullptr) << id;
}

// ---- B1 / C1 through the store's baseline (LTE rows: TAC + ECI, EARFCN + PCI) ----

TEST(LteRules, StoreBaselineKeepsLteApartFromGsm) {
  tw::test::TempDir dir;
  tw::store::Store st(dir / "t.db");
  // OpenCellID: an LTE row of 262-01 (area = TAC, cell = ECI), a GSM row of 262-01 whose LAC/CI equal the
  // TAC/ECI of the rogue below, and 262-03 known from GSM only.
  tw::test::write_file(dir / "c.csv",
                       "LTE,262,1,4100,25600257,0,13.4,52.5,1000,12,1,1459000000,1600000000,-95\n"
                       "GSM,262,1,4100,30001,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75\n"
                       "GSM,262,3,7000,1,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75\n");
  ASSERT_EQ(tw::store::import_opencellid(st, dir / "c.csv").imported, 3);
  // Two sweeps learn the network (C1 needs a cell seen twice on its EARFCN + PCI).
  for (std::int64_t t : {kNow - 7200000, kNow - 3600000}) st.store_sweep(sweep_of(network(), t), "t");
  tw::store::learn_baseline(st);
  const tw::store::StoreBaselineView view(st);
  auto on1300 = view.learned_cells_of("LTE", 1300);
  ASSERT_EQ(on1300.size(), 3u);
  std::set<int> pcis;
  for (const auto& k : on1300) pcis.insert(k.pci.value_or(-1));
  EXPECT_EQ(pcis, (std::set<int>{10, 11, 12}));
  EXPECT_TRUE(view.learned_cells_on(1300).empty());          // the GSM query sees no LTE row
  EXPECT_TRUE(view.operator_known_of("LTE", 262, "01"));
  EXPECT_FALSE(view.operator_known_of("LTE", 262, "03"));
  EXPECT_TRUE(view.operator_known_of("GSM", 262, "03"));
  EXPECT_TRUE(view.find_cell_of("LTE", 262, "01", 4100, 25600257).has_value());   // imported (100001 << 8 | 1)
  EXPECT_FALSE(view.find_cell_of("LTE", 262, "01", 4100, 30001).has_value());
  EXPECT_TRUE(view.find_cell_of("GSM", 262, "01", 4100, 30001).has_value());

  auto recs = network();
  recs.push_back(lte(1300, 13, "01", 4100, 30001, {6300}));   // ECI 30001: only a GSM CI of that value is known
  recs.push_back(lte(1300, 14, "03", 7000, 1, {6300}));       // operator 262-03 has no LTE cell in the baseline
  recs[1]["tac"] = 4199;                                      // EARFCN 1300 PCI 11 now broadcasts another TAC
  const auto s = sweep_of(recs, kNow);
  auto b1 = reasons_for(s, 13, "B1", &view);
  ASSERT_EQ(b1.size(), 1u);
  EXPECT_EQ(b1[0].evidence["rat"], "LTE");
  EXPECT_TRUE(reasons_for(s, 14, "B1", &view).empty());
  EXPECT_TRUE(reasons_for(s, 10, "B1", &view).empty());       // learned
  auto c1 = reasons_for(s, 11, "C1", &view);
  ASSERT_EQ(c1.size(), 1u);
  EXPECT_EQ(c1[0].evidence["lac_changed"], true);
  EXPECT_EQ(c1[0].evidence["pci"], 11);
  EXPECT_NE(c1[0].detail.find("EARFCN 1300 PCI 11 was learned as 262-01 TAC 4100"), std::string::npos) << c1[0].detail;
  // The learned identity itself, and a PCI the baseline never saw on the EARFCN, are no change.
  EXPECT_TRUE(reasons_for(s, 10, "C1", &view).empty());
  EXPECT_TRUE(reasons_for(s, 13, "C1", &view).empty());
  // The whole learned network scores nothing against its own baseline.
  const auto again = sweep_of(network(), kNow);
  for (const auto& c : again.cells) {
    const tw::ScorerOptions opt;
    const auto r = tw::evaluate_cell(c, tw::ScoringContext{again, &view, opt});
    EXPECT_TRUE(r.empty()) << tw::scorer::describe(c) << ": " << (r.empty() ? "" : r[0].rule + " " + r[0].detail);
  }
}

// ---- the live band-3 cell (../shared, reference.json): analyze, then the rules ----

TEST(LteRules, LiveCellRaisesNothingWithoutBaseline) {
  TW_REQUIRE_SHARED(shared);
  const auto file = shared / "captures" / "lte" / "f1815.3_s19.2_bw20_0.08s_hackrf.bin";
  const auto r = tw::test::run_towerwatch({"analyze", file.string(), "--format", "cs8", "--rate", "19200000",
                                           "--freq", "1815300000", "--rat", "lte", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<json> cells;
  for (const auto& j : tw::test::json_lines(r.out))
    if (j.value("type", "") == "cell") cells.push_back(j);
  // The reference cell (PCI 300) and possibly its eNodeB's other sector (PCI 301, same N_ID(1), 12.6 dB
  // under it, MIB only: tests/test_analyze_captures.cpp checks what it is).
  ASSERT_GE(cells.size(), 1u) << r.out;
  ASSERT_LE(cells.size(), 2u) << r.out;
  const auto s = sweep_of(cells);
  const auto ref = std::find_if(s.cells.begin(), s.cells.end(), [](const auto& x) { return x.params.value("pci", -1) == 300; });
  ASSERT_NE(ref, s.cells.end()) << r.out;
  const auto& c = *ref;
  // The reference decode: 206-01, TAC 9340, ECI 46136577, band 3, SIB1 scheduling SIB3 and SIB5.
  EXPECT_EQ(c.mcc, 206);
  EXPECT_EQ(c.mnc, "01");
  EXPECT_EQ(c.lac, 9340);
  EXPECT_EQ(c.ci, 46136577);
  ASSERT_TRUE(c.params.contains("sib3")) << r.out;
  EXPECT_EQ(c.params["freq_band_indicator"], 3);
  // Nothing is anomalous in it: L2 (3 SI messages with SIB3 and SIB5), L4 (band 3 holds the carrier), L5
  // (q-RxLevMin -132 dBm) judged and silent; L1 has no SIB5/6/7 in 80 ms; M2/A2/L3 need other cells.
  // The sector beside it (no SIB1 at its SINR) is no anomaly either.
  const tw::ScorerOptions opt;
  for (const auto& cell : s.cells) {
    const auto reasons = tw::evaluate_cell(cell, tw::ScoringContext{s, nullptr, opt});
    for (const auto& x : reasons) ADD_FAILURE() << "PCI " << cell.params.value("pci", -1) << " " << x.rule << ": " << x.detail;
  }
}

// ---- hostile records: every field of a full record replaced by values of the wrong type or range ----

TEST(LteRules, HostileFieldsAreInputErrorsNeverOtherFailures) {
  json full = lte(1300, 10, "01", 4100, 1, {6300});
  full["sib4"] = {{"neighbours", json::array({json{{"pci", 11}, {"q_offset_cell_db", 0}}})}};
  full["sib6"] = {{"utra_fdd", json::array({json{{"uarfcn", 10700}, {"priority", 3}}})}, {"utra_tdd", json::array()}};
  const std::vector<json> bad{json("x"), json(-1), json(1e12), json(99999999999LL), json::array(), json::object(),
                              json::array({json("x"), json(1)}), json(nullptr), json(true)};
  // Every path of the record (objects and arrays entered), each replaced by each bad value.
  std::vector<json::json_pointer> paths;
  std::function<void(const json&, const json::json_pointer&)> walk = [&](const json& j, const json::json_pointer& p) {
    if (!p.empty()) paths.push_back(p);
    if (j.is_object())
      for (auto it = j.begin(); it != j.end(); ++it) walk(it.value(), p / it.key());
    else if (j.is_array())
      for (std::size_t i = 0; i < j.size(); ++i) walk(j[i], p / i);
  };
  walk(full, json::json_pointer());
  ASSERT_GT(paths.size(), 60u);
  int judged = 0, refused = 0;
  for (const auto& p : paths) {
    if (p.to_string() == "/type" || p.to_string() == "/rat") continue;
    for (const auto& v : bad) {
      json r = full;
      r[p] = v;
      auto recs = network();
      recs.push_back(r);
      try {
        const auto s = sweep_of(recs);
        for (const auto& c : s.cells) {
          const tw::ScorerOptions opt;
          (void)tw::evaluate_cell(c, tw::ScoringContext{s, nullptr, opt});
        }
        ++judged;
      } catch (const tw::InputError& e) {
        ++refused;
        EXPECT_NE(std::string(e.what()).find("field"), std::string::npos) << p.to_string() << ": " << e.what();
      } catch (const std::exception& e) {
        ADD_FAILURE() << p.to_string() << " = " << v.dump() << ": " << e.what();
      }
    }
  }
  EXPECT_GT(judged, 0);
  EXPECT_GT(refused, 0);
}
