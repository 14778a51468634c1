// One store, two backends (src/store/connection.hpp): the same conformance suite runs against an SQLite file
// and a real PostgreSQL started by the test on loopback (tests/support/fleet_servers.hpp; skipped with the
// reason where PostgreSQL's binaries are absent, a failure in CI). Truth: the values written (every field of
// a sweep, its track and band floors, known cells, alerts, meta, findings and outbox come back exactly), the
// documented semantics (ids and sequence numbers never reused, a transaction rolled back leaves nothing, a
// savepoint rolled back leaves its outer transaction intact even after a server-side error, migrations from
// an older version keep the rows), and, across backends, the SQLite file: the baseline learned and the
// scorer's view of it are the same on both.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cmath>
#include <limits>
#include <thread>

#include "src/core/error.hpp"
#include "src/fleet/fleet_store.hpp"
#include "src/store/outbox.hpp"
#include "src/store/store.hpp"
#include "src/store/store_baseline_view.hpp"
#include "support/fleet_servers.hpp"
#include "support/observation_compare.hpp"
#include "support/test_support.hpp"

using nlohmann::json;
using tw::store::Store;
using tw::CellObservation;
using tw::SweepObservations;
using tw::BandFloor;
using tw::Fix;

namespace {

tw::test::PostgresServer* g_pg = nullptr;
int g_db_counter = 0;

// A fresh database on the test's server for each test (parameterless SQL of ours, outside the code tested).
std::string fresh_pg_database() {
  const std::string name = "conf" + std::to_string(++g_db_counter);
  PGconn* c = PQconnectdb(g_pg->url().c_str());
  EXPECT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, ("CREATE DATABASE " + name).c_str());
  EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  std::string url = g_pg->url();
  return url.substr(0, url.rfind('/') + 1) + name;
}

class StoreBackends : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { g_pg = new tw::test::PostgresServer(); }
  static void TearDownTestSuite() {
    delete g_pg;
    g_pg = nullptr;
  }
  void SetUp() override {
    if (GetParam() == "postgresql") {
      if (!g_pg->running()) {
        if (tw::test::running_in_ci()) FAIL() << "PostgreSQL needed in CI: " << g_pg->error();
        GTEST_SKIP() << "PostgreSQL not available: " << g_pg->error();
      }
      db = fresh_pg_database();
    } else {
      db = (dir / "store.db").string();
    }
  }
  std::unique_ptr<Store> open() { return tw::store::open_store(db); }
  tw::test::TempDir dir;
  std::string db;
};

CellObservation cell(int arfcn, int lac, int ci, double power, std::int64_t t) {
  CellObservation o;
  o.time_unix_ms = t;
  o.sensor_id = "sensor-1";
  o.rat = "GSM";
  o.arfcn = arfcn;
  o.band = "P-GSM900";
  o.freq_hz = 935.2e6 + 0.2e6 * arfcn;
  o.mcc = 262;
  o.mnc = "01";
  o.lac = lac;
  o.ci = ci;
  o.bsic = 21;
  o.power_dbfs = power;
  o.snr_db = 23.25;
  o.cfo_hz = 12.5;
  o.cfo_residual_ppb = -3.0;
  o.si_seen = {"SI1", "SI3"};
  o.params = {{"t3212", 20}, {"cro", 0}, {"neighbors", {62, 66}}, {"band", "P-GSM900"}};
  return o;
}

// A sweep with every kind of field: optional ones set and unset, attacker-style text (quotes, SQL, UTF-8),
// doubles that need all 17 digits, a track with two reports at the same time, a band floor.
SweepObservations rich_sweep(std::int64_t t) {
  SweepObservations s;
  s.time_unix_ms = t;
  s.sensor_id = "sensor-1";
  CellObservation a = cell(62, 1234, 30001, -35.123456789012345, t);
  a.lat = 52.520008123456789;
  a.lon = 13.404954987654321;
  a.fix_mode = "3d";
  a.eph_m = 4.5;
  a.fix_time_unix_ms = t - 250;
  a.power_dbm = -71.1;
  a.params["network_name"] = "O'Brien\"); DROP TABLE sweeps; -- Ünïcødé \xE2\x9C\x93";
  CellObservation b = cell(66, 1234, 30002, -42.0, t + 10);
  b.mnc.reset();
  b.ci.reset();
  b.bsic.reset();
  b.freq_hz.reset();
  b.cfo_residual_ppb.reset();
  b.cfo_hz = 1e-300;
  b.snr_db = -0.1;
  s.cells = {a, b};
  Fix f1;
  f1.time_unix_ms = t - 100;
  f1.lat = 52.5;
  f1.lon = 13.4;
  f1.alt_m = 34.0;
  f1.mode = tw::FixMode::fix3d;
  f1.eph_m = 3.0;
  Fix f2 = f1;
  f2.lat = 52.6;  // the same time: kept in the order received
  Fix f3;
  f3.time_unix_ms = t + 100;  // no fix
  s.track = {f1, f2, f3};
  BandFloor bf;
  bf.rat = "GSM";
  bf.band = "P-GSM900";
  bf.noise_floor_dbfs_per_mhz = -96.25;
  bf.tunings = 3;
  s.band_floors = {bf};
  return s;
}

}  // namespace

TEST_P(StoreBackends, SweepTrackAndBandFloorsComeBackExactly) {
  auto st = open();
  EXPECT_EQ(st->schema_version(), Store::kSchemaVersion);
  const std::int64_t t = 1796300000000LL;
  const SweepObservations in = rich_sweep(t);
  const std::int64_t id1 = st->store_sweep(in, "scan --device driver=towerwatch-sim");
  const std::int64_t id2 = st->store_sweep(rich_sweep(t + 60000), "second");
  EXPECT_GT(id2, id1);
  const auto sweeps = st->sweeps();
  ASSERT_EQ(sweeps.size(), 2u);
  EXPECT_EQ(sweeps[0].id, id1);
  EXPECT_EQ(sweeps[0].time_unix_ms, t);
  EXPECT_EQ(sweeps[0].sensor_id, "sensor-1");
  EXPECT_EQ(sweeps[0].source, "scan --device driver=towerwatch-sim");
  EXPECT_EQ(sweeps[0].n_cells, 2);
  EXPECT_TRUE(sweeps[0].completed);
  EXPECT_EQ(sweeps[0].lat, in.cells[0].lat);  // the first cell's position

  const SweepObservations out = st->load_sweep(id1);
  EXPECT_EQ(out.time_unix_ms, t);
  ASSERT_EQ(out.cells.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) tw::test::expect_same_observation(in.cells[i], out.cells[i]);
  ASSERT_EQ(out.band_floors.size(), 1u);
  EXPECT_EQ(out.band_floors[0].band, "P-GSM900");
  EXPECT_EQ(out.band_floors[0].noise_floor_dbfs_per_mhz, -96.25);
  EXPECT_EQ(out.band_floors[0].tunings, 3);

  const auto track = st->track(id1);
  ASSERT_EQ(track.size(), 3u);
  EXPECT_EQ(track[0].lat, 52.5);  // same time: insertion order
  EXPECT_EQ(track[1].lat, 52.6);
  EXPECT_EQ(track[0].alt_m, 34.0);
  EXPECT_EQ(track[0].mode, tw::FixMode::fix3d);
  EXPECT_EQ(track[2].mode, tw::FixMode::none);
  EXPECT_FALSE(track[2].lat);

  std::vector<std::int64_t> seen;
  st->for_each_observation(id1, [&](std::int64_t sid, const CellObservation&) { seen.push_back(sid); });
  EXPECT_EQ(seen, (std::vector<std::int64_t>{id2, id2}));
  EXPECT_THROW(st->load_sweep(id2 + 100), tw::InputError);
}

// More observations than one page of for_each_observation (20 000 rows): every one exactly once, in sweep
// and insertion order, across the page boundary; the callback may use the store meanwhile.
TEST_P(StoreBackends, EveryObservationOnceInOrderAcrossPages) {
  auto st = open();
  const std::int64_t t = 1796300000000LL;
  const auto first = st->store_sweep(rich_sweep(t), "a");
  SweepObservations big;
  big.time_unix_ms = t + 60000;
  big.sensor_id = "sensor-1";
  constexpr int kBig = 20005;
  for (int i = 0; i < kBig; ++i) big.cells.push_back(cell(i % 1024, 1000 + i / 1024, i % 65536, -50.0 - i * 1e-3, t + 60000));
  const auto second = st->store_sweep(big, "b");
  const auto third = st->store_sweep(rich_sweep(t + 120000), "c");
  std::vector<std::pair<std::int64_t, double>> seen;
  st->for_each_observation(0, [&](std::int64_t sid, const CellObservation& o) {
    seen.emplace_back(sid, o.power_dbfs);
    if (seen.size() == 20000) EXPECT_FALSE(st->meta("absent"));  // the store usable from the callback
  });
  ASSERT_EQ(seen.size(), 2u + kBig + 2u);
  EXPECT_EQ(seen[0].first, first);
  EXPECT_EQ(seen.back().first, third);
  for (int i = 0; i < kBig; ++i) {
    ASSERT_EQ(seen[2 + i].first, second) << i;
    ASSERT_EQ(seen[2 + i].second, -50.0 - i * 1e-3) << i;
  }
  std::size_t after_first = 0;
  st->for_each_observation(first, [&](std::int64_t, const CellObservation&) { ++after_first; });
  EXPECT_EQ(after_first, kBig + 2u);
}

TEST_P(StoreBackends, MalformedObservationWritesNothingOfItsSweep) {
  auto st = open();
  SweepObservations s = rich_sweep(1796300000000LL);
  s.cells[1].power_dbfs = std::numeric_limits<double>::quiet_NaN();
  try {
    st->store_sweep(s, "bad");
    FAIL() << "accepted a NaN power";
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("power_dbfs"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(st->sweeps().empty());
  EXPECT_EQ(st->query_int("SELECT count(*) FROM observations"), 0);
  EXPECT_EQ(st->query_int("SELECT count(*) FROM track"), 0);
}

TEST_P(StoreBackends, KnownCellsAlertsMetaAndFindings) {
  auto st = open();
  tw::store::KnownCell k;
  k.key = tw::store::cell_key("GSM", 262, std::string("01"), 1234, 30001, 62);
  k.source = "learned";
  k.mcc = 262;
  k.mnc = "01";
  k.lac = 1234;
  k.ci = 30001;
  k.arfcn = 62;
  k.bsic = 21;
  k.params_seen = {{"t3212", {20, 30}}};
  k.power_dbfs.add(-35.5);
  k.power_dbfs.add(-36.25);
  k.n_observations = 2;
  k.first_seen_ms = 1;
  k.last_seen_ms = 2;
  k.lat = 52.5;
  k.lon = 13.4;
  k.n_positions = 2;
  st->put_known_cell(k);
  k.n_observations = 3;  // replaced in place
  st->put_known_cell(k);
  tw::store::KnownCell o = k;
  o.source = "opencellid";
  o.extra = {{"range_m", 1000}};
  st->put_known_cell(o);
  EXPECT_THROW(
      {
        auto bad = k;
        bad.source = "guess";
        st->put_known_cell(bad);
      },
      tw::InputError);
  const auto all = st->known_cells();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].source, "learned");  // ordered by source
  const auto got = st->known_cell(k.key, "learned");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->n_observations, 3);
  EXPECT_EQ(got->params_seen, k.params_seen);
  EXPECT_EQ(got->power_dbfs.count, 2);
  EXPECT_EQ(got->power_dbfs.mean, k.power_dbfs.mean);
  EXPECT_EQ(got->power_dbfs.m2, k.power_dbfs.m2);
  EXPECT_EQ(got->power_dbfs.min, -36.25);
  EXPECT_EQ(got->power_dbm.count, 0);
  EXPECT_EQ(st->known_cells("opencellid")[0].extra, o.extra);
  st->delete_known_cells("learned");
  EXPECT_FALSE(st->known_cell(k.key, "learned"));
  EXPECT_EQ(st->known_cells().size(), 1u);

  const auto s1 = st->store_sweep(rich_sweep(1796300000000LL), "a");
  const auto s2 = st->store_sweep(rich_sweep(1796300060000LL), "b");
  const json reasons = json::array({{{"rule", "B1"}, {"weight", 2.5}}});
  const auto a1 = st->store_alert(s1, "GSM:262-01-1234-30001@62", 2.5, reasons);
  const auto a2 = st->store_alert(s2, "GSM:262-01-1234-30002@66", 1.25, json::array());
  EXPECT_GT(a2, a1);
  EXPECT_EQ(st->alerts().size(), 2u);
  const auto only = st->alerts(s1);
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].id, a1);
  EXPECT_EQ(only[0].score, 2.5);
  EXPECT_EQ(only[0].reasons, reasons);
  EXPECT_THROW(st->store_alert(s1, "x", std::nan(""), json::array()), tw::InputError);

  EXPECT_FALSE(st->meta("absent"));
  st->set_meta("k", "v1");
  st->set_meta("k", "v2 'quoted'");
  EXPECT_EQ(st->meta("k"), "v2 'quoted'");

  tw::store::OpenFinding f;
  f.key = "GSM@64";
  f.cell_key = "GSM:262-01-4711-10099@64";
  f.score = 3.5;
  f.rules = json::array({{{"rule", "B1"}, {"weight", 1.5}}});
  f.alert = {{"type", "alert"}};
  f.opened_sweep_id = s1;
  f.reported_sweep_id = s1;
  f.last_alert_sweep_id = s2;
  f.opened_ms = 10;
  f.last_alert_ms = 20;
  st->put_open_finding(f);
  f.quiet_sweeps = 2;
  st->put_open_finding(f);
  auto fs = st->open_findings();
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].quiet_sweeps, 2);
  EXPECT_EQ(fs[0].rules, f.rules);
  EXPECT_EQ(fs[0].last_alert_sweep_id, s2);
  st->delete_open_finding("GSM@64");
  EXPECT_TRUE(st->open_findings().empty());
}

TEST_P(StoreBackends, OutboxSequenceNeverRepeats) {
  auto st = open();
  const auto s1 = tw::store::outbox_append(*st, "cell", {{"n", 1}});
  const auto s2 = tw::store::outbox_append(*st, "alert", {{"n", 2}});
  const auto s3 = tw::store::outbox_append(*st, "sweep", {{"n", 3}});
  EXPECT_EQ(s2, s1 + 1);
  EXPECT_EQ(s3, s2 + 1);
  EXPECT_EQ(tw::store::outbox_epoch(*st).size(), 16u);
  EXPECT_THROW(tw::store::outbox_append(*st, "cell", json::array()), tw::InputError);
  auto p = tw::store::outbox_pending(*st, 2);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].seq, s1);
  EXPECT_EQ(json::parse(p[1].payload)["n"], 2);
  tw::store::outbox_acknowledge(*st, {s1}, 1000, false);
  tw::store::outbox_acknowledge(*st, {s2}, 1000, true);
  EXPECT_EQ(tw::store::outbox_size(*st), 2);
  EXPECT_EQ(tw::store::outbox_unsent(*st), 1);
  EXPECT_EQ(tw::store::outbox_requeue_unconfirmed(*st, 2000), 1);  // s1 again
  EXPECT_EQ(tw::store::outbox_unsent(*st), 2);
  EXPECT_EQ(tw::store::outbox_confirm_through(*st, s3), 2);
  EXPECT_EQ(tw::store::outbox_size(*st), 0);
  EXPECT_EQ(tw::store::outbox_append(*st, "cell", {{"n", 4}}), s3 + 1);  // not reused after the deletes
}

TEST_P(StoreBackends, TransactionsRollBackAndSavepointsSurviveAnError) {
  auto st = open();
  {
    Store::Transaction t(*st);
    st->store_sweep(rich_sweep(1796300000000LL), "rolled back");
    st->set_meta("x", "1");
  }  // no commit
  EXPECT_TRUE(st->sweeps().empty());
  EXPECT_FALSE(st->meta("x"));
  std::int64_t kept = 0;
  {
    Store::Transaction outer(*st);
    kept = st->store_sweep(rich_sweep(1796300000000LL), "kept");
    {
      Store::Transaction inner(*st);
      st->set_meta("inner", "1");
      // A server-side error (foreign key: no sweep 999999) inside the savepoint.
      EXPECT_THROW(st->store_alert(999999, "x", 1.0, json::array()), tw::RuntimeFailure);
    }  // rolled back to the savepoint: the outer transaction goes on
    st->set_meta("outer", "1");
    outer.commit();
  }
  ASSERT_EQ(st->sweeps().size(), 1u);
  EXPECT_EQ(st->sweeps()[0].id, kept);
  EXPECT_FALSE(st->meta("inner"));
  EXPECT_EQ(st->meta("outer"), "1");
  // A new connection sees what was committed and nothing else.
  st.reset();
  auto again = open();
  EXPECT_EQ(again->sweeps().size(), 1u);
  EXPECT_EQ(again->meta("outer"), "1");
}

// One writer at a time (SQLite: BEGIN IMMEDIATE; PostgreSQL: the writers' advisory lock): a second
// connection's transaction starts only when the first has committed, so it reads what the first wrote.
TEST_P(StoreBackends, WritersTakeTurns) {
  auto a = open();
  auto b = open();
  std::optional<std::string> seen_by_b;
  {
    Store::Transaction ta(*a);
    a->set_meta("x", "written by a");
    std::thread other([&] {
      Store::Transaction tb(*b);  // waits for a's commit
      seen_by_b = b->meta("x");
      tb.commit();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ta.commit();
    other.join();
  }
  EXPECT_EQ(seen_by_b, "written by a");
}

TEST_P(StoreBackends, MigratesFromAnOlderVersionKeepingRowsAndRefusesANewerOne) {
  {
    auto c = tw::store::is_postgresql_url(db) ? tw::store::open_postgresql(db) : tw::store::open_sqlite(db);
    Store v3(std::move(c), 3);  // as a towerwatch of schema 3 left it
    EXPECT_EQ(v3.schema_version(), 3);
    v3.exec("INSERT INTO sweeps(id, time_unix_ms, sensor_id, source, n_cells, completed) VALUES(7, 1000, 's', 'old', 1, 1)");
    v3.exec("INSERT INTO observations(sweep_id, time_unix_ms, sensor_id, rat, arfcn, band, mcc, mnc, lac, ci, "
            "power_dbfs, snr_db, cfo_hz, si_seen, params) VALUES(7, 1000, 's', 'GSM', 62, 'P-GSM900', 262, '01', "
            "1234, 30001, -35.5, 20, 1.5, '[\"SI3\"]', '{\"t3212\":20}')");
    tw::store::outbox_append(v3, "cell", {{"n", 1}});
  }
  auto st = open();  // migrates 3 -> 5
  EXPECT_EQ(st->schema_version(), Store::kSchemaVersion);
  const auto s = st->load_sweep(7);
  ASSERT_EQ(s.cells.size(), 1u);
  EXPECT_EQ(s.cells[0].fix_mode, "none");  // v4's default for older rows
  EXPECT_EQ(s.cells[0].power_dbfs, -35.5);
  EXPECT_EQ(s.cells[0].params["t3212"], 20);
  EXPECT_EQ(tw::store::outbox_size(*st), 1);
  EXPECT_TRUE(st->track(7).empty());  // v4's table exists
  EXPECT_TRUE(st->load_sweep(7).band_floors.empty());  // v5's
  st->connection().set_schema_version(Store::kSchemaVersion + 1);
  st.reset();
  try {
    open();
    FAIL() << "opened a database of a newer schema";
  } catch (const tw::RuntimeFailure& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

// The baseline learned from the same sweeps, and the scorer's view of it, are the same in both backends:
// computed here in an SQLite file and compared with this backend's.
TEST_P(StoreBackends, LearnedBaselineAndItsViewMatchTheSqliteFile) {
  auto fill = [](Store& st) {
    for (int i = 0; i < 4; ++i) {
      SweepObservations s = rich_sweep(1796300000000LL + i * 60000);
      s.cells[0].power_dbfs += 0.37 * i;
      s.cells[1].mnc = "01";
      s.cells[1].ci = 30002;
      const auto id = st.store_sweep(s, "fill");
      if (i == 3) st.store_alert(id, tw::store::cell_key(s.cells[1]), 2.0, json::array({{{"rule", "B1"}}}));
    }
    const auto r = tw::store::learn_baseline(st);
    EXPECT_EQ(r.sweeps, 4);
    return r;
  };
  auto st = open();
  const auto r = fill(*st);
  Store ref(dir / "reference.db");
  const auto rr = fill(ref);
  EXPECT_EQ(r.observations, rr.observations);
  EXPECT_EQ(r.cells_new, rr.cells_new);
  EXPECT_EQ(r.band_floors, rr.band_floors);
  const auto a = st->known_cells(), b = ref.known_cells();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(known_cell_json(a[i]), known_cell_json(b[i]));

  tw::store::StoreBaselineView va(*st), vb(ref);
  const auto ka = va.find_cell(262, "01", 1234, 30001), kb = vb.find_cell(262, "01", 1234, 30001);
  ASSERT_TRUE(ka && kb);
  EXPECT_EQ(ka->n_observations, 4);
  EXPECT_EQ(ka->n_observations, kb->n_observations);
  EXPECT_EQ(ka->arfcns, kb->arfcns);
  EXPECT_EQ(ka->lat, kb->lat);
  EXPECT_TRUE(va.operator_known(262, "01"));
  EXPECT_FALSE(va.operator_known(262, "02"));
  EXPECT_EQ(va.learned_cells_on(62).size(), vb.learned_cells_on(62).size());
  const auto ia = va.learned_cells_in_band("GSM", "P-GSM900"), ib = vb.learned_cells_in_band("GSM", "P-GSM900");
  EXPECT_EQ(ia.size(), ib.size());
  EXPECT_FALSE(ia.empty());
  EXPECT_TRUE(va.learned_cells_in_band("GSM", "DCS1800").empty());
  const auto pa = va.operator_plan(262, "01", "P-GSM900"), pb = vb.operator_plan(262, "01", "P-GSM900");
  EXPECT_EQ(pa.arfcns, pb.arfcns);
  EXPECT_EQ(pa.sweeps, 4);
  EXPECT_EQ(pa.sweeps, pb.sweeps);
  EXPECT_EQ(va.operators(), vb.operators());
  const auto fa = va.learned_band_floor("sensor-1", "GSM", "P-GSM900"), fb = vb.learned_band_floor("sensor-1", "GSM", "P-GSM900");
  ASSERT_TRUE(fa && fb);
  EXPECT_EQ(fa->recent, fb->recent);
  EXPECT_EQ(fa->n, 4);
  const CellObservation c = rich_sweep(1796300000000LL).cells[0];
  const auto ha = va.cell_history(c, 1796300000000LL + 10 * 60000), hb = vb.cell_history(c, 1796300000000LL + 10 * 60000);
  ASSERT_TRUE(ha && hb);
  EXPECT_EQ(ha->sweeps_seen, 4);
  EXPECT_EQ(ha->sweeps_seen, hb->sweeps_seen);
  EXPECT_EQ(ha->sweeps_covering, hb->sweeps_covering);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreBackends, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// The collector writes through the same store (src/fleet/fleet_store.hpp): a sensor's sweep received as
// messages lands in the store's own tables, at the store's schema version, and Store reads it back exactly as
// the sensor's own store holds it (the truth: the sweep the sensor stored locally, read back from SQLite). A
// message stored twice is written once.
TEST(StoreBackendFleet, TheCollectorsSweepsAreTheStoresSweeps) {
  tw::test::PostgresServer server;
  TW_SERVER_OR_SKIP(server);
  tw::test::TempDir dir;
  Store local(dir / "sensor.db");
  const std::int64_t local_id = local.store_sweep(rich_sweep(1796300000000LL), "scan");
  const SweepObservations truth = local.load_sweep(local_id);
  tw::fleet::FleetStore fleet(server.url());
  EXPECT_EQ(fleet.schema_version(), Store::kSchemaVersion);
  const std::string epoch = "00000000000000b2";
  auto msg = [&](int seq, const std::string& kind, const nlohmann::json& extra) {
    nlohmann::json j{{"msg_id", "sensor-1:" + epoch + ":" + std::to_string(seq)}, {"epoch", epoch}, {"seq", seq}, {"floor", 0},
                     {"type", kind}, {"sensor", "sensor-1"}, {"sweep", 1}, {"time_unix_ms", truth.time_unix_ms}};
    j.update(extra);
    tw::fleet::FleetMessage m;
    std::string why;
    EXPECT_TRUE(tw::fleet::parse_fleet_message("sensor-1", kind, j.dump(), m, why)) << why;
    return m;
  };
  // The first cell as the sensor publishes it: its record (the JSON line) with its position.
  const auto& c = truth.cells[0];
  nlohmann::json rec = c.params;
  rec.update({{"rat", c.rat}, {"arfcn", c.arfcn}, {"band", c.band}, {"mcc", *c.mcc}, {"mnc", *c.mnc}, {"lac", *c.lac},
              {"ci", *c.ci}, {"bsic", *c.bsic}, {"power_dbfs", c.power_dbfs}, {"power_dbm", *c.power_dbm},
              {"snr_db", c.snr_db}, {"cfo_hz", c.cfo_hz}, {"cfo_residual_ppb", *c.cfo_residual_ppb},
              {"freq_hz", *c.freq_hz}, {"si_seen", c.si_seen}, {"lat", *c.lat}, {"lon", *c.lon}});
  fleet.begin();
  EXPECT_TRUE(fleet.store_message(msg(1, "cell", rec), 1796300001000LL));
  EXPECT_FALSE(fleet.store_message(msg(1, "cell", rec), 1796300001500LL));   // the same message again
  EXPECT_TRUE(fleet.store_message(msg(2, "sweep", {{"n_cells", 1}, {"lat", *c.lat}, {"lon", *c.lon}}), 1796300002000LL));
  EXPECT_EQ(fleet.advance_watermark("sensor-1", epoch, 0), 2);
  fleet.commit();
  Store& st = fleet.store();
  const auto sweeps = st.sweeps();
  ASSERT_EQ(sweeps.size(), 1u);
  EXPECT_TRUE(sweeps[0].completed);
  EXPECT_EQ(sweeps[0].sensor_id, "sensor-1");
  EXPECT_EQ(sweeps[0].n_cells, 1);
  const SweepObservations back = st.load_sweep(sweeps[0].id);
  ASSERT_EQ(back.cells.size(), 1u);
  EXPECT_EQ(back.cells[0].arfcn, c.arfcn);
  EXPECT_EQ(back.cells[0].ci, c.ci);
  EXPECT_EQ(back.cells[0].bsic, c.bsic);
  EXPECT_EQ(back.cells[0].power_dbfs, c.power_dbfs);   // exact
  EXPECT_EQ(back.cells[0].lat, c.lat);
  EXPECT_EQ(back.cells[0].params.value("network_name", ""), c.params.value("network_name", "x"));
  EXPECT_EQ(fleet.query_int("SELECT count(*) FROM messages"), 2);
  EXPECT_EQ(fleet.query("SELECT received_ms FROM observations WHERE msg_id = ?1", {"sensor-1:" + epoch + ":1"}),
            (std::vector<std::vector<std::string>>{{"1796300001000"}}));
}

// A database holding the collector's pre-release fleet schema (its own tables in schema public, version 1 in
// public.tw_schema_version; never released): the collector's store takes its own schema beside it and leaves
// those tables as they were (not read, not migrated, not dropped).
TEST(StoreBackendFleet, ThePreReleaseFleetTablesAreLeftAlone) {
  tw::test::PostgresServer server;
  TW_SERVER_OR_SKIP(server);
  {
    auto st = tw::store::open_store(server.url());
    st->exec("CREATE TABLE public.tw_schema_version(version integer NOT NULL); INSERT INTO public.tw_schema_version "
             "VALUES(1); CREATE TABLE public.sweeps(id bigserial PRIMARY KEY, sensor_id text NOT NULL); "
             "INSERT INTO public.sweeps(sensor_id) VALUES('old')");
  }
  tw::fleet::FleetStore fleet(server.url());
  EXPECT_EQ(fleet.schema_version(), Store::kSchemaVersion);
  EXPECT_EQ(fleet.query_int("SELECT count(*) FROM public.sweeps"), 1);
  EXPECT_EQ(fleet.query_int("SELECT version FROM public.tw_schema_version"), 1);
  EXPECT_EQ(fleet.query_int("SELECT count(*) FROM sweeps"), 0);   // the store's own (schema towerwatch)
}

// Where the URL or the server is wrong: an error naming the field or the server, never a crash.
TEST(StoreBackendErrors, BadUrlNamesTheFieldAndUnreachableServerNamesTheServer) {
  try {
    tw::store::open_store("postgresql://tw@127.0.0.1:notaport/db");
    FAIL() << "accepted a port that is not a number";
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("port"), std::string::npos) << e.what();
  }
  try {
    tw::store::open_store("postgresql://tw@127.0.0.1/db?frobnicate=1");
    FAIL() << "accepted an unknown URL parameter";
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("frobnicate"), std::string::npos) << e.what();
  }
  const int port = tw::test::free_loopback_port();  // nobody listens there
  try {
    tw::store::open_store("postgresql://tw:secret@127.0.0.1:" + std::to_string(port) + "/db");
    FAIL() << "connected to nothing";
  } catch (const tw::RuntimeFailure& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << what;
    EXPECT_NE(what.find("cannot connect"), std::string::npos) << what;
    EXPECT_EQ(what.find("secret"), std::string::npos) << "password shown: " << what;
  }
  // As messages and summaries show a URL: without its password.
  EXPECT_EQ(tw::store::db_display_name("postgresql://tw:secret@db.example:5433/site?sslmode=require"),
            "postgresql://tw@db.example:5433/site?sslmode=require");
  EXPECT_EQ(tw::store::db_display_name("postgres://tw@db.example/site"), "postgres://tw@db.example/site");
  EXPECT_EQ(tw::store::db_display_name("/var/lib/a:b@c.db"), "/var/lib/a:b@c.db");
  // The CLI: non-zero exit, the field or server named on stderr.
  auto r = tw::test::run_towerwatch({"baseline", "show", "--db", "postgresql://tw@127.0.0.1:notaport/db"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("port"), std::string::npos) << r.err;
  r = tw::test::run_towerwatch({"baseline", "learn", "--db", "postgres://tw@127.0.0.1:" + std::to_string(port) + "/db"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("cannot connect"), std::string::npos) << r.err;
}
