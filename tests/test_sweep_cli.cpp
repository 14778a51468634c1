// towerwatch scan / calibrate argument errors (no device needed: they fail before opening one).
#include <gtest/gtest.h>

#include "support/test_support.hpp"

using tw::test::run_towerwatch;

TEST(SweepCli, BadBandModeAndRegionAreClearErrors) {
  auto r = run_towerwatch({"scan", "--device", "driver=towerwatch-sim", "--band", "GSM900,LTE-B6"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("unknown band 'LTE-B6'"), std::string::npos) << r.err;  // not in the LTE table
  // 100 ppm at 3.6 GHz (360 kHz) is more than the LTE search window holds (324 kHz): said before any device.
  r = run_towerwatch({"scan", "--device", "driver=towerwatch-sim", "--band", "LTE-B3,LTE-B42"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("LTE-B42: a receiver error of 100"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("calibrate"), std::string::npos) << r.err;
  r = run_towerwatch({"scan", "--device", "driver=towerwatch-sim", "--band", "LTE-B20", "--lte-dwell", "5"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--lte-dwell"), std::string::npos) << r.err;
  r = run_towerwatch({"scan", "--device", "driver=towerwatch-sim", "--threads", "1.5"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--threads"), std::string::npos) << r.err;
  r = run_towerwatch({"scan", "--device", "driver=towerwatch-sim", "--usable-fraction", "1.2"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--usable-fraction"), std::string::npos) << r.err;
  r = run_towerwatch({"scan", "--device", "driver=towerwatch-sim", "--mode", "deep"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("unknown mode 'deep'"), std::string::npos) << r.err;
  r = run_towerwatch({"scan", "--device", "driver=towerwatch-sim", "--region", "mars"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("unknown region 'mars'"), std::string::npos) << r.err;
  r = run_towerwatch({"calibrate", "--device", "driver=towerwatch-sim", "--band", "GSM900", "--region", "eu"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("not both"), std::string::npos) << r.err;
  r = run_towerwatch({"scan", "--device", "driver=towerwatch-sim", "--region", "eu", "--rat", "umts"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--rat: unknown radio access technology 'umts'"), std::string::npos) << r.err;
  r = run_towerwatch({"scan", "--device", "driver=towerwatch-sim", "--band", "GSM900", "--rat", "lte"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--rat lte"), std::string::npos) << r.err;
  r = run_towerwatch({"scan", "--device", "driver=towerwatch-sim", "--band", "LTE-B20", "--earfcn", "1575"});
  EXPECT_EQ(r.exit_code, 2);   // 1575 is a band-3 EARFCN
  EXPECT_NE(r.err.find("--earfcn: '1575' leaves no channel"), std::string::npos) << r.err;
  r = run_towerwatch({"monitor", "--device", "driver=towerwatch-sim", "--interval", "25h"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--interval"), std::string::npos) << r.err;
}

TEST(SweepCli, HelpDescribesTheOptions) {
  auto r = run_towerwatch({"scan", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--band"), std::string::npos);
  EXPECT_NE(r.out.find("--dwell"), std::string::npos);
  EXPECT_NE(r.out.find("--threads"), std::string::npos);
  EXPECT_NE(r.out.find("--fixed-dwell"), std::string::npos);
  EXPECT_NE(r.out.find("--lte-dwell"), std::string::npos);
  EXPECT_NE(r.out.find("EARFCN"), std::string::npos);
  r = run_towerwatch({"calibrate", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("calibration.json"), std::string::npos);
}
