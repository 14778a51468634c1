// CRS channel estimation (dsp/lte/channel_estimate) against the channel the test signal went through
// (tools/synth/lte/dl_subframe_channel: the synthesizer's grids, CRS included, through a known gain, delay
// and echo per port, plus noise of known variance): every port of 1 / 2 / 4, both CPs, several bandwidths.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "dsp/lte/channel_estimate.hpp"
#include "src/core/error.hpp"
#include "tools/synth/lte/dl_subframe_channel.hpp"
#include "tools/synth/lte/lte_renderer.hpp"

#include "support/lte_cell_grids.hpp"

namespace {

using namespace tw::dsp::lte;
namespace syn = tw::synth::lte;

// Data everywhere, as a loaded cell: the estimator must read only the CRS.
std::vector<std::vector<cf32>> cell_grids(const CellParams& cell, int subframe) {
  return tw::test::lte_cell_grids(cell, subframe, {1.0, 1.0, true, 11});
}

// Normalised mean square error (dB) of the estimate over every RE of every port.
double nmse_db(const DlSubframe& sf, const std::array<std::vector<cf32>, 4>& h_true, int ports) {
  double err = 0.0, pw = 0.0;
  for (int p = 0; p < ports; ++p)
    for (std::size_t i = 0; i < sf.re.size(); ++i) {
      err += std::norm(sf.h[static_cast<std::size_t>(p)][i] - h_true[static_cast<std::size_t>(p)][i]);
      pw += std::norm(h_true[static_cast<std::size_t>(p)][i]);
    }
  return 10.0 * std::log10(err / pw);
}

TEST(ChannelEstimate, FollowsAKnownChannelOnEveryPort) {
  for (int n_prb : {6, 50, 100})
    for (int ports : {1, 2, 4})
      for (bool ncp : {true, false}) {
        CellParams cell;
        cell.n_prb = n_prb;
        cell.ports = ports;
        cell.normal_cp = ncp;
        cell.pci = 3 * n_prb + ports + (ncp ? 0 : 1);
        const int subframe = (n_prb + ports) % 10;
        SCOPED_TRACE(testing::Message() << n_prb << " PRB " << ports << " ports " << (ncp ? "normal" : "extended") << " CP");
        const auto grids = cell_grids(cell, subframe);
        syn::SubframeChannel ch;
        for (int p = 0; p < 4; ++p) ch.gain[static_cast<std::size_t>(p)] = std::polar(1.0f - 0.15f * p, 2.0f * p - 1.0f);
        ch.delay_s = 0.8e-6;   // a timing error of 0.8 us: 0.45 rad from one pilot to the next
        // Flat in time, no noise: nearly exact.
        std::array<std::vector<cf32>, 4> h_true;
        DlSubframe sf = syn::apply_subframe_channel(cell, 0, subframe, grids, ch, &h_true);
        ChannelEstimator est(cell);
        est.execute(sf);
        for (int p = 0; p < 4; ++p) EXPECT_EQ(sf.h[static_cast<std::size_t>(p)].size(), p < ports ? sf.re.size() : 0u);
        const double clean = nmse_db(sf, h_true, ports);
        EXPECT_LT(clean, -35.0);
        EXPECT_LT(sf.noise_var, 1e-4f);
        // An echo (frequency-selective) and noise 20 dB under the RE power.
        for (int p = 0; p < 4; ++p) ch.echo[static_cast<std::size_t>(p)] = std::polar(0.3f, 0.7f * p);
        ch.echo_delay_s = 1.0e-6;
        ch.noise_var = 0.01;
        ch.seed = static_cast<std::uint64_t>(n_prb * 10 + ports);
        sf = syn::apply_subframe_channel(cell, 0, subframe, grids, ch, &h_true);
        est.execute(sf);
        const double noisy = nmse_db(sf, h_true, ports);
        std::printf("%3d PRB %d ports %s CP: NMSE %.1f dB clean, %.1f dB with echo and noise; noise %.4f (sent 0.0100)\n", n_prb, ports,
                    ncp ? "normal  " : "extended", clean, noisy, sf.noise_var);
        EXPECT_LT(noisy, -17.0);
        EXPECT_NEAR(sf.noise_var, 0.01, 0.006);   // 6 PRB: 12 pilots a symbol, the echo adds to the scatter
      }
}

// Deep noise (-6 dB per RE, where SIB1 is to be decoded): the estimate must average far more pilots than one
// symbol's neighbours. The bound is what averaging the subframe's CRS in time and >= 16 merged pilots in
// frequency gives (noise / 2 / 16 = 0.125 of the channel's power, -9 dB); a per-symbol [1 2 1] smoother
// gets +1.8 dB. The noise estimate must hold too (the LLRs are scaled by it).
TEST(ChannelEstimate, AveragesDeeplyInNoiseWhereTheChannelIsFlat) {
  for (int n_prb : {25, 50, 100})
    for (int ports : {1, 2, 4}) {
      CellParams cell;
      cell.n_prb = n_prb;
      cell.ports = ports;
      cell.pci = (7 * n_prb + ports) % 504;
      const int subframe = 5;
      SCOPED_TRACE(testing::Message() << n_prb << " PRB " << ports << " ports");
      const auto grids = cell_grids(cell, subframe);
      syn::SubframeChannel ch;
      for (int p = 0; p < 4; ++p) ch.gain[static_cast<std::size_t>(p)] = std::polar(1.0f, 1.3f * p + 0.2f);
      ch.delay_s = 0.0;     // the timing refined before (refine_dl_timing): what one subframe's pilots cannot tell
      ch.noise_var = 4.0;   // -6 dB per RE
      double sum_db = 0.0, sum_nv = 0.0;
      const int trials = 8;
      for (int t = 0; t < trials; ++t) {
        ch.seed = static_cast<std::uint64_t>(1000 * n_prb + 10 * ports + t);
        std::array<std::vector<cf32>, 4> h_true;
        DlSubframe sf = syn::apply_subframe_channel(cell, 0, subframe, grids, ch, &h_true);
        ChannelEstimator est(cell);
        est.execute(sf);
        sum_db += nmse_db(sf, h_true, ports);
        sum_nv += sf.noise_var;
      }
      std::printf("%3d PRB %d ports, noise 4.0: NMSE %.1f dB, noise estimate %.2f\n", n_prb, ports, sum_db / trials, sum_nv / trials);
      EXPECT_LT(sum_db / trials, -9.0);
      EXPECT_NEAR(sum_nv / trials, 4.0, 0.4);
    }
}

TEST(ChannelEstimate, RejectsASubframeOfAnotherCell) {
  CellParams cell;
  cell.n_prb = 25;
  ChannelEstimator est(cell);
  DlSubframe sf;
  sf.n_prb = 50;
  sf.re.resize(14 * 600);
  EXPECT_THROW(est.execute(sf), tw::InputError);
  sf.n_prb = 25;
  EXPECT_THROW(est.execute(sf), tw::InputError);   // re size
  sf.re.resize(14 * 300);
  sf.subframe = 10;
  EXPECT_THROW(est.execute(sf), tw::InputError);
  cell.ports = 3;
  EXPECT_THROW(ChannelEstimator{cell}, tw::InputError);
}

}  // namespace
