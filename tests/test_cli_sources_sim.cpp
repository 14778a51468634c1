// `towerwatch sources` through the simulated radio's fault injection (device args of the towerwatch-sim
// module): an overflow is reported as a gap of the injected size; a device that vanishes ends the run
// with the samples read so far, a clear error naming the device and exit code 1. And on a file.
#include <gtest/gtest.h>

#include <cmath>

#include "support/test_support.hpp"

namespace {

nlohmann::json stats_of(const std::string& out) {
  for (const auto& e : tw::test::json_lines(out))
    if (e["type"] == "source_stats") return e;
  return {};
}

TEST(CliSourcesSim, OverflowIsAGapOfTheInjectedSize) {
  // Every 5th read of the module overflows and skips 1000 samples.
  auto r = tw::test::run_towerwatch({"sources", "--device", "driver=towerwatch-sim,overflow_every=5,overflow_samples=1000",
                                     "--rate", "1M", "--seconds", "0.5", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = stats_of(r.out);
  ASSERT_FALSE(s.is_null()) << r.out;
  ASSERT_GE(s["gaps"].get<int>(), 1);
  EXPECT_EQ(s["lost_samples"].get<int>(), 1000 * s["gaps"].get<int>());
  EXPECT_NEAR(s["mean_power_dbfs"].get<double>(), -70.0, 0.5);  // the module's default noise level
}

TEST(CliSourcesSim, VanishedDeviceIsRuntimeFailureWithWhatWasRead) {
  auto r = tw::test::run_towerwatch({"sources", "--device", "driver=towerwatch-sim,vanish_after=300000", "--rate", "1M",
                                     "--seconds", "1", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("driver=towerwatch-sim,vanish_after=300000"), std::string::npos) << r.err;
  const auto s = stats_of(r.out);
  ASSERT_FALSE(s.is_null()) << r.out;
  EXPECT_EQ(s["samples"].get<int>(), 300000);
}

// A file: every byte pair of a cu8 file is one sample, (x - 127.5) / 127.5; the report's power is the mean
// of |x|^2 worked out here from the bytes written.
TEST(CliSourcesSim, FileIsReadToTheEndAndMeasured) {
  tw::test::TempDir dir;
  const auto path = dir / "capture_947.4M_250k.cu8";
  std::string bytes;
  double energy = 0.0;
  for (int i = 0; i < 1000; ++i) {
    const auto re = static_cast<unsigned char>((i * 37) % 256), im = static_cast<unsigned char>((i * 91 + 5) % 256);
    bytes.push_back(static_cast<char>(re));
    bytes.push_back(static_cast<char>(im));
    const double fi = (re - 127.5) / 127.5, fq = (im - 127.5) / 127.5;
    energy += fi * fi + fq * fq;
  }
  tw::test::write_file(path, bytes);
  auto r = tw::test::run_towerwatch({"sources", path.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = stats_of(r.out);
  ASSERT_FALSE(s.is_null()) << r.out;
  EXPECT_EQ(s["samples"], 1000);
  EXPECT_DOUBLE_EQ(s["sample_rate_hz"].get<double>(), 250e3);   // from the file name (rtl_433 style)
  EXPECT_DOUBLE_EQ(s["center_freq_hz"].get<double>(), 947.4e6);
  EXPECT_NEAR(s["mean_power_dbfs"].get<double>(), 10.0 * std::log10(energy / 1000.0), 1e-3);
  auto missing = tw::test::run_towerwatch({"sources", (dir / "nope.cu8").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.cu8"), std::string::npos);
}

TEST(CliSourcesSim, UnknownDriverIsBadInput) {
  auto r = tw::test::run_towerwatch({"sources", "--device", "driver=no-such-driver", "--seconds", "0.1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-driver"), std::string::npos) << r.err;
}

}  // namespace
