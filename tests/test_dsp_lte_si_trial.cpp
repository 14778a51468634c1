// The SIB1 sensitivity trial of tools/bench/bench_lte_si (tools/synth/lte/lte_si_trial): at a high SNR the
// receiver must return exactly the SIB1 octets the synthesizer encoded (sib_encoder), combining the
// transmissions the capture holds; from noise alone nothing; a configuration outside the specification is an
// InputError.
#include <gtest/gtest.h>

#include "src/core/error.hpp"
#include "tools/synth/lte/lte_si_trial.hpp"

namespace {

namespace sl = tw::synth::lte;

TEST(LteSiTrial, HighSnrAwgnGivesTheSib1Sent) {
  for (const int n_prb : {6, 25}) {
    sl::SiTrialConfig cfg;
    cfg.n_prb = n_prb;
    cfg.snr_db = 10.0;
    for (std::uint64_t seed = 1; seed <= 2; ++seed) {
      const auto r = sl::run_si_trial(cfg, seed);
      EXPECT_TRUE(r.sib1_ok) << "n_prb " << n_prb << " seed " << seed << ": " << r.why;
      // 80 ms holds 4 periods of 20 ms: 3 or 4 whole SIB1 subframes.
      EXPECT_GE(r.transmissions_sent, 3);
      EXPECT_LE(r.transmissions_sent, 4);
      EXPECT_GE(r.transmissions_combined, 1);
      EXPECT_LE(r.transmissions_combined, r.transmissions_sent);
    }
  }
}

TEST(LteSiTrial, KnownControlDecodesThePdschAndFarBelowNothing) {
  sl::SiTrialConfig cfg;
  cfg.n_prb = 6;
  cfg.known_control = true;
  cfg.snr_db = 5.0;
  auto r = sl::run_si_trial(cfg, 4);
  EXPECT_TRUE(r.pdsch_ok);
  EXPECT_TRUE(r.sib1_ok) << r.why;
  // 4 PRB at code rate ~0.2, 3-4 transmissions: nothing can decode 25 dB under the noise.
  cfg.snr_db = -25.0;
  r = sl::run_si_trial(cfg, 4);
  EXPECT_FALSE(r.pdsch_ok);
  EXPECT_FALSE(r.sib1_reported);
}

TEST(LteSiTrial, HighSnrEpaGivesTheSib1Sent) {
  sl::SiTrialConfig cfg;
  cfg.n_prb = 6;
  cfg.snr_db = 15.0;
  cfg.multipath = "epa";
  cfg.doppler_hz = 5.0;
  const auto r = sl::run_si_trial(cfg, 3);
  EXPECT_TRUE(r.sib1_ok) << r.why;
}

TEST(LteSiTrial, RendererPathGivesTheSib1SentAndNothingFromNoise) {
  sl::SiTrialConfig cfg;
  cfg.n_prb = 6;
  cfg.snr_db = 10.0;
  cfg.renderer = true;
  auto r = sl::run_si_trial(cfg, 5);
  EXPECT_TRUE(r.sib1_ok) << r.why;
  cfg.cell_present = false;
  r = sl::run_si_trial(cfg, 5);
  EXPECT_FALSE(r.sib1_reported);
}

TEST(LteSiTrial, NoSib1FromNoise) {
  sl::SiTrialConfig cfg;
  cfg.n_prb = 6;
  cfg.cell_present = false;
  for (std::uint64_t seed = 10; seed < 14; ++seed) {
    const auto r = sl::run_si_trial(cfg, seed);
    EXPECT_FALSE(r.sib1_reported) << seed;
    EXPECT_FALSE(r.why.empty());
  }
}

TEST(LteSiTrial, BadConfigurationIsAnInputError) {
  sl::SiTrialConfig cfg;
  cfg.n_prb = 7;
  EXPECT_THROW(sl::run_si_trial(cfg, 1), tw::InputError);
  cfg.n_prb = 6;
  cfg.ports = 3;
  EXPECT_THROW(sl::run_si_trial(cfg, 1), tw::InputError);
  cfg.ports = 2;
  cfg.multipath = "xyz";
  EXPECT_THROW(sl::run_si_trial(cfg, 1), tw::InputError);
}

}  // namespace
