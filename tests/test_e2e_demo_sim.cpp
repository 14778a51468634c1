// `towerwatch demo`, the README's first command: a GSM900 sweep of the built-in city-with-rogue scene through
// the simulated radio must report every cell of the scene exactly once, with the identity the scene gave it,
// and end in one alert: on the scene's rogue cell.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "src/store/store.hpp"
#include "support/test_support.hpp"
#include "tools/synth/scene.hpp"

namespace {

TEST(E2eDemo, SweepReportsEveryCellOnceAndAlertsOnTheRogue) {
  auto r = tw::test::run_towerwatch({"demo", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  using Id = std::tuple<int, int, int, int, int>;  // arfcn, bsic, mcc, lac, ci
  std::multiset<Id> got;
  std::vector<nlohmann::json> alerts;
  for (const auto& e : tw::test::json_lines(r.out)) {
    if (e["type"] == "alert") alerts.push_back(e);
    if (e["type"] != "cell") continue;
    got.insert({e["arfcn"].get<int>(), e["bsic"].get<int>(), e["mcc"].get<int>(), e["lac"].get<int>(),
                e["ci"].get<int>()});
  }
  std::multiset<Id> want;
  for (const auto& c : tw::synth::builtin_scene("city-with-rogue").cells) want.insert({c.arfcn, c.bsic, c.mcc, c.lac, c.ci});
  EXPECT_EQ(got, want);

  // The demo ends in the rogue cell's alert, and only that one: the scene names its rogue.
  const tw::synth::CellConfig* rogue = nullptr;
  const auto scene = tw::synth::builtin_scene("city-with-rogue");
  for (const auto& c : scene.cells)
    if (c.name == "rogue") rogue = &c;
  ASSERT_NE(rogue, nullptr);
  ASSERT_EQ(alerts.size(), 1u) << r.out;
  EXPECT_EQ(alerts[0]["cell"]["arfcn"], rogue->arfcn);
  EXPECT_EQ(alerts[0]["cell"]["lac"], rogue->lac);
  EXPECT_GE(alerts[0]["score"].get<double>(), 2.6);
  std::set<std::string> rules;
  for (const auto& reason : alerts[0]["reasons"]) rules.insert(reason["rule"].get<std::string>());
  for (const char* expected : {"A2", "K1", "K2", "T1"}) EXPECT_TRUE(rules.count(expected)) << expected;
}

// With --db the sweep and its alert are stored (one sweep, every cell, the rogue's alert).
TEST(E2eDemo, DatabaseHoldsTheSweepAndTheAlert) {
  tw::test::TempDir dir;
  const auto db_path = dir / "site.db";
  auto r = tw::test::run_towerwatch({"demo", "--json", "--db", db_path.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  tw::store::Store db(db_path);
  const auto sweeps = db.sweeps();
  ASSERT_EQ(sweeps.size(), 1u);
  EXPECT_TRUE(sweeps[0].completed);
  EXPECT_EQ(db.load_sweep(sweeps[0].id).cells.size(), tw::synth::builtin_scene("city-with-rogue").cells.size());
  const auto alerts = db.alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_NE(alerts[0].cell_key.find("4711"), std::string::npos) << alerts[0].cell_key;  // the rogue's LAC
}

TEST(E2eDemo, UnknownSceneIsBadInput) {
  auto r = tw::test::run_towerwatch({"demo", "--scene", "no-such-scene"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-scene"), std::string::npos) << r.err;
}

}  // namespace
