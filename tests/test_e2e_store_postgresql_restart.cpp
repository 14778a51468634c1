// A long-running `towerwatch monitor --db postgresql://...` whose PostgreSQL server goes away and comes back:
// the real binary, the simulated radio (towerwatch-sim, realtime=0) and a real PostgreSQL started by the test on
// loopback (tests/support/fleet_servers.hpp; skipped with the reason where PostgreSQL's binaries are absent,
// a failure in CI).
//   - the server stopped (pg_ctl stop -m fast: every session terminated, 57P01) for several sweeps and
//     reconnection attempts, then started again: the monitor keeps running, logs the loss, each failed
//     attempt (backoff 1 s doubling) and the reconnection on stderr, writes the sweeps it kept in memory, and
//     afterwards every sweep it printed (monitor_sweep) is in PostgreSQL exactly once, in order, with its
//     cells; SIGTERM then stops it with exit 0 and nothing left unwritten;
//   - a server that comes back refusing us (password authentication now required): a fatal error naming the
//     server, never the password in the URL.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include "src/store/store.hpp"

#include "support/fleet_servers.hpp"
#include "support/test_support.hpp"
#include "tools/synth/scene.hpp"

using nlohmann::json;

namespace {

// Operator A's three cells of the built-in scene (no rogue: this test is about the store).
std::filesystem::path write_scene(const tw::test::TempDir& dir) {
  const auto base = tw::synth::builtin_scene("city-with-rogue");
  tw::synth::Scene s = base;
  s.name = "store-restart";
  s.cells.clear();
  for (const auto& c : base.cells)
    if (c.name == "A-1" || c.name == "A-2" || c.name == "A-3") s.cells.push_back(c);
  const auto path = dir / "scene.json";
  tw::test::write_file(path, tw::synth::scene_to_json(s).dump(2));
  return path;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

pid_t start_monitor(const tw::test::TempDir& dir, const std::string& db) {
  return tw::test::spawn_towerwatch(
      {"monitor", "--device", "driver=towerwatch-sim,realtime=0,scene=" + write_scene(dir).string(), "--band",
       "P-GSM900", "--arfcn", "58-66", "--rate", "2.6M", "--fixed-dwell", "--dwell", "0.5", "--db", db, "--learn", "2s",
       "--clock", "stream", "--json"},
      dir / "out.jsonl", dir / "err.txt");
}

// Polls until `done` holds; fails the test if the monitor exits first or after `limit_s` (a hang, not a speed
// assertion).
template <class F>
bool wait_for(pid_t pid, const tw::test::TempDir& dir, F done, double limit_s = 300) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(limit_s);
  while (!done()) {
    int st = 0;
    if (waitpid(pid, &st, WNOHANG) == pid) {
      ADD_FAILURE() << "monitor ended on its own: " << tw::test::read_file(dir / "err.txt");
      return false;
    }
    if (std::chrono::steady_clock::now() > end) {
      kill(pid, SIGKILL);
      waitpid(pid, &st, 0);
      ADD_FAILURE() << "timed out; stderr: " << tw::test::read_file(dir / "err.txt");
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

std::size_t sweeps_printed(const tw::test::TempDir& dir) {
  return tw::test::lines_of_type(tw::test::complete_json_lines(dir / "out.jsonl"), "monitor_sweep").size();
}

}  // namespace

TEST(E2eStorePostgresqlRestart, ServerRestartedMidRunLosesNoSweep) {
  tw::test::PostgresServer server;
  TW_SERVER_OR_SKIP(server);
  tw::test::TempDir dir;
  ::setenv("TW_CONFIG_DIR", (dir / "config").c_str(), 1);
  const pid_t pid = start_monitor(dir, server.url());
  ::unsetenv("TW_CONFIG_DIR");
  ASSERT_GT(pid, 0);
  const auto err = [&] { return tw::test::read_file(dir / "err.txt"); };
  ASSERT_TRUE(wait_for(pid, dir, [&] { return sweeps_printed(dir) >= 2; }));

  // The server goes (fast shutdown: the monitor's session is terminated) and stays away for at least three
  // sweeps and two failed reconnection attempts (after 1 s, then 2 s).
  server.stop();
  ASSERT_TRUE(wait_for(pid, dir, [&] {
    const std::string e = err();
    return count_of(e, "sweep kept in memory") >= 3 && count_of(e, "reconnection attempt") >= 2;
  }));
  const std::size_t printed_while_down = sweeps_printed(dir);
  ASSERT_TRUE(server.start()) << server.error();
  // Every kept sweep written, and one more sweep after them.
  ASSERT_TRUE(wait_for(pid, dir, [&] {
    return count_of(err(), "reconnected to") >= 1 && sweeps_printed(dir) >= printed_while_down + 4;
  }));
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal";
  EXPECT_EQ(WEXITSTATUS(status), 0) << err();

  const std::string e = err();
  if (std::getenv("TW_TEST_SHOW_LOG")) std::cout << e;
  EXPECT_NE(e.find("database: connection to " + server.url() + " lost"), std::string::npos) << e;
  EXPECT_NE(e.find("reconnecting in 1 s"), std::string::npos) << e;
  EXPECT_NE(e.find("next attempt in 2 s"), std::string::npos) << e;  // the backoff doubles
  EXPECT_NE(e.find("next attempt in 4 s"), std::string::npos) << e;
  const auto lines = tw::test::json_lines(tw::test::read_file(dir / "out.jsonl"));
  const auto stop = tw::test::lines_of_type(lines, "monitor_stop");
  ASSERT_EQ(stop.size(), 1u);
  EXPECT_EQ(stop[0]["db_connections_lost"], 1);
  EXPECT_EQ(stop[0]["db_reconnects"], 1);
  EXPECT_GE(stop[0]["db_failed_attempts"].get<int>(), 2);
  EXPECT_GE(stop[0]["db_most_waiting"].get<int>(), 3);
  EXPECT_EQ(stop[0]["db_sweeps_dropped"], 0);
  EXPECT_EQ(stop[0]["db_sweeps_unwritten"], 0);

  // Exactly once: the printed sweeps are the stored ones, in the same order, each with its cells.
  const auto sweeps = tw::test::lines_of_type(lines, "monitor_sweep");
  EXPECT_EQ(stop[0]["sweeps"], sweeps.size());
  const auto st = tw::store::open_store(server.url());
  const auto stored = st->sweeps();
  ASSERT_EQ(stored.size(), sweeps.size());
  std::set<std::int64_t> times;
  for (std::size_t i = 0; i < sweeps.size(); ++i) {
    EXPECT_EQ(stored[i].id, sweeps[i]["sweep_id"]) << i;
    EXPECT_EQ(stored[i].time_unix_ms, sweeps[i]["time_unix_ms"]) << i;
    EXPECT_EQ(stored[i].n_cells, sweeps[i]["cells"]) << i;
    EXPECT_TRUE(stored[i].completed) << i;
    EXPECT_EQ(stored[i].n_cells, 3) << i;  // the scene's three cells, heard in every sweep
    EXPECT_TRUE(times.insert(stored[i].time_unix_ms).second) << "a sweep stored twice: " << i;
    if (i > 0) EXPECT_GT(stored[i].time_unix_ms, stored[i - 1].time_unix_ms) << i;
    EXPECT_EQ(st->load_sweep(stored[i].id).cells.size(), 3u) << i;
  }
}

TEST(E2eStorePostgresqlRestart, ServerBackButRefusingIsFatalNamingTheServerNotThePassword) {
  tw::test::PostgresServer server;
  TW_SERVER_OR_SKIP(server);
  tw::test::TempDir dir;
  // With trust authentication the password is not asked for; it must never be printed.
  const std::string url = "postgresql://tw:s3cret-pw@127.0.0.1:" + std::to_string(server.port()) + "/postgres";
  const std::string shown = server.url();
  ::setenv("TW_CONFIG_DIR", (dir / "config").c_str(), 1);
  const pid_t pid = start_monitor(dir, url);
  ::unsetenv("TW_CONFIG_DIR");
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_for(pid, dir, [&] { return sweeps_printed(dir) >= 1; }));
  server.stop();
  // Back, but now requiring a password the role does not have: waiting does not cure that.
  {
    std::ofstream hba(server.data_dir() / "pg_hba.conf", std::ios::trunc);
    hba << "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n";
  }
  ASSERT_TRUE(server.start()) << server.error();
  int status = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (waitpid(pid, &status, WNOHANG) != pid) {
    if (std::chrono::steady_clock::now() > end) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      FAIL() << "the monitor did not give up: " << tw::test::read_file(dir / "err.txt");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const std::string e = tw::test::read_file(dir / "err.txt") + tw::test::read_file(dir / "out.jsonl");
  EXPECT_NE(e.find(shown + ": cannot connect to the PostgreSQL server"), std::string::npos) << e;
  EXPECT_NE(e.find("password authentication failed"), std::string::npos) << e;
  EXPECT_EQ(e.find("s3cret-pw"), std::string::npos) << e;
}

// `towerwatch drive --db postgresql://...` (a fixed --position here): the same outage; every sweep it printed
// (drive_sweep, with its id) is in PostgreSQL once, in order.
TEST(E2eStorePostgresqlRestart, DriveKeepsItsSweepsThroughAnOutage) {
  tw::test::PostgresServer server;
  TW_SERVER_OR_SKIP(server);
  tw::test::TempDir dir;
  ::setenv("TW_CONFIG_DIR", (dir / "config").c_str(), 1);
  const pid_t pid = tw::test::spawn_towerwatch(
      {"drive", "--device", "driver=towerwatch-sim,realtime=0,scene=" + write_scene(dir).string(), "--band",
       "P-GSM900", "--arfcn", "58-66", "--rate", "2.6M", "--fixed-dwell", "--dwell", "0.5", "--position", "52.52,13.405", "--db", server.url(), "--json"},
      dir / "out.jsonl", dir / "err.txt");
  ::unsetenv("TW_CONFIG_DIR");
  ASSERT_GT(pid, 0);
  const auto err = [&] { return tw::test::read_file(dir / "err.txt"); };
  const auto printed = [&] {
    return tw::test::lines_of_type(tw::test::complete_json_lines(dir / "out.jsonl"), "drive_sweep").size();
  };
  ASSERT_TRUE(wait_for(pid, dir, [&] { return printed() >= 1; }));
  server.stop();
  ASSERT_TRUE(wait_for(pid, dir, [&] { return count_of(err(), "kept in memory until") >= 2; }));
  const std::size_t before = printed();
  ASSERT_TRUE(server.start()) << server.error();
  ASSERT_TRUE(wait_for(pid, dir, [&] { return count_of(err(), "drive: reconnected to") >= 1 && printed() >= before + 3; }));
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << err();
  const auto lines = tw::test::json_lines(tw::test::read_file(dir / "out.jsonl"));
  const auto stop = tw::test::lines_of_type(lines, "drive_stop");
  ASSERT_EQ(stop.size(), 1u);
  EXPECT_EQ(stop[0]["db_connections_lost"], 1);
  EXPECT_EQ(stop[0]["db_reconnects"], 1);
  EXPECT_EQ(stop[0]["db_sweeps_dropped"], 0);
  EXPECT_EQ(stop[0]["db_sweeps_unwritten"], 0);
  const auto sweeps = tw::test::lines_of_type(lines, "drive_sweep");
  const auto stored = tw::store::open_store(server.url())->sweeps();
  ASSERT_EQ(stored.size(), sweeps.size());
  for (std::size_t i = 0; i < sweeps.size(); ++i) {
    EXPECT_EQ(stored[i].id, sweeps[i]["sweep_id"]) << i;
    EXPECT_EQ(stored[i].n_cells, sweeps[i]["cells"]) << i;
    EXPECT_EQ(sweeps[i]["sweep"], static_cast<int>(i) + 1) << "a sweep printed out of order or lost: " << i;
    if (i > 0) EXPECT_GT(stored[i].time_unix_ms, stored[i - 1].time_unix_ms) << i;
  }
}
