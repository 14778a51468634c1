// ARFCN -> downlink frequency, 3GPP TS 45.005 clause 2 (values worked out from the clause's formulas).
#include <gtest/gtest.h>

#include "src/core/error.hpp"
#include "tools/synth/cell_config.hpp"

using namespace tw::synth;

TEST(SynthCellConfig, DownlinkFrequenciesOfEveryBand) {
  // P-GSM900: Fu = 890 + 0.2 n + 45
  EXPECT_DOUBLE_EQ(downlink_hz(1, GsmBand::PGSM900), 935.2e6);
  EXPECT_DOUBLE_EQ(downlink_hz(62, GsmBand::PGSM900), 947.4e6);
  EXPECT_DOUBLE_EQ(downlink_hz(124, GsmBand::PGSM900), 959.8e6);
  // E-GSM900: ARFCN 0 and 975..1023: 890 + 0.2 (n - 1024) + 45
  EXPECT_DOUBLE_EQ(downlink_hz(0, GsmBand::EGSM900), 935.0e6);
  EXPECT_DOUBLE_EQ(downlink_hz(975, GsmBand::EGSM900), 925.2e6);
  EXPECT_DOUBLE_EQ(downlink_hz(1023, GsmBand::EGSM900), 934.8e6);
  EXPECT_DOUBLE_EQ(downlink_hz(62, GsmBand::EGSM900), 947.4e6);
  // R-GSM900 from 955
  EXPECT_DOUBLE_EQ(downlink_hz(955, GsmBand::RGSM900), 921.2e6);
  // GSM850: 824.2 + 0.2 (n - 128) + 45
  EXPECT_DOUBLE_EQ(downlink_hz(128, GsmBand::GSM850), 869.2e6);
  EXPECT_DOUBLE_EQ(downlink_hz(251, GsmBand::GSM850), 893.8e6);
  // GSM450: 450.6 + 0.2 (n - 259) + 10; GSM480: 479 + 0.2 (n - 306) + 10
  EXPECT_DOUBLE_EQ(downlink_hz(259, GsmBand::GSM450), 460.6e6);
  EXPECT_DOUBLE_EQ(downlink_hz(293, GsmBand::GSM450), 467.4e6);
  EXPECT_DOUBLE_EQ(downlink_hz(306, GsmBand::GSM480), 489.0e6);
  EXPECT_DOUBLE_EQ(downlink_hz(340, GsmBand::GSM480), 495.8e6);
  // DCS1800: 1710.2 + 0.2 (n - 512) + 95; PCS1900: 1850.2 + 0.2 (n - 512) + 80
  EXPECT_DOUBLE_EQ(downlink_hz(512, GsmBand::DCS1800), 1805.2e6);
  EXPECT_DOUBLE_EQ(downlink_hz(885, GsmBand::DCS1800), 1879.8e6);
  EXPECT_DOUBLE_EQ(downlink_hz(512, GsmBand::PCS1900), 1930.2e6);
  EXPECT_DOUBLE_EQ(downlink_hz(810, GsmBand::PCS1900), 1989.8e6);
}

TEST(SynthCellConfig, ArfcnOutsideItsBandIsRejected) {
  EXPECT_THROW(downlink_hz(0, GsmBand::PGSM900), tw::InputError);
  EXPECT_THROW(downlink_hz(975, GsmBand::PGSM900), tw::InputError);
  EXPECT_THROW(downlink_hz(960, GsmBand::EGSM900), tw::InputError);
  EXPECT_THROW(downlink_hz(811, GsmBand::PCS1900), tw::InputError);
  EXPECT_THROW(downlink_hz(886, GsmBand::DCS1800), tw::InputError);
  EXPECT_THROW(downlink_hz(127, GsmBand::GSM850), tw::InputError);
}

TEST(SynthCellConfig, DefaultBands) {
  EXPECT_EQ(default_band(62), GsmBand::PGSM900);
  EXPECT_EQ(default_band(0), GsmBand::EGSM900);
  EXPECT_EQ(default_band(1000), GsmBand::EGSM900);
  EXPECT_EQ(default_band(960), GsmBand::RGSM900);
  EXPECT_EQ(default_band(190), GsmBand::GSM850);
  EXPECT_EQ(default_band(270), GsmBand::GSM450);
  EXPECT_EQ(default_band(320), GsmBand::GSM480);
  EXPECT_EQ(default_band(700), GsmBand::DCS1800);
  EXPECT_THROW(default_band(300), tw::InputError);
  EXPECT_THROW(default_band(900), tw::InputError);
  EXPECT_STREQ(band_name(GsmBand::DCS1800), "DCS1800");
  EXPECT_EQ(band_from_name("PCS1900"), GsmBand::PCS1900);
  EXPECT_FALSE(band_from_name("GSM1900").has_value());
}
