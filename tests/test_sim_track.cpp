// The simulated radio's receiver track (hw/sim/sim_signal.hpp, device arg track=): the level of a placed
// cell in the rendered samples follows the receiver's position, as the log-distance law computed here from
// the track and the cell's position says.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
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

// track_start_unix_ms=: the receiver's place follows the system clock, not the samples read. The stream is
// at its very start (sample 0, which the stream clock puts at the track's head, 100 m from the cell), but the
// track started 60 s ago on the system clock: the receiver is 60 s down the track, 700 m from the cell.
TEST(SimTrack, TrackOnTheSystemClockFollowsTheTimeOfDelivery) {
  const auto dir = temp_dir();
  std::ofstream(dir / "scene.json") << R"({"seed":3,"noise_dbfs":-140,"rx_gain_db":40,"cells":[{"arfcn":62,
      "lat":48.0,"lon":11.0,"power_1m_dbm":30,"path_loss_exponent":3.0,"power_dbfs":-10}]})";
  // North from 100 m at 10 m/s for 1000 s.
  const tw::geo::LocalPlane plane(48.0, 11.0);
  std::ofstream trk(dir / "wall.csv");
  trk << "t_seconds,lat,lon\n";
  for (int k = 0; k <= 100; ++k) {
    double lat = 0, lon = 0;
    plane.to_lat_lon({0.0, 100.0 + 100.0 * k}, lat, lon);
    trk << (10 * k) << "," << std::setprecision(12) << lat << "," << lon << "\n";
  }
  trk.close();
  const auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  };
  const std::int64_t start = now_ms() - 60000;
  const auto cfg = tw::sim::SimSignalConfig::from_args({{"scene", (dir / "scene.json").string()},
                                                        {"track", (dir / "wall.csv").string()},
                                                        {"track_start_unix_ms", std::to_string(start)}},
                                                       "S");
  ASSERT_TRUE(cfg.track_start_unix_ms);
  EXPECT_EQ(*cfg.track_start_unix_ms, start);
  // The track time is the system time since the start (the stream time does not count), plus the offset.
  EXPECT_DOUBLE_EQ(cfg.track_time_s(123.0, static_cast<double>(start) / 1e3 + 42.5), 42.5);
  tw::sim::SimSignal sig(cfg);
  const double fs = 1e6, fc = 947.4e6 + 200e3;
  std::vector<tw::cf32> x(20000);
  const double before_s = static_cast<double>(now_ms() - start) / 1e3;
  sig.render(0, fc, fs, 0.0, x);
  const double after_s = static_cast<double>(now_ms() - start) / 1e3;
  double p = 0;
  for (const auto& v : x) p += std::norm(v);
  const double measured = 10 * std::log10(p / x.size());
  // The law at the distances of the times before and after the call (10 m/s: 100 m + 10 m per second).
  const double far = 30.0 - 30.0 * std::log10(100.0 + 10.0 * (after_s + 0.1)) + 40.0;
  const double near = 30.0 - 30.0 * std::log10(100.0 + 10.0 * (before_s - 0.1)) + 40.0;
  std::printf("track on the system clock, %.2f..%.2f s after its start: level %.2f dBFS (law %.2f..%.2f)\n", before_s,
              after_s, measured, far, near);
  EXPECT_GE(measured, far - 0.3);
  EXPECT_LE(measured, near + 0.3);
  // The stream clock would have put it at 100 m: 18.5 dB stronger.
  EXPECT_LT(measured, 30.0 - 30.0 * std::log10(100.0) + 40.0 - 15.0);

  for (const char* bad : {"-5", "1.7e12", "17000000000000", "", "now"}) {
    try {
      (void)tw::sim::SimSignalConfig::from_args({{"scene", (dir / "scene.json").string()},
                                                 {"track", (dir / "wall.csv").string()},
                                                 {"track_start_unix_ms", bad}},
                                                "S");
      ADD_FAILURE() << "accepted track_start_unix_ms=" << bad;
    } catch (const tw::InputError& e) {
      EXPECT_NE(std::string(e.what()).find("track_start_unix_ms"), std::string::npos) << e.what();
    }
  }
  // Without a track it means nothing: an error, not ignored.
  EXPECT_THROW(tw::sim::SimSignalConfig::from_args({{"scene", (dir / "scene.json").string()}, {"track_start_unix_ms", "1000"}}, "S"),
               tw::InputError);
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
