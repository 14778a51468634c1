// The simulated radio's receiver track (hw/sim/sim_signal.hpp, device arg track=): the level of a placed
// cell in the rendered samples follows the receiver's position, as the log-distance law computed here from
// the track and the cell's position says.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <vector>

#include "hw/sim/sim_signal.hpp"
#include "src/core/error.hpp"
#include "src/core/geo.hpp"

namespace {

std::filesystem::path temp_dir() {
  auto d = std::filesystem::temp_directory_path() / ("tw-simtrack-" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}

TEST(SimTrack, CellLevelFollowsTheReceiver) {
  const auto dir = temp_dir();
  // One GSM cell at (48.0, 11.0), 30 dBm at 1 m, n = 3; no shadowing, noise far below.
  std::ofstream(dir / "scene.json") << R"({"seed":3,"noise_dbfs":-140,"rx_gain_db":40,"cells":[{"arfcn":62,
      "lat":48.0,"lon":11.0,"power_1m_dbm":30,"path_loss_exponent":3.0,"power_dbfs":-10}]})";
  // The receiver drives north from 100 m to 2000 m in 20 s (track time = stream time + 5 s).
  const tw::geo::LocalPlane plane(48.0, 11.0);
  std::ofstream trk(dir / "track.csv");
  trk << "t_seconds,lat,lon\n";
  for (int k = 0; k <= 20; ++k) {
    double lat = 0, lon = 0;
    plane.to_lat_lon({0.0, 100.0 + 95.0 * k}, lat, lon);
    trk << (5 + k) << "," << std::setprecision(12) << lat << "," << lon << "\n";
  }
  trk.close();
  const auto cfg = tw::sim::SimSignalConfig::from_args(
      {{"scene", (dir / "scene.json").string()}, {"track", (dir / "track.csv").string()}, {"track_offset_s", "5"}}, "S");
  tw::sim::SimSignal sig(cfg);
  const double fs = 1e6, fc = 947.4e6 + 200e3;   // ARFCN 62: 935 + 0.2 * 62 = 947.4 MHz, 200 kHz below the centre
  for (double t : {0.0, 4.0, 9.5, 15.0, 20.0}) {
    std::vector<tw::cf32> x(20000);
    sig.render(static_cast<std::uint64_t>(t * fs), fc, fs, 0.0, x);
    double p = 0;
    for (const auto& v : x) p += std::norm(v);
    const double measured = 10 * std::log10(p / x.size());
    const double d = 100.0 + 95.0 * t;   // the track's distance at track time t + 5
    const double expected = 30.0 - 30.0 * std::log10(d) + 40.0;
    std::printf("t %.1f s: %.0f m from the cell, level %.2f dBFS (law %.2f)\n", t, d, measured, expected);
    EXPECT_NEAR(measured, expected, 0.3) << t;
  }
}

TEST(SimTrack, TrackNeedsASceneAndAGoodFile) {
  const auto dir = temp_dir();
  std::ofstream(dir / "bad.csv") << "0,48,11\n1,48\n";
  EXPECT_THROW(tw::sim::SimSignalConfig::from_args({{"track", (dir / "bad.csv").string()}}, "S"), tw::InputError);
  try {
    (void)tw::sim::SimSignalConfig::from_args({{"scene", "single"}, {"track", (dir / "bad.csv").string()}}, "S");
    FAIL();
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(tw::sim::SimSignalConfig::from_args({{"scene", "single"}, {"track", (dir / "none.csv").string()}}, "S"),
               tw::InputError);
}

}  // namespace
