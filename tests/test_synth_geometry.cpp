// Scene geometry (tools/synth/geometry.hpp): path loss against the log-distance formula computed here from
// the great-circle distance, the shadowing field's statistics against its stated sigma and correlation
// distance, the receiver track's parsing and interpolation, and the scene keys (parse, truth JSON).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "src/core/error.hpp"
#include "src/core/geo.hpp"
#include "tools/synth/geometry.hpp"
#include "tools/synth/scene.hpp"

namespace {

using tw::synth::CellPlacement;

CellPlacement site(double shadow = 0.0) {
  CellPlacement c;
  c.placed = true;
  c.lat = 48.0;
  c.lon = 11.0;
  c.power_1m_dbm = 30.0;
  c.path_loss_exponent = 3.0;
  c.shadowing_db = shadow;
  c.shadowing_decorrelation_m = 50.0;
  return c;
}

TEST(SynthGeometry, PathLossFollowsTheLogDistanceLaw) {
  const auto c = site();
  const tw::geo::LocalPlane plane(c.lat, c.lon);
  for (double d : {1.0, 10.0, 100.0, 1000.0, 5000.0}) {
    double lat = 0, lon = 0;
    plane.to_lat_lon({d * 0.6, d * 0.8}, lat, lon);
    const double truth = 30.0 - 30.0 * std::log10(std::max(1.0, tw::geo::distance_m(48.0, 11.0, lat, lon)));
    EXPECT_NEAR(tw::synth::received_dbm(c, 7, lat, lon), truth, 1e-9) << d;
    EXPECT_NEAR(tw::geo::distance_m(48.0, 11.0, lat, lon), d, d * 3e-4);   // the local plane (geo.hpp)
  }
  EXPECT_NEAR(tw::synth::received_dbm(c, 7, 48.0, 11.0), 30.0, 1e-9);   // under the mast: 1 m
}

TEST(SynthGeometry, ShadowingHasItsSigmaAndCorrelationDistance) {
  const auto c = site(6.0);
  const tw::geo::LocalPlane plane(c.lat, c.lon);
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-3000, 3000), ang(0, 2 * tw::geo::kPi);
  // Over many positions and cells (seeds): variance sigma^2; neighbours 5 m apart nearly equal, 500 m apart
  // nearly independent (exp(-d/50): 0.90 and 0.00005).
  double s2 = 0, c5 = 0, c500 = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    const std::uint64_t seed = static_cast<std::uint64_t>(i % 40);
    const double x = u(rng), y = u(rng), a = ang(rng);
    double la = 0, lo = 0, la5 = 0, lo5 = 0, la500 = 0, lo500 = 0;
    plane.to_lat_lon({x, y}, la, lo);
    plane.to_lat_lon({x + 5 * std::cos(a), y + 5 * std::sin(a)}, la5, lo5);
    plane.to_lat_lon({x + 500 * std::cos(a), y + 500 * std::sin(a)}, la500, lo500);
    const double s = tw::synth::shadowing_db(c, seed, la, lo);
    s2 += s * s;
    c5 += s * tw::synth::shadowing_db(c, seed, la5, lo5);
    c500 += s * tw::synth::shadowing_db(c, seed, la500, lo500);
  }
  const double sigma = std::sqrt(s2 / n);
  std::printf("shadowing: sigma %.2f dB (6 stated), correlation at 5 m %.2f, at 500 m %.2f\n", sigma, c5 / s2, c500 / s2);
  EXPECT_NEAR(sigma, 6.0, 0.6);
  EXPECT_GT(c5 / s2, 0.8);
  EXPECT_LT(std::fabs(c500 / s2), 0.15);
  // Deterministic: the same place, the same level.
  EXPECT_EQ(tw::synth::shadowing_db(c, 5, 48.001, 11.002), tw::synth::shadowing_db(c, 5, 48.001, 11.002));
}

TEST(SynthGeometry, TrackInterpolatesAndRejectsBadRows) {
  const auto t = tw::synth::ReceiverTrack::parse("t_seconds,lat,lon\n# comment\n0,48.0,11.0\n10,48.001,11.002\r\n", "trk.csv");
  ASSERT_EQ(t.points().size(), 2u);
  const auto mid = t.at(2.5);
  EXPECT_NEAR(mid.lat, 48.00025, 1e-12);
  EXPECT_NEAR(mid.lon, 11.0005, 1e-12);
  EXPECT_EQ(t.at(-5).lat, 48.0);
  EXPECT_EQ(t.at(99).lon, 11.002);
  auto fails_with = [](const std::string& text, const std::string& what) {
    try {
      (void)tw::synth::ReceiverTrack::parse(text, "trk.csv");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const tw::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  fails_with("0,48,11\n0,48,11.1\n", "trk.csv:2: time does not increase");
  fails_with("0,48,11\n1,48\n", "trk.csv:2: expected t_seconds,lat,lon");
  fails_with("0,48,11,5\n", "trk.csv:1: expected");
  fails_with("0,91,11\n", "trk.csv:1: lat/lon out of range");
  fails_with("0,nan,11\n", "trk.csv:1: expected");
  fails_with("0,48x,11\n", "trk.csv:1: expected");
  fails_with("", "no t_seconds,lat,lon rows");
}

TEST(SynthGeometry, SceneKeysParseAndReachTheTruth) {
  const std::string text = R"({"cells":[{"arfcn":62,"lat":48.01,"lon":11.02,"power_1m_dbm":20,"path_loss_exponent":3.5,
    "shadowing_db":4,"shadowing_decorrelation_m":80}],"rx_gain_db":35})";
  const auto s = tw::synth::parse_scene_text(text, "s.json");
  ASSERT_EQ(s.cells.size(), 1u);
  const auto& p = s.cells[0].placement;
  EXPECT_TRUE(p.placed);
  EXPECT_EQ(p.lat, 48.01);
  EXPECT_EQ(p.lon, 11.02);
  EXPECT_EQ(p.power_1m_dbm, 20.0);
  EXPECT_EQ(p.path_loss_exponent, 3.5);
  EXPECT_EQ(s.rx_gain_db, 35.0);
  const auto j = tw::synth::cell_to_json(s.cells[0], true);   // what the truth file says of the cell
  EXPECT_EQ(j["lat"], 48.01);
  EXPECT_EQ(j["lon"], 11.02);
  EXPECT_EQ(j["shadowing_decorrelation_m"], 80.0);
  // Round trip through the scene JSON.
  const auto back = tw::synth::parse_scene(tw::synth::scene_to_json(s), "back");
  EXPECT_EQ(back.cells[0].placement.lat, 48.01);
  EXPECT_EQ(back.rx_gain_db, 35.0);
  try {
    (void)tw::synth::parse_scene_text(R"({"cells":[{"arfcn":62,"lat":48.01}]})", "s.json");
    FAIL();
  } catch (const tw::InputError& e) {
    EXPECT_STREQ(e.what(), "s.json: cells[0].lon: missing (a placed cell needs lat and lon)");
  }
  try {
    (void)tw::synth::parse_scene_text(R"({"cells":[{"arfcn":62,"lat":48,"lon":11,"path_loss_exponent":9}]})", "s.json");
    FAIL();
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cells[0].path_loss_exponent: 9 is out of range"), std::string::npos) << e.what();
  }
}

TEST(SynthGeometry, DriveSceneHasEightCellsOfTwoOperatorsAndARogueAlongA5kmRoute) {
  const auto s = tw::synth::builtin_scene("drive");
  ASSERT_EQ(s.cells.size(), 9u);
  int a = 0, b = 0, rogue = 0;
  for (const auto& c : s.cells) {
    EXPECT_TRUE(c.placement.placed) << c.name;
    if (c.name == "rogue") ++rogue;
    else if (c.mnc == 1) ++a;
    else if (c.mnc == 2) ++b;
  }
  EXPECT_EQ(a, 4);
  EXPECT_EQ(b, 4);
  EXPECT_EQ(rogue, 1);
  const tw::synth::ReceiverTrack track(tw::synth::drive_route(10.0, 1.0));
  EXPECT_NEAR(track.length_m(), 5200.0, 20.0);
  EXPECT_NEAR(track.points().back().t_s, 520.0, 1.0);
}

}  // namespace
