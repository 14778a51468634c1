// Acceptance of transmitter location (issue 17) on the simulated radio: the built-in "drive" scene (8 cells of
// two operators and a rogue, placed; tools/synth/scenes_builtin.cpp) heard along its 5.2 km route (the
// device's receiver track). Scans are repeated along the route, each at its own time on the track
// (track_offset_s); the position of each scan's observations is taken from the same track at the middle of the
// scan's stream (the GPS helper's positions take this place in a real drive). The positioned observations go
// into a database; a last full scan with --db then estimates every cell's transmitter from them (scoring's
// drive window), and:
//   - every cell's estimated position lies within its stated radius of the scene's truth (errors printed);
//   - the rogue's alert names its estimated position;
//   - the GeoJSON parses and has the RFC 7946 structure, the KML is read by a real XML parser.
// Prints the localisation error (median, 90th percentile): the figure the README quotes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

#include "src/core/geo.hpp"
#include "src/scorer/score_records.hpp"
#include "src/store/store.hpp"
#include "support/test_support.hpp"
#include "tools/synth/geometry.hpp"
#include "tools/synth/scene.hpp"

namespace {

using nlohmann::json;
using tw::test::TempDir;

constexpr double kSpeed = 10.0;      // m/s along the route
constexpr double kScanEvery = 20.0;  // s of track time between scans (200 m)

TEST(E2eDriveLocate, EveryCellLocatedWithinItsRadiusAndTheRogueAlertNamesItsPosition) {
  TempDir dir;
  ::setenv("TW_CONFIG_DIR", (dir / "config").c_str(), 1);
  const auto route = tw::synth::drive_route(kSpeed, 1.0);
  {
    std::ofstream f(dir / "track.csv");
    f << "t_seconds,lat,lon\n";
    f.precision(12);
    for (const auto& p : route) f << p.t_s << "," << p.lat << "," << p.lon << "\n";
  }
  const tw::synth::ReceiverTrack track(route);
  const auto scene = tw::synth::builtin_scene("drive");
  const std::string device0 = "driver=towerwatch-sim,scene=drive,track=" + (dir / "track.csv").string();
  const std::vector<std::string> band = {"--band", "P-GSM900", "--arfcn", "56-76", "--rate", "6M"};

  // The drive: sync scans (BSIC and level) along the route, stored with their positions.
  const std::string db = (dir / "drive.db").string();
  const std::int64_t t0 = tw::now_unix_ms() - static_cast<std::int64_t>(route.back().t_s * 1000.0) - 60000;
  int scans = 0;
  {
    tw::store::Store store(db);
    for (double t = 0.0; t <= route.back().t_s; t += kScanEvery) {
      std::vector<std::string> args = {"scan", "--device", device0 + ",track_offset_s=" + std::to_string(t), "--mode", "sync",
                                       "--json"};
      args.insert(args.end(), band.begin(), band.end());
      const auto r = tw::test::run_towerwatch(args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const auto lines = tw::test::json_lines(r.out);
      const auto summary = tw::test::lines_of_type(lines, "sweep_summary");
      ASSERT_EQ(summary.size(), 1u);
      const auto pos = track.at(t + summary[0]["stream_s"].get<double>() / 2.0);
      const std::int64_t when = t0 + static_cast<std::int64_t>(t * 1000.0);
      auto sweep = tw::observations_from_records(tw::test::lines_of_type(lines, "cell"), when, "TWSIM0001");
      for (auto& c : sweep.cells) {
        c.lat = pos.lat;
        c.lon = pos.lon;
        c.params["position_accuracy_m"] = 3.0;
      }
      store.store_sweep(sweep, "drive scan");
      ++scans;
    }
  }
  // The last scan: full decoding (identities, System Information: the rogue's alert), estimates from the drive.
  std::vector<std::string> args = {"scan", "--device", device0 + ",track_offset_s=" + std::to_string(route.back().t_s),
                                   "--db", db, "--json", "--geojson", (dir / "drive.geojson").string(), "--kml",
                                   (dir / "drive.kml").string(), "--wigle", (dir / "drive.csv").string()};
  args.insert(args.end(), band.begin(), band.end());
  const auto r = tw::test::run_towerwatch(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = tw::test::json_lines(r.out);
  const auto cells = tw::test::lines_of_type(lines, "cell");
  std::vector<double> errors;
  int found = 0;
  for (const auto& truth : scene.cells) {
    const json* rec = nullptr;
    for (const auto& c : cells)
      if (c.value("arfcn", -1) == truth.arfcn) rec = &c;
    ASSERT_NE(rec, nullptr) << truth.name << " not heard";
    ASSERT_TRUE(rec->contains("position_estimate")) << truth.name << ": " << rec->dump();
    const auto& e = (*rec)["position_estimate"];
    const double err = tw::geo::distance_m(e["lat"], e["lon"], truth.placement.lat, truth.placement.lon);
    std::printf("%-6s ARFCN %d: %s, %d points, error %.0f m, radius %.0f m\n", truth.name.c_str(), truth.arfcn,
                e["method"].get<std::string>().c_str(), e["points"].get<int>(), err, e["radius_m"].get<double>());
    EXPECT_EQ(e["method"], "path_loss_fit") << truth.name;
    EXPECT_LE(err, e["radius_m"].get<double>()) << truth.name;
    errors.push_back(err);
    ++found;
  }
  std::sort(errors.begin(), errors.end());
  const auto pct = [&](double q) {   // linear interpolation between order statistics
    const double x = q * static_cast<double>(errors.size() - 1);
    const auto i = static_cast<std::size_t>(x);
    return i + 1 < errors.size() ? errors[i] + (x - i) * (errors[i + 1] - errors[i]) : errors[i];
  };
  std::printf("drive: %d scans along %.1f km, %d cells located; error median %.0f m, 90th percentile %.0f m\n", scans + 1,
              track.length_m() / 1000.0, found, pct(0.5), pct(0.9));

  // The rogue's alert carries its estimated position.
  int rogue_arfcn = -1;
  for (const auto& c : scene.cells)
    if (c.name == "rogue") rogue_arfcn = c.arfcn;
  bool rogue_alert = false;
  for (const auto& a : tw::test::lines_of_type(lines, "alert")) {
    if (a["cell"].value("arfcn", -1) != rogue_arfcn) continue;
    rogue_alert = true;
    ASSERT_TRUE(a["cell"].contains("position_estimate")) << a.dump();
    EXPECT_TRUE(a["cell"]["position_estimate"]["lat"].is_number());
    EXPECT_TRUE(a["cell"]["position_estimate"]["radius_m"].is_number());
  }
  EXPECT_TRUE(rogue_alert) << r.out;
  EXPECT_NE(r.out.find("\"position_estimate\""), std::string::npos);

  // GeoJSON: RFC 7946 structure (lon, lat order; closed rings).
  std::ifstream gj(dir / "drive.geojson");
  const json doc = json::parse(gj);
  ASSERT_EQ(doc["type"], "FeatureCollection");
  std::map<std::string, int> kinds;
  for (const auto& f : doc["features"]) {
    ++kinds[f["properties"]["kind"].get<std::string>()];
    const auto& g = f["geometry"];
    if (g["type"] == "Point") {
      EXPECT_NEAR(g["coordinates"][0].get<double>(), 13.40, 0.05);   // longitude first
      EXPECT_NEAR(g["coordinates"][1].get<double>(), 52.52, 0.05);
    }
    if (g["type"] == "Polygon") EXPECT_EQ(g["coordinates"][0].front(), g["coordinates"][0].back());
  }
  EXPECT_EQ(kinds["track"], 1);
  EXPECT_EQ(kinds["cell_estimate"], 9);
  EXPECT_EQ(kinds["cell_uncertainty"], 9);
  EXPECT_GE(kinds["alert"], 1);
  EXPECT_GE(kinds["observation"], scans * 5);

  // KML: read by Python's XML parser.
  if (std::system("python3 -c 'import xml.etree.ElementTree' >/dev/null 2>&1") == 0) {
    const std::string cmd = "python3 -c \"import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); "
                            "print(len(list(r.iter('{http://www.opengis.net/kml/2.2}Placemark'))))\" " +
                            (dir / "drive.kml").string();
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    char buf[64] = {0};
    ASSERT_NE(std::fgets(buf, sizeof buf, p), nullptr);
    EXPECT_EQ(pclose(p), 0);
    EXPECT_GE(std::atoi(buf), 1 + scans * 5 + 9 + 1);   // track, observations, cells, alerts
  } else if (tw::test::running_in_ci()) {
    FAIL() << "python3 missing in CI";
  }
  // WiGLE: a row per positioned observation with a whole CGI (the sync scans decode no CGI: none of theirs).
  const std::string csv = tw::test::read_file(dir / "drive.csv");
  EXPECT_EQ(csv.rfind("WigleWifi-1.4,", 0), 0u);
  ::unsetenv("TW_CONFIG_DIR");
}

}  // namespace
