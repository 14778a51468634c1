// The NR receiver (SSB search -> PBCH DMRS -> PBCH decode) on synthesized SS/PBCH blocks
// (tools/synth/nr/nr_renderer): every cell's PCI, SSB index, SFN, half-frame, k_SSB MSB and MIB bits as the
// synthesizer's configuration says; CFO and RSRP as rendered; nothing from noise alone.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "dsp/nr/ssb_receiver.hpp"
#include "tools/synth/nr/nr_renderer.hpp"

namespace {

namespace nr = tw::dsp::nr;
namespace sn = tw::synth::nr;

std::vector<nr::cf32> render(const std::vector<sn::NrCellConfig>& cells, double center, double fs, double seconds,
                             double noise_dbfs, std::uint64_t seed) {
  std::vector<nr::cf32> x(static_cast<std::size_t>(seconds * fs));
  for (std::size_t i = 0; i < cells.size(); ++i) {
    sn::NrCellChain chain(cells[i], seed + i, 0.0);
    chain.render_add(x, 0.0, fs, center);
  }
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> n(0.0f, static_cast<float>(std::sqrt(std::pow(10.0, noise_dbfs / 10.0) / 2)));
  for (auto& v : x) v += nr::cf32(n(rng), n(rng));
  return x;
}

const nr::NrCell* find_pci(const std::vector<nr::NrCell>& cells, int pci) {
  for (const auto& c : cells)
    if (c.ssb.pci == pci) return &c;
  return nullptr;
}

}  // namespace

TEST(NrReceiver, TwoCellsCaseAWithMibAndOffset) {
  // Band n3, GSCN 4604 (1842.05 MHz), capture centred 450 kHz above as the shared recording.
  sn::NrCellConfig a;
  a.gscn = 4604;
  a.pci = 500;
  a.first_sfn = 100;
  a.first_sfn_set = true;
  a.ssb_indices = {0, 1, 2, 3};
  a.coreset_zero = 6;
  a.ssb_subcarrier_offset = 5;
  a.k_ssb_msb = 1;
  a.power_dbfs = -50;
  a.freq_offset_hz = 20e-6 * 1842.05e6;   // +20 ppm
  a.delay_us = 1234.5;
  sn::NrCellConfig b = a;
  b.pci = 17;
  b.first_sfn = 511;
  b.ssb_indices = {2};
  b.cell_barred = true;
  b.k_ssb_msb = 0;
  b.power_dbfs = -56;
  b.freq_offset_hz = -3e3;
  b.delay_us = 3100.0;
  const double fc = 1842.5e6, fs = 15.36e6;
  const auto iq = render({a, b}, fc, fs, 0.022, -70.0, 7);
  nr::NrReceiver rx;
  const auto pts = nr::raster_points_in_capture(fc, fs, {3});
  ASSERT_FALSE(pts.empty());
  const auto cells = rx.execute(iq, fs, pts);
  ASSERT_EQ(cells.size(), 2u);
  for (const auto* want : {&a, &b}) {
    const nr::NrCell* c = find_pci(cells, want->pci);
    ASSERT_TRUE(c) << want->pci;
    EXPECT_EQ(c->at.gscn, 4604);
    EXPECT_EQ(c->at.nr_arfcn, 368410);
    ASSERT_TRUE(c->mib_decoded) << want->pci;
    EXPECT_NEAR(c->ssb.cfo_hz, want->freq_offset_hz, 150.0);
    EXPECT_NEAR(c->ssb.rsrp_dbfs, want->power_dbfs, 1.5);
    // Which SSB of the burst and which frame: the truth of the synthesizer at the SSB's time.
    const sn::NrCellChain chain(*want, 0, 0.0);
    const auto truth = chain.ssbs_between(c->ssb.ssb_start_sample / fs - 2e-6, c->ssb.ssb_start_sample / fs + 2e-6);
    ASSERT_EQ(truth.size(), 1u);
    EXPECT_EQ(c->ssb_index, truth[0].ssb_index);
    EXPECT_EQ(c->sfn, truth[0].sfn);
    EXPECT_EQ(c->half_frame, truth[0].half_frame);
    EXPECT_EQ(c->mib_bits, sn::nr_mib_bits(*want, truth[0].sfn));
    EXPECT_EQ(c->k_ssb_msb, want->k_ssb_msb);
  }
}

TEST(NrReceiver, CaseCThirtyKhzLmax8InBandN78) {
  sn::NrCellConfig a;
  a.gscn = 7880;   // n78 (3000 + 381 x 1.44 = 3548.64 MHz)
  a.pci = 1003;
  a.first_sfn = 6;
  a.first_sfn_set = true;
  a.ssb_indices = {5};
  a.scs_common_khz = 30;
  a.power_dbfs = -60;
  a.freq_offset_hz = -80e-6 * 3548.64e6;   // -80 ppm: near the edge of the +-100 ppm search
  const double fc = 3548.64e6 + 1.2e6, fs = 15.36e6;
  const auto iq = render({a}, fc, fs, 0.021, -75.0, 11);
  nr::NrReceiver rx;
  const auto cells = rx.execute(iq, fs, nr::raster_points_in_capture(fc, fs, {78}));
  ASSERT_EQ(cells.size(), 1u);
  const auto& c = cells[0];
  EXPECT_EQ(c.ssb.pci, 1003);
  EXPECT_EQ(c.at.gscn, 7880);
  EXPECT_EQ(c.at.scs_khz, 30);
  EXPECT_EQ(c.at.l_max, 8);
  ASSERT_TRUE(c.mib_decoded);
  EXPECT_EQ(c.ssb_index, 5);
  EXPECT_NEAR(c.ssb.cfo_ppm, -80.0, 0.1);
  EXPECT_EQ(c.mib_bits, sn::nr_mib_bits(a, c.sfn));
  EXPECT_EQ(c.sfn % 2, 0);   // 20 ms period: even frames
}

TEST(NrReceiver, RtlSdrRateGivesThePciOnly) {
  // 2.4 Msps holds the 127-subcarrier PSS/SSS (1.9 MHz) but not the 240-subcarrier PBCH (3.6 MHz).
  sn::NrCellConfig a;
  a.gscn = 1950;   // n28: 3 x 650 + 0 -> M = 3: 780.15 MHz
  a.pci = 222;
  a.power_dbfs = -60;
  const double fc = *nr::gscn_to_hz(1950) + 100e3, fs = 2.4e6;
  const auto iq = render({a}, fc, fs, 0.025, -72.0, 5);
  nr::NrReceiver rx;
  const auto cells = rx.execute(iq, fs, nr::raster_points_in_capture(fc, fs, {28}));
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0].ssb.pci, 222);
  EXPECT_FALSE(cells[0].mib_decoded);
  EXPECT_EQ(cells[0].pbch, "not in band");
  EXPECT_TRUE(to_json(cells[0])["mib_hex"].is_null());
}

TEST(NrReceiver, NothingFromNoise) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const double fc = 3500e6, fs = 15.36e6;
    const auto iq = render({}, fc, fs, 0.02, -60.0, seed);
    nr::NrReceiver rx;
    const auto pts = nr::raster_points_in_capture(fc, fs, {78});
    ASSERT_GT(pts.size(), 3u);
    EXPECT_TRUE(rx.execute(iq, fs, pts).empty()) << seed;
  }
}

TEST(NrReceiver, NothingFromNoiseCombinedOverFourPeriods) {
  // 80 ms: the PSS metric folded over 4 occasions of 20 ms (threshold from the Gamma(4) tail), SSS combined.
  for (std::uint64_t seed = 21; seed <= 22; ++seed) {
    const double fc = 1842.5e6, fs = 3.84e6;
    const auto iq = render({}, fc, fs, 0.08, -60.0, seed);
    nr::NrReceiverConfig cfg;
    cfg.search.combine_period_ms = 20.0;
    nr::NrReceiver rx(cfg);
    const auto pts = nr::raster_points_in_capture(fc, fs, {3});
    ASSERT_GT(pts.size(), 3u);
    EXPECT_TRUE(rx.execute(iq, fs, pts).empty()) << seed;
  }
}

TEST(NrReceiver, WeakCellFoundByCombiningThreePeriods) {
  // -3 dB per SSB RE (AWGN): below the single-SSB search's reach (bench_nr_ssb: 25 % with 3 separate tries),
  // the PSS/SSS combined over the capture's 3 occasions of 20 ms give the PCI, and the MIB follows.
  for (std::uint64_t seed = 31; seed <= 33; ++seed) {
    const double fs = 3.84e6, scs = 15e3;
    sn::NrCellConfig a;
    a.gscn = 4604;
    a.pci = static_cast<int>(seed * 29 % 1008);
    a.first_sfn = 40;
    a.first_sfn_set = true;
    a.ssb_indices = {1};
    a.delay_us = 1000.0;
    a.freq_offset_hz = 2e3;
    a.power_dbfs = -3.0 + 10 * std::log10(scs / fs);   // noise power 1 (0 dBFS) over fs
    const double ref = *nr::gscn_to_hz(4604);
    const auto iq = render({a}, ref, fs, 0.045, 0.0, seed);
    nr::NrReceiverConfig cfg;
    cfg.search.combine_period_ms = 20.0;
    cfg.search.max_cfo_hz = 10e3;
    nr::NrReceiver rx(cfg);
    const nr::NrRasterPoint pt{4604, 368410, 3, ref, 0.0, 15, nr::SsbCase::A, 4};
    const auto cells = rx.execute(iq, fs, {pt});
    ASSERT_EQ(cells.size(), 1u) << seed;
    const auto& c = cells[0];
    EXPECT_EQ(c.ssb.pci, a.pci) << seed;
    EXPECT_EQ(c.ssb.combined_occasions, 3) << seed;
    EXPECT_NEAR(c.ssb.cfo_hz, 2e3, 1500.0) << seed;   // fine CFO from the PSS halves: ~0.6 kHz rms at -3 dB
    ASSERT_TRUE(c.mib_decoded) << seed;
    EXPECT_EQ(c.ssb_index, 1);
    EXPECT_EQ(c.mib_bits, sn::nr_mib_bits(a, c.sfn));
  }
}

TEST(NrReceiver, StrongCellSeenFromNeighbouringGscnsIsOneCellCombinedOrNot) {
  // n28's raster points lie 1.2 MHz apart (GSCN step), inside one 3.6 MHz SSB: a strong SSB folds into its
  // neighbours' hypotheses at its own timing. The scene's one cell must come out once, at its GSCN, with its
  // PCI, whether the occasions are searched alone or combined (20 ms period, 30 and 45 ms captures).
  const double fc = *nr::gscn_to_hz(1951), fs = 7.68e6;
  for (std::uint64_t seed = 41; seed <= 42; ++seed) {
    sn::NrCellConfig a;
    a.gscn = 1950;
    a.pci = static_cast<int>(seed * 37 % 1008);
    a.ssb_indices = {0, 1};
    a.power_dbfs = -55;
    a.freq_offset_hz = 1.5e3;
    a.delay_us = 700.0;
    for (const auto& [seconds, period] : {std::pair{0.03, 0.0}, std::pair{0.03, 20.0}, std::pair{0.045, 20.0}}) {
      const auto iq = render({a}, fc, fs, seconds, -80.0, seed);
      {
        nr::NrReceiverConfig cfg;
        cfg.search.combine_period_ms = period;
        nr::NrReceiver rx(cfg);
        const auto cells = rx.execute(iq, fs, nr::raster_points_in_capture(fc, fs, {28}));
        ASSERT_EQ(cells.size(), 1u) << "seed " << seed << " seconds " << seconds << " period " << period << ": "
                                    << [&] {
                                         std::string s;
                                         for (const auto& c : cells)
                                           s += " PCI " + std::to_string(c.ssb.pci) + "@" + std::to_string(c.at.gscn) +
                                                " score " + std::to_string(c.ssb.sss_score) +
                                                " t " + std::to_string(c.ssb.pss_time_s * 1e6) + " us f " +
                                                std::to_string(c.at.offset_hz + c.ssb.cfo_hz) + " occ " +
                                                std::to_string(c.ssb.combined_occasions);
                                         return s;
                                       }();
        EXPECT_EQ(cells[0].ssb.pci, a.pci);
        EXPECT_EQ(cells[0].at.gscn, 1950);
        EXPECT_TRUE(cells[0].mib_decoded);
      }
    }
  }
}
