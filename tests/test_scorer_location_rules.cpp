// Rules S3 (with an estimated transmitter position) and S4 (transmitter moved between drives) against a real
// store: OpenCellID rows imported by the store's own importer, an earlier drive's positioned observations
// stored as sweeps and located by src/locate. The truth is the geometry the test lays out.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "src/core/geo.hpp"
#include "src/scorer/rules/rules.hpp"
#include "src/scorer/scorer.hpp"
#include "src/store/store.hpp"
#include "src/store/store_baseline_view.hpp"
#include "support/test_support.hpp"

namespace {

using nlohmann::json;

constexpr double kLat0 = 52.52, kLon0 = 13.40;

tw::CellObservation cell_at(std::int64_t t_ms) {
  json r{{"type", "cell"}, {"rat", "GSM"}, {"arfcn", 64}, {"bsic", 13}, {"mcc", 262}, {"mnc", "01"}, {"lac", 4711},
         {"ci", 10099}, {"power_dbfs", -40.0}};
  return tw::CellObservation::from_cell_record(r, t_ms, "S1");
}

// An earlier drive: a loop of 40 positions around the transmitter at plane (tx_e, tx_n), levels from the
// log-distance law (P0 -10 dB, n 3.2), stored as 40 sweeps `age_ms` ago.
void store_earlier_drive(tw::store::Store& st, double tx_e, double tx_n, std::int64_t when_ms) {
  const tw::geo::LocalPlane plane(kLat0, kLon0);
  for (int k = 0; k < 40; ++k) {
    const double a = 2 * tw::geo::kPi * k / 40;
    const tw::geo::EastNorth p{tx_e + 800 * std::cos(a) + 200, tx_n + 500 * std::sin(a)};
    const double d = std::sqrt(std::pow(p.east_m - tx_e, 2) + std::pow(p.north_m - tx_n, 2) + 100);
    tw::SweepObservations sw;
    sw.time_unix_ms = when_ms + k * 10000;
    sw.sensor_id = "S1";
    auto c = cell_at(sw.time_unix_ms);
    c.power_dbfs = -10.0 - 32.0 * std::log10(d);
    double lat = 0, lon = 0;
    plane.to_lat_lon(p, lat, lon);
    c.lat = lat;
    c.lon = lon;
    sw.cells.push_back(c);
    st.store_sweep(sw, "earlier drive");
  }
}

TEST(LocationRules, S4FiresWhenTheTransmitterMovedBetweenDrives) {
  tw::test::TempDir dir;
  tw::store::Store st(dir / "db.sqlite");
  const std::int64_t now = 1764763200000LL;
  store_earlier_drive(st, 0.0, 0.0, now - 5 * 3600 * 1000LL);
  tw::store::StoreBaselineView view(st);
  const auto earlier = view.earlier_position_estimate(cell_at(now), now);
  ASSERT_TRUE(earlier);
  EXPECT_EQ(earlier->method, "path_loss_fit");
  EXPECT_LT(tw::geo::distance_m(earlier->lat, earlier->lon, kLat0, kLon0), 5.0);   // noiseless: at the truth
  EXPECT_EQ(earlier->points, 40);

  const tw::geo::LocalPlane plane(kLat0, kLon0);
  auto judge = [&](double east_m, const std::string& method) {
    tw::SweepObservations sw;
    sw.time_unix_ms = now;
    auto c = cell_at(now);
    tw::EstimatedPosition e;
    plane.to_lat_lon({east_m, 0.0}, e.lat, e.lon);
    e.radius_m = 250.0;
    e.points = 30;
    e.method = method;
    c.position_estimate = e;
    sw.cells.push_back(c);
    const tw::ScorerOptions opt;
    const tw::ScoringContext ctx{sw, &view, opt};
    return tw::rules::s4_transmitter_moved(sw.cells[0], ctx, 1.5);
  };
  const auto moved = judge(3000.0, "path_loss_fit");
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_NEAR(moved[0].evidence["distance_m"].get<double>(), 3000.0, 10.0);
  EXPECT_NEAR(moved[0].evidence["limit_m"].get<double>(), 250.0 + earlier->radius_m, 1.0);
  EXPECT_TRUE(judge(100.0, "path_loss_fit").empty());         // within the two radii
  EXPECT_TRUE(judge(3000.0, "weighted_centroid").empty());    // a centroid is too coarse to compare
  // The current drive's observations (within the drive window) are not "earlier".
  tw::store::Store st2(dir / "db2.sqlite");
  store_earlier_drive(st2, 0.0, 0.0, now - 10 * 60 * 1000LL);
  tw::store::StoreBaselineView view2(st2);
  EXPECT_FALSE(view2.earlier_position_estimate(cell_at(now), now));
}

TEST(LocationRules, S3ComparesTheEstimateWithOpenCellId) {
  tw::test::TempDir dir;
  tw::store::Store st(dir / "db.sqlite");
  // OpenCellID: the CGI at (52.52, 13.40), range 1000 m.
  {
    std::ofstream f(dir / "ocid.csv");
    f << "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal\n"
      << "GSM,262,1,4711,10099,0,13.40,52.52,1000,12,1,1500000000,1600000000,0\n";
  }
  const auto rep = tw::store::import_opencellid(st, dir / "ocid.csv");
  ASSERT_EQ(rep.bad, 0);
  tw::store::StoreBaselineView view(st);
  const tw::geo::LocalPlane plane(kLat0, kLon0);
  auto judge = [&](double east_m, double radius_m) {
    tw::SweepObservations sw;
    sw.time_unix_ms = 1764763200000LL;
    auto c = cell_at(sw.time_unix_ms);
    tw::EstimatedPosition e;
    plane.to_lat_lon({east_m, 0.0}, e.lat, e.lon);
    e.radius_m = radius_m;
    e.points = 25;
    e.method = "path_loss_fit";
    c.position_estimate = e;
    sw.cells.push_back(c);
    const tw::ScorerOptions opt;
    const tw::ScoringContext ctx{sw, &view, opt};
    return tw::rules::s3_location_outlier(sw.cells[0], ctx, 1.0);
  };
  // limit = radius + max(range, 2 km) = 300 + 2000 m.
  const auto far = judge(4000.0, 300.0);
  ASSERT_EQ(far.size(), 1u);
  EXPECT_NEAR(far[0].evidence["distance_m"].get<double>(), 4000.0, 5.0);
  EXPECT_EQ(far[0].evidence["limit_m"].get<double>(), 2300.0);
  EXPECT_TRUE(judge(2200.0, 300.0).empty());
  EXPECT_EQ(judge(2400.0, 300.0).size(), 1u);
}

}  // namespace
