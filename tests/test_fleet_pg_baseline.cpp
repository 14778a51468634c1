// The fleet baseline in PostgreSQL (src/fleet/pg_baseline_view.hpp) behind the scorer's BaselineView: a real
// PostgreSQL started by the test (tests/support/fleet_servers.hpp). Observations stored through the
// collector's own path (parse_fleet_message -> PgFleetStore::store_message) become the baseline of what is
// received after them; rule B1 (not in the baseline of a known operator) then fires for the city-with-rogue
// scene's rogue (262-01, LAC 4711, CI 10099) and not for operator A's cell it learned (LAC 1234, CI 10011).
#include <gtest/gtest.h>

#include "src/fleet/fleet_message.hpp"
#include "src/fleet/pg_baseline_view.hpp"
#include "src/fleet/pg_store.hpp"
#include "src/scorer/scorer.hpp"
#include "support/fleet_servers.hpp"
#include "support/test_support.hpp"

using nlohmann::json;

namespace {

tw::fleet::FleetMessage cell_msg(int seq, int arfcn, int lac, int ci, double lat) {
  const json j{{"msg_id", "s1:0123456789abcdef:" + std::to_string(seq)}, {"epoch", "0123456789abcdef"}, {"seq", seq},
               {"floor", 0}, {"type", "cell"}, {"sensor", "s1"}, {"sweep", 1}, {"time_unix_ms", 1796300000000LL},
               {"lat", lat}, {"lon", 13.4}, {"rat", "GSM"}, {"arfcn", arfcn}, {"band", "P-GSM900"}, {"mcc", 262},
               {"mnc", "01"}, {"lac", lac}, {"ci", ci}, {"bsic", 10}, {"power_dbfs", -38.0}, {"snr_db", 23.0}, {"cfo_hz", 12.0}};
  tw::fleet::FleetMessage m;
  std::string why;
  EXPECT_TRUE(tw::fleet::parse_fleet_message("s1", "cell", j.dump(), m, why)) << why;
  return m;
}

bool has_rule(const std::vector<tw::Reason>& reasons, const std::string& id) {
  for (const auto& r : reasons)
    if (r.rule == id) return true;
  return false;
}

}  // namespace

TEST(FleetPgBaseline, WhatTheFleetHeardBeforeIsTheBaselineTheScorerUses) {
  tw::test::PostgresServer server;
  TW_SERVER_OR_SKIP(server);
  tw::fleet::PgFleetStore db(server.url());
  EXPECT_EQ(db.schema_version(), tw::fleet::PgFleetStore::kSchemaVersion);
  const std::int64_t t0 = 1796300000000LL;
  db.begin();
  ASSERT_TRUE(db.store_message(cell_msg(1, 58, 1234, 10011, 52.50), t0));
  ASSERT_TRUE(db.store_message(cell_msg(2, 62, 1234, 10011, 52.52), t0 + 10));  // the same cell heard on a second channel
  ASSERT_FALSE(db.store_message(cell_msg(2, 62, 1234, 10011, 52.52), t0 + 20));  // a duplicate id: not again
  db.commit();

  tw::fleet::PgBaselineView before(db, t0);        // nothing received before t0
  EXPECT_FALSE(before.find_cell(262, "01", 1234, 10011));
  EXPECT_FALSE(before.operator_known(262, "01"));
  tw::fleet::PgBaselineView after(db, t0 + 1000);
  const auto k = after.find_cell(262, "01", 1234, 10011);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->n_observations, 2);
  EXPECT_EQ(k->arfcns, (std::vector<int>{58, 62}));
  EXPECT_NEAR(*k->lat, 52.51, 1e-9);
  EXPECT_EQ(k->first_seen_unix_ms, t0);
  EXPECT_TRUE(after.operator_known(262, "01"));
  EXPECT_FALSE(after.operator_known(262, "02"));
  EXPECT_FALSE(after.find_cell(262, "01", 4711, 10099));

  // Scoring a sweep against it: B1 for the rogue only.
  tw::SweepObservations sweep;
  sweep.sensor_id = "s9";
  sweep.cells = {cell_msg(3, 58, 1234, 10011, 52.5).cell, cell_msg(4, 64, 4711, 10099, 52.5).cell};
  tw::ScorerOptions options;
  const tw::ScoringContext ctx{sweep, &after, options};
  EXPECT_FALSE(has_rule(tw::evaluate_cell(sweep.cells[0], ctx), "B1"));
  EXPECT_TRUE(has_rule(tw::evaluate_cell(sweep.cells[1], ctx), "B1"));
  // Without the fleet's history (before t0) the operator is unknown: B1 stays silent (nothing to compare with).
  const tw::ScoringContext early{sweep, &before, options};
  EXPECT_FALSE(has_rule(tw::evaluate_cell(sweep.cells[1], early), "B1"));
}
