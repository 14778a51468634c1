// Fleet rules FL1 and FL2 (src/fleet/rules/) on sightings built here: geometry is the truth (1 degree of
// latitude on the mean Earth sphere, radius 6371.0088 km, is 111.195 km).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "src/fleet/fleet_rules.hpp"

using tw::fleet::FleetView;
using tw::fleet::Sighting;

namespace {

Sighting seen(const std::string& sensor, const std::string& key, double lat, double lon, double snr, const std::string& mnc = "01") {
  Sighting s;
  s.sensor = sensor;
  s.cell_key = key;
  s.rat = "GSM";
  s.mcc = 262;
  s.mnc = mnc;
  s.lat = lat;
  s.lon = lon;
  s.max_snr_db = snr;
  s.n = 1;
  return s;
}

std::vector<tw::fleet::FleetFinding> apply(const char* id, const FleetView& v) {
  for (const auto& r : tw::fleet::fleet_rules())
    if (std::string(r.id) == id) return r.apply(v);
  ADD_FAILURE() << "no rule " << id;
  return {};
}

}  // namespace

TEST(FleetRules, DistanceIsTheGreatCircle) {
  EXPECT_NEAR(tw::fleet::distance_km(0, 0, 1, 0), 111.195, 0.001);
  EXPECT_NEAR(tw::fleet::distance_km(60, 0, 60, 1), 111.195 * 0.5, 0.01);   // cos 60 = 0.5
}

TEST(FleetRules, FL1FlagsOneIdentityHeardStronglyFurtherApartThanOneCellReaches) {
  FleetView v;
  // 0.5 degree of latitude apart: 55.6 km (> 35 km).
  v.sightings = {seen("a", "GSM:262-01-1-7", 52.0, 13.0, 25), seen("b", "GSM:262-01-1-7", 52.5, 13.0, 22)};
  auto f = apply("FL1", v);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cell_key, "GSM:262-01-1-7");
  EXPECT_NEAR(f[0].evidence["distance_km"].get<double>(), 55.6, 0.1);
  // 0.25 degree: 27.8 km, one transmitter can reach both.
  v.sightings[1].lat = 52.25;
  EXPECT_TRUE(apply("FL1", v).empty());
  // Far apart but weak at one of them (a long-range freak): not flagged.
  v.sightings[1].lat = 52.5;
  v.sightings[1].max_snr_db = 9;
  EXPECT_TRUE(apply("FL1", v).empty());
}

TEST(FleetRules, FL2FlagsACellOneGroupHearsWhileCoLocatedSensorsHearTheOperatorsOtherCells) {
  FleetView v;
  const std::string rogue = "GSM:262-01-4711-10099";
  // Group A (a0, a1) hears the rogue and operator 01's cells X and Y; group B (b0, b1) 1.1 km north hears X, Y.
  for (const char* s : {"a0", "a1"}) {
    v.sightings.push_back(seen(s, rogue, 52.520, 13.405, 25));
    v.sightings.push_back(seen(s, "GSM:262-01-1234-1", 52.520, 13.405, 20));
    v.sightings.push_back(seen(s, "GSM:262-01-1234-2", 52.520, 13.405, 20));
  }
  for (const char* s : {"b0", "b1"}) {
    v.sightings.push_back(seen(s, "GSM:262-01-1234-1", 52.530, 13.405, 20));
    v.sightings.push_back(seen(s, "GSM:262-01-1234-2", 52.530, 13.405, 20));
  }
  auto f = apply("FL2", v);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cell_key, rogue);
  EXPECT_EQ(f[0].evidence["witnesses"].size(), 2u);
  // Group B 5.6 km away (beyond 3 km): no witnesses, nothing flagged.
  auto far = v;
  for (auto& s : far.sightings)
    if (s.sensor[0] == 'b') s.lat = 52.570;
  EXPECT_TRUE(apply("FL2", far).empty());
  // Group B hears only one other cell of the operator: not enough to testify.
  auto thin = v;
  std::erase_if(thin.sightings, [](const Sighting& s) { return s.sensor[0] == 'b' && s.cell_key == "GSM:262-01-1234-2"; });
  EXPECT_TRUE(apply("FL2", thin).empty());
  // Group B hears the rogue too: it is not local.
  auto everyone = v;
  everyone.sightings.push_back(seen("b0", rogue, 52.530, 13.405, 18));
  everyone.sightings.push_back(seen("b1", rogue, 52.530, 13.405, 18));
  EXPECT_TRUE(apply("FL2", everyone).empty());
}

// FL3 on a constructed fleet: levels from the log-distance law the rule assumes, L = 25 - 35 log10(d / 1 m)
// dBm (d with the 10 m mast height) plus a fixed shadowing draw within +-6 dB; a clone near two sensors adds
// its own, much stronger level there (0 dBm at 1 m, exponent 3, 50 m away: -51 dBm against about -94 dBm).
namespace {

constexpr double kLat0 = 52.52, kLon0 = 13.40, kMPerDeg = 111195.0;
double lat_at(double north_m) { return kLat0 + north_m / kMPerDeg; }
double lon_at(double east_m) { return kLon0 + east_m / (kMPerDeg * std::cos(kLat0 * 3.14159265358979323846 / 180)); }
double law_dbm(double d_m, double p1m = 25.0, double n = 3.5) { return p1m - 10 * n * std::log10(std::sqrt(d_m * d_m + 100.0)); }

struct Place {
  const char* sensor;
  double east_m, north_m, shadow_db;
};
// Eight sensors 300 m .. 3 km around the mast at the origin.
const Place kPlaces[] = {{"s0", 300, 0, 4.0},      {"s1", 0, -700, -5.5}, {"s2", -1200, 0, 2.0},  {"s3", 0, 1500, -3.0},
                         {"s4", 1800, 1800, 5.5}, {"s5", -2000, -1000, -1.0}, {"s6", 2400, -600, 3.0}, {"s7", 2450, -650, -4.0}};

FleetView path_loss_view(const std::string& key, double mast_east = 0, double mast_north = 0) {
  FleetView v;
  for (const auto& p : kPlaces) {
    Sighting s = seen(p.sensor, key, lat_at(p.north_m), lon_at(p.east_m), 20);
    s.max_power_dbm = law_dbm(std::hypot(p.east_m - mast_east, p.north_m - mast_north)) + p.shadow_db;
    s.max_power_dbfs = *s.max_power_dbm + 40;
    v.sightings.push_back(s);
  }
  v.positions[key] = tw::fleet::CellPosition{lat_at(mast_north), lon_at(mast_east), 150, "fleet_estimate"};
  return v;
}

}  // namespace

TEST(FleetRules, FL3FlagsTheSensorsThatHearACellFarStrongerThanItsDistanceAllows) {
  const std::string key = "GSM:262-01-1234-5678";
  auto v = path_loss_view(key);
  // No clone: every level within the shadowing of the law, nothing flagged.
  EXPECT_TRUE(apply("FL3", v).empty());
  // A clone 50 m from s6 and s7 (2.4 km from the real mast): they hear it, not the mast.
  auto cloned = v;
  for (auto& s : cloned.sightings)
    if (s.sensor == "s6" || s.sensor == "s7") s.max_power_dbm = std::max(*s.max_power_dbm, law_dbm(50, 0.0, 3.0));
  auto f = apply("FL3", cloned);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cell_key, key);
  ASSERT_EQ(f[0].evidence["sensors"].size(), 2u);
  std::set<std::string> flagged;
  for (const auto& s : f[0].evidence["sensors"]) flagged.insert(s["sensor"].get<std::string>());
  EXPECT_EQ(flagged, (std::set<std::string>{"s6", "s7"}));
  // The robust fit is not bent by the clone: the law's exponent 3.5 within 0.3.
  EXPECT_NEAR(f[0].evidence["exponent"].get<double>(), 3.5, 0.3);
  EXPECT_GT(f[0].evidence["sensors"][0]["excess_db"].get<double>(), 24.0);
  // Without the position nothing can be said.
  cloned.positions.clear();
  EXPECT_TRUE(apply("FL3", cloned).empty());
}

TEST(FleetRules, FL3StaysSilentWhereTheLevelsCanBeExplained) {
  const std::string key = "GSM:262-01-1234-5678";
  // The known position 800 m off the true mast (radius 1000 m): s0, 300 m from the estimate, is in fact 500 m
  // from the mast, and a sensor placed 100 m from the true mast reads strong: within the uncertainty.
  auto off = path_loss_view(key, -800, 0);
  off.positions[key] = tw::fleet::CellPosition{lat_at(0), lon_at(0), 1000, "fleet_estimate"};
  Sighting near = seen("s8", key, lat_at(0), lon_at(-700), 20);
  near.max_power_dbm = law_dbm(100);
  off.sightings.push_back(near);
  EXPECT_TRUE(apply("FL3", off).empty());
  // An uncalibrated sensor (s6 reads every cell 30 dB too strong): its offset over three other cells removes it.
  FleetView gain;
  for (const std::string k : {std::string("GSM:262-01-1234-1"), std::string("GSM:262-01-1234-2"), std::string("GSM:262-01-1234-3"), key}) {
    auto one = path_loss_view(k, k == key ? 0 : 300 * (k[16] - '0'), 0);
    for (auto& s : one.sightings)
      if (s.sensor == "s6") s.max_power_dbm = *s.max_power_dbm + 30;
    gain.sightings.insert(gain.sightings.end(), one.sightings.begin(), one.sightings.end());
    gain.positions.insert(one.positions.begin(), one.positions.end());
  }
  EXPECT_TRUE(apply("FL3", gain).empty());
  // Too few sensors for a fit: three.
  auto few = path_loss_view(key);
  few.sightings.resize(3);
  few.sightings[2].max_power_dbm = 0;
  EXPECT_TRUE(apply("FL3", few).empty());
}

// FL4 on constructed sweep histories: sensor sweeps are ids in the order the store received them.
TEST(FleetRules, FL4FlagsANewIdentityThatCameAndWentAtSeveralSensors) {
  const std::string rogue = "GSM:262-01-4711-10099", legit = "GSM:262-01-1234-1";
  FleetView v;
  v.window_start_ms = 1000000;
  v.now_ms = 1600000;
  auto heard = [&](const char* sensor, const std::string& key, std::int64_t first_sweep, std::int64_t last_sweep) {
    Sighting s = seen(sensor, key, 52.52, 13.40, 25);
    s.first_sweep = first_sweep;
    s.last_sweep = last_sweep;
    s.first_ms = 1000000 + first_sweep * 1000;
    s.last_ms = 1000000 + last_sweep * 1000;
    v.sightings.push_back(s);
  };
  // a0 swept 1, 5, 9, 13; a1 2, 6, 10, 14; the rogue in sweeps 5 and 9 at a0, 6 and 10 at a1; the legit
  // cell in all of them, known to the fleet long before the window.
  v.sweeps["a0"] = {1, 5, 9, 13};
  v.sweeps["a1"] = {2, 6, 10, 14};
  heard("a0", rogue, 5, 9);
  heard("a1", rogue, 6, 10);
  heard("a0", legit, 1, 13);
  heard("a1", legit, 2, 14);
  v.first_ever_ms[rogue] = 1005000;
  v.first_ever_ms[legit] = 10000;
  auto f = apply("FL4", v);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cell_key, rogue);
  EXPECT_EQ(f[0].evidence["sensors"].size(), 2u);

  // Still heard in a1's latest sweep: not gone (a new cell that stays is no alarm).
  auto stays = v;
  for (auto& s : stays.sightings)
    if (s.sensor == "a1" && s.cell_key == rogue) s.last_sweep = 14;
  EXPECT_TRUE(apply("FL4", stays).empty());
  // Known to the fleet before the window: not new.
  auto known = v;
  known.first_ever_ms[rogue] = 900000;
  EXPECT_TRUE(apply("FL4", known).empty());
  // One sensor only.
  auto one = v;
  std::erase_if(one.sightings, [&](const Sighting& s) { return s.sensor == "a1" && s.cell_key == rogue; });
  EXPECT_TRUE(apply("FL4", one).empty());
  // Heard in a sensor's first sweep: the sensor had not listened before, so it did not see it appear.
  auto fresh = v;
  fresh.sweeps["a0"] = {5, 9, 13};
  EXPECT_TRUE(apply("FL4", fresh).empty());
}
