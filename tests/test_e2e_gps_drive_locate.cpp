// Acceptance of issue 17 with every real part: gpsd itself (gpsfake, Debian gpsd-clients) replays an NMEA
// track written here, the simulated radio renders the built-in "drive" scene (8 cells of two operators and a
// rogue, placed; tools/synth/scenes_builtin.cpp) along the SAME track, and `towerwatch drive --gps` sweeps,
// stamps, stores and locates. The one clock both share is the system clock: gpsfake sends fix i at about
// T0 + i * kFixEvery_s (one write per fix: GGA + RMC in one packet of a Delay-Cookie log, so its pacing
// overhead comes once per fix), and the simulated radio puts its receiver at track time (system time - T0)
// (device arg track_start_unix_ms=T0). T0 is measured from gpsd by a client of the test's own (the first
// reports' receipt times); the same client measures how far gpsfake's pacing lags behind T0 + i * kFixEvery_s
// over the whole drive, which bounds the timing uncertainty of the positions.
// The route: drive_route(), 5.2 km, driven at kWallSpeed: a 10 m/s town drive with a fix every 5 s (the NMEA
// times) replayed 5x faster, a fix per second as receivers give them. The car is parked kHead_s at the start
// (the test measures T0 meanwhile), and towerwatch is started when it moves off and stopped with SIGINT
// (Ctrl-C) when it reaches the end (gpsd goes on reporting it parked there): no sweep is made standing still,
// where one place's shadowing would count again and again.
// Checks (truth: the track written here, the scene's placements):
//   - every observation (JSON lines and the store) has a 3D fix from gpsd, and that position is the track's
//     at its tuning's time within kWallSpeed x the timing uncertainty (fix interval + measured replay lag +
//     delivery jitter), and never one the track reaches only later;
//   - every cell's estimated position lies within its stated radius of the scene's truth;
//   - the rogue's alert names its estimated position, within its radius of the rogue's true position;
//   - the GeoJSON (nlohmann::json) is a FeatureCollection with the track, the 9 cells and the alert; the KML is
//     read by xmllint (libxml2) with its Track, Observations, Cells and Alerts folders.
// Prints the localisation error (median, 90th percentile): the figure the README quotes.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "src/core/geo.hpp"
#include "src/store/store.hpp"
#include "support/gpsfake.hpp"
#include "support/test_support.hpp"
#include "tools/synth/geometry.hpp"
#include "tools/synth/scene.hpp"

namespace {

using nlohmann::json;

constexpr double kWallSpeed = 50.0;       // m/s of system time along the route
constexpr double kFixEvery_s = 1.0;       // gpsfake: one GGA + RMC packet per second
constexpr double kHead_s = 6.0;           // parked at the start while the test reads gpsd's first reports
constexpr double kTail_s = 90.0;          // parked at the end (the drive is stopped long before it runs out)
constexpr int kNmeaDay0 = 10 * 3600;      // the NMEA time of fix 0; fix i is kNmeaStep_s * i seconds later
constexpr int kNmeaStep_s = 5;
constexpr double kNmeaRoundingM = 0.25;   // 1/600000 degree of latitude or longitude, each axis
constexpr double kDeliveryJitter_s = 0.3; // gpsd -> two clients, ms clocks, thread wake-ups

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A client of gpsd of the test's own (gpsd's JSON protocol, ?WATCH): every TPV with a fix, with the time it was
// received and the track index its NMEA time says.
class GpsdWatcher {
 public:
  struct Report {
    std::int64_t received_ms;
    int index;
    double lat, lon;
  };
  explicit GpsdWatcher(int port) : thread_([this, port] { run(port); }) {}
  ~GpsdWatcher() {
    stop_ = true;
    thread_.join();
  }
  std::vector<Report> reports() const {
    std::lock_guard lock(mu_);
    return reports_;
  }

 private:
  void run(int port) {
    int fd = -1;
    for (int k = 0; k < 200 && !stop_ && fd < 0; ++k) {
      fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      a.sin_port = htons(static_cast<std::uint16_t>(port));
      if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        fd = -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    if (fd < 0) return;
    const std::string watch = "?WATCH={\"enable\":true,\"json\":true};\n";
    if (::write(fd, watch.data(), watch.size()) != static_cast<ssize_t>(watch.size())) {
      ::close(fd);
      return;
    }
    std::string buf;
    char chunk[4096];
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n <= 0) break;
      const std::int64_t t = now_ms();
      buf.append(chunk, static_cast<std::size_t>(n));
      for (std::size_t nl; (nl = buf.find('\n')) != std::string::npos; buf.erase(0, nl + 1)) {
        const json j = json::parse(buf.substr(0, nl), nullptr, false);
        if (j.is_discarded() || j.value("class", "") != "TPV" || j.value("mode", 0) < 2 || !j.contains("lat") ||
            !j.contains("time") || !j["time"].is_string())
          continue;
        const std::string ts = j["time"].get<std::string>();   // 2026-12-03T10:00:05.000Z
        if (ts.size() < 19) continue;
        const int sod = std::stoi(ts.substr(11, 2)) * 3600 + std::stoi(ts.substr(14, 2)) * 60 + std::stoi(ts.substr(17, 2));
        std::lock_guard lock(mu_);
        reports_.push_back({t, (sod - kNmeaDay0) / kNmeaStep_s, j["lat"].get<double>(), j["lon"].get<double>()});
      }
    }
    ::close(fd);
  }
  mutable std::mutex mu_;
  std::vector<Report> reports_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

double percentile(std::vector<double> v, double q) {   // linear interpolation between order statistics
  std::sort(v.begin(), v.end());
  const double x = q * static_cast<double>(v.size() - 1);
  const auto i = static_cast<std::size_t>(x);
  return i + 1 < v.size() ? v[i] + (x - static_cast<double>(i)) * (v[i + 1] - v[i]) : v[i];
}

std::string xmllint(const std::string& args) {
  std::string out;
  FILE* p = ::popen(("xmllint " + args + " 2>&1").c_str(), "r");
  if (!p) return "popen failed";
  char b[4096];
  for (std::size_t n; (n = std::fread(b, 1, sizeof b, p)) > 0;) out.append(b, n);
  const int st = ::pclose(p);
  return st == 0 ? out : "exit " + std::to_string(st) + ": " + out;
}

TEST(E2eGpsDriveLocate, GpsdAndTheSimulatedRadioOnOneTrackEveryCellLocatedTheRogueAlertNamesItsPosition) {
  TW_REQUIRE_GPSFAKE();
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) {
    if (tw::test::running_in_ci()) FAIL() << "xmllint (libxml2-utils) missing in CI";
    GTEST_SKIP() << "xmllint (Debian libxml2-utils) not installed: skipping";
  }
  tw::test::TempDir dir;
  ::setenv("TW_CONFIG_DIR", (dir / "config").c_str(), 1);

  // The track on the system clock from T0: parked, the route, parked (the sim's track: before its first row
  // the first, after its last the last).
  std::vector<tw::synth::TrackPoint> pts = tw::synth::drive_route(kWallSpeed, kFixEvery_s);
  const double route_end_s = kHead_s + pts.back().t_s;
  for (auto& p : pts) p.t_s += kHead_s;
  const tw::synth::ReceiverTrack track(pts);
  {
    std::ofstream f(dir / "track.csv");
    f << "t_seconds,lat,lon\n";
    f.precision(12);
    for (const auto& p : pts) f << p.t_s << "," << p.lat << "," << p.lon << "\n";
  }
  const int fixes = static_cast<int>((route_end_s + kTail_s) / kFixEvery_s);
  std::vector<tw::synth::TrackPoint> fix_at(fixes);
  // gpsfake's Delay-Cookie: the log is cut at '@' into packets, each written at once, kFixEvery_s apart.
  std::string nmea = "# Delay-Cookie: @ " + std::to_string(kFixEvery_s) + "\n";
  for (int i = 0; i < fixes; ++i) {
    fix_at[i] = track.at(i * kFixEvery_s);
    nmea += tw::test::nmea_fix(kNmeaDay0 + kNmeaStep_s * i, fix_at[i].lat, fix_at[i].lon) + "@";
  }
  tw::test::write_file(dir / "track.nmea", nmea);

  const int port = tw::test::free_loopback_port();
  ASSERT_GT(port, 0);
  tw::test::GpsFake fake(dir / "track.nmea", port, 0.0, true, dir / "gpsfake.log");
  ASSERT_TRUE(fake.wait_listening()) << tw::test::read_file(dir / "gpsfake.log");
  GpsdWatcher watcher(port);
  // T0 from gpsd's first reports: the earliest receipt time less the fix's own place in the schedule.
  for (int k = 0; k < 200 && watcher.reports().size() < 3; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto first = watcher.reports();
  ASSERT_GE(first.size(), 3u) << "gpsd gave no fix: " << tw::test::read_file(dir / "gpsfake.log");
  std::int64_t t0 = first.front().received_ms;
  for (const auto& r : first) t0 = std::min(t0, r.received_ms - static_cast<std::int64_t>(std::llround(r.index * kFixEvery_s * 1e3)));
  ASSERT_LT(static_cast<double>(now_ms() - t0) / 1e3, kHead_s) << "gpsfake began too early to join the head";
  while (now_ms() < t0 + static_cast<std::int64_t>(kHead_s * 1e3)) std::this_thread::sleep_for(std::chrono::milliseconds(20));

  const std::string db = (dir / "drive.db").string();
  const std::vector<std::string> args = {
      "drive",  "--device", "driver=towerwatch-sim,scene=drive,track=" + (dir / "track.csv").string() +
                                ",track_start_unix_ms=" + std::to_string(t0),
      "--band", "P-GSM900", "--arfcn", "56-76", "--rate", "6M", "--mode", "sync", "--gps=127.0.0.1:" + std::to_string(port), "--db", db, "--json",
      "--geojson", (dir / "drive.geojson").string(), "--kml", (dir / "drive.kml").string()};
  const pid_t pid = tw::test::spawn_towerwatch(args, dir / "out.jsonl", dir / "err.txt");
  ASSERT_GT(pid, 0);
  // Drive to the end of the route; then Ctrl-C (the sweep under way ends; the maps keep the whole drive).
  const auto end_ms = t0 + static_cast<std::int64_t>(route_end_s * 1e3);
  bool exited = false;
  while (now_ms() < end_ms) {
    int st = 0;
    if (::waitpid(pid, &st, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(exited) << "towerwatch drive ended by itself: " << tw::test::read_file(dir / "err.txt");
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal";
  ASSERT_EQ(WEXITSTATUS(status), 0) << tw::test::read_file(dir / "err.txt");
  const auto reports = watcher.reports();

  // The timing uncertainty of a position: the fix interval, gpsfake's pacing behind the schedule (measured by
  // the test's own client over the whole drive) and the delivery jitter.
  double lag_s = 0.0;
  for (const auto& r : reports) lag_s = std::max(lag_s, static_cast<double>(r.received_ms - t0) / 1e3 - r.index * kFixEvery_s);
  const double uncertainty_s = kFixEvery_s + lag_s + kDeliveryJitter_s;
  const double tolerance_m = kWallSpeed * uncertainty_s + 2 * kNmeaRoundingM;
  std::printf("gpsd: %zu fixes seen by the test's client; gpsfake's pacing lagged up to %.2f s behind the schedule; "
              "position tolerance %.1f m (%.0f m/s x %.2f s)\n",
              reports.size(), lag_s, tolerance_m, kWallSpeed, uncertainty_s);

  // Every observation: a 3D fix from gpsd on the track at its tuning's time.
  const auto lines = tw::test::json_lines(tw::test::read_file(dir / "out.jsonl"));
  const auto cells = tw::test::lines_of_type(lines, "cell");
  const auto sweeps = tw::test::lines_of_type(lines, "drive_sweep");
  ASSERT_GE(sweeps.size(), 12u) << "too few sweeps along the route";
  ASSERT_EQ(tw::test::lines_of_type(lines, "drive_stop").size(), 1u);
  double worst_m = 0.0;
  for (const auto& c : cells) {
    ASSERT_EQ(c.value("fix_mode", ""), "3d") << c.dump();
    ASSERT_TRUE(c["lat"].is_number() && c["lon"].is_number()) << c.dump();
    const double lat = c["lat"].get<double>(), lon = c["lon"].get<double>();
    const auto tuning = c["tuning_unix_ms"].get<std::int64_t>();
    const double t = static_cast<double>(tuning - t0) / 1e3;
    const auto truth = track.at(t);
    const double d = tw::geo::distance_m(lat, lon, truth.lat, truth.lon);
    worst_m = std::max(worst_m, d);
    EXPECT_LE(d, tolerance_m) << "position " << d << " m from the track's at its tuning's time: " << c.dump();
    // It is one of the fixes gpsd was given, and one the track had reached by then (never a later one).
    bool sent_by_then = false;
    for (int i = 0; i < fixes && i * kFixEvery_s <= t + kDeliveryJitter_s; ++i)
      sent_by_then = sent_by_then || tw::geo::distance_m(lat, lon, fix_at[i].lat, fix_at[i].lon) <= 2 * kNmeaRoundingM;
    EXPECT_TRUE(sent_by_then) << "not a fix of the track up to its tuning's time: " << c.dump();
  }
  std::printf("%zu observations in %zu sweeps, every one with a 3D fix; farthest from the track at its tuning's time: %.1f m\n",
              cells.size(), sweeps.size(), worst_m);

  // The store holds the same: every observation positioned, as the lines say.
  {
    tw::store::Store st(db);
    EXPECT_EQ(st.query_int("SELECT count(*) FROM observations"), static_cast<std::int64_t>(cells.size()));
    EXPECT_EQ(st.query_int("SELECT count(*) FROM observations WHERE lat IS NULL OR lon IS NULL OR fix_mode != '3d'"), 0);
    std::map<std::pair<std::int64_t, int>, json> by_sweep_arfcn;
    for (const auto& c : cells) by_sweep_arfcn[{c["sweep_id"].get<std::int64_t>(), c["arfcn"].get<int>()}] = c;
    for (const auto& s : st.sweeps()) {
      for (const auto& o : st.load_sweep(s.id).cells) {
        const auto it = by_sweep_arfcn.find({s.id, o.arfcn});
        ASSERT_NE(it, by_sweep_arfcn.end()) << "sweep " << s.id << " ARFCN " << o.arfcn << " not in the output";
        ASSERT_TRUE(o.lat && o.lon);
        EXPECT_DOUBLE_EQ(*o.lat, it->second["lat"].get<double>());
        EXPECT_DOUBLE_EQ(*o.lon, it->second["lon"].get<double>());
      }
    }
    EXPECT_GT(st.query_int("SELECT count(*) FROM track WHERE fix_mode = '3d'"), 100);
  }

  // Every cell located within its stated radius (its last estimate: the drive so far).
  const auto scene = tw::synth::builtin_scene("drive");
  ASSERT_EQ(scene.cells.size(), 9u);
  std::vector<double> errors;
  std::map<int, json> estimate_of;   // ARFCN -> the last estimate
  for (const auto& c : cells)
    if (c.contains("position_estimate")) estimate_of[c["arfcn"].get<int>()] = c["position_estimate"];
  int rogue_arfcn = -1;
  tw::synth::CellPlacement rogue;
  for (const auto& truth : scene.cells) {
    if (truth.name == "rogue") {
      rogue_arfcn = truth.arfcn;
      rogue = truth.placement;
    }
    ASSERT_TRUE(estimate_of.count(truth.arfcn)) << truth.name << " (ARFCN " << truth.arfcn << ") not located";
    const json& e = estimate_of[truth.arfcn];
    const double err = tw::geo::distance_m(e["lat"].get<double>(), e["lon"].get<double>(), truth.placement.lat, truth.placement.lon);
    std::printf("%-6s ARFCN %d: %s, %d points, error %.0f m, radius %.0f m\n", truth.name.c_str(), truth.arfcn,
                e["method"].get<std::string>().c_str(), e["points"].get<int>(), err, e["radius_m"].get<double>());
    EXPECT_LE(err, e["radius_m"].get<double>()) << truth.name;
    errors.push_back(err);
  }
  std::printf("gps drive: %zu sweeps along %.1f km, %zu cells located; error median %.0f m, 90th percentile %.0f m\n",
              sweeps.size(), track.length_m() / 1000.0, errors.size(), percentile(errors, 0.5), percentile(errors, 0.9));

  // The rogue's alert names its estimated position, within its radius of the truth.
  json last_rogue_alert;
  for (const auto& a : tw::test::lines_of_type(lines, "alert"))
    if (a["cell"].value("arfcn", -1) == rogue_arfcn) last_rogue_alert = a;
  ASSERT_FALSE(last_rogue_alert.is_null()) << "no alert for the rogue";
  ASSERT_TRUE(last_rogue_alert["cell"].contains("position_estimate")) << last_rogue_alert.dump();
  const json& re = last_rogue_alert["cell"]["position_estimate"];
  const double rogue_err = tw::geo::distance_m(re["lat"].get<double>(), re["lon"].get<double>(), rogue.lat, rogue.lon);
  std::printf("rogue alert (score %.1f): estimated at %.6f,%.6f, radius %.0f m, %.0f m from the truth\n",
              last_rogue_alert["score"].get<double>(), re["lat"].get<double>(), re["lon"].get<double>(), re["radius_m"].get<double>(),
              rogue_err);
  EXPECT_LE(rogue_err, re["radius_m"].get<double>());

  // GeoJSON: an RFC 7946 FeatureCollection (longitude first, closed rings) with the track, the 9 cells and the
  // alert placed at the rogue's estimate, written by the last sweep (the one cut by Ctrl-C) for the whole drive.
  std::ifstream gj(dir / "drive.geojson");
  const json doc = json::parse(gj);
  ASSERT_EQ(doc["type"], "FeatureCollection");
  std::map<std::string, int> kinds;
  bool alert_at_estimate = false;
  for (const auto& f : doc["features"]) {
    ASSERT_EQ(f["type"], "Feature");
    const std::string kind = f["properties"]["kind"].get<std::string>();
    ++kinds[kind];
    const auto& g = f["geometry"];
    if (g["type"] == "Point") {
      EXPECT_NEAR(g["coordinates"][0].get<double>(), 13.40, 0.05);
      EXPECT_NEAR(g["coordinates"][1].get<double>(), 52.52, 0.05);
    }
    if (g["type"] == "Polygon") {
      EXPECT_EQ(g["coordinates"][0].front(), g["coordinates"][0].back());
    }
    if (kind == "track") {
      EXPECT_EQ(g["type"], "LineString");
    }
    if (kind == "alert" && std::fabs(g["coordinates"][0].get<double>() - re["lon"].get<double>()) < 2e-6 &&
        std::fabs(g["coordinates"][1].get<double>() - re["lat"].get<double>()) < 2e-6)
      alert_at_estimate = true;
  }
  EXPECT_EQ(kinds["track"], 1);
  EXPECT_EQ(kinds["cell_estimate"], 9);
  EXPECT_EQ(kinds["cell_uncertainty"], 9);
  EXPECT_GE(kinds["alert"], 1);
  EXPECT_TRUE(alert_at_estimate) << "the rogue's alert is not placed at its estimate";
  EXPECT_EQ(kinds["observation"], static_cast<int>(cells.size()));

  // KML: well-formed for libxml2, with the four folders and a placemark per cell and alert.
  const std::string kml = (dir / "drive.kml").string();
  EXPECT_EQ(xmllint("--noout " + kml), "");
  auto count = [&](const std::string& xpath) { return std::atoi(xmllint("--xpath \"" + xpath + "\" " + kml).c_str()); };
  for (const char* folder : {"Track", "Observations", "Cells", "Alerts"})
    EXPECT_EQ(count(std::string("count(//*[local-name()='Folder'][*[local-name()='name']='") + folder + "'])"), 1) << folder;
  auto in_folder = [&](const char* folder) {
    return count(std::string("count(//*[local-name()='Folder'][*[local-name()='name']='") + folder +
                 "']//*[local-name()='Placemark'])");
  };
  EXPECT_GE(in_folder("Cells"), 9);
  EXPECT_GE(in_folder("Alerts"), 1);
  EXPECT_EQ(in_folder("Observations"), static_cast<int>(cells.size()));
  ::unsetenv("TW_CONFIG_DIR");
}

}  // namespace
