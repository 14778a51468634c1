// `towerwatch demo`, the README's first command: a GSM900 sweep of the built-in city-with-rogue scene through
// the simulated radio must report every cell of the scene exactly once, with the identity the scene gave it.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "support/test_support.hpp"
#include "tools/synth/scene.hpp"

namespace {

TEST(E2eDemo, SweepReportsEveryCellOfTheBuiltInSceneOnce) {
  auto r = tw::test::run_towerwatch({"demo", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  using Id = std::tuple<int, int, int, int, int>;  // arfcn, bsic, mcc, lac, ci
  std::multiset<Id> got;
  for (const auto& e : tw::test::json_lines(r.out)) {
    if (e["type"] != "cell") continue;
    got.insert({e["arfcn"].get<int>(), e["bsic"].get<int>(), e["mcc"].get<int>(), e["lac"].get<int>(),
                e["ci"].get<int>()});
  }
  std::multiset<Id> want;
  for (const auto& c : tw::synth::builtin_scene("city-with-rogue").cells) want.insert({c.arfcn, c.bsic, c.mcc, c.lac, c.ci});
  EXPECT_EQ(got, want);
}

TEST(E2eDemo, UnknownSceneIsBadInput) {
  auto r = tw::test::run_towerwatch({"demo", "--scene", "no-such-scene"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-scene"), std::string::npos) << r.err;
}

}  // namespace
