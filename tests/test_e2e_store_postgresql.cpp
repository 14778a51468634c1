// `--db postgresql://...` end to end: the real binary, the simulated radio (towerwatch-sim, realtime=0) and a
// real PostgreSQL started by the test on loopback (tests/support/fleet_servers.hpp; skipped with the reason
// where PostgreSQL's binaries are absent, a failure in CI). The same run goes once into an SQLite file and
// once into PostgreSQL: two scans of operator A's three cells (from the built-in "city-with-rogue" scene),
// `baseline learn`, `baseline show`, then a scan that also hears the scene's rogue. Truth: the scene (the
// rogue's identity and the rules its parameters break, as test_e2e_monitor_sim checks them) and, between
// backends, the SQLite run: the same cells learned and the same alerts with the same reasons and scores.
// `towerwatch monitor --db postgresql://...`: the rogue switching on after the learning period is reported
// once, and the database holds every sweep the monitor reported and the rogue's open finding.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "src/store/store.hpp"

#include "support/fleet_servers.hpp"
#include "support/test_support.hpp"
#include "tools/synth/scene.hpp"

using nlohmann::json;

namespace {

tw::synth::Scene scene(bool with_rogue) {
  const auto base = tw::synth::builtin_scene("city-with-rogue");
  tw::synth::Scene s = base;
  s.name = with_rogue ? "store-e2e-rogue" : "store-e2e";
  s.cells.clear();
  for (const auto& c : base.cells)
    if (c.name == "A-1" || c.name == "A-2" || c.name == "A-3" || (with_rogue && c.name == "rogue"))
      s.cells.push_back(c);
  return s;
}

struct RunOutcome {
  std::vector<json> learned;   // baseline show --json (without what depends on the wall clock of the run)
  std::vector<json> alerts;    // of the last scan: cell identity, rules, score
  std::int64_t cells_new = -1;
};

RunOutcome run_all(const std::string& db, const tw::test::TempDir& dir) {
  RunOutcome out;
  auto scan = [&](bool rogue) {
    const auto path = dir / (rogue ? "rogue.json" : "plain.json");
    tw::test::write_file(path, tw::synth::scene_to_json(scene(rogue)).dump(2));
    auto r = tw::test::run_towerwatch({"scan", "--device", "driver=towerwatch-sim,realtime=0,scene=" + path.string(),
                                       "--band", "P-GSM900", "--arfcn", "58-66", "--rate", "2.6M",
                                       "--db", db, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return tw::test::json_lines(r.out);
  };
  for (int i = 0; i < 2; ++i) {
    const auto lines = scan(false);
    EXPECT_EQ(tw::test::lines_of_type(lines, "cell").size(), 3u);
    EXPECT_TRUE(tw::test::lines_of_type(lines, "alert").empty()) << "a legitimate cell alerted";
  }
  auto r = tw::test::run_towerwatch({"baseline", "learn", "--db", db, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto learn = tw::test::json_lines(r.out);
  if (!learn.empty()) out.cells_new = learn[0]["cells_new"].get<std::int64_t>();
  r = tw::test::run_towerwatch({"baseline", "show", "--db", db, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (auto j : tw::test::lines_of_type(tw::test::json_lines(r.out), "known_cell")) {
    j.erase("first_seen_ms");
    j.erase("last_seen_ms");
    // The FN clock's phase is the cell's frame number against the wall clock of the run (src/scorer/fn_clock).
    if (j["extra"].contains("fn_phase")) j["extra"]["fn_phase"].erase("phase");
    out.learned.push_back(j);
  }
  for (const auto& a : tw::test::lines_of_type(scan(true), "alert")) {
    std::map<std::string, double> rules;
    for (const auto& reason : a["reasons"]) rules[reason["rule"].get<std::string>()] = reason["weight"].get<double>();
    out.alerts.push_back({{"arfcn", a["cell"]["arfcn"]}, {"lac", a["cell"]["lac"]}, {"ci", a["cell"]["ci"]},
                          {"rules", rules}, {"score", a["score"]}});
  }
  return out;
}

}  // namespace

TEST(E2eStorePostgresql, ScanLearnShowAndScoreGiveTheSameAsAnSqliteFile) {
  tw::test::PostgresServer server;
  TW_SERVER_OR_SKIP(server);
  tw::test::TempDir dir;
  ::setenv("TW_CONFIG_DIR", (dir / "config").c_str(), 1);
  const RunOutcome file = run_all((dir / "site.db").string(), dir);
  const RunOutcome pg = run_all(server.url(), dir);
  ::unsetenv("TW_CONFIG_DIR");

  // The scene: operator A's three cells learned, the rogue flagged with the reasons its parameters give.
  const auto s = scene(true);
  const auto& rogue = s.cells.back();
  ASSERT_EQ(rogue.name, "rogue");
  EXPECT_EQ(pg.cells_new, 3);
  ASSERT_EQ(pg.learned.size(), 3u);
  for (const auto& k : pg.learned) {
    EXPECT_EQ(k["source"], "learned");
    EXPECT_EQ(k["observations"], 2);
    EXPECT_NE(k["lac"], rogue.lac);
  }
  ASSERT_EQ(pg.alerts.size(), 1u);
  const json& a = pg.alerts[0];
  EXPECT_EQ(a["arfcn"], rogue.arfcn);
  EXPECT_EQ(a["lac"], rogue.lac);
  EXPECT_EQ(a["ci"], rogue.ci);
  for (const char* expected : {"T1", "K1", "K2", "A2", "F1", "B1"}) EXPECT_TRUE(a["rules"].contains(expected)) << expected << " " << a.dump();

  // Both backends: the same.
  EXPECT_EQ(pg.cells_new, file.cells_new);
  EXPECT_EQ(pg.learned, file.learned);
  EXPECT_EQ(pg.alerts, file.alerts);
}

TEST(E2eStorePostgresql, MonitorKeepsItsSweepsAndFindingsInPostgresql) {
  tw::test::PostgresServer server;
  TW_SERVER_OR_SKIP(server);
  tw::test::TempDir dir;
  // One sweep of ARFCN 58..66 (one tuning at 2.6 Msps, full mode, --fixed-dwell) reads 2.555 s of stream:
  // learning (4 s of stream time) covers sweeps 0 and 1; the rogue switches on as sweep 3 starts
  // (as in test_e2e_monitor_sim).
  auto s = scene(true);
  s.name = "store-e2e-monitor";
  for (auto& c : s.cells)
    if (c.name == "rogue") c.on_s = 3 * (0.005 + 0.05 + 2.5);
  const auto scene_path = dir / "monitor.json";
  tw::test::write_file(scene_path, tw::synth::scene_to_json(s).dump(2));
  ::setenv("TW_CONFIG_DIR", (dir / "config").c_str(), 1);
  const pid_t pid = tw::test::spawn_towerwatch(
      {"monitor", "--device", "driver=towerwatch-sim,realtime=0,scene=" + scene_path.string(), "--band", "P-GSM900",
       "--arfcn", "58-66", "--rate", "2.6M", "--fixed-dwell", "--db", server.url(), "--learn", "4s", "--clock",
       "stream", "--json"},
      dir / "out.jsonl", dir / "err.txt");
  ::unsetenv("TW_CONFIG_DIR");
  ASSERT_GT(pid, 0);
  int status = 0;
  for (;;) {
    const auto lines = tw::test::complete_json_lines(dir / "out.jsonl");
    if (tw::test::lines_of_type(lines, "monitor_sweep").size() >= 5) break;
    if (waitpid(pid, &status, WNOHANG) == pid) FAIL() << "monitor ended on its own: " << tw::test::read_file(dir / "err.txt");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << tw::test::read_file(dir / "err.txt");
  const auto lines = tw::test::json_lines(tw::test::read_file(dir / "out.jsonl"));
  const auto start = tw::test::lines_of_type(lines, "monitor_start");
  ASSERT_EQ(start.size(), 1u);
  EXPECT_EQ(start[0]["db"], server.url());  // no password in this URL to leave out
  const auto sweeps = tw::test::lines_of_type(lines, "monitor_sweep");
  const auto alerts = tw::test::lines_of_type(lines, "alert");
  ASSERT_EQ(alerts.size(), 1u) << tw::test::read_file(dir / "out.jsonl");
  const auto& rogue = s.cells.back();
  EXPECT_EQ(alerts[0]["cell"]["lac"], rogue.lac);
  EXPECT_EQ(alerts[0]["cell"]["ci"], rogue.ci);

  const auto st = tw::store::open_store(server.url());
  const auto stored = st->sweeps();
  ASSERT_EQ(stored.size(), sweeps.size());
  for (std::size_t i = 0; i < sweeps.size(); ++i) EXPECT_EQ(stored[i].id, sweeps[i]["sweep_id"]) << i;
  const auto findings = st->open_findings();
  ASSERT_EQ(findings.size(), 1u);
  const std::string rogue_key_end =
      "-" + std::to_string(rogue.lac) + "-" + std::to_string(rogue.ci) + "@" + std::to_string(rogue.arfcn);
  EXPECT_NE(findings[0].cell_key.find(rogue_key_end), std::string::npos) << findings[0].cell_key;
  EXPECT_FALSE(st->alerts(alerts[0]["sweep_id"].get<std::int64_t>()).empty());
  // The rogue never learned: every learned cell is one of operator A's.
  for (const auto& k : st->known_cells("learned")) EXPECT_NE(k.lac, rogue.lac) << k.key;
}
