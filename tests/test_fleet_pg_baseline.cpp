// The fleet baseline in PostgreSQL (src/fleet/fleet_baseline.hpp) behind the scorer's BaselineView: a real
// PostgreSQL started by the test (tests/support/fleet_servers.hpp). A sweep stored through the collector's own
// path (parse_fleet_message -> FleetStore::store_message) and completed is learned by the fleet scorer
// (FleetSweepScorer: while the fleet learns, folded into the store's known cells) and becomes the baseline of
// the sweeps scored after it: the cell with its channels, BSIC, mean sensor position and history, the
// operator known; rule B1 (not in the baseline of a known operator) then fires for the city-with-rogue
// scene's rogue (262-01, LAC 4711, CI 10099) and not for operator A's cell it learned (LAC 1234, CI 10011).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "src/fleet/fleet_baseline.hpp"
#include "src/fleet/fleet_message.hpp"
#include "src/fleet/fleet_rules.hpp"
#include "src/fleet/fleet_scoring.hpp"
#include "src/fleet/fleet_store.hpp"
#include "src/scorer/scorer.hpp"
#include "support/fleet_servers.hpp"
#include "support/test_support.hpp"

using nlohmann::json;

namespace {

constexpr const char* kEpoch = "0123456789abcdef";

tw::fleet::FleetMessage cell_msg(int seq, int sweep, int arfcn, int lac, int ci, double lat) {
  const json j{{"msg_id", std::string("s1:") + kEpoch + ":" + std::to_string(seq)}, {"epoch", kEpoch}, {"seq", seq},
               {"floor", 0}, {"type", "cell"}, {"sensor", "s1"}, {"sweep", sweep}, {"time_unix_ms", 1796300000000LL},
               {"lat", lat}, {"lon", 13.4}, {"rat", "GSM"}, {"arfcn", arfcn}, {"band", "P-GSM900"}, {"mcc", 262},
               {"mnc", "01"}, {"lac", lac}, {"ci", ci}, {"bsic", 10}, {"power_dbfs", -38.0}, {"snr_db", 23.0}, {"cfo_hz", 12.0}};
  tw::fleet::FleetMessage m;
  std::string why;
  EXPECT_TRUE(tw::fleet::parse_fleet_message("s1", "cell", j.dump(), m, why)) << why;
  return m;
}

tw::fleet::FleetMessage sweep_msg(int seq, int sweep, int n_cells) {
  const json j{{"msg_id", std::string("s1:") + kEpoch + ":" + std::to_string(seq)}, {"epoch", kEpoch}, {"seq", seq},
               {"floor", 0}, {"type", "sweep"}, {"sensor", "s1"}, {"sweep", sweep}, {"time_unix_ms", 1796300000000LL},
               {"n_cells", n_cells}};
  tw::fleet::FleetMessage m;
  std::string why;
  EXPECT_TRUE(tw::fleet::parse_fleet_message("s1", "sweep", j.dump(), m, why)) << why;
  return m;
}

bool has_rule(const std::vector<tw::Reason>& reasons, const std::string& id) {
  for (const auto& r : reasons)
    if (r.rule == id) return true;
  return false;
}

}  // namespace

TEST(FleetPgBaseline, WhatTheFleetLearnedIsTheBaselineTheScorerUses) {
  tw::test::PostgresServer server;
  TW_SERVER_OR_SKIP(server);
  tw::fleet::FleetStore db(server.url());
  EXPECT_EQ(db.schema_version(), tw::store::Store::kSchemaVersion);
  const std::int64_t t0 = 1796300000000LL;
  db.begin();
  ASSERT_TRUE(db.store_message(cell_msg(1, 1, 58, 1234, 10011, 52.50), t0));
  ASSERT_TRUE(db.store_message(cell_msg(2, 1, 62, 1234, 10011, 52.52), t0 + 10));  // the same cell heard on a second channel
  ASSERT_FALSE(db.store_message(cell_msg(2, 1, 62, 1234, 10011, 52.52), t0 + 20));  // a duplicate id: not again
  ASSERT_TRUE(db.store_message(cell_msg(3, 1, 58, 1234, 10011, 52.54), t0 + 25));  // heard again on the first
  db.commit();

  // Nothing learned before the sweep completes.
  const tw::fleet::FleetBaselineView before(db.store(), nullptr, t0);
  EXPECT_FALSE(before.find_cell(262, "01", 1234, 10011));
  EXPECT_FALSE(before.operator_known(262, "01"));
  // The sweep scored below; against nothing learned the operator is unknown: B1 silent (nothing to compare with).
  tw::SweepObservations sweep;
  sweep.sensor_id = "s9";
  sweep.cells = {cell_msg(5, 2, 58, 1234, 10011, 52.5).cell, cell_msg(6, 2, 64, 4711, 10099, 52.5).cell};
  tw::ScorerOptions options;
  const tw::ScoringContext early{sweep, &before, options};
  EXPECT_FALSE(has_rule(tw::evaluate_cell(sweep.cells[1], early), "B1"));

  db.begin();
  ASSERT_TRUE(db.store_message(sweep_msg(4, 1, 3), t0 + 30));
  db.commit();
  tw::fleet::FleetSweepScorer learner(86400000, 600000);   // the fleet learns for a day
  EXPECT_TRUE(learner.score(db, {{"s1", kEpoch, 1}}, t0 + 40).empty());

  const tw::fleet::FleetBaselineView after(db.store(), nullptr, t0 + 1000);
  const auto k = after.find_cell(262, "01", 1234, 10011);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->n_observations, 3);
  EXPECT_EQ(k->arfcns, (std::vector<int>{58, 62}));
  EXPECT_NEAR(*k->lat, 52.52, 1e-9);   // the most observed channel's mean sensor position
  EXPECT_EQ(k->bsic, 10);
  EXPECT_EQ(k->first_seen_unix_ms, t0);
  EXPECT_EQ(k->power_recent_dbfs, (std::vector<double>{-38.0, -38.0}));
  EXPECT_TRUE(after.operator_known(262, "01"));
  EXPECT_FALSE(after.operator_known(262, "02"));
  EXPECT_FALSE(after.find_cell(262, "01", 4711, 10099));
  EXPECT_EQ(after.learned_cells_on(62).size(), 1u);
  // The sensor's history of the cell: seen in 1 sweep of the 1 that covered its band.
  const auto h = after.cell_history(cell_msg(9, 2, 58, 1234, 10011, 52.5).cell, t0 + 1000);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->sweeps_seen, 1);
  EXPECT_EQ(h->sweeps_covering, 1);

  // Scoring a sweep against it: B1 for the rogue only.
  const tw::ScoringContext ctx{sweep, &after, options};
  EXPECT_FALSE(has_rule(tw::evaluate_cell(sweep.cells[0], ctx), "B1"));
  EXPECT_TRUE(has_rule(tw::evaluate_cell(sweep.cells[1], ctx), "B1"));
}

// The fleet rules' view read from PostgreSQL (src/fleet/fleet_view.cpp) and FL3 on it: eight sensors heard cell
// 262-01 1234/5678 before the window at levels of the log-distance law L = 25 - 35 log10(d) dBm (+40 dB
// receiver gain, a fixed shadowing draw), so the fleet estimates the mast's position (src/locate); in the
// window two of them, 2.4 km from the mast, hear a clone 50 m away. Truth: the geometry (mast at the origin).
namespace {

constexpr double kLat0 = 52.52, kLon0 = 13.40, kMPerDeg = 111195.0;
double lat_at(double north_m) { return kLat0 + north_m / kMPerDeg; }
double lon_at(double east_m) { return kLon0 + east_m / (kMPerDeg * std::cos(kLat0 * 3.14159265358979323846 / 180)); }
double law_dbm(double d_m, double p1m = 25.0, double n = 3.5) { return p1m - 10 * n * std::log10(std::sqrt(d_m * d_m + 100.0)); }

tw::fleet::FleetMessage sighting_msg(const std::string& sensor, int seq, int sweep, double lat, double lon, double dbfs) {
  const std::string epoch = "00000000000000a1";
  const json j{{"msg_id", sensor + ":" + epoch + ":" + std::to_string(seq)}, {"epoch", epoch}, {"seq", seq}, {"floor", 0},
               {"type", "cell"}, {"sensor", sensor}, {"sweep", sweep}, {"time_unix_ms", 1796300000000LL}, {"lat", lat},
               {"lon", lon}, {"rat", "GSM"}, {"arfcn", 62}, {"band", "P-GSM900"}, {"mcc", 262}, {"mnc", "01"},
               {"lac", 1234}, {"ci", 5678}, {"bsic", 10}, {"power_dbfs", dbfs}, {"snr_db", 25.0}, {"cfo_hz", 0.0}};
  tw::fleet::FleetMessage m;
  std::string why;
  EXPECT_TRUE(tw::fleet::parse_fleet_message(sensor, "cell", j.dump(), m, why)) << why;
  return m;
}

}  // namespace

TEST(FleetPgBaseline, TheFleetViewEstimatesPositionsFromBeforeTheWindowAndFL3FlagsTheClone) {
  tw::test::PostgresServer server;
  TW_SERVER_OR_SKIP(server);
  tw::fleet::FleetStore db(server.url());
  struct Place {
    const char* sensor;
    double east_m, north_m, shadow_db;
  };
  const Place places[] = {{"s0", 300, 0, 4.0},      {"s1", 0, -700, -5.5},        {"s2", -1200, 0, 2.0},    {"s3", 0, 1500, -3.0},
                          {"s4", 1800, 1800, 5.5}, {"s5", -2000, -1000, -1.0}, {"s6", 2400, -600, 3.0}, {"s7", 2450, -650, -4.0}};
  const std::int64_t t0 = 1796300000000LL, t1 = t0 + 700000;
  db.begin();
  int seq = 0;
  for (int round = 0; round < 2; ++round)
    for (const auto& p : places) {
      double level = law_dbm(std::hypot(p.east_m, p.north_m)) + p.shadow_db;
      const bool clone = round == 1 && (std::string(p.sensor) == "s6" || std::string(p.sensor) == "s7");
      if (clone) level = std::max(level, law_dbm(50, 0.0, 3.0));
      ASSERT_TRUE(db.store_message(sighting_msg(p.sensor, ++seq, round + 1, lat_at(p.north_m), lon_at(p.east_m), level + 40),
                                   round == 0 ? t0 : t1));
    }
  db.commit();

  const std::string key = "GSM:262-01-1234-5678";
  const auto view = tw::fleet::load_fleet_view(db, t1 - 600000 + 1000, t1 + 1000);
  EXPECT_EQ(view.sightings.size(), 8u);
  EXPECT_EQ(view.first_ever_ms.at(key), t0);   // heard before the window: not new to the fleet
  ASSERT_TRUE(view.positions.count(key)) << "no position estimated from the sightings before the window";
  const auto& pos = view.positions.at(key);
  EXPECT_LE(tw::fleet::distance_km(pos.lat, pos.lon, kLat0, kLon0) * 1000, pos.radius_m) << "the mast outside the radius";

  tw::fleet::FleetRuleRunner runner(600000);
  const auto alerts = runner.run(db, t1 + 1000);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["rule"], "FL3");
  EXPECT_EQ(alerts[0]["cell_key"], key);
  std::set<std::string> flagged;
  for (const auto& s : alerts[0]["evidence"]["sensors"]) flagged.insert(s["sensor"].get<std::string>());
  EXPECT_EQ(flagged, (std::set<std::string>{"s6", "s7"}));
  EXPECT_EQ(db.query_int("SELECT count(*) FROM fleet_alerts WHERE rule = 'FL3'"), 1);
}
