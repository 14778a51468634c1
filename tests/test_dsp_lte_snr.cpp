// Coarse sensitivity checks of the LTE cell search against the LTE synthesizer (the full sweep is
// tools/bench/bench_lte_snr.cpp): single-cell scenes with random PCI, SFN, timing and a receiver clock error
// within +-100 ppm at 1815 MHz (tools/synth/lte/lte_snr_trial.hpp). The truth is what the synthesizer sent:
// the PCI, the frame starts (lte::frame_start_time_s), the SFN and the MIB of 36.331 it encodes.
#include <gtest/gtest.h>

#include <cmath>

#include "dsp/lte/cell_search.hpp"
#include "tools/synth/lte/lte_snr_trial.hpp"

namespace sl = tw::synth::lte;

namespace {

TEST(LteSnr, SnrDefinitionsDifferByTheBandRatio) {
  // 1.92 MHz holds 128 subcarriers of 15 kHz, the central 6 PRB 72: 10 log10(128/72) dB.
  EXPECT_NEAR(sl::snr_re_minus_snr_1m92_db(), 2.4988, 1e-3);
}

TEST(LteSnr, AwgnAtZeroDbPerReDecodesEveryTrialAndNothingElse) {
  sl::SnrTrialConfig cfg;
  cfg.snr_db = 0.0;   // about 11 dB above the 90 % point of both stages (bench_lte_snr)
  tw::dsp::lte::CellSearch search(sl::snr_trial_search_config(cfg));
  for (std::uint64_t seed : {11u, 12u, 13u}) {
    const auto r = sl::run_snr_trial(cfg, seed, search);
    SCOPED_TRACE("seed " + std::to_string(seed) + " pci " + std::to_string(r.truth.pci) + " ppm " + std::to_string(r.truth.receiver_ppm));
    EXPECT_TRUE(r.sync_ok);
    EXPECT_TRUE(r.mib_ok);
    EXPECT_EQ(r.wrong_cells, 0);
  }
}

TEST(LteSnr, ReceiverMeasuresTheSnrTheSceneSets) {
  // The SINR the receiver measures on the CRS (per RE) is the per-RE SNR the trial sets (AWGN).
  sl::SnrTrialConfig cfg;
  cfg.snr_db = 10.0;
  tw::dsp::lte::CellSearch search(sl::snr_trial_search_config(cfg));
  const auto r = sl::run_snr_trial(cfg, 21, search);
  ASSERT_TRUE(r.sync_ok);
  EXPECT_NEAR(r.sinr_db, 10.0, 1.5);
}

TEST(LteSnr, AwgnAtMinusTenDbPerReDecodesNineTrialsInTen) {
  // 1 dB above the MIB's 90 % point (bench_lte_snr, 40 trials per point): a regression of the weak-signal
  // path (channel smoothing, coherent SSS, soft combining of every 40 ms block) fails here first.
  sl::SnrTrialConfig cfg;
  cfg.snr_db = -10.0;
  tw::dsp::lte::CellSearch search(sl::snr_trial_search_config(cfg));
  int sync = 0, mib = 0, wrong = 0;
  for (std::uint64_t seed = 500; seed < 510; ++seed) {
    const auto r = sl::run_snr_trial(cfg, seed, search);
    sync += r.sync_ok;
    mib += r.mib_ok;
    wrong += r.wrong_cells;
  }
  EXPECT_GE(sync, 9);
  EXPECT_GE(mib, 9);
  EXPECT_EQ(wrong, 0);
}

TEST(LteSnr, PureNoiseGivesNoCell) {
  sl::SnrTrialConfig cfg;
  cfg.cell_present = false;
  tw::dsp::lte::CellSearch search(sl::snr_trial_search_config(cfg));
  for (std::uint64_t seed : {31u, 32u, 33u, 34u, 35u}) {
    const auto r = sl::run_snr_trial(cfg, seed, search);
    EXPECT_EQ(r.cells_reported, 0) << "seed " << seed;
  }
}

}  // namespace
