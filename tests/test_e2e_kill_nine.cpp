// kill -9 of the real binary in the middle of its work (issue 8): nothing that completed is lost, nothing half
// written is visible, and the database opens cleanly and takes the next run.
//   - `towerwatch monitor` through the simulated radio (realtime=0): killed while a sweep is under way, after
//     several sweeps were reported. Every sweep it reported is in the database with the scene's cells.
//   - `towerwatch baseline import` of a large OpenCellID file: killed mid-import. Whole batches of 5000 rows
//     only (the import's transaction size); a second import completes the table.
// The store-level versions (tests/test_store_db.cpp, test_store_baseline.cpp) kill a writer loop at random;
// these kill the command-line tool a user runs.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "src/store/store.hpp"
#include "support/test_support.hpp"
#include "tools/synth/scene.hpp"

using nlohmann::json;

namespace {

// Waits (no time bound asserted) until `ready` holds, then kill -9. Fails when the child ended by itself.
template <class Ready>
void kill_nine_when(pid_t pid, const std::filesystem::path& err, Ready&& ready) {
  int status = 0;
  while (!ready()) {
    ASSERT_NE(waitpid(pid, &status, WNOHANG), pid) << "the command ended by itself: " << tw::test::read_file(err);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
}

// Four GSM cells of the built-in city-with-rogue scene on ARFCN 58..66 (one tuning at 2.6 Msps).
tw::synth::Scene kill_scene() {
  const auto base = tw::synth::builtin_scene("city-with-rogue");
  tw::synth::Scene s = base;
  s.name = "kill-nine";
  s.cells.clear();
  for (const auto& c : base.cells)
    if (c.arfcn >= 58 && c.arfcn <= 66) s.cells.push_back(c);
  return s;
}

}  // namespace

TEST(E2eKillNine, MonitorKilledMidSweepKeepsEveryReportedSweepWhole) {
  tw::test::TempDir dir;
  const auto scene = kill_scene();
  ASSERT_GE(scene.cells.size(), 3u);
  std::set<int> scene_arfcns;
  for (const auto& c : scene.cells) scene_arfcns.insert(c.arfcn);
  const auto scene_path = dir / "scene.json";
  tw::test::write_file(scene_path, tw::synth::scene_to_json(scene).dump(2));
  const auto db = dir / "site.db";
  const std::vector<std::string> args{"monitor", "--device", "driver=towerwatch-sim,realtime=0,scene=" + scene_path.string(),
                                      "--band", "P-GSM900", "--arfcn", "58-66", "--rate", "2.6M", "--mode", "sync",
                                      "--fixed-dwell", "--db", db.string(), "--learn", "0", "--clock", "stream",
                                      "--json"};
  const auto out = dir / "out.jsonl", err = dir / "err.txt";
  const pid_t pid = tw::test::spawn_towerwatch(args, out, err);
  ASSERT_GT(pid, 0);
  // Three sweeps reported, then the kill lands in the fourth (or a later one: the monitor does not wait).
  kill_nine_when(pid, err, [&] { return tw::test::lines_of_type(tw::test::complete_json_lines(out), "monitor_sweep").size() >= 3; });
  const auto reported = tw::test::lines_of_type(tw::test::complete_json_lines(out), "monitor_sweep");
  ASSERT_GE(reported.size(), 3u);

  {
    tw::store::Store st(db);  // recovers the WAL
    EXPECT_EQ(st.query_text("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(st.query_int("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    const auto stored = st.sweeps();
    ASSERT_GE(stored.size(), reported.size());  // a sweep can commit between its report and the kill
    for (std::size_t i = 0; i < stored.size(); ++i) {
      SCOPED_TRACE("sweep " + std::to_string(stored[i].id));
      EXPECT_TRUE(stored[i].completed);
      if (i < reported.size()) {
        EXPECT_EQ(stored[i].id, reported[i]["sweep_id"]);
        EXPECT_EQ(stored[i].n_cells, reported[i]["cells"]);
      }
      const auto back = st.load_sweep(stored[i].id);
      EXPECT_EQ(static_cast<std::int64_t>(back.cells.size()), stored[i].n_cells);
      std::set<int> arfcns;
      for (const auto& c : back.cells) arfcns.insert(c.arfcn);
      EXPECT_EQ(arfcns, scene_arfcns);  // the scene's cells, each once
    }
  }

  // The next run on the same database continues after the last completed sweep.
  auto args_again = args;
  args_again.insert(args_again.end(), {"--max-sweeps", "1"});
  const auto again = tw::test::run_towerwatch(args_again);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  tw::store::Store st(db);
  EXPECT_EQ(st.query_text("PRAGMA integrity_check"), "ok");
  const auto stored = st.sweeps();
  ASSERT_GE(stored.size(), reported.size() + 1);
  EXPECT_TRUE(stored.back().completed);
  EXPECT_EQ(static_cast<std::size_t>(stored.back().n_cells), scene_arfcns.size());
}

TEST(E2eKillNine, BaselineImportKilledMidFileKeepsWholeBatchesAndCanBeRepeated) {
  tw::test::TempDir dir;
  const auto csv = dir / "cell_towers.csv";
  constexpr int kRows = 300000;  // about 2 s of import here: time enough to land the kill
  {
    std::ofstream f(csv);
    f << "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal\n";
    for (int i = 0; i < kRows; ++i)
      f << "GSM,262," << (i % 3) << "," << (i / 60000) << "," << (i % 60000)
        << ",0,13.4,52.5,1000,12,1,1459000000,1600000000,-75\n";
  }
  const auto db = dir / "site.db";
  const std::vector<std::string> args{"baseline", "import", "--db", db.string(), csv.string(), "--json"};
  const auto err = dir / "err.txt";
  const pid_t pid = tw::test::spawn_towerwatch(args, dir / "out.jsonl", err);
  ASSERT_GT(pid, 0);
  // The import commits every 5000 rows (src/store/baseline.cpp); kill once two batches are visible.
  auto imported = [&]() -> std::int64_t {
    if (!std::filesystem::exists(db)) return 0;
    try {
      tw::store::Store st(db);
      return st.query_int("SELECT count(*) FROM known_cells");
    } catch (const std::exception&) {
      return 0;  // schema not yet created
    }
  };
  kill_nine_when(pid, err, [&] { return imported() >= 10000; });
  {
    tw::store::Store st(db);
    EXPECT_EQ(st.query_text("PRAGMA integrity_check"), "ok");
    const auto n = st.query_int("SELECT count(*) FROM known_cells");
    EXPECT_GE(n, 10000);
    EXPECT_LT(n, kRows) << "the import finished before the kill";
    EXPECT_EQ(n % 5000, 0) << "a batch was half written";
  }
  // The same file again: rows replace their earlier copies, every row ends up once.
  const auto again = tw::test::run_towerwatch(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto report = tw::test::json_lines(again.out);
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0]["imported"], kRows);
  EXPECT_EQ(report[0]["bad"], 0);
  tw::store::Store st(db);
  EXPECT_EQ(st.query_text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(st.query_int("SELECT count(*) FROM known_cells"), kRows);
}
