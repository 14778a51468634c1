// The monitor's sweep backlog (src/monitor/sweep_backlog.hpp) over a real PostgreSQL server the test starts on
// loopback (tests/support/fleet_servers.hpp; skipped where PostgreSQL is absent, a failure in CI): with the
// server stopped, the sweep being written is rolled back and kept, sweeps beyond the capacity drop the oldest
// (counted), no reconnection is tried before the backoff delay, and once the server is back the store
// reconnects (its statements prepared again on the new session) and the newest sweeps are written, in order,
// once each; a server back with a newer schema is a fatal error naming it. And the SQLite backend never loses its connection: every sweep is written at once.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "src/monitor/sweep_backlog.hpp"
#include "src/store/store.hpp"

#include "support/fleet_servers.hpp"
#include "support/test_support.hpp"

namespace {

tw::monitor::PendingSweep sweep_at(std::int64_t t) {
  tw::monitor::PendingSweep p;
  p.sweep.time_unix_ms = t;
  p.sweep.sensor_id = "backlog-test";
  tw::CellObservation c;
  c.rat = "GSM";
  c.mcc = 262;
  c.mnc = "01";
  c.lac = 100;
  c.ci = static_cast<int>(t / 1000);
  c.arfcn = 60;
  c.power_dbfs = -40.0;
  c.time_unix_ms = t;
  p.sweep.cells.push_back(c);
  return p;
}

}  // namespace

TEST(MonitorBacklogPostgres, KeepsTheNewestSweepsWhileTheServerIsAwayAndWritesThemOnce) {
  tw::test::PostgresServer server;
  TW_SERVER_OR_SKIP(server);
  const auto db = tw::store::open_store(server.url());
  tw::monitor::SweepBacklog backlog(*db, 3, 0.5, 1.0);
  int writes = 0;
  const auto write = [&](tw::monitor::PendingSweep& p) {
    ++writes;
    db->store_sweep(p.sweep, "backlog test");
  };
  backlog.push(sweep_at(1000));
  backlog.drain(write);
  EXPECT_EQ(backlog.waiting(), 0u);

  server.stop();
  backlog.push(sweep_at(2000));
  backlog.drain(write);  // the write fails: kept
  EXPECT_FALSE(backlog.connected());
  EXPECT_EQ(backlog.waiting(), 1u);
  EXPECT_EQ(backlog.stats().connections_lost, 1);
  for (std::int64_t t = 3000; t <= 5000; t += 1000) {
    backlog.push(sweep_at(t));
    backlog.drain(write);  // within the 0.5 s delay: no attempt
  }
  EXPECT_EQ(backlog.stats().failed_attempts, 0);
  EXPECT_EQ(backlog.waiting(), 3u);  // 2000 dropped
  EXPECT_EQ(backlog.stats().dropped, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  backlog.drain(write);  // the server is still away: one failed attempt
  EXPECT_EQ(backlog.stats().failed_attempts, 1);
  EXPECT_EQ(backlog.waiting(), 3u);

  ASSERT_TRUE(server.start()) << server.error();
  backlog.drain(write);  // the next attempt is 1 s after the failed one: not yet
  EXPECT_EQ(backlog.waiting(), 3u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  backlog.drain(write);
  EXPECT_TRUE(backlog.connected());
  EXPECT_EQ(backlog.waiting(), 0u);
  EXPECT_EQ(backlog.stats().reconnects, 1);
  EXPECT_EQ(backlog.stats().most_waiting, 3u);

  const auto stored = tw::store::open_store(server.url())->sweeps();
  ASSERT_EQ(stored.size(), 4u);
  const std::int64_t expect[] = {1000, 3000, 4000, 5000};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(stored[i].time_unix_ms, expect[i]) << i;
    EXPECT_TRUE(stored[i].completed) << i;
    EXPECT_EQ(stored[i].n_cells, 1) << i;
  }
  EXPECT_EQ(db->find_sweep(4000, "backlog-test", "backlog test"), stored[2].id);
  EXPECT_FALSE(db->find_sweep(2000, "backlog-test", "backlog test").has_value());

  // The server comes back with a database a newer towerwatch wrote: not waited for, a fatal error naming it.
  server.stop();
  backlog.push(sweep_at(6000));
  backlog.drain(write);
  EXPECT_FALSE(backlog.connected());
  ASSERT_TRUE(server.start()) << server.error();
  tw::store::open_store(server.url())->exec("UPDATE schema_version SET version = 99");
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  try {
    backlog.drain(write);
    ADD_FAILURE() << "a newer schema was accepted after reconnecting";
  } catch (const tw::store::ConnectionLost& e) {
    ADD_FAILURE() << "a newer schema taken for an outage: " << e.what();
  } catch (const tw::RuntimeFailure& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(server.url() + ": database schema version 99 is newer"), std::string::npos) << what;
  }
  EXPECT_EQ(backlog.waiting(), 1u);  // still waiting: nothing written into the newer database
}

TEST(MonitorBacklogPostgres, SqliteWritesEverySweepAtOnce) {
  tw::test::TempDir dir;
  tw::store::Store db(dir / "b.db");
  tw::monitor::SweepBacklog backlog(db, 1, 1.0, 60.0);
  for (std::int64_t t = 1000; t <= 3000; t += 1000) {
    backlog.push(sweep_at(t));
    backlog.drain([&](tw::monitor::PendingSweep& p) { db.store_sweep(p.sweep, "backlog test"); });
    EXPECT_EQ(backlog.waiting(), 0u);
  }
  EXPECT_EQ(db.sweeps().size(), 3u);
  EXPECT_EQ(backlog.stats().dropped, 0);
  EXPECT_EQ(backlog.stats().connections_lost, 0);
}
