// Merging a sweep's cell records (src/sweep/cell_merge.*) on synthetic records whose truth is built here.
#include <gtest/gtest.h>

#include <cmath>

#include "src/sweep/cell_merge.hpp"

using nlohmann::json;
using namespace tw::sweep;

namespace {

// Downlink of an E-GSM ARFCN 1..124 and DCS ARFCN (45.005 clause 2), written out here.
double gsm900(int n) { return 935e6 + 200e3 * n; }
double dcs(int n) { return 1805.2e6 + 200e3 * (n - 512); }

// A record as run_gsm_analysis makes it: received on `channel_hz`, carrier offset cfo_hz.
json record(int observed_arfcn, double channel_hz, double cfo_hz, int bsic, double power, double tuning_hz,
            std::optional<int> ci = std::nullopt) {
  json j{{"type", "cell"},     {"rat", "GSM"},          {"arfcn", observed_arfcn}, {"freq_hz", channel_hz},
         {"cfo_hz", cfo_hz},   {"power_dbfs", power},   {"snr_db", power + 80},    {"tuning_hz", tuning_hz},
         {"offset_hz", channel_hz - tuning_hz}};
  if (bsic >= 0) j["bsic"] = bsic;
  if (ci) {
    j["mcc"] = 262;
    j["mnc"] = "01";
    j["lac"] = 1234;
    j["ci"] = *ci;
  }
  return j;
}

}  // namespace

TEST(SweepMerge, AdjacentChannelGhostWithSameBsicIsDropped) {
  // Cell on ARFCN 62 at -35 dBFS; its leakage decoded on ARFCN 63 at -60 dBFS with the same BSIC (no CI).
  std::vector<json> recs = {record(62, gsm900(62), 0, 21, -35, gsm900(62) + 100e3, 30001),
                            record(63, gsm900(63), 0, 21, -60, gsm900(62) + 100e3),
                            record(70, gsm900(70), 0, 30, -50, gsm900(70) + 100e3, 30010)};
  const auto m = merge_sweep_cells(recs);
  ASSERT_EQ(m.cells.size(), 2u);
  EXPECT_EQ(m.cells[0]["arfcn"], 62);
  EXPECT_EQ(m.cells[0]["ci"], 30001);
  EXPECT_EQ(m.cells[1]["arfcn"], 70);
  EXPECT_EQ(m.adjacent_ghosts, 1u);
}

TEST(SweepMerge, SameBsicOnAdjacentChannelsWithDifferentIdentitiesStays) {
  std::vector<json> recs = {record(62, gsm900(62), 0, 21, -35, gsm900(62), 30001),
                            record(63, gsm900(63), 0, 21, -60, gsm900(62), 30002)};
  EXPECT_EQ(merge_sweep_cells(recs).cells.size(), 2u);
}

TEST(SweepMerge, SameCellInTwoOverlappingTuningsOnce) {
  std::vector<json> recs = {record(62, gsm900(62), 12, 21, -38, gsm900(62) + 900e3, 30001),
                            record(62, gsm900(62), 10, 21, -35, gsm900(62) - 700e3, 30001)};
  const auto m = merge_sweep_cells(recs);
  ASSERT_EQ(m.cells.size(), 1u);
  EXPECT_EQ(m.cells[0]["observations"], 2);
  EXPECT_EQ(m.cells[0]["power_dbfs"], -35);  // the better record kept
  EXPECT_EQ(m.duplicates, 1u);
}

TEST(SweepMerge, LargeReceiverErrorMapsCellsBackToTheirTrueArfcn) {
  // Receiver error +73 ppm: a carrier at F appears at F(1 + 73e-6). DCS ARFCN 600 (1822.8 MHz) appears
  // 133.06 kHz high, nearer ARFCN 601's raster (received there at -66.9 kHz), GSM900 ARFCN 62 (947.4 MHz)
  // 69.16 kHz high on its own channel. Both are seen in two tunings, once on each neighbouring channel.
  const double e = 73e-6;
  auto seen_at = [&](double f_true, double channel) { return f_true * (1 + e) - channel; };
  std::vector<json> recs = {
      record(62, gsm900(62), seen_at(gsm900(62), gsm900(62)), 21, -35, gsm900(62) + 300e3, 30001),
      record(66, gsm900(66), seen_at(gsm900(66), gsm900(66)), 22, -42, gsm900(66) - 100e3, 30002),
      record(601, dcs(601), seen_at(dcs(600), dcs(601)), 25, -40, dcs(601) + 100e3, 40001),
      record(600, dcs(600), seen_at(dcs(600), dcs(600)), 25, -52, dcs(600) - 700e3),
      record(605, dcs(605), seen_at(dcs(604), dcs(605)), 26, -46, dcs(605) + 300e3, 40002),
  };
  const auto m = merge_sweep_cells(recs);
  ASSERT_TRUE(m.receiver_error.has_value());
  EXPECT_NEAR(m.receiver_ppm_used, 73.0, 0.01);
  ASSERT_EQ(m.cells.size(), 4u);
  EXPECT_EQ(m.cells[0]["arfcn"], 62);
  EXPECT_EQ(m.cells[1]["arfcn"], 66);
  EXPECT_EQ(m.cells[2]["arfcn"], 600);
  EXPECT_EQ(m.cells[2]["ci"], 40001);
  EXPECT_EQ(m.cells[2]["observed_arfcn"], 601);
  EXPECT_NEAR(m.cells[2]["freq_hz"].get<double>(), 1822.8e6, 1);
  EXPECT_EQ(m.cells[3]["arfcn"], 604);
  for (const auto& c : m.cells) EXPECT_LE(std::fabs(c["cfo_residual_ppb"].get<double>()), 10.0) << c.dump();
}

TEST(SweepMerge, CellOnItsOwnOscillatorShowsAResidual) {
  // Three cells at the receiver's +20 ppm, one 2 ppm further off (2000 ppb residual): the consensus holds.
  const double e = 20e-6;
  std::vector<json> recs;
  int ci = 1;
  for (int n : {10, 40, 80}) recs.push_back(record(n, gsm900(n), gsm900(n) * e, 5, -40, gsm900(n), ci++));
  recs.push_back(record(100, gsm900(100), gsm900(100) * (e + 2e-6), 7, -45, gsm900(100), ci++));
  const auto m = merge_sweep_cells(recs);
  EXPECT_NEAR(m.receiver_ppm_used, 20.0, 0.01);
  ASSERT_EQ(m.cells.size(), 4u);
  EXPECT_NEAR(m.cells[3]["cfo_residual_ppb"].get<double>(), 2000.0 / (1 + e), 5.0);
  EXPECT_NEAR(m.cells[0]["cfo_residual_ppb"].get<double>(), 0.0, 2.0);
}

TEST(SweepMerge, MirrorImageOfAStrongCellIsDropped) {
  // Tuning centre C = ARFCN 50 + 100 kHz; a strong cell on ARFCN 52 (C + 300 kHz); its IQ-imbalance image
  // at C - 300 kHz = ARFCN 49, 30 dB weaker, no
  // decoded identity (the image is spectrally inverted: no SCH).
  const double c = gsm900(50) + 100e3;
  std::vector<json> recs = {record(52, gsm900(52), 0, 12, -30, c, 777),
                            record(49, gsm900(49), 0, -1, -60, c)};
  const auto m = merge_sweep_cells(recs);
  ASSERT_EQ(m.cells.size(), 1u);
  EXPECT_EQ(m.cells[0]["arfcn"], 52);
  EXPECT_EQ(m.mirror_ghosts, 1u);
  // The same weak carrier without a strong partner at its mirror stays.
  recs[0]["power_dbfs"] = -55;
  EXPECT_EQ(merge_sweep_cells(recs).cells.size(), 2u);
}
