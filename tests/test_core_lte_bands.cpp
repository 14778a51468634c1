// LTE downlink bands and EARFCNs (src/core/lte_bands.*) against 3GPP TS 36.101 table 5.7.3-1:
// F_DL = F_DL_low + 0.1 MHz (N_DL - N_Offs-DL). Expected frequencies are worked out here from the table's
// F_DL_low and N_Offs-DL for each band (values quoted in the comments).
#include <gtest/gtest.h>

#include <cmath>

#include "src/core/lte_bands.hpp"

using namespace tw;

namespace {
void expect_dl(int earfcn, int band, double mhz) {
  SCOPED_TRACE("EARFCN " + std::to_string(earfcn));
  ASSERT_EQ(lte_band_of_earfcn(earfcn), band);
  ASSERT_TRUE(lte_downlink_hz(earfcn).has_value());
  EXPECT_NEAR(*lte_downlink_hz(earfcn), mhz * 1e6, 0.5);
  EXPECT_NEAR(*lte_downlink_hz(earfcn, band), mhz * 1e6, 0.5);
  // And back.
  EXPECT_EQ(lte_earfcn(mhz * 1e6, band), earfcn);
}
}  // namespace

TEST(LteBands, EarfcnToDownlinkFrequencyFromTheSpecTable) {
  expect_dl(0, 1, 2110.0);        // B1: 2110 MHz, N_Offs 0
  expect_dl(599, 1, 2169.9);      // last EARFCN of B1 (0..599)
  expect_dl(600, 2, 1930.0);      // B2: 1930, 600
  expect_dl(1300, 3, 1815.0);     // B3: 1805, 1200 -> 1805 + 10.0
  expect_dl(1949, 3, 1879.9);
  expect_dl(2000, 4, 2115.0);     // B4: 2110, 1950
  expect_dl(2525, 5, 881.5);      // B5: 869, 2400
  expect_dl(3100, 7, 2655.0);     // B7: 2620, 2750
  expect_dl(3450, 8, 925.0);      // B8: 925, 3450
  expect_dl(3799, 8, 959.9);
  expect_dl(5110, 12, 739.0);     // B12: 729, 5010
  expect_dl(5230, 13, 751.0);     // B13: 746, 5180
  expect_dl(5790, 17, 740.0);     // B17: 734, 5730
  expect_dl(6300, 20, 806.0);     // B20: 791, 6150
  expect_dl(8365, 25, 1962.5);    // B25: 1930, 8040
  expect_dl(8865, 26, 876.5);     // B26: 859, 8690
  expect_dl(9410, 28, 778.0);     // B28: 758, 9210
  expect_dl(10000, 32, 1460.0);   // B32 (SDL): 1452, 9920
  expect_dl(38000, 38, 2595.0);   // B38: 2570, 37750
  expect_dl(38450, 39, 1900.0);   // B39: 1880, 38250
  expect_dl(38950, 40, 2330.0);   // B40: 2300, 38650 -> 2300 + 30.0
  expect_dl(40620, 41, 2593.0);   // B41: 2496, 39650
  expect_dl(42590, 42, 3500.0);   // B42: 3400, 41590
  expect_dl(44590, 43, 3700.0);   // B43: 3600, 43590
  expect_dl(66786, 66, 2145.0);   // B66: 2110, 66436
  expect_dl(68761, 71, 634.5);    // B71: 617, 68586
  expect_dl(68935, 71, 651.9);    // last of B71 (68586..68935)
}

TEST(LteBands, RangesDuplexAndRejections) {
  EXPECT_EQ(lte_band(3)->duplex, LteDuplex::fdd);
  EXPECT_EQ(lte_band(40)->duplex, LteDuplex::tdd);
  EXPECT_EQ(lte_band(32)->duplex, LteDuplex::sdl);
  EXPECT_STREQ(lte_duplex_name(LteDuplex::tdd), "TDD");
  EXPECT_EQ(lte_band(6), nullptr);       // not in the supported list
  EXPECT_EQ(lte_bands().size(), 23u);
  // Gaps between bands and unsupported bands: no frequency.
  EXPECT_FALSE(lte_downlink_hz(2700).has_value());    // between B5 (..2649) and B7 (2750..)
  EXPECT_FALSE(lte_downlink_hz(36000).has_value());   // B33, not supported
  EXPECT_FALSE(lte_downlink_hz(-1).has_value());
  EXPECT_FALSE(lte_downlink_hz(600, 1).has_value());  // 600 is B2's, not B1's
  // Frequency -> EARFCN: off the 100 kHz raster, outside the band.
  EXPECT_FALSE(lte_earfcn(1815.05e6, 3).has_value());
  EXPECT_FALSE(lte_earfcn(1880.0e6, 3).has_value());  // F_DL_high itself is not a channel (N_DL max 1949)
  EXPECT_FALSE(lte_earfcn(std::nan(""), 3).has_value());
  // 2145 MHz lies in B1, B4 and B66 (different EARFCNs: 350, 2300, 66786).
  EXPECT_EQ(lte_bands_at(2145e6), (std::vector<int>{1, 4, 66}));
  EXPECT_EQ(lte_earfcn(2145e6, 1), 350);
  EXPECT_EQ(lte_earfcn(2145e6, 4), 2300);
  const auto b20 = lte_band_channels(20);
  ASSERT_EQ(b20.size(), 300u);  // 791..821 MHz in 100 kHz steps: 6150..6449
  EXPECT_EQ(b20.front().earfcn, 6150);
  EXPECT_NEAR(b20.back().downlink_hz, 820.9e6, 0.5);
}

TEST(LteBands, Names) {
  EXPECT_EQ(lte_band_name(3), "LTE-B3");
  EXPECT_EQ(lte_band_from_name("LTE-B3"), 3);
  EXPECT_EQ(lte_band_from_name("lte-b20"), 20);
  EXPECT_EQ(lte_band_from_name("LTE7"), 7);
  EXPECT_EQ(lte_band_from_name(" B 66 "), 66);
  EXPECT_FALSE(lte_band_from_name("LTE-B6").has_value());   // not supported
  EXPECT_FALSE(lte_band_from_name("LTE-B").has_value());
  EXPECT_FALSE(lte_band_from_name("LTE-B3x").has_value());
  EXPECT_FALSE(lte_band_from_name("GSM900").has_value());
  EXPECT_FALSE(lte_band_from_name("LTE-B99999999999").has_value());
}
