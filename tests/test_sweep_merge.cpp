// Merging a sweep's cell records (src/sweep/cell_merge.*) on synthetic records whose truth is built here.
#include <gtest/gtest.h>

#include <cmath>

#include "src/sweep/cell_merge.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

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

// ---- Frame number consistency (45.002 clause 4.3.3) on records built from the truth of the "city" scene:
// every cell's FN at scene time 0 (first_fn, derived from the scene seed), a TDMA frame of 120/26 ms, FN
// modulo 26 x 51 x 2048 = 2715648. A record seen at time t carries the FN of the SCH at t.

namespace {

constexpr double kFrame = 0.120 / 26.0;
constexpr std::int64_t kHyper = 26LL * 51LL * 2048LL;

struct CityCell {
  int arfcn, bsic, ci;
  std::uint32_t first_fn;
};
std::vector<CityCell> city_cells() {
  const auto scene = tw::synth::resolve_scene(tw::synth::builtin_scene("city"));
  std::vector<CityCell> out;
  for (const auto& c : scene.cells) out.push_back({c.arfcn, c.bsic, c.ci, c.first_fn});
  return out;
}
// The frame number cell c sends at scene time t (an SCH burst at the start of that frame).
std::int64_t fn_at(const CityCell& c, double t) {
  return (static_cast<std::int64_t>(c.first_fn) + static_cast<std::int64_t>(std::floor(t / kFrame))) % kHyper;
}
json with_sync(json r, std::int64_t fn, double t) {
  r["sync_fn"] = fn;
  r["sync_time_s"] = t;
  return r;
}

}  // namespace

TEST(SweepMergeFn, RelationFollowsTheFrameCount) {
  const auto cells = city_cells();
  ASSERT_EQ(cells.size(), 6u);
  const auto& a = cells[1];  // A-2, ARFCN 62, BSIC 13
  const json r1 = with_sync(record(a.arfcn, gsm900(a.arfcn), 0, a.bsic, -33, gsm900(a.arfcn)), fn_at(a, 0.52), 0.52);
  // 10 s later (another tuning), the same clock: consistent, also with the receiver's sample clock 73 ppm off
  // (0.73 ms over 10 s).
  const double t2 = 10.52;
  const json r2 = with_sync(r1, fn_at(a, t2), t2 * (1 + 73e-6));
  EXPECT_EQ(fn_relation(r1, r2), FnRelation::consistent);
  EXPECT_EQ(fn_relation(r2, r1), FnRelation::consistent);
  // Another cell's clock at the same times: inconsistent (the city cells' counters differ).
  const json r3 = with_sync(r1, fn_at(cells[0], t2), t2);
  EXPECT_EQ(fn_relation(r1, r3), FnRelation::inconsistent);
  // Two frames off: inconsistent.
  EXPECT_EQ(fn_relation(r1, with_sync(r1, (fn_at(a, t2) + 2) % kHyper, t2)), FnRelation::inconsistent);
  // Wrap of the hyperframe: FN 2715645 then 8 frames later FN 5.
  EXPECT_EQ(fn_relation(with_sync(r1, kHyper - 3, 1.0), with_sync(r1, 5, 1.0 + 8 * kFrame)), FnRelation::consistent);
  // Without sync_time_s (or sync_fn) nothing can be said.
  json bare = r1;
  bare.erase("sync_time_s");
  EXPECT_EQ(fn_relation(bare, r2), FnRelation::unknown);
  json bad = r1;
  bad["sync_fn"] = kHyper;  // out of range
  EXPECT_EQ(fn_relation(bad, r2), FnRelation::unknown);
}

TEST(SweepMergeFn, AliasWithTheSameBsicAndClockIsOneTransmitter) {
  // B-3 (ARFCN 76, 950.2 MHz) decoded with its identity in its own tuning; in the tuning below it, 20 MHz
  // lower (a 20 Msps capture folding 950.2 MHz onto 930.2 MHz = E-GSM ARFCN 1000), a weaker
  // copy without identity, same BSIC, same FN clock: dropped as the same transmitter.
  const auto cells = city_cells();
  const auto& b3 = cells[5];
  ASSERT_EQ(b3.arfcn, 76);
  const double egsm1000 = 935e6 + 200e3 * (1000 - 1024);  // 45.005 clause 2: E-GSM 975..1023
  const json real = with_sync(record(76, gsm900(76), 0, b3.bsic, -52, 946e6, b3.ci), fn_at(b3, 2.31), 2.31);
  json alias = with_sync(record(1000, egsm1000, 0, b3.bsic, -58, egsm1000 + 8.7e6), fn_at(b3, 0.4), 0.4);
  auto m = merge_sweep_cells({real, alias});
  ASSERT_EQ(m.cells.size(), 1u);
  EXPECT_EQ(m.cells[0]["arfcn"], 76);
  EXPECT_EQ(m.fn_ghosts, 1u);
  // The same copy on its own counter (a transmitter that copied BSIC but not the clock): kept, two cells.
  alias["sync_fn"] = (fn_at(b3, 0.4) + 1000) % kHyper;
  m = merge_sweep_cells({real, alias});
  EXPECT_EQ(m.cells.size(), 2u);
  EXPECT_EQ(m.fn_ghosts, 0u);
  // And without frame numbers the far record is no ghost either (the old rules: not adjacent, no mirror).
  alias.erase("sync_fn");
  EXPECT_EQ(merge_sweep_cells({real, alias}).cells.size(), 2u);
}

TEST(SweepMergeFn, AdjacentSameBsicOnAnotherClockIsNotAGhost) {
  // A-1 (ARFCN 58, BSIC 10) and a record on ARFCN 59 with BSIC 10, 20 dB weaker, no identity: with A-1's
  // clock it is A-1's leakage (dropped), with its own clock a second transmitter (kept).
  const auto cells = city_cells();
  const auto& a1 = cells[0];
  const json real = with_sync(record(58, gsm900(58), 0, a1.bsic, -38, gsm900(58) + 100e3, a1.ci), fn_at(a1, 0.3), 0.3);
  json leak = with_sync(record(59, gsm900(59), 0, a1.bsic, -58, gsm900(58) + 100e3), fn_at(a1, 0.35), 0.35);
  auto m = merge_sweep_cells({real, leak});
  EXPECT_EQ(m.cells.size(), 1u);
  EXPECT_EQ(m.adjacent_ghosts, 1u);
  leak["sync_fn"] = fn_at(cells[3], 0.35);  // B-1's counter
  m = merge_sweep_cells({real, leak});
  ASSERT_EQ(m.cells.size(), 2u);
  EXPECT_EQ(m.adjacent_ghosts, 0u);
  EXPECT_EQ(m.cells[1]["arfcn"], 59);
}

TEST(SweepMergeFn, SameArfcnAndBsicWithAnotherClockIsASecondTransmitter) {
  // A-2 (ARFCN 62) seen in two overlapping tunings 2.5 s apart: once the real cell, once a copy with the
  // same ARFCN, BSIC and identity but its own FN counter (what a fake base station cloning A-2 broadcasts).
  const auto cells = city_cells();
  const auto& a2 = cells[1];
  const json first = with_sync(record(62, gsm900(62), 0, a2.bsic, -33, gsm900(62) + 900e3, a2.ci), fn_at(a2, 0.6), 0.6);
  json second = with_sync(record(62, gsm900(62), 0, a2.bsic, -35, gsm900(62) - 700e3, a2.ci), fn_at(a2, 3.1), 3.1);
  auto m = merge_sweep_cells({first, second});
  ASSERT_EQ(m.cells.size(), 1u);
  EXPECT_EQ(m.cells[0]["observations"], 2);
  second["sync_fn"] = (fn_at(a2, 3.1) + 51 * 26) % kHyper;
  m = merge_sweep_cells({first, second});
  EXPECT_EQ(m.cells.size(), 2u);
  EXPECT_EQ(m.duplicates, 0u);
}

TEST(SweepMerge, TheRecordWithMoreSystemInformationDescribesTheCell) {
  // ARFCN 600 decoded fully in its own tuning (SNR 20 dB) and, at the edge of the next tuning that ended
  // as soon as its own carriers were complete, only as far as SI3 (SNR 24 dB): the full record is kept.
  json full = record(600, dcs(600), 0, 25, -40, dcs(600) + 300e3, 40001);
  full["snr_db"] = 20.0;
  full["si_seen"] = {"SI1", "SI2", "SI3", "SI4"};
  json partial = record(600, dcs(600), 0, 25, -39, dcs(600) - 900e3, 40001);
  partial["snr_db"] = 24.0;
  partial["si_seen"] = {"SI3"};
  const auto m = merge_sweep_cells({partial, full});
  ASSERT_EQ(m.cells.size(), 1u);
  EXPECT_EQ(m.cells[0]["si_seen"].size(), 4u);
  EXPECT_EQ(m.cells[0]["observations"], 2);
}
