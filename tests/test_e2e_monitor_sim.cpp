// `towerwatch monitor` end to end: the real binary, the simulated radio (SoapySDR driver towerwatch-sim,
// realtime=0) and a scene written here: three cells of operator A copied from the built-in "city" scene and
// the rogue of "city-with-rogue" (its every parameter), which switches on (on_s) after the learning period.
// The monitor runs on the stream clock (--clock stream: the learning period counts samples read), on the
// nine channels ARFCN 58..66 (one tuning at 2.6 Msps), with a fixed dwell so every sweep reads the same
// stream time.
//   - no alert during learning and none for the legitimate cells; exactly one alert for the rogue (not one
//     per sweep) with its reasons;
//   - SIGTERM mid-run: exit 0, the database passes integrity_check and holds every completed sweep;
//   - a device that vanishes (vanish_after=) is reopened and monitoring continues.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>

#include "src/store/store.hpp"
#include "support/test_support.hpp"
#include "tools/synth/scene.hpp"

using nlohmann::json;

namespace {

// One sweep of the plan below reads 5 ms settling + 50 ms census + 2.5 s dwell of samples (src/sweep, full
// mode, --fixed-dwell): the scene time at which sweep k (0-based) starts is k * kSweepS (plus at most a
// read block per sweep).
constexpr double kSweepS = 0.005 + 0.05 + 2.5;

tw::synth::Scene monitor_scene(double rogue_on_s) {
  const auto base = tw::synth::builtin_scene("city-with-rogue");
  tw::synth::Scene s = base;
  s.name = "monitor-test";
  s.cells.clear();
  for (const auto& c : base.cells)
    if (c.name == "A-1" || c.name == "A-2" || c.name == "A-3" || c.name == "rogue") s.cells.push_back(c);
  for (auto& c : s.cells)
    if (c.name == "rogue") c.on_s = rogue_on_s;
  return s;
}

}  // namespace

TEST(E2eMonitor, RogueAfterLearningIsReportedOnceAndSigtermStopsCleanly) {
  tw::test::TempDir dir;
  // Learning 4 s of stream time, counted from the first sweep's time (its end): sweep 1 ends 2.6 s after
  // it (learning), sweep 2 5.1 s after (scored, legitimate cells alone); the rogue switches on as sweep 3
  // starts (if the sweeps' read blocks put that a little into sweep 2's analysis, sweep 2 has no receiver
  // on the rogue's channel: its census ran before), so sweep 3 hears it from its census on.
  const double on_s = 3 * kSweepS;
  const auto scene_path = dir / "scene.json";
  tw::test::write_file(scene_path, tw::synth::scene_to_json(monitor_scene(on_s)).dump(2));
  const auto db = dir / "site.db";
  const auto report = dir / "report.html";
  const pid_t pid = tw::test::spawn_towerwatch(
      {"monitor", "--device", "driver=towerwatch-sim,realtime=0,scene=" + scene_path.string(), "--band", "P-GSM900",
       "--arfcn", "58-66", "--rate", "2.6M", "--fixed-dwell", "--db", db.string(), "--learn", "4s", "--clock",
       "stream", "--report", report.string(), "--json"},
      dir / "out.jsonl", dir / "err.txt");
  ASSERT_GT(pid, 0);
  // Let it run until six sweeps are committed (no time bound asserted), then SIGTERM mid-sweep.
  std::vector<json> lines;
  int status = 0;
  bool exited = false;
  for (;;) {
    lines = tw::test::complete_json_lines(dir / "out.jsonl");
    if (tw::test::lines_of_type(lines, "monitor_sweep").size() >= 6) break;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(exited) << "monitor ended on its own: " << tw::test::read_file(dir / "err.txt");
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal";
  EXPECT_EQ(WEXITSTATUS(status), 0) << tw::test::read_file(dir / "err.txt");
  lines = tw::test::json_lines(tw::test::read_file(dir / "out.jsonl"));

  const auto sweeps = tw::test::lines_of_type(lines, "monitor_sweep");
  ASSERT_GE(sweeps.size(), 6u);
  // Learning: exactly the first two sweeps (4 s of stream time from the first sweep's time).
  for (std::size_t i = 0; i < sweeps.size(); ++i) EXPECT_EQ(sweeps[i]["learning"], i < 2) << "sweep " << i;
  // Cells: the three legitimate cells in every sweep, the rogue from sweep 3 on.
  for (std::size_t i = 0; i < sweeps.size(); ++i) EXPECT_EQ(sweeps[i]["cells"], i < 3 ? 3 : 4) << "sweep " << i;
  const auto alerts = tw::test::lines_of_type(lines, "alert");
  ASSERT_EQ(alerts.size(), 1u) << tw::test::read_file(dir / "out.jsonl");
  const auto& a = alerts[0];
  EXPECT_EQ(a["status"], "new");
  EXPECT_EQ(a["sweep_id"], sweeps[3]["sweep_id"]);
  const auto scene = monitor_scene(on_s);
  const tw::synth::CellConfig& rogue = scene.cells.back();
  ASSERT_EQ(rogue.name, "rogue");
  EXPECT_EQ(a["cell"]["arfcn"], rogue.arfcn);
  EXPECT_EQ(a["cell"]["lac"], rogue.lac);
  EXPECT_EQ(a["cell"]["ci"], rogue.ci);
  EXPECT_EQ(a["cell"]["bsic"], rogue.bsic);
  std::set<std::string> rules;
  double sum = 0.0;
  for (const auto& r : a["reasons"]) {
    rules.insert(r["rule"].get<std::string>());
    sum += r["weight"].get<double>();
    EXPECT_FALSE(r["detail"].get<std::string>().empty());
  }
  EXPECT_NEAR(a["score"].get<double>(), sum, 1e-9);
  // The rogue's scene parameters: T3212 1 (T1), no neighbours (K1), CRO 63 (K2), LAC 4711 among LAC 1234
  // cells (A2), 2.5 ppm off (F1), and not in the baseline learned before it switched on (B1).
  for (const char* expected : {"T1", "K1", "K2", "A2", "F1", "B1"}) EXPECT_TRUE(rules.count(expected)) << expected;
  EXPECT_TRUE(tw::test::lines_of_type(lines, "alert_cleared").empty());
  const auto stop = tw::test::lines_of_type(lines, "monitor_stop");
  ASSERT_EQ(stop.size(), 1u);
  EXPECT_EQ(stop[0]["sweeps"], sweeps.size());
  EXPECT_LE(stop[0]["abandoned"].get<int>(), 1);  // the sweep SIGTERM interrupted, if any
  EXPECT_EQ(stop[0]["alerts_reported"], 1);

  // The database: intact, every completed sweep in it (and nothing of the abandoned one), the alert of
  // every scored sweep with the rogue, the rogue never learned, its finding open.
  tw::store::Store st(db);
  EXPECT_EQ(st.query_text("PRAGMA integrity_check"), "ok");
  const auto stored = st.sweeps();
  ASSERT_EQ(stored.size(), sweeps.size());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_TRUE(stored[i].completed);
    EXPECT_EQ(stored[i].id, sweeps[i]["sweep_id"]);
    EXPECT_EQ(stored[i].n_cells, sweeps[i]["cells"]);
  }
  EXPECT_EQ(st.alerts().size(), sweeps.size() - 3);
  for (const auto& k : st.known_cells("learned")) EXPECT_NE(k.lac, rogue.lac) << k.key;
  EXPECT_EQ(st.known_cells("learned").size(), 3u);
  ASSERT_EQ(st.open_findings().size(), 1u);
  EXPECT_EQ(st.open_findings()[0].key, "GSM@" + std::to_string(rogue.arfcn));

  // The report of the last sweep: the rogue's alert with its reasons, no script.
  const std::string html = tw::test::read_file(report);
  EXPECT_NE(html.find("GSM ARFCN " + std::to_string(rogue.arfcn) + "</a>"), std::string::npos);  // the alert card
  for (const auto& r : rules) EXPECT_NE(html.find("<span class=\"rule\">" + r + "</span>"), std::string::npos) << r;
  EXPECT_EQ(html.find("<script"), std::string::npos);

  // A restart on the same database reports nothing again (one sweep, the rogue still there).
  auto again = tw::test::run_towerwatch({"monitor", "--device",
                                         "driver=towerwatch-sim,realtime=0,scene=" + scene_path.string(), "--band",
                                         "P-GSM900", "--arfcn", "58-66", "--rate", "2.6M", "--fixed-dwell", "--db",
                                         db.string(), "--learn", "4s", "--clock", "stream", "--max-sweeps", "1",
                                         "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto again_lines = tw::test::json_lines(again.out);
  EXPECT_EQ(tw::test::lines_of_type(again_lines, "monitor_sweep").size(), 1u);
  EXPECT_TRUE(tw::test::lines_of_type(again_lines, "alert").empty()) << again.out;
}

// The device vanishes (vanish_after= samples: during the second sweep of each device life): the sweep is
// abandoned, the device reopened after the backoff, and monitoring continues to --max-sweeps.
TEST(E2eMonitor, VanishedDeviceIsReopenedAndMonitoringContinues) {
  tw::test::TempDir dir;
  const auto scene_path = dir / "scene.json";
  tw::test::write_file(scene_path, tw::synth::scene_to_json(monitor_scene(0.0)).dump(2));
  const auto db = dir / "site.db";
  // sync mode: 5 ms + 50 ms + 0.25 s per sweep, 0.305 s = 793000 samples at 2.6 Msps; vanish after 1.5 sweeps.
  auto r = tw::test::run_towerwatch({"monitor", "--device",
                                     "driver=towerwatch-sim,realtime=0,vanish_after=1200000,scene=" + scene_path.string(),
                                     "--band", "P-GSM900", "--arfcn", "58-66", "--rate", "2.6M", "--mode", "sync",
                                     "--fixed-dwell", "--db", db.string(),
                                     "--learn", "0", "--clock", "stream", "--max-sweeps", "3", "--backoff", "0.05",
                                     "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = tw::test::json_lines(r.out);
  EXPECT_EQ(tw::test::lines_of_type(lines, "monitor_sweep").size(), 3u);
  const auto lost = tw::test::lines_of_type(lines, "device_lost");
  const auto reopened = tw::test::lines_of_type(lines, "device_reopened");
  EXPECT_EQ(lost.size(), 2u) << r.out;      // once in each of the first two device lives
  EXPECT_EQ(reopened.size(), 2u) << r.out;
  for (const auto& l : lost) EXPECT_NE(l["error"].get<std::string>().find("towerwatch-sim"), std::string::npos) << l;
  const auto stop = tw::test::lines_of_type(lines, "monitor_stop");
  ASSERT_EQ(stop.size(), 1u);
  EXPECT_EQ(stop[0]["reopens"], 2);
  EXPECT_EQ(stop[0]["abandoned"], 2);
  tw::store::Store st(db);
  EXPECT_EQ(st.query_text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(st.sweeps().size(), 3u);
}

TEST(E2eMonitor, BadOptionsAreUsageErrors) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"monitor", "--device", "driver=towerwatch-sim", "--learn", "soon"},
        std::vector<std::string>{"monitor", "--device", "driver=towerwatch-sim", "--clock", "sundial"},
        std::vector<std::string>{"monitor", "--device", "driver=towerwatch-sim", "--arfcn", "2000-2001"}}) {
    auto r = tw::test::run_towerwatch(args);
    EXPECT_EQ(r.exit_code, 2) << args.back() << ": " << r.err;
    EXPECT_NE(r.err.find(args[args.size() - 2]), std::string::npos) << r.err;
  }
}
