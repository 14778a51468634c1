// Receiver frequency error estimator and the calibration file (calibration/*).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "calibration/calibration_store.hpp"
#include "calibration/ppm_estimator.hpp"
#include "src/core/error.hpp"
#include "support/test_support.hpp"

using namespace tw::cal;

namespace {
double gsm900(int n) { return 935e6 + 200e3 * n; }    // 45.005 clause 2, P-GSM downlink
double dcs(int n) { return 1805.2e6 + 200e3 * (n - 512); }
// Observation of a carrier F through a receiver with error e_ppm, on the raster channel `channel`.
CarrierObservation seen(double f, double e_ppm, double channel) { return {channel, f * (1 + e_ppm * 1e-6) - channel}; }
}  // namespace

TEST(CalibrationEstimator, TrimmedMeanRejectsAnOutlierCell) {
  // Five honest cells at +73 ppm with small measurement noise (+-0.01 ppm), one cell 3 ppm off on its own
  // oscillator.
  const double noise[] = {0.01, -0.01, 0.005, -0.005, 0.0};
  std::vector<CarrierObservation> obs;
  int k = 0;
  for (int n : {5, 30, 62, 66, 110}) obs.push_back(seen(gsm900(n), 73.0 + noise[k++], gsm900(n)));
  obs.push_back(seen(gsm900(90), 76.0, gsm900(90)));
  const auto est = estimate_receiver_ppm(obs);
  ASSERT_TRUE(est);
  EXPECT_NEAR(est->receiver_ppm, 73.0, 0.005);
  EXPECT_EQ(est->used, 5u);
  EXPECT_EQ(est->rejected, 1u);
  EXPECT_FALSE(est->kept[5]);
  EXPECT_NEAR(est->per_observation_ppm[5], 76.0, 0.001);
  // Spread: sample standard deviation of {0.01,-0.01,0.005,-0.005,0} = sqrt(0.00025/4) = 0.0079.
  EXPECT_NEAR(est->spread_ppm, 0.0079, 0.0005);
  // The correction that cancels +73 ppm: 1/(1+73e-6) - 1 = -72.99467 ppm.
  EXPECT_NEAR(est->correction_ppm(), -72.99467, 1e-4);
}

TEST(CalibrationEstimator, DcsCarrierOnTheNextChannelIsResolvedByTheConsensus) {
  // At 1.8 GHz, +73 ppm is 133 kHz: the carrier is nearer the next raster point. With GSM900 cells agreeing
  // on +73, the DCS observations pick the proposal that matches (not -36.7 ppm from the nearer raster point).
  std::vector<CarrierObservation> obs = {seen(gsm900(62), 73, gsm900(62)), seen(gsm900(66), 73, gsm900(66)),
                                         seen(dcs(600), 73, dcs(601)), seen(dcs(604), 73, dcs(605))};
  const auto est = estimate_receiver_ppm(obs);
  ASSERT_TRUE(est);
  EXPECT_NEAR(est->receiver_ppm, 73.0, 1e-3);
  EXPECT_EQ(est->used, 4u);
}

TEST(CalibrationEstimator, NothingToMeasure) {
  EXPECT_FALSE(estimate_receiver_ppm({}).has_value());
  // A frequency outside every GSM band.
  EXPECT_FALSE(estimate_receiver_ppm({{100e6, 0}}).has_value());
}

TEST(CalibrationStore, RoundTripKeepsOtherDevicesAndRejectsBadFiles) {
  tw::test::TempDir dir;
  const auto file = dir / "sub" / "calibration.json";
  EXPECT_FALSE(load_calibration(file, "A").has_value());
  DeviceCalibration a;
  a.serial = "A";
  a.receiver_error_ppm = 73;
  a.correction_ppm = -72.99467;
  a.cells = 4;
  store_calibration(file, a);
  DeviceCalibration b = a;
  b.serial = std::string(1, 'B');  // (a plain literal trips GCC 12's false -Wrestrict)
  b.correction_ppm = 12.5;
  store_calibration(file, b);
  auto la = load_calibration(file, "A");
  ASSERT_TRUE(la);
  EXPECT_DOUBLE_EQ(la->correction_ppm, -72.99467);
  EXPECT_EQ(la->cells, 4u);
  EXPECT_DOUBLE_EQ(load_calibration(file, "B")->correction_ppm, 12.5);
  EXPECT_FALSE(load_calibration(file, "C").has_value());
  // No temporary file left beside it.
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(file.parent_path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);

  tw::test::write_file(file, "{\"version\":1,\"devices\":{\"A\":{\"correction_ppm\":\"x\"}}}");
  EXPECT_THROW(load_calibration(file, "A"), tw::InputError);
  tw::test::write_file(file, "{\"version\":1,\"devices\":{\"A\":{\"correction_ppm\":5000}}}");
  EXPECT_THROW(load_calibration(file, "A"), tw::InputError);
  tw::test::write_file(file, "not json");
  EXPECT_THROW(load_calibration(file, "A"), tw::InputError);
  EXPECT_THROW(store_calibration(file, a), tw::InputError);  // a malformed file is not overwritten
  EXPECT_EQ(tw::test::read_file(file), "not json");
}

TEST(CalibrationStore, PathFollowsTheEnvironment) {
  ::setenv("TW_CONFIG_DIR", "/tmp/tw-x", 1);
  EXPECT_EQ(calibration_file_path(), std::filesystem::path("/tmp/tw-x/calibration.json"));
  ::unsetenv("TW_CONFIG_DIR");
  ::setenv("XDG_CONFIG_HOME", "/tmp/xdg", 1);
  EXPECT_EQ(calibration_file_path(), std::filesystem::path("/tmp/xdg/towerwatch/calibration.json"));
  ::unsetenv("XDG_CONFIG_HOME");
  ::setenv("HOME", "/home/u", 1);
  EXPECT_EQ(calibration_file_path(), std::filesystem::path("/home/u/.config/towerwatch/calibration.json"));
}
