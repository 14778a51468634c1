// Merging a sweep's LTE cell records (src/sweep/lte_merge.*, through merge_sweep_cells) on records built here
// as the sweep runner makes them. Truth: EARFCN downlink frequencies of TS 36.101 table 5.7.3-1 worked out
// here (F_DL = F_DL_low + 0.1 MHz (N - N_Offs-DL)), the receiver error applied to them, and 10 ms frames with
// SFN modulo 1024 (36.211 4.1, 36.331 MIB).
#include <gtest/gtest.h>

#include <cmath>

#include "src/sweep/cell_merge.hpp"
#include "src/sweep/lte_merge.hpp"

using nlohmann::json;
using namespace tw::sweep;

namespace {

// B3: 1805 MHz + 0.1 (N - 1200); B20: 791 MHz + 0.1 (N - 6150).
double b3(int earfcn) { return 1805e6 + 100e3 * (earfcn - 1200); }
double b20(int earfcn) { return 791e6 + 100e3 * (earfcn - 6150); }

// A record of a cell whose carrier is `true_hz`, seen by a receiver `ppm` off, from a search at `offset_hz`
// of a tuning at `tuning_hz` (the CFO is what is left between the apparent carrier and the offset).
json lte_record(int pci, double true_hz, double ppm, double tuning_hz, double offset_hz, const std::string& band,
                double sinr_db, std::optional<int> sfn = 100, double sfn_time_s = 1.0) {
  const double apparent = true_hz * (1 + ppm * 1e-6);
  json j{{"type", "cell"},
         {"rat", "LTE"},
         {"pci", pci},
         {"duplex", "FDD"},
         {"ports", 2},
         {"bandwidth_prb", 50},
         {"mib", sfn ? json("681c00") : json(nullptr)},
         {"sfn", sfn ? json(*sfn) : json(nullptr)},
         {"sinr_db", sinr_db},
         {"rsrp_dbfs", -80.0},
         {"cfo_hz", apparent - tuning_hz - offset_hz},
         {"offset_hz", offset_hz},
         {"tuning_hz", tuning_hz},
         {"sweep_band", band},
         {"apparent_carrier_hz", apparent},
         {"freq_hz", std::round(apparent / 100e3) * 100e3}};
  if (sfn) j["sfn_time_s"] = sfn_time_s;
  return j;
}

std::vector<json> lte_of(const std::vector<json>& cells) {
  std::vector<json> out;
  for (const auto& c : cells)
    if (c["rat"] == "LTE") out.push_back(c);
  return out;
}

}  // namespace

TEST(SweepLteMerge, SfnRelationFollowsTheFrameCount) {
  json a{{"sfn", 100}, {"sfn_time_s", 1.000}};
  json b{{"sfn", 125}, {"sfn_time_s", 1.250}};  // 25 frames later
  EXPECT_EQ(lte_sfn_relation(a, b), SfnRelation::consistent);
  b["sfn"] = 126;
  EXPECT_EQ(lte_sfn_relation(a, b), SfnRelation::inconsistent);
  b["sfn"] = 125;
  b["sfn_time_s"] = 1.255;  // half a frame off: another frame clock
  EXPECT_EQ(lte_sfn_relation(a, b), SfnRelation::inconsistent);
  // Wrap: SFN 1020 + 8 frames = 1028 mod 1024 = 4.
  json c{{"sfn", 1020}, {"sfn_time_s", 0.0}};
  json d{{"sfn", 4}, {"sfn_time_s", 0.0801}};
  EXPECT_EQ(lte_sfn_relation(c, d), SfnRelation::consistent);
  EXPECT_EQ(lte_sfn_relation(d, c), SfnRelation::consistent);
  json e{{"sfn", nullptr}};
  EXPECT_EQ(lte_sfn_relation(c, e), SfnRelation::unknown);
}

TEST(SweepLteMerge, OneCellFromOverlappingSearchesAndAdjacentRasterPointsIsOne) {
  // EARFCN 6300 (806.0 MHz), receiver +20 ppm: seen at 806.01612 MHz. Found by both offsets of two tunings,
  // and (a weaker detection) by a third; frames consistent (SFN 100 at 1.0 s, 130 at 1.3 s, ...).
  const double f = b20(6300);
  EXPECT_DOUBLE_EQ(f, 806.0e6);
  std::vector<json> recs = {lte_record(77, f, 20, 805.9e6, -150e3, "LTE-B20", 20.0, 100, 1.0),
                            lte_record(77, f, 20, 805.9e6, 150e3, "LTE-B20", 18.0, 100, 1.0),
                            lte_record(77, f, 20, 806.6e6, -150e3, "LTE-B20", 24.0, 130, 1.3),
                            lte_record(77, f, 20, 806.6e6, 150e3, "LTE-B20", 5.0, std::nullopt)};
  // A second cell on the same EARFCN (another PCI) stays.
  recs.push_back(lte_record(302, f, 20, 805.9e6, -150e3, "LTE-B20", 12.0, 517, 1.0));
  const auto m = merge_sweep_cells(recs);
  const auto cells = lte_of(m.cells);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(m.lte_cells, 2u);
  EXPECT_EQ(m.lte_duplicates, 3u);
  EXPECT_EQ(cells[0]["pci"], 77);
  EXPECT_EQ(cells[0]["observations"], 4);
  EXPECT_EQ(cells[0]["sinr_db"], 24.0);  // the best record (SINR more than 1 dB better)
  EXPECT_EQ(cells[0]["earfcn"], 6300);
  EXPECT_EQ(cells[0]["band"], "LTE-B20");
  EXPECT_DOUBLE_EQ(cells[0]["freq_hz"].get<double>(), 806.0e6);
  EXPECT_EQ(cells[1]["pci"], 302);
  EXPECT_EQ(cells[1]["earfcn"], 6300);
  // No GSM cells: the LTE cells' consensus (one band, 125 ppm between raster candidates at 806 MHz: unique).
  EXPECT_EQ(m.lte_receiver_error_source, "lte");
  EXPECT_NEAR(m.lte_receiver_ppm_used, 20.0, 0.01);
  EXPECT_LT(std::fabs(cells[0]["cfo_residual_ppb"].get<double>()), 10.0);
  EXPECT_NEAR(cells[0]["observed_freq_hz"].get<double>(), 806.01612e6, 1);
  EXPECT_NEAR(cells[0]["cfo_hz"].get<double>(), 16120.0, 1);  // 20 ppm of 806 MHz, whichever search found it
}

TEST(SweepLteMerge, SamePciOnAnotherFrameClockIsASecondTransmitter) {
  const double f = b20(6300);
  std::vector<json> recs = {lte_record(77, f, 0, 806.0e6, 0, "LTE-B20", 20.0, 100, 1.0),
                            lte_record(77, f, 0, 806.7e6, -700e3, "LTE-B20", 15.0, 100, 1.0043)};
  const auto cells = lte_of(merge_sweep_cells(recs).cells);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0]["earfcn"], 6300);
  EXPECT_EQ(cells[1]["earfcn"], 6300);
}

TEST(SweepLteMerge, ReceiverErrorFromBandsFarApartPutsCellsOnTheirTrueEarfcn) {
  // +40 ppm: B3 EARFCN 1300 (1815.0 MHz) appears at 1815.0726 MHz, nearer 1815.1 MHz (EARFCN 1301). Within
  // B3 alone 40 and 40 - 55.1 = -15.1 ppm fit equally; the B20 cell (806 MHz: 125 ppm between candidates)
  // settles it.
  std::vector<json> recs = {lte_record(150, b3(1300), 40, 1815.0e6, 100e3, "LTE-B3", 20.0),
                            lte_record(77, b20(6300), 40, 806.0e6, 0, "LTE-B20", 20.0)};
  EXPECT_EQ(recs[0]["freq_hz"].get<double>(), 1815.1e6);  // rounded naively: the wrong raster point
  const auto m = merge_sweep_cells(recs);
  EXPECT_EQ(m.lte_receiver_error_source, "lte");
  EXPECT_NEAR(m.lte_receiver_ppm_used, 40.0, 0.01);
  const auto cells = lte_of(m.cells);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0]["earfcn"], 6300);
  EXPECT_EQ(cells[1]["earfcn"], 1300);
  EXPECT_EQ(cells[1]["band"], "LTE-B3");
  // B3 alone: the ambiguity resolves to the smaller error, -15.1 ppm, and EARFCN 1301.
  const auto est = estimate_lte_receiver_ppm({recs[0]});
  ASSERT_TRUE(est);
  EXPECT_NEAR(est->receiver_ppm, (1815.0726e6 / 1815.1e6 - 1) * 1e6, 0.01);
}

TEST(SweepLteMerge, GsmCellsOfTheSameSweepGiveTheReceiverError) {
  // The same B3 cell alone, with a GSM cell on ARFCN 62 (947.4 MHz) seen 40 ppm high: the GSM estimate wins.
  const double g = 935e6 + 200e3 * 62;
  json gsm{{"type", "cell"}, {"rat", "GSM"},          {"arfcn", 62},        {"freq_hz", g},
           {"cfo_hz", g * 40e-6}, {"power_dbfs", -40.0}, {"snr_db", 30.0}, {"bsic", 21},
           {"tuning_hz", g + 100e3}};
  std::vector<json> recs = {gsm, lte_record(150, b3(1300), 40, 1815.0e6, 100e3, "LTE-B3", 20.0)};
  const auto m = merge_sweep_cells(recs);
  EXPECT_EQ(m.lte_receiver_error_source, "gsm");
  EXPECT_NEAR(m.lte_receiver_ppm_used, 40.0, 0.01);
  ASSERT_EQ(m.cells.size(), 2u);
  const auto cells = lte_of(m.cells);
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0]["earfcn"], 1300);
  EXPECT_EQ(m.cells[0]["arfcn"], 62);  // frequency order: the GSM cell first
  // A given receiver error is used as such.
  MergeOptions o;
  o.receiver_ppm = 40.0;
  EXPECT_EQ(merge_sweep_cells({recs[1]}, o).lte_receiver_error_source, "given");
  EXPECT_EQ(lte_of(merge_sweep_cells({recs[1]}, o).cells)[0]["earfcn"], 1300);
}

TEST(SweepLteMerge, BandSweptNamesTheEarfcnWhereBandsOverlap) {
  // 2140 MHz lies in band 1 (EARFCN 300: 2110 + 0.1 x 300) and band 66 (EARFCN 66436 + 300 = 66736).
  auto r = lte_record(10, 2140e6, 0, 2140e6, 0, "LTE-B66", 20.0);
  auto cells = lte_of(merge_sweep_cells({r}).cells);
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0]["band"], "LTE-B66");
  EXPECT_EQ(cells[0]["earfcn"], 66736);
  r["sweep_band"] = "LTE-B1";
  cells = lte_of(merge_sweep_cells({r}).cells);
  EXPECT_EQ(cells[0]["earfcn"], 300);
  EXPECT_FALSE(cells[0].contains("sweep_band"));
}

TEST(SweepLteMerge, ALoneDecodeFarOffTheRasterIsUnconfirmed) {
  // Two real cells at +20 ppm; a third record seen once, 36 ppm off its nearest raster point after the
  // receiver error (no eNodeB is that far off: 0.05 ppm, 36.104 6.5.1): dropped. The same offset seen by two
  // searches stays (a cell on a poor oscillator, worth the scorer's look).
  std::vector<json> recs = {lte_record(151, b20(6300), 20, 806.0e6, 0, "LTE-B20", 10.0, 100, 1.0),
                            lte_record(151, b20(6300), 20, 806.0e6, 100e3, "LTE-B20", 10.0, 100, 1.0),
                            lte_record(77, b20(6420), 20, 818.0e6, 0, "LTE-B20", 18.0, 300, 2.0),
                            lte_record(311, b20(6417) * (1 + 36e-6), 20, 817.7e6, 0, "LTE-B20", -8.0, 240, 4.5)};
  auto m = merge_sweep_cells(recs);
  EXPECT_EQ(m.lte_unconfirmed, 1u);
  auto cells = lte_of(m.cells);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0]["pci"], 151);
  EXPECT_EQ(cells[1]["pci"], 77);
  recs.push_back(lte_record(311, b20(6417) * (1 + 36e-6), 20, 817.7e6, 100e3, "LTE-B20", -7.0, 240, 4.5));
  m = merge_sweep_cells(recs);
  EXPECT_EQ(m.lte_unconfirmed, 0u);
  cells = lte_of(m.cells);
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells[1]["earfcn"], 6417);
  EXPECT_NEAR(cells[1]["cfo_residual_ppb"].get<double>(), 36000.0, 50.0);
}

// System Information: the merged cell carries the SIBs of the tuning that decoded them (the cell's whole
// bandwidth inside it), even when another tuning's record describes the carrier better; a record that could
// not decode SIB1 (an edge tuning) does not erase them.
TEST(SweepLteMerge, SystemInformationComesFromTheRecordThatDecodedIt) {
  const double f = b20(6300);
  json edge = lte_record(77, f, 0, 805.9e6, -150e3, "LTE-B20", 24.0, 100, 1.0);   // best SINR, no SIB1
  edge["sib1"] = nullptr;
  edge["sib1_error"] = "bandwidth not captured: ...";
  json full = lte_record(77, f, 0, 806.6e6, -150e3, "LTE-B20", 18.0, 130, 1.3);
  full["sib1"] = "4048";
  full["mcc"] = 262;
  full["mnc"] = "07";
  full["tac"] = 4711;
  full["cell_identity"] = 12345678;
  full["sibs_seen"] = json::array({"SIB1", "SIB2", "SIB3"});
  full["sib3"] = {{"cell_reselection_priority", 5}};
  const auto m = merge_sweep_cells({edge, full});
  const auto cells = lte_of(m.cells);
  ASSERT_EQ(cells.size(), 1u);
  const json& c = cells[0];
  EXPECT_EQ(c["sinr_db"], 24.0);           // measurements of the best record
  EXPECT_EQ(c["sib1"], "4048");            // System Information of the one that decoded it
  EXPECT_EQ(c["tac"], 4711);
  EXPECT_EQ(c["mnc"], "07");
  EXPECT_EQ(c["sib3"]["cell_reselection_priority"], 5);
  EXPECT_EQ(c["sibs_seen"].size(), 3u);
  EXPECT_FALSE(c.contains("sib1_error"));
}
