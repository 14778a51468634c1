// The observation store: schema and migrations, sweep round trip, rollback of a malformed sweep, hostile
// strings, kill -9 during sweeps, Welford statistics of the learned baseline.
#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <limits>

#include "src/core/error.hpp"
#include "src/store/stmt.hpp"
#include "src/store/store.hpp"
#include "support/observation_compare.hpp"
#include "support/test_support.hpp"

using tw::CellObservation;
using tw::SweepObservations;
using tw::store::Store;
using tw::test::TempDir;

namespace {

CellObservation make_cell(int i, std::int64_t t) {
  CellObservation o;
  o.time_unix_ms = t;
  o.sensor_id = "sensor-A";
  o.lat = 52.5 + 0.001 * i;
  o.lon = 13.4;
  o.rat = "GSM";
  o.arfcn = 10 + i;
  o.band = "P-GSM900";
  o.freq_hz = 935.2e6 + 0.2e6 * (10 + i);
  o.mcc = 262;
  o.mnc = i % 2 ? "01" : "002";
  o.lac = 1000 + i;
  o.ci = 30000 + i;
  o.bsic = i % 64;
  o.power_dbfs = -40.0 - i;
  o.power_dbm = -70.5 - i;
  o.snr_db = 20.25;
  o.cfo_hz = 12.5 * i;
  o.cfo_residual_ppb = 3.0 - i;
  o.si_seen = {"SI1", "SI2", "SI3", "SI4"};
  o.params = {{"type", "cell"}, {"arfcn", o.arfcn}, {"t3212", 10 + i}, {"cro", 2 * i},
              {"neighbours", {1, 2, 3 + i}}, {"power_dbfs", o.power_dbfs}};
  return o;
}

SweepObservations make_sweep(int n, std::int64_t t) {
  SweepObservations s;
  s.time_unix_ms = t;
  s.sensor_id = "sensor-A";
  for (int i = 0; i < n; ++i) s.cells.push_back(make_cell(i, t));
  return s;
}

// An independent look at the file: the raw SQLite API, not the Store.
// What schema v6 (the fleet's columns and tables) added, taken away again: an older database made from a new one.
void drop_v6(Store& st) {
  for (const char* t : {"sensors", "sensor_epochs", "messages", "fleet_alerts", "fleet_band_sweeps", "fleet_cell_history"})
    st.exec(std::string("DROP TABLE ") + t);
  for (const char* i : {"sweeps_by_sensor_sweep", "sweeps_by_received", "observations_by_msg_id", "observations_by_received",
                        "observations_by_cell", "alerts_by_msg_id", "known_cells_by_channel"})
    st.exec(std::string("DROP INDEX ") + i);
  for (const char* c : {"sweeps.epoch", "sweeps.sensor_sweep", "sweeps.received_ms", "observations.msg_id",
                        "observations.received_ms", "alerts.msg_id"}) {
    const std::string tc = c;
    st.exec("ALTER TABLE " + tc.substr(0, tc.find('.')) + " DROP COLUMN " + tc.substr(tc.find('.') + 1));
  }
}

std::int64_t raw_int(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(h);
  std::int64_t v = -1;
  if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(h);
  return v;
}

}  // namespace

TEST(StoreSchema, FreshDatabaseHasCurrentVersionWalAndTables) {
  TempDir dir;
  const auto path = dir / "t.db";
  {
    Store st(path);
    EXPECT_EQ(st.schema_version(), Store::kSchemaVersion);
    EXPECT_EQ(st.query_text("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(st.query_int("PRAGMA foreign_keys"), 1);
    EXPECT_EQ(st.query_int("PRAGMA synchronous"), 1);  // NORMAL
  }
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), Store::kSchemaVersion);
  EXPECT_EQ(raw_int(path, "PRAGMA application_id"), 0x54574442);
  for (const char* t : {"sweeps", "observations", "known_cells", "alerts", "meta"})
    EXPECT_EQ(raw_int(path, std::string("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='") + t + "'"), 1)
        << t;
  // Reopening an up-to-date database migrates nothing and keeps the data.
  {
    Store st(path);
    st.store_sweep(make_sweep(2, 1000), "test");
  }
  Store again(path);
  EXPECT_EQ(again.schema_version(), Store::kSchemaVersion);
  EXPECT_EQ(again.sweeps().size(), 1u);
}

TEST(StoreSchema, NewerSchemaVersionIsRefusedNamingTheFile) {
  TempDir dir;
  const auto path = dir / "newer.db";
  { Store st(path); }
  {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &h), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(h, "PRAGMA user_version=99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(h);
  }
  try {
    Store st(path);
    FAIL() << "a database of schema version 99 was opened";
  } catch (const tw::RuntimeFailure& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(path.string()), std::string::npos) << m;
    EXPECT_NE(m.find("99"), std::string::npos) << m;
  }
}

TEST(StoreSchema, FileThatIsNotATowerwatchDatabaseIsInputError) {
  TempDir dir;
  const auto text = dir / "notes.db";
  tw::test::write_file(text, std::string(4096, 'x'));
  try {
    Store st(text);
    FAIL() << "a text file was opened as a database";
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(text.string()), std::string::npos) << e.what();
  }
  // An SQLite file of another application (its own tables, user_version 0).
  const auto other = dir / "other.db";
  {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(other.c_str(), &h), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(h, "CREATE TABLE contacts(name TEXT)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(h);
  }
  EXPECT_THROW(Store st(other), tw::InputError);
  EXPECT_EQ(raw_int(other, "SELECT count(*) FROM sqlite_schema"), 1);  // left untouched
}

// Prepared statements are kept per connection (Stmt takes the cached one): the same SQL used inside its own
// iteration gets a statement of its own, a failed statement is usable again, bindings never leak between uses.
TEST(StoreStatements, CachedStatementsAreIndependentAndReusable) {
  TempDir dir;
  Store st(dir / "t.db");
  st.exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)");
  for (int k = 1; k <= 3; ++k) {
    tw::store::Stmt ins(st, "INSERT INTO t(k, v) VALUES(?, ?)");
    ins.bind(1, k);
    ins.bind(2, std::string(1, static_cast<char>('a' + k)));
    ins.run();
  }
  {
    tw::store::Stmt dup(st, "INSERT INTO t(k, v) VALUES(?, ?)");
    dup.bind(1, 2);  // primary key taken
    dup.bind(2, std::string("x"));
    EXPECT_THROW(dup.run(), tw::RuntimeFailure);
  }
  {
    tw::store::Stmt after(st, "INSERT INTO t(k, v) VALUES(?, ?)");  // the same statement, reset after the failure
    after.bind(1, 4);
    after.run();  // v unbound: NULL, not the 'x' of the failed use
  }
  const std::string sql = "SELECT k, v FROM t WHERE k >= ? ORDER BY k";
  std::vector<std::string> pairs;
  tw::store::Stmt outer(st, sql);
  outer.bind(1, 3);
  while (outer.step()) {
    tw::store::Stmt inner(st, sql);  // outer still holds the cached one
    inner.bind(1, 1);
    int n = 0;
    while (inner.step()) ++n;
    pairs.push_back(std::to_string(outer.col_int(0)) + ":" + (outer.is_null(1) ? "null" : outer.col_text(1)) + "/" +
                    std::to_string(n));
  }
  EXPECT_EQ(pairs, (std::vector<std::string>{"3:d/4", "4:null/4"}));
}

TEST(StoreSchema, DefaultPathFollowsEnvironment) {
  ::setenv("TW_DATA_DIR", "/tmp/tw-data-test", 1);
  EXPECT_EQ(tw::store::default_db_path(), std::filesystem::path("/tmp/tw-data-test/towerwatch.db"));
  ::unsetenv("TW_DATA_DIR");
  ::setenv("XDG_DATA_HOME", "/tmp/xdg", 1);
  EXPECT_EQ(tw::store::default_db_path(), std::filesystem::path("/tmp/xdg/towerwatch/towerwatch.db"));
  ::unsetenv("XDG_DATA_HOME");
  const char* h = std::getenv("HOME");
  const std::string home = h ? h : "";
  ::setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(tw::store::default_db_path(), std::filesystem::path("/home/someone/.local/share/towerwatch/towerwatch.db"));
  // No HOME (env -i): the account's home directory from the password database, never a path relative to
  // wherever the program was started.
  ::unsetenv("HOME");
  const passwd* pw = getpwuid(getuid());
  ASSERT_NE(pw, nullptr);
  const auto p = tw::store::default_db_path();
  EXPECT_TRUE(p.is_absolute()) << p;
  EXPECT_EQ(p, std::filesystem::path(pw->pw_dir) / ".local/share/towerwatch/towerwatch.db");
  if (h) ::setenv("HOME", home.c_str(), 1);
}

TEST(StoreSweep, RoundTripReadsBackEqual) {
  TempDir dir;
  Store st(dir / "t.db");
  const auto sweep = make_sweep(5, 1700000000123);
  CellObservation bare;  // every optional empty
  bare.time_unix_ms = 1700000000123;
  bare.arfcn = -1;
  SweepObservations s2 = sweep;
  s2.cells.push_back(bare);
  const auto id = st.store_sweep(s2, "scan --device sim");
  const auto back = st.load_sweep(id);
  EXPECT_EQ(back.time_unix_ms, s2.time_unix_ms);
  EXPECT_EQ(back.sensor_id, s2.sensor_id);
  ASSERT_EQ(back.cells.size(), s2.cells.size());
  for (std::size_t i = 0; i < s2.cells.size(); ++i) tw::test::expect_same_observation(back.cells[i], s2.cells[i]);
  const auto sw = st.sweeps();
  ASSERT_EQ(sw.size(), 1u);
  EXPECT_TRUE(sw[0].completed);
  EXPECT_EQ(sw[0].n_cells, 6);
  EXPECT_EQ(sw[0].source, "scan --device sim");
  EXPECT_EQ(sw[0].lat, sweep.cells[0].lat);
  EXPECT_THROW(st.load_sweep(id + 100), tw::InputError);
}

TEST(StoreSweep, MalformedFieldRollsBackTheWholeSweep) {
  TempDir dir;
  const auto path = dir / "t.db";
  Store st(path);
  st.store_sweep(make_sweep(3, 1000), "good");
  for (int variant = 0; variant < 4; ++variant) {
    auto bad = make_sweep(4, 2000);
    switch (variant) {
      case 0: bad.cells[2].power_dbfs = std::numeric_limits<double>::quiet_NaN(); break;
      case 1: bad.cells[3].mcc = 1000; break;                    // MCC is 3 decimal digits (TS 23.003)
      case 2: bad.cells[2].mnc = "1'; DROP TABLE sweeps; --"; break;
      case 3: bad.cells[1].cfo_residual_ppb = std::numeric_limits<double>::infinity(); break;
    }
    try {
      st.store_sweep(bad, "bad");
      FAIL() << "variant " << variant << " was stored";
    } catch (const tw::InputError& e) {
      EXPECT_NE(std::string(e.what()).find("sweep cell"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM sweeps"), 1);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM observations"), 3);
  // The store is still usable after the rollbacks.
  st.store_sweep(make_sweep(2, 3000), "good again");
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM observations"), 5);
}

TEST(StoreSweep, HostileStringsStoredVerbatim) {
  TempDir dir;
  Store st(dir / "t.db");
  const std::string sql = "x'); DROP TABLE observations; --\"`;\\ %_ ? ?1 :a @b $c";
  const std::string big(10240, 'Q');
  std::string with_nul = "a";
  with_nul.push_back('\0');
  with_nul += "b\n\r\t\x01\xc3\xa9";
  auto s = make_sweep(1, 42);
  s.sensor_id = sql;
  s.cells[0].sensor_id = with_nul;
  s.cells[0].band = big;
  s.cells[0].params["name"] = sql;
  s.cells[0].params["long"] = big;
  s.cells[0].params["nul"] = with_nul;
  s.cells[0].params[sql] = "key is hostile too";
  s.cells[0].si_seen.push_back(sql);
  const auto id = st.store_sweep(s, sql);
  const auto back = st.load_sweep(id);
  EXPECT_EQ(back.sensor_id, sql);
  ASSERT_EQ(back.cells.size(), 1u);
  tw::test::expect_same_observation(back.cells[0], s.cells[0]);
  EXPECT_EQ(back.cells[0].sensor_id.size(), with_nul.size());
  EXPECT_EQ(st.sweeps().at(0).source, sql);
  // Alerts carry hostile keys and reasons verbatim as well.
  const nlohmann::json reasons = {{{"rule", "T1"}, {"detail", sql + big}}};
  st.store_alert(id, sql, 3.5, reasons);
  const auto alerts = st.alerts(id);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].cell_key, sql);
  EXPECT_EQ(alerts[0].reasons, reasons);
  EXPECT_EQ(alerts[0].score, 3.5);
}

// kill -9 while a child writes sweeps in a loop: every sweep marked completed has all its observations.
TEST(StoreCrash, KillNineDuringSweepsLeavesEveryCompletedSweepWhole) {
  TempDir dir;
  const auto path = dir / "crash.db";
  { Store st(path); }  // schema exists before the child starts
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      Store st(path);
      for (int k = 0;; ++k) st.store_sweep(make_sweep(5 + k % 7, 1000 + k), "child");  // 5..11 cells
    } catch (...) {
    }
    _exit(3);
  }
  // Wait (no time bound asserted) until the child has committed a few sweeps, then kill it mid-loop.
  std::int64_t committed = 0;
  for (int i = 0; i < 20000 && committed < 20; ++i) {
    usleep(1000);
    sqlite3* h = nullptr;
    if (sqlite3_open_v2(path.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_busy_timeout(h, 1000);
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v2(h, "SELECT count(*) FROM sweeps", -1, &s, nullptr) == SQLITE_OK &&
          sqlite3_step(s) == SQLITE_ROW)
        committed = sqlite3_column_int64(s, 0);
      sqlite3_finalize(s);
    }
    sqlite3_close(h);
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself (status " << status << ")";
  ASSERT_GE(committed, 20);

  Store st(path);  // recovers the WAL
  EXPECT_EQ(st.query_text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(st.query_int("SELECT count(*) FROM pragma_foreign_key_check"), 0);
  const auto sweeps = st.sweeps();
  ASSERT_GE(static_cast<std::int64_t>(sweeps.size()), committed);
  for (std::size_t k = 0; k < sweeps.size(); ++k) {
    EXPECT_TRUE(sweeps[k].completed) << "sweep " << sweeps[k].id << " is partial";
    const auto back = st.load_sweep(sweeps[k].id);
    // The child wrote sweep k (ids follow the loop) with 5 + k % 7 cells.
    EXPECT_EQ(static_cast<int>(back.cells.size()), 5 + static_cast<int>(k) % 7) << "sweep " << sweeps[k].id;
    EXPECT_EQ(sweeps[k].n_cells, static_cast<std::int64_t>(back.cells.size()));
  }
  // The database takes new sweeps after the crash.
  st.store_sweep(make_sweep(3, 99), "after");
  EXPECT_EQ(st.query_text("PRAGMA integrity_check"), "ok");
}

TEST(StoreBaseline, LearnComputesWelfordStatisticsAndValuesSeen) {
  TempDir dir;
  Store st(dir / "t.db");
  const double powers[] = {-51.0, -48.5, -50.25, -47.0, -53.5, -49.75};
  const double cfos[] = {4.0, -2.0, 1.5, 0.0, 3.0, -1.0};
  for (int k = 0; k < 6; ++k) {
    auto s = make_sweep(2, 10000 + 1000 * k);
    s.cells[0].power_dbfs = powers[k];
    s.cells[0].cfo_residual_ppb = cfos[k];
    s.cells[0].params["t3212"] = k < 3 ? 10 : 20;
    st.store_sweep(s, "learn-test");
  }
  // Two-pass statistics computed here, independent of Welford.
  auto mean_var = [](const double* v, int n) {
    double m = 0;
    for (int i = 0; i < n; ++i) m += v[i];
    m /= n;
    double ss = 0;
    for (int i = 0; i < n; ++i) ss += (v[i] - m) * (v[i] - m);
    return std::make_pair(m, ss / (n - 1));
  };
  const auto [pm, pv] = mean_var(powers, 6);
  const auto [cm, cv] = mean_var(cfos, 6);

  const auto r = tw::store::learn_baseline(st);
  EXPECT_EQ(r.sweeps, 6);
  EXPECT_EQ(r.observations, 12);
  EXPECT_EQ(r.cells_new, 2);
  const auto cell0 = tw::store::cell_key(make_cell(0, 0));
  auto k = st.known_cell(cell0, "learned");
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->n_observations, 6);
  EXPECT_EQ(k->power_dbfs.count, 6);
  EXPECT_NEAR(k->power_dbfs.mean, pm, 1e-12);
  EXPECT_NEAR(k->power_dbfs.variance(), pv, 1e-12);
  EXPECT_EQ(k->power_dbfs.min, -53.5);
  EXPECT_EQ(k->power_dbfs.max, -47.0);
  EXPECT_NEAR(k->cfo_residual_ppb.mean, cm, 1e-12);
  EXPECT_NEAR(k->cfo_residual_ppb.variance(), cv, 1e-12);
  EXPECT_EQ(k->first_seen_ms, 10000);
  EXPECT_EQ(k->last_seen_ms, 15000);
  EXPECT_EQ(k->params_seen["t3212"], nlohmann::json::array({10, 20}));
  EXPECT_EQ(k->params_seen["cro"], nlohmann::json::array({0}));
  EXPECT_FALSE(k->params_seen.contains("power_dbfs"));  // a measurement, kept as statistics
  EXPECT_EQ(k->mcc, 262);
  EXPECT_EQ(k->mnc, "002");
  EXPECT_EQ(k->arfcn, 10);
  ASSERT_TRUE(k->lat.has_value());
  EXPECT_NEAR(*k->lat, 52.5, 1e-12);

  // Learning again folds nothing twice; a new sweep is folded incrementally (Welford across runs).
  EXPECT_EQ(tw::store::learn_baseline(st).observations, 0);
  auto s = make_sweep(1, 20000);
  s.cells[0].power_dbfs = -60.0;
  const auto last_id = st.store_sweep(s, "later");
  // A cell that raised an alert in a sweep is not learned from that sweep.
  auto s2 = make_sweep(1, 21000);
  s2.cells[0].power_dbfs = 0.0;
  const auto alerted = st.store_sweep(s2, "rogue");
  st.store_alert(alerted, cell0, 5.0, nlohmann::json::array());
  const auto r2 = tw::store::learn_baseline(st);
  EXPECT_EQ(r2.observations, 1);
  EXPECT_EQ(r2.learned_through_sweep, alerted);
  EXPECT_GT(alerted, last_id);
  const double all[] = {-51.0, -48.5, -50.25, -47.0, -53.5, -49.75, -60.0};
  const auto [am, av] = mean_var(all, 7);
  k = st.known_cell(cell0, "learned");
  EXPECT_EQ(k->power_dbfs.count, 7);
  EXPECT_NEAR(k->power_dbfs.mean, am, 1e-12);
  EXPECT_NEAR(k->power_dbfs.variance(), av, 1e-12);
  EXPECT_EQ(k->last_seen_ms, 20000);

  // Rebuild gives the same cells from scratch.
  const auto r3 = tw::store::learn_baseline(st, {true, true});
  EXPECT_EQ(r3.observations, 2 * 6 + 1);
  k = st.known_cell(cell0, "learned");
  EXPECT_EQ(k->power_dbfs.count, 7);
  EXPECT_NEAR(k->power_dbfs.mean, am, 1e-12);
}

// Schema v2 (monitor_findings) is additive: a version-1 database (written here by hand: the v2 table
// dropped, user_version set back to 1) is migrated on open and keeps its sweeps.
TEST(StoreSchema, MigrationFromVersion1AddsMonitorFindingsAndKeepsData) {
  TempDir dir;
  const auto path = dir / "v1.db";
  {
    Store st(path);
    st.store_sweep(make_sweep(3, 5000), "before v2");
    drop_v6(st);
    st.exec("DROP TABLE monitor_findings");
    st.exec("DROP TABLE mqtt_outbox");  // v3 (later than v1 too)
    // and what v4 added (positions)
    st.exec("DROP TABLE track");
    for (const char* c : {"fix_mode", "eph", "fix_time"}) st.exec(std::string("ALTER TABLE observations DROP COLUMN ") + c);
    st.exec("DROP TABLE sweep_band_floors");    // v5
    st.exec("DROP TABLE learned_band_floors");
    st.exec("PRAGMA user_version=1");
  }
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), 1);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name='monitor_findings'"), 0);
  {
    Store st(path);
    EXPECT_EQ(st.schema_version(), Store::kSchemaVersion);
    ASSERT_EQ(st.sweeps().size(), 1u);
    const auto cells = st.load_sweep(st.sweeps()[0].id).cells;
    EXPECT_EQ(cells.size(), 3u);
    // Rows older than v3 have no fix: they say so.
    for (const auto& c : cells) {
      EXPECT_EQ(c.fix_mode, "none");
      EXPECT_FALSE(c.eph_m);
      EXPECT_FALSE(c.fix_time_unix_ms);
    }
    EXPECT_TRUE(st.open_findings().empty());
    EXPECT_TRUE(st.track(st.sweeps()[0].id).empty());
  }
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name='monitor_findings'"), 1);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name='track'"), 1);
}

// Schema v3 (band noise floors, rule J1) is additive: a version-2 database migrates on open, keeps its sweeps,
// and a sweep's band floors then round-trip.
TEST(StoreSchema, MigrationFromVersion4AddsBandFloorsAndKeepsData) {
  TempDir dir;
  const auto path = dir / "v4.db";
  {
    Store st(path);
    st.store_sweep(make_sweep(2, 5000), "before v5");
    drop_v6(st);
    st.exec("DROP TABLE sweep_band_floors");   // what v5 added
    st.exec("DROP TABLE learned_band_floors");
    st.exec("PRAGMA user_version=4");
  }
  Store st(path);
  EXPECT_EQ(st.schema_version(), Store::kSchemaVersion);
  ASSERT_EQ(st.sweeps().size(), 1u);
  EXPECT_TRUE(st.load_sweep(st.sweeps()[0].id).band_floors.empty());
  auto sweep = make_sweep(1, 6000);
  sweep.band_floors = {tw::BandFloor{"LTE", "LTE-B20", -98.7, 4}, tw::BandFloor{"LTE", "LTE-B3", -101.2, 2}};
  const auto id = st.store_sweep(sweep, "with floors");
  const auto back = st.load_sweep(id);
  ASSERT_EQ(back.band_floors.size(), 2u);
  EXPECT_EQ(back.band_floors[0].band, "LTE-B20");
  EXPECT_DOUBLE_EQ(back.band_floors[0].noise_floor_dbfs_per_mhz, -98.7);
  EXPECT_EQ(back.band_floors[0].tunings, 4);
  EXPECT_EQ(back.band_floors[1].band, "LTE-B3");
  // A floor that is not a level is refused, naming the band and the field, and nothing of the sweep is written.
  auto bad = make_sweep(1, 7000);
  bad.band_floors = {tw::BandFloor{"LTE", "LTE-B7", std::nan(""), 1}};
  try {
    st.store_sweep(bad, "bad floor");
    ADD_FAILURE() << "accepted a NaN floor";
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("LTE-B7"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("noise_floor_dbfs_per_mhz"), std::string::npos) << e.what();
  }
  EXPECT_EQ(st.sweeps().size(), 2u);
}

// v5 -> v6 (the fleet's columns and tables): a sensor's database keeps its sweeps, which have no fleet
// columns (NULL), and takes a remote sweep in the same tables; a message id is stored once.
TEST(StoreSchema, MigrationFromVersion5AddsTheFleetsColumnsAndTablesAndKeepsData) {
  TempDir dir;
  const auto path = dir / "v5.db";
  {
    Store st(path);
    st.store_sweep(make_sweep(2, 5000), "before v6");
    drop_v6(st);
    st.exec("PRAGMA user_version=5");
  }
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name='messages'"), 0);
  Store st(path);
  EXPECT_EQ(st.schema_version(), Store::kSchemaVersion);
  ASSERT_EQ(st.sweeps().size(), 1u);
  EXPECT_EQ(st.load_sweep(st.sweeps()[0].id).cells.size(), 2u);
  EXPECT_EQ(st.query_int("SELECT count(*) FROM observations WHERE msg_id IS NULL AND received_ms IS NULL"), 2);
  Store::RemoteSweep w;
  w.sensor_id = "north";
  w.epoch = "00000000000000c3";
  w.sensor_sweep = 7;
  w.time_unix_ms = 6000;
  w.received_ms = 6100;
  w.source = "mqtt";
  const auto id = st.upsert_remote_sweep(w);
  auto cell = make_sweep(1, 6000).cells[0];
  EXPECT_TRUE(st.store_remote_observation(id, cell, "north:00000000000000c3:1", 6100));
  EXPECT_FALSE(st.store_remote_observation(id, cell, "north:00000000000000c3:1", 6200));
  w.n_cells = 1;
  EXPECT_EQ(st.upsert_remote_sweep(w), id);   // the sweep record completes the same sweep
  const auto sweeps = st.sweeps();
  ASSERT_EQ(sweeps.size(), 2u);
  EXPECT_TRUE(sweeps[1].completed);
  EXPECT_EQ(sweeps[1].n_cells, 1);
  EXPECT_EQ(st.load_sweep(id).cells.size(), 1u);
}

TEST(StoreFindings, RoundTripReplaceAndDelete) {
  TempDir dir;
  Store st(dir / "f.db");
  tw::store::OpenFinding f;
  f.key = "GSM@64";
  f.cell_key = "GSM:262-01-4711-10099@64";
  f.score = 7.5;
  f.rules = nlohmann::json::array({{{"rule", "K1"}, {"weight", 1.0}}, {{"rule", "T1"}, {"weight", 1.5}}});
  f.alert = {{"type", "alert"}, {"detail", "</td><script>x</script>"}};
  f.opened_sweep_id = 4;
  f.reported_sweep_id = 6;
  f.last_alert_sweep_id = 7;
  f.opened_ms = 1000;
  f.last_alert_ms = 3000;
  f.quiet_sweeps = 2;
  st.put_open_finding(f);
  auto got = st.open_findings();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].key, f.key);
  EXPECT_EQ(got[0].cell_key, f.cell_key);
  EXPECT_EQ(got[0].score, 7.5);
  EXPECT_EQ(got[0].rules, f.rules);
  EXPECT_EQ(got[0].alert, f.alert);
  EXPECT_EQ(got[0].opened_sweep_id, 4);
  EXPECT_EQ(got[0].reported_sweep_id, 6);
  EXPECT_EQ(got[0].last_alert_sweep_id, 7);
  EXPECT_EQ(got[0].opened_ms, 1000);
  EXPECT_EQ(got[0].last_alert_ms, 3000);
  EXPECT_EQ(got[0].quiet_sweeps, 2);
  f.score = 3.0;
  st.put_open_finding(f);  // replaces the row of the same key
  got = st.open_findings();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].score, 3.0);
  f.score = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(st.put_open_finding(f), tw::InputError);
  st.delete_open_finding("GSM@64");
  EXPECT_TRUE(st.open_findings().empty());
}

// A Transaction inside a Transaction is a savepoint: rolled back alone when not committed, and nothing
// reaches the file unless the outer one commits.
TEST(StoreTransactions, NestedTransactionsAreSavepoints) {
  TempDir dir;
  const auto path = dir / "n.db";
  Store st(path);
  {
    Store::Transaction outer(st);
    st.store_sweep(make_sweep(1, 1000), "kept");  // store_sweep's own transaction nests
    {
      Store::Transaction inner(st);
      st.store_sweep(make_sweep(1, 2000), "rolled back");
    }  // not committed: only the inner part goes
    EXPECT_EQ(st.sweeps().size(), 1u);
    EXPECT_EQ(raw_int(path, "SELECT count(*) FROM sweeps"), 0);  // another connection sees nothing yet
    outer.commit();
  }
  ASSERT_EQ(raw_int(path, "SELECT count(*) FROM sweeps"), 1);
  EXPECT_EQ(st.sweeps()[0].source, "kept");
  {
    Store::Transaction outer(st);
    st.store_sweep(make_sweep(2, 3000), "abandoned");
  }  // the outer one not committed: the nested commit of store_sweep is undone with it
  EXPECT_EQ(st.sweeps().size(), 1u);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM observations"), 1);
}

// Schema v3: an observation's fix (position, mode, eph, fix time) and the sweep's track read back as written;
// a fix without a position or an unknown mode is refused with the whole sweep.
TEST(StorePositions, FixColumnsAndTrackRoundTrip) {
  TempDir dir;
  Store st(dir / "pos.db");
  SweepObservations sw = make_sweep(2, 1700000000000);
  sw.cells[0].lat = 48.1234567;
  sw.cells[0].lon = 11.7654321;
  sw.cells[0].fix_mode = "3d";
  sw.cells[0].eph_m = 4.5;
  sw.cells[0].fix_time_unix_ms = 1699999999000;
  sw.cells[1].lat.reset();
  sw.cells[1].lon.reset();
  sw.cells[1].fix_mode = "none";
  tw::Fix a;
  a.time_unix_ms = 1700000000100;
  a.lat = 48.1;
  a.lon = 11.7;
  a.alt_m = 520.0;
  a.mode = tw::FixMode::fix3d;
  a.eph_m = 3.0;
  tw::Fix lost;
  lost.time_unix_ms = 1700000001100;
  sw.track = {a, lost};
  const auto id = st.store_sweep(sw, "positions");
  const auto back = st.load_sweep(id);
  ASSERT_EQ(back.cells.size(), 2u);
  EXPECT_DOUBLE_EQ(*back.cells[0].lat, 48.1234567);
  EXPECT_DOUBLE_EQ(*back.cells[0].lon, 11.7654321);
  EXPECT_EQ(back.cells[0].fix_mode, "3d");
  EXPECT_DOUBLE_EQ(*back.cells[0].eph_m, 4.5);
  EXPECT_EQ(*back.cells[0].fix_time_unix_ms, 1699999999000);
  EXPECT_FALSE(back.cells[1].lat);
  EXPECT_EQ(back.cells[1].fix_mode, "none");
  const auto track = st.track(id);
  ASSERT_EQ(track.size(), 2u);
  EXPECT_EQ(track[0].time_unix_ms, a.time_unix_ms);
  EXPECT_DOUBLE_EQ(*track[0].lat, 48.1);
  EXPECT_DOUBLE_EQ(*track[0].alt_m, 520.0);
  EXPECT_EQ(track[0].mode, tw::FixMode::fix3d);
  EXPECT_DOUBLE_EQ(*track[0].eph_m, 3.0);
  EXPECT_EQ(track[1].mode, tw::FixMode::none);
  EXPECT_FALSE(track[1].lat);

  SweepObservations bad = make_sweep(1, 1700000002000);
  bad.cells[0].lat.reset();
  bad.cells[0].lon.reset();
  bad.cells[0].fix_mode = "3d";
  tw::test::expect_input_error([&] { st.store_sweep(bad, "bad"); }, {"sweep cell 0", "fix_mode"});
  bad.cells[0].fix_mode = "4d";
  tw::test::expect_input_error([&] { st.store_sweep(bad, "bad"); }, {"sweep cell 0", "fix_mode"});
  EXPECT_EQ(st.sweeps().size(), 1u) << "nothing of a refused sweep is written";
}
