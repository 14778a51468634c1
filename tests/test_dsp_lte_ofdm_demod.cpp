// Full-band OFDM demodulation (dsp/lte/ofdm_demod) against the synthesizer's own OFDM path
// (tools/synth/lte LteCellChain::render_add: its grid -> IFFT -> resampling with the cell's delay, clock
// and carrier offsets), which wrote the truth (build_grid): at rates that are multiples of 15 kHz (FFT on
// the samples) and rates that are not (20 Msps, 10 Msps: resampling), 1 / 2 / 4 ports, normal and extended
// CP; the CRS timing refinement; the bounds.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "dsp/lte/ofdm_demod.hpp"
#include "src/core/error.hpp"
#include "tools/synth/lte/lte_renderer.hpp"

namespace {

using namespace tw::dsp::lte;
namespace syn = tw::synth::lte;

struct Rendered {
  syn::LteCellConfig cfg;
  CellParams cell;
  DlTiming truth;
  std::vector<cf32> iq;
  double center = 0.0;
};

Rendered render(int n_prb, int ports, bool ncp, double fs, double delay_us, double cell_offset_hz, double ms) {
  Rendered r;
  r.cfg.pci = 211;
  r.cfg.ports = ports;
  r.cfg.bandwidth_prb = n_prb;
  r.cfg.normal_cp = ncp;
  r.cfg.earfcn = 1575;   // band 3
  r.cfg.first_sfn = 1022;
  r.cfg.first_sfn_set = true;
  r.cfg.power_dbfs = 0.0;
  r.cfg.delay_us = delay_us;
  r.cfg.freq_offset_hz = cell_offset_hz;
  r.cell.pci = r.cfg.pci;
  r.cell.n_prb = n_prb;
  r.cell.ports = ports;
  r.cell.normal_cp = ncp;
  syn::LteCellChain chain(r.cfg, 3, 0.0);
  r.center = syn::carrier_hz(r.cfg) - 2500.0;
  r.iq.assign(static_cast<std::size_t>(ms * 1e-3 * fs), cf32{});
  chain.render_add(r.iq, 0.0, fs, r.center);
  r.truth.sample_rate_hz = fs;
  r.truth.carrier_offset_hz = chain.apparent_carrier_hz() - r.center;
  r.truth.frame_start_sample = syn::frame_start_time_s(r.cfg, 0.0, 0) * fs;
  r.truth.sfn0 = r.cfg.first_sfn;
  r.truth.clock_scale = syn::clock_scale(r.cfg, 0.0);
  return r;
}

// EVM (dB) of the demodulated subframe against the synthesizer's grid (sum of the ports), over the REs it
// sent within the renderer's visible band, after one complex gain.
double evm_db(const Rendered& r, std::int64_t frame, int subframe, const DlSubframe& sf) {
  syn::LteCellChain chain(r.cfg, 3, 0.0);
  chain.build_grid(frame * 10 + subframe);
  const int nsc = 12 * r.cell.n_prb;
  std::vector<cf32> truth(sf.re.size(), cf32{});
  for (int p = 0; p < r.cell.ports; ++p) {
    const auto g = chain.grid(p);
    for (std::size_t i = 0; i < truth.size(); ++i) truth[i] += g[i];
  }
  std::complex<double> num{};
  double den = 0.0;
  std::vector<std::size_t> used;
  for (int l = 0; l < sf.n_symbols; ++l)
    for (int k = 0; k < nsc; ++k) {
      const int f = k < nsc / 2 ? k - nsc / 2 : k - nsc / 2 + 1;
      if (std::abs(f * 15e3 + r.truth.carrier_offset_hz) > 0.44 * r.truth.sample_rate_hz) continue;
      const auto i = static_cast<std::size_t>(l * nsc + k);
      if (truth[i] == cf32{}) continue;
      used.push_back(i);
      num += std::complex<double>(sf.re[i]) * std::conj(std::complex<double>(truth[i]));
      den += std::norm(truth[i]);
    }
  EXPECT_GT(used.size(), 50u);
  const std::complex<double> a = num / den;
  EXPECT_GT(std::abs(a), 0.5);   // power_dbfs 0: unit gain
  EXPECT_LT(std::abs(a), 2.0);
  double err = 0.0, sig = 0.0;
  for (auto i : used) {
    err += std::norm(std::complex<double>(sf.re[i]) - a * std::complex<double>(truth[i]));
    sig += std::norm(a * std::complex<double>(truth[i]));
  }
  return 10.0 * std::log10(err / sig);
}

struct Case {
  int n_prb, ports;
  bool ncp;
  double fs;
  bool resampled;
};

TEST(OfdmDemod, MatchesTheSynthesizersGridAtEveryKindOfRate) {
  const Case cases[] = {
      {100, 2, true, 19.2e6, false},  // the band-3 recording's rate: FFT 1280
      {100, 2, true, 20e6, true},     // a HackRF's 20 Msps: 1333.3 samples per symbol, resampled to 1408
      {100, 4, false, 30.72e6, false},
      {25, 1, true, 10e6, true},
      {25, 4, true, 7.68e6, false},
      {6, 2, false, 1.92e6, false},
      {15, 1, true, 3.2e6, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << c.n_prb << " PRB at " << c.fs / 1e6 << " Msps, " << c.ports << " ports");
    const auto r = render(c.n_prb, c.ports, c.ncp, c.fs, 123.45, 900.0, 12.5);
    DlOfdmDemodulator demod(r.cell, r.truth);
    EXPECT_EQ(demod.resampling(), c.resampled);
    DlSubframe sf;
    for (int s : {0, 5, 9}) {
      ASSERT_TRUE(demod.execute(r.iq, 0, s, sf)) << s;
      EXPECT_EQ(sf.sfn, 1022);
      EXPECT_EQ(sf.subframe, s);
      EXPECT_EQ(sf.n_symbols, c.ncp ? 14 : 12);
      const double e = evm_db(r, 0, s, sf);
      std::printf("%3d PRB %5.2f Msps %d ports subframe %d: EVM %.1f dB\n", c.n_prb, c.fs / 1e6, c.ports, s, e);
      EXPECT_LT(e, -30.0);
    }
    // Frame 1 (SFN 1023) is cut by the end of the capture; frame -1 precedes it.
    EXPECT_FALSE(demod.execute(r.iq, 1, 5, sf));
    EXPECT_FALSE(demod.execute(r.iq, -1, 9, sf));
    EXPECT_TRUE(demod.execute(r.iq, 1, 1, sf));
    EXPECT_EQ(sf.sfn, 1023);
  }
}

TEST(OfdmDemod, CrsRefinementFindsTheTimingAndCarrier) {
  for (double fs : {19.2e6, 20e6}) {
    const auto r = render(100, 2, true, fs, 50.0, -1200.0, 20.5);
    DlTiming coarse = r.truth;
    coarse.frame_start_sample += 0.3e-6 * fs + 0.37;   // a 1.92 Msps search's error: about half a sample there
    coarse.carrier_offset_hz += 160.0;
    CellParams cell = r.cell;
    const auto fine = refine_dl_timing(cell, coarse, r.iq);
    std::printf("%.1f Msps: start %+.3f samples, carrier %+.2f Hz from the truth\n", fs / 1e6, fine.frame_start_sample - r.truth.frame_start_sample,
                fine.carrier_offset_hz - r.truth.carrier_offset_hz);
    EXPECT_NEAR(fine.frame_start_sample, r.truth.frame_start_sample, 0.1);
    EXPECT_NEAR(fine.carrier_offset_hz, r.truth.carrier_offset_hz, 5.0);
    DlOfdmDemodulator demod(cell, fine);
    DlSubframe sf;
    ASSERT_TRUE(demod.execute(r.iq, 1, 5, sf));
    EXPECT_LT(evm_db(r, 1, 5, sf), -30.0);
  }
}

TEST(OfdmDemod, RejectsWhatItCannotServe) {
  CellParams cell;
  cell.n_prb = 100;
  DlTiming t;
  t.sample_rate_hz = 15.36e6;   // 1024 bins < 1201 subcarriers
  EXPECT_THROW(DlOfdmDemodulator(cell, t), tw::InputError);
  t.sample_rate_hz = 19.2e6;
  t.clock_scale = 1.01;
  EXPECT_THROW(DlOfdmDemodulator(cell, t), tw::InputError);
  t.clock_scale = 1.0;
  t.sfn0 = 1024;
  EXPECT_THROW(DlOfdmDemodulator(cell, t), tw::InputError);
  t.sfn0 = 0;
  t.frame_start_sample = std::nan("");
  EXPECT_THROW(DlOfdmDemodulator(cell, t), tw::InputError);
  t.frame_start_sample = 0;
  cell.n_prb = 7;
  EXPECT_THROW(DlOfdmDemodulator(cell, t), tw::InputError);
  cell.n_prb = 100;
  DlOfdmDemodulator d(cell, t);
  DlSubframe sf;
  std::vector<cf32> iq(1000);
  EXPECT_THROW(d.execute(iq, 0, 10, sf), tw::InputError);
  EXPECT_FALSE(d.execute(iq, 0, 0, sf));
  EXPECT_FALSE(d.execute({}, 0, 0, sf));
  // Far-away frames do not overflow anything: just not inside.
  EXPECT_FALSE(d.execute(iq, 4000000000LL, 3, sf));
  EXPECT_FALSE(d.execute(iq, -4000000000LL, 3, sf));
}

}  // namespace
