// Every field of two cell observations compared exactly (a store must give back what it was given: doubles
// round-trip in both backends), for the store suites.
#pragma once
#include <gtest/gtest.h>

#include "src/scorer/observation.hpp"

namespace tw::test {

inline void expect_same_observation(const tw::CellObservation& a, const tw::CellObservation& b) {
  EXPECT_EQ(a.time_unix_ms, b.time_unix_ms);
  EXPECT_EQ(a.sensor_id, b.sensor_id);
  EXPECT_EQ(a.lat, b.lat);  // exact: doubles round-trip in both backends
  EXPECT_EQ(a.lon, b.lon);
  EXPECT_EQ(a.fix_mode, b.fix_mode);
  EXPECT_EQ(a.eph_m, b.eph_m);
  EXPECT_EQ(a.fix_time_unix_ms, b.fix_time_unix_ms);
  EXPECT_EQ(a.rat, b.rat);
  EXPECT_EQ(a.arfcn, b.arfcn);
  EXPECT_EQ(a.band, b.band);
  EXPECT_EQ(a.freq_hz, b.freq_hz);
  EXPECT_EQ(a.mcc, b.mcc);
  EXPECT_EQ(a.mnc, b.mnc);
  EXPECT_EQ(a.lac, b.lac);
  EXPECT_EQ(a.ci, b.ci);
  EXPECT_EQ(a.bsic, b.bsic);
  EXPECT_EQ(a.power_dbfs, b.power_dbfs);
  EXPECT_EQ(a.power_dbm, b.power_dbm);
  EXPECT_EQ(a.snr_db, b.snr_db);
  EXPECT_EQ(a.cfo_hz, b.cfo_hz);
  EXPECT_EQ(a.cfo_residual_ppb, b.cfo_residual_ppb);
  EXPECT_EQ(a.si_seen, b.si_seen);
  EXPECT_EQ(a.params, b.params);
}

}  // namespace tw::test
