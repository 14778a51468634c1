// Fleet rules FL1 and FL2 (src/fleet/rules/) on sightings built here: geometry is the truth (1 degree of
// latitude on the mean Earth sphere, radius 6371.0088 km, is 111.195 km).
#include <gtest/gtest.h>

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
