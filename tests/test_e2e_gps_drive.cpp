// Positions on observations, end to end: gpsd (gpsfake replaying an NMEA track written here) -> towerwatch
// scan / drive through the simulated radio -> cell records and the store. Truth: the track's positions (within
// NMEA rounding), the times of the tunings, what the receiver said (fix / no fix), and gpsd being there or not.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <map>
#include <thread>

#include "src/store/store.hpp"
#include "support/gpsfake.hpp"
#include "support/test_support.hpp"

using nlohmann::json;
using tw::test::json_lines;
using tw::test::lines_of_type;
using tw::test::run_towerwatch;

namespace {

constexpr double kNmeaRoundingDeg = 1.0 / 600000.0;
constexpr int kPoints = 3000;  // 0.1 s each: a 300 s drive, 0.0001 degree per point (about 13 m)
double track_lat(int i) { return 48.1 + 0.0001 * i; }
double track_lon(int i) { return 11.5 + 0.00005 * i; }

int track_index(double lat, double lon) {
  const int guess = static_cast<int>(std::lround((lat - 48.1) / 0.0001));
  for (int i = std::max(0, guess - 2); i <= std::min(kPoints - 1, guess + 2); ++i)
    if (std::fabs(lat - track_lat(i)) <= kNmeaRoundingDeg && std::fabs(lon - track_lon(i)) <= kNmeaRoundingDeg) return i;
  return -1;
}

std::string track_nmea() {
  std::string s;
  for (int i = 0; i < kPoints; ++i) s += tw::test::nmea_fix(10 * 3600 + i / 10, track_lat(i), track_lon(i));
  return s;
}

// Two cells far apart in P-GSM900 (different tunings, so heard at different times of the sweep).
std::string write_scene(const tw::test::TempDir& dir) {
  const json cells = json::array({{{"name", "a"}, {"arfcn", 10}, {"bsic", 21}, {"mcc", 262}, {"mnc", "01"}, {"lac", 1234},
                                   {"ci", 30001}, {"power_dbfs", -35}},
                                  {{"name", "b"}, {"arfcn", 110}, {"bsic", 22}, {"mcc", 262}, {"mnc", "01"}, {"lac", 1234},
                                   {"ci", 30002}, {"power_dbfs", -38}}});
  const json scene = {{"name", "gps-e2e"}, {"seed", 7}, {"noise_dbfs", -75.0}, {"cells", cells}};
  const auto path = dir / "scene.json";
  tw::test::write_file(path, scene.dump());
  return path.string();
}

class GpsE2e : public tw::test::SimSceneTest {
 protected:
  std::string write_scene_file() override { return write_scene(dir); }
  // Paced at the sample rate, so tunings are spread over real time as on a real drive.
  std::string realtime_device() const { return device + ",realtime=1"; }
  std::vector<std::string> scan_args() const {
    return {"--device", realtime_device(), "--band", "P-GSM900", "--mode", "sync", "--ppm", "0"};
  }
};

// A cell record's position on the track: every field there, the fix on a track point; returns its index.
int expect_on_track(const json& c) {
  EXPECT_EQ(c.value("fix_mode", ""), "3d") << c.dump();
  if (!c.contains("lat") || !c["lat"].is_number()) {
    ADD_FAILURE() << "no position: " << c.dump();
    return -1;
  }
  const int i = track_index(c["lat"].get<double>(), c["lon"].get<double>());
  EXPECT_GE(i, 0) << "position not on the track: " << c.dump();
  EXPECT_TRUE(c["eph"].is_number() && c["eph"].get<double>() > 0) << c.dump();
  EXPECT_TRUE(c["fix_time_unix_ms"].is_number_integer()) << c.dump();
  EXPECT_TRUE(c["tuning_unix_ms"].is_number_integer()) << c.dump();
  return i;
}

// The store holds what the records say, and the track table holds the fix each observation took: the last
// report received at or before its tuning's time, at most 3 s before it.
void expect_store_matches(const std::filesystem::path& db_path, const std::vector<json>& cells) {
  tw::store::Store db(db_path);
  EXPECT_EQ(db.schema_version(), tw::store::Store::kSchemaVersion);
  const auto sweeps = db.sweeps();
  ASSERT_EQ(sweeps.size(), 1u);
  const auto obs = db.load_sweep(sweeps[0].id);
  const auto track = db.track(sweeps[0].id);
  ASSERT_FALSE(track.empty());
  int last = -1;
  for (const auto& f : track) {
    ASSERT_TRUE(f.has_position());
    const int i = track_index(*f.lat, *f.lon);
    EXPECT_GE(i, 0) << *f.lat << "," << *f.lon;
    EXPECT_GT(i, last) << "track out of order";
    last = i;
  }
  std::map<int, json> by_arfcn;
  for (const auto& c : cells) by_arfcn[c["arfcn"].get<int>()] = c;
  ASSERT_EQ(obs.cells.size(), cells.size());
  for (const auto& o : obs.cells) {
    ASSERT_TRUE(by_arfcn.count(o.arfcn));
    const json& c = by_arfcn[o.arfcn];
    ASSERT_TRUE(o.lat && o.lon);
    EXPECT_DOUBLE_EQ(*o.lat, c["lat"].get<double>());
    EXPECT_DOUBLE_EQ(*o.lon, c["lon"].get<double>());
    EXPECT_EQ(o.fix_mode, "3d");
    EXPECT_DOUBLE_EQ(*o.eph_m, c["eph"].get<double>());
    EXPECT_EQ(*o.fix_time_unix_ms, c["fix_time_unix_ms"].get<std::int64_t>());
    const std::int64_t tuning = c["tuning_unix_ms"].get<std::int64_t>();
    const tw::Fix* at = nullptr;
    for (const auto& f : track)
      if (f.time_unix_ms <= tuning) at = &f;
    ASSERT_NE(at, nullptr) << "no track point before the tuning";
    EXPECT_LE(tuning - at->time_unix_ms, 3000);
    EXPECT_DOUBLE_EQ(*at->lat, *o.lat) << "the observation did not take the fix valid at its tuning's time";
    EXPECT_DOUBLE_EQ(*at->lon, *o.lon);
  }
  // In the table itself: the columns, and NULL/none never mixed.
  EXPECT_EQ(db.query_int("SELECT count(*) FROM observations WHERE fix_mode = '3d' AND lat IS NOT NULL AND eph > 0 "
                         "AND fix_time IS NOT NULL"),
            static_cast<std::int64_t>(cells.size()));
}

}  // namespace

TEST_F(GpsE2e, ScanStampsEveryObservationWithTheTrackPositionAtItsTuningsTime) {
  TW_REQUIRE_GPSFAKE();
  tw::test::write_file(dir / "track.nmea", track_nmea());
  const int port = tw::test::free_loopback_port();
  tw::test::GpsFake fake(dir / "track.nmea", port, 0.05, true, dir / "gpsfake.log");
  ASSERT_TRUE(fake.wait_listening());
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const auto db = dir / "scan.db";
  auto args = scan_args();
  args.insert(args.begin(), "scan");
  for (const char* a : {"--json", "--db"}) args.push_back(a);
  args.push_back(db.string());
  args.push_back("--gps=127.0.0.1:" + std::to_string(port));
  const auto r = run_towerwatch(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  const auto cells = lines_of_type(lines, "cell");
  ASSERT_EQ(cells.size(), 2u) << r.out;
  std::map<std::int64_t, int> index_by_time;
  for (const auto& c : cells) index_by_time[c["tuning_unix_ms"].get<std::int64_t>()] = expect_on_track(c);
  // Heard at different times while moving: different places, in the order of the tunings.
  ASSERT_EQ(index_by_time.size(), 2u);
  EXPECT_LT(index_by_time.begin()->second, index_by_time.rbegin()->second)
      << "the later tuning must stand further along the track";
  const auto summary = lines_of_type(lines, "sweep_summary").at(0);
  EXPECT_EQ(summary["position_source"], "gpsd 127.0.0.1:" + std::to_string(port));
  expect_store_matches(db, cells);
}

TEST_F(GpsE2e, NoFixFromTheReceiverGivesObservationsWithoutAPosition) {
  TW_REQUIRE_GPSFAKE();
  std::string nmea;
  for (int i = 0; i < 600; ++i) nmea += tw::test::nmea_no_fix(10 * 3600 + i);
  tw::test::write_file(dir / "nofix.nmea", nmea);
  const int port = tw::test::free_loopback_port();
  tw::test::GpsFake fake(dir / "nofix.nmea", port, 0.05, false, dir / "gpsfake.log");
  ASSERT_TRUE(fake.wait_listening());
  const auto db = dir / "nofix.db";
  auto args = scan_args();
  args.insert(args.begin(), "scan");
  for (std::string a : {std::string("--json"), std::string("--db"), db.string(), "--gps=127.0.0.1:" + std::to_string(port)})
    args.push_back(a);
  const auto r = run_towerwatch(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cells = lines_of_type(json_lines(r.out), "cell");
  ASSERT_EQ(cells.size(), 2u);
  for (const auto& c : cells) {
    EXPECT_EQ(c["fix_mode"], "none") << c.dump();
    EXPECT_TRUE(c["lat"].is_null() && c["lon"].is_null()) << c.dump();
    EXPECT_TRUE(c["fix_time_unix_ms"].is_null()) << c.dump();
  }
  tw::store::Store st(db);
  EXPECT_EQ(st.query_int("SELECT count(*) FROM observations WHERE fix_mode = 'none' AND lat IS NULL AND lon IS NULL"), 2);
  // The receiver's reports are in the track, saying no fix.
  EXPECT_GT(st.query_int("SELECT count(*) FROM track WHERE fix_mode = 'none' AND lat IS NULL"), 0);
  EXPECT_EQ(st.query_int("SELECT count(*) FROM track WHERE fix_mode != 'none'"), 0);
}

TEST_F(GpsE2e, FixedPositionAndOptionErrors) {
  auto args = scan_args();
  args.insert(args.begin(), "scan");
  args.push_back("--json");
  auto fixed = args;
  fixed.push_back("--position");
  fixed.push_back("51.4778,-0.0014,46");
  const auto r = run_towerwatch(fixed);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cells = lines_of_type(json_lines(r.out), "cell");
  ASSERT_EQ(cells.size(), 2u);
  for (const auto& c : cells) {
    EXPECT_EQ(c["lat"], 51.4778);
    EXPECT_EQ(c["lon"], -0.0014);
    EXPECT_EQ(c["alt"], 46);
    EXPECT_EQ(c["fix_mode"], "3d");
  }
  auto both = fixed;
  both.push_back("--gps");
  const auto e = run_towerwatch(both);
  EXPECT_EQ(e.exit_code, 2);
  EXPECT_NE(e.err.find("--gps or --position"), std::string::npos) << e.err;
  auto bad = args;
  bad.push_back("--position");
  bad.push_back("48.1,200");
  const auto b = run_towerwatch(bad);
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_NE(b.err.find("longitude"), std::string::npos) << b.err;
}

// Drive mode: sweeps while gpsd replays the track; gpsd killed mid-drive (reported, observations say no fix,
// the drive goes on), restarted (reconnected, positions again); SIGINT stops cleanly with every sweep stored.
TEST_F(GpsE2e, DriveSurvivesGpsdGoingAwayAndStopsCleanlyOnSigint) {
  TW_REQUIRE_GPSFAKE();
  tw::test::write_file(dir / "track.nmea", track_nmea());
  const int port = tw::test::free_loopback_port();
  auto fake = std::make_unique<tw::test::GpsFake>(dir / "track.nmea", port, 0.05, true, dir / "gpsfake1.log");
  ASSERT_TRUE(fake->wait_listening());
  const auto db = dir / "drive.db";
  auto args = scan_args();
  args.insert(args.begin(), "drive");
  for (std::string a : {std::string("--json"), std::string("--db"), db.string(), "--gps=127.0.0.1:" + std::to_string(port)})
    args.push_back(a);
  const pid_t pid = tw::test::spawn_towerwatch(args, dir / "out.jsonl", dir / "err.txt");
  ASSERT_GT(pid, 0);
  auto sweeps_done = [&] { return lines_of_type(tw::test::complete_json_lines(dir / "out.jsonl"), "drive_sweep"); };
  auto wait_sweeps = [&](std::size_t n) {
    for (int k = 0; k < 1200; ++k) {
      if (sweeps_done().size() >= n) return true;
      int st = 0;
      if (waitpid(pid, &st, WNOHANG) == pid) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  };
  ASSERT_TRUE(wait_sweeps(1)) << tw::test::read_file(dir / "err.txt");
  fake->stop();
  const auto killed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
  const std::size_t before_kill = sweeps_done().size();
  // Two more sweeps without gpsd (the one under way at the kill, then one wholly after it).
  ASSERT_TRUE(wait_sweeps(before_kill + 2)) << tw::test::read_file(dir / "err.txt");
  fake = std::make_unique<tw::test::GpsFake>(dir / "track.nmea", port, 0.05, true, dir / "gpsfake2.log");
  ASSERT_TRUE(fake->wait_listening());
  // Reconnected (the backoff doubles while gpsd is away: up to some seconds), then two sweeps with it.
  bool reconnected = false;
  for (int k = 0; k < 600 && !reconnected; ++k) {
    reconnected = tw::test::read_file(dir / "err.txt").find(": connected") != std::string::npos;
    if (!reconnected) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(reconnected) << tw::test::read_file(dir / "err.txt");
  const std::size_t before_restart = sweeps_done().size();
  ASSERT_TRUE(wait_sweeps(before_restart + 2)) << tw::test::read_file(dir / "err.txt");
  ASSERT_EQ(kill(pid, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal";
  EXPECT_EQ(WEXITSTATUS(status), 0) << tw::test::read_file(dir / "err.txt");
  const std::string err = tw::test::read_file(dir / "err.txt");
  EXPECT_NE(err.find("connection lost"), std::string::npos) << err;
  EXPECT_NE(err.find(": connected"), std::string::npos) << err;
  EXPECT_NE(err.find("drive: sweep 1"), std::string::npos) << "progress on stderr: " << err;

  const auto lines = json_lines(tw::test::read_file(dir / "out.jsonl"));
  const auto sweeps = lines_of_type(lines, "drive_sweep");
  ASSERT_EQ(lines_of_type(lines, "drive_stop").size(), 1u);
  const auto stop = lines_of_type(lines, "drive_stop")[0];
  EXPECT_EQ(stop["sweeps"], sweeps.size());
  // Every cell line: on the track, or no fix when its tuning fell in gpsd's absence (3 s after the kill until
  // the restart). Positions move along the track from sweep to sweep.
  int with_fix = 0, without = 0;
  for (const auto& c : lines_of_type(lines, "cell")) {
    const std::int64_t t = c["tuning_unix_ms"].get<std::int64_t>();
    if (c["fix_mode"] == "none") {
      ++without;
      EXPECT_GT(t, killed_ms - 500) << "no fix before gpsd was killed: " << c.dump();
      EXPECT_TRUE(c["lat"].is_null());
    } else {
      ++with_fix;
      expect_on_track(c);
      if (t > killed_ms + 3500) {
        // After the kill a fix can only come from the restarted gpsd: its replay starts at the track's head again.
        EXPECT_LT(track_index(c["lat"].get<double>(), c["lon"].get<double>()), 1500) << c.dump();
      }
    }
  }
  EXPECT_GT(with_fix, 0);
  EXPECT_GT(without, 0) << "a whole sweep ran without gpsd";
  // Everything stored: every drive_sweep is a completed sweep in the database with its cells and track.
  tw::store::Store st(db);
  const auto stored = st.sweeps();
  ASSERT_EQ(stored.size(), sweeps.size());
  std::int64_t cells_in_lines = 0;
  for (const auto& s : sweeps) cells_in_lines += s["cells"].get<std::int64_t>();
  EXPECT_EQ(st.query_int("SELECT count(*) FROM observations"), cells_in_lines);
  for (const auto& s : stored) EXPECT_TRUE(s.completed);
  EXPECT_GT(st.track(stored.front().id).size(), 0u) << "the first sweep's track";
  EXPECT_EQ(st.query_int("SELECT count(*) FROM track WHERE fix_mode = '3d' AND lat IS NOT NULL"),
            st.query_int("SELECT count(*) FROM track WHERE fix_mode != 'none'"));
}

// monitor takes the same position options: a fixed site's position on every stored observation and in the track.
TEST_F(GpsE2e, MonitorStoresTheFixedSitesPositionOnEveryObservation) {
  const auto db = dir / "site.db";
  const auto r = run_towerwatch({"monitor", "--device", device, "--band", "P-GSM900", "--mode", "sync", "--ppm", "0",
                                 "--db", db.string(), "--learn", "0", "--clock", "stream", "--max-sweeps", "1",
                                 "--position", "52.5200,13.4050", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  tw::store::Store st(db);
  EXPECT_EQ(st.query_int("SELECT count(*) FROM observations"), 2);
  EXPECT_EQ(st.query_int("SELECT count(*) FROM observations WHERE lat = 52.52 AND lon = 13.405 AND fix_mode = '2d'"), 2);
  EXPECT_EQ(st.query_int("SELECT count(*) FROM track WHERE lat = 52.52 AND lon = 13.405 AND fix_mode = '2d'"), 1);
}
