// Full-band OFDM demodulation (dsp/lte/ofdm_demod) against the synthesizer's own OFDM path
// (tools/synth/lte LteCellChain::render_add: its grid -> IFFT -> resampling with the cell's delay, clock
// and carrier offsets), which wrote the truth (build_grid): at rates that are multiples of 15 kHz (FFT on
// the samples) and rates that are not (20 Msps, 10 Msps: resampling), 1 / 2 / 4 ports, normal and extended
// CP; the CRS timing refinement; the bounds.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "dsp/lte/channel_estimate.hpp"
#include "dsp/lte/lte_signals.hpp"
#include "dsp/lte/ofdm_demod.hpp"
#include "src/core/error.hpp"
#include "support/lte_sib_capture.hpp"
#include "support/test_support.hpp"
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


// Differential correlation of 62 REs around DC (k72 = 5..66) with a sequence: adjacent subcarriers see
// nearly the same channel, so |sum y(n+1) y(n)* conj(d(n+1) d(n)*)| / sum |y(n+1) y(n)| is near 1 for the
// sequence sent and near 0 for another.
template <class Seq>
double differential_match(const DlSubframe& sf, int l, const Seq& d) {
  const int c72 = sf.n_sc() / 2 - 36;
  std::complex<double> acc{};
  double norm = 0.0;
  for (int n = 0; n + 1 < 62; ++n) {
    if (n == 30) continue;   // the pair across DC: 2 subcarriers apart
    const std::complex<double> y0(sf.at(l, c72 + 5 + n)), y1(sf.at(l, c72 + 6 + n));
    const std::complex<double> d0(d[static_cast<std::size_t>(n)]), d1(d[static_cast<std::size_t>(n + 1)]);
    acc += y1 * std::conj(y0) * std::conj(d1 * std::conj(d0));
    norm += std::abs(y1 * std::conj(y0));
  }
  return std::abs(acc) / norm;
}

// The recording, demodulated over its 20 MHz at the refined timing: the PSS of N_ID(2) = PCI mod 3 and the
// SSS of N_ID(1) = PCI / 3 of subframes 0 and 5 (36.211 6.11) stand where 36.211 puts them, the other
// roots and the other half-frame's SSS do not; the CRS's scatter says a clean signal in every subframe.
TEST(OfdmDemodFile, Band3RecordingSynchronisationSignalsAndCrs) {
  TW_REQUIRE_SHARED(shared);
  const auto cap = tw::test::load_lte_sib_capture(shared);
  ASSERT_TRUE(cap.has_value());
  const int pci = cap->cell.pci;
  ASSERT_EQ(pci, 300);   // reference.json
  // The refinement moves the 1.92 Msps search's timing by less than a sample there (10 here).
  EXPECT_NEAR(cap->timing.frame_start_sample, cap->coarse.frame_start_sample, 10.0);
  EXPECT_NEAR(cap->timing.carrier_offset_hz, 14000.0, 300.0);
  DlOfdmDemodulator demod(cap->cell, cap->timing);
  ChannelEstimator est(cap->cell);
  DlSubframe sf;
  int subframes = 0, pss_count = 0;
  double pss_right = 0.0, pss_wrong = 0.0, snr_min = 1e9, snr_max = -1e9;
  for (std::int64_t frame = 0; frame < 9; ++frame)
    for (int s = 0; s < 10; ++s) {
      if (!demod.execute(cap->iq, frame, s, sf)) continue;
      ++subframes;
      est.execute(sf);
      double h2 = 0.0;
      for (const auto& v : sf.h[0]) h2 += std::norm(v);
      const double snr_db = 10.0 * std::log10(h2 / static_cast<double>(sf.h[0].size()) / sf.noise_var);
      // A live, loaded network through an 8-bit HackRF: the CRS's scatter ranges over about 9..18 dB.
      EXPECT_GT(snr_db, 8.0) << "SFN " << sf.sfn << " subframe " << s;
      snr_min = std::min(snr_min, snr_db);
      snr_max = std::max(snr_max, snr_db);
      if (s != 0 && s != 5) continue;
      const int l_pss = pss_symbol(false, true), l_sss = sss_symbol(false, true);
      // Neighbour cells of other N_ID(2) show through now and then: the cell's root leads every time and
      // on average by far.
      std::array<double, 3> m{};
      for (int n2 = 0; n2 < 3; ++n2) m[static_cast<std::size_t>(n2)] = differential_match(sf, l_pss, pss_sequence(n2));
      for (int n2 = 0; n2 < 3; ++n2) {
        if (n2 == pci % 3) {
          pss_right += m[static_cast<std::size_t>(n2)];
        } else {
          pss_wrong += m[static_cast<std::size_t>(n2)] / 2.0;
          EXPECT_GT(m[static_cast<std::size_t>(pci % 3)], m[static_cast<std::size_t>(n2)]) << "SFN " << sf.sfn << " subframe " << s;
        }
      }
      ++pss_count;
      const double sss_here = differential_match(sf, l_sss, sss_sequence(pci / 3, pci % 3, s));
      const double sss_other = differential_match(sf, l_sss, sss_sequence(pci / 3, pci % 3, 5 - s));
      EXPECT_GT(sss_here, 0.6);
      EXPECT_LT(sss_other, 0.25);
    }
  std::printf("%d subframes, CRS SNR %.1f .. %.1f dB; PSS match %.2f (other roots %.2f) over %d\n", subframes, snr_min, snr_max,
              pss_right / pss_count, pss_wrong / pss_count, pss_count);
  EXPECT_GT(pss_right / pss_count, 0.8);
  EXPECT_LT(pss_wrong / pss_count, 0.25);
  EXPECT_GE(subframes, 75);
}

}  // namespace
