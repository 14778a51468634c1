// PCFICH (dsp/lte/pcfich) against the transmit chain (tools/synth/lte/pcfich_encoder) through a known
// channel with noise (tools/synth/lte/dl_subframe_channel), every bandwidth, port count, CP, CFI and a
// spread of PCIs and subframes; the code words of 36.212 table 5.3.4-1; noise gives no CFI.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "dsp/lte/channel_estimate.hpp"
#include "dsp/lte/control_regs.hpp"
#include "dsp/lte/pcfich.hpp"
#include "src/core/error.hpp"
#include "tools/synth/lte/dl_subframe_channel.hpp"
#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/lte/pcfich_encoder.hpp"

#include "support/lte_cell_grids.hpp"

namespace {

using namespace tw::dsp::lte;
namespace syn = tw::synth::lte;

std::vector<std::vector<cf32>> cell_grids(const CellParams& cell, int subframe) {
  return tw::test::lte_cell_grids(cell, subframe, {0.0, 0.0, true, 11});
}

TEST(Pcfich, CodeWordsOfTheTable) {
  // 36.212 table 5.3.4-1: <0,1,1, 0,1,1, ...>, <1,0,1, ...>, <1,1,0, ...>, 32 bits each.
  for (int cfi = 1; cfi <= 3; ++cfi) {
    const auto w = cfi_code_word(cfi);
    for (int i = 0; i < 32; ++i) EXPECT_EQ((w >> i) & 1u, (i % 3 == cfi - 1) ? 0u : 1u) << cfi << " bit " << i;
  }
  EXPECT_THROW(cfi_code_word(4), tw::InputError);
  EXPECT_THROW(cfi_code_word(0), tw::InputError);
}

TEST(Pcfich, RegsOfTheSpecification) {
  CellParams cell;
  cell.n_prb = 100;
  cell.pci = 300;
  // k_bar = 6 (300 mod 200) = 600; then + floor(i 100 / 2) 6 mod 1200: 600, 900, 0, 300.
  const auto r = pcfich_regs(cell);
  const int want[4] = {600, 900, 0, 300};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(r[static_cast<std::size_t>(i)].k0, want[i]);
    EXPECT_EQ(r[static_cast<std::size_t>(i)].l, 0);
    for (int k : r[static_cast<std::size_t>(i)].k) EXPECT_NE(k % 3, 0);   // CRS at k mod 3 = 300 mod 3 = 0
  }
}

TEST(Pcfich, EveryConfigurationDecodes) {
  std::mt19937 rng(3);
  int n = 0;
  for (int n_prb : {6, 15, 25, 50, 75, 100})
    for (int ports : {1, 2, 4})
      for (bool ncp : {true, false})
        for (int cfi = 1; cfi <= 3; ++cfi) {
          CellParams cell;
          cell.n_prb = n_prb;
          cell.ports = ports;
          cell.normal_cp = ncp;
          cell.pci = static_cast<int>(rng() % 504);
          const int subframe = static_cast<int>(rng() % 10);
          SCOPED_TRACE(testing::Message() << n_prb << " PRB " << ports << " ports CFI " << cfi << " PCI " << cell.pci << " subframe " << subframe);
          auto grids = cell_grids(cell, subframe);
          syn::pcfich_encode(cell, subframe, cfi, grids);
          syn::SubframeChannel ch;
          for (int p = 0; p < 4; ++p) ch.gain[static_cast<std::size_t>(p)] = std::polar(1.0f, 0.9f * p + 0.2f * cfi);
          ch.delay_s = 0.4e-6;
          ch.noise_var = 0.1;   // 10 dB per RE
          ch.seed = static_cast<std::uint64_t>(++n);
          DlSubframe sf = syn::apply_subframe_channel(cell, 0, subframe, grids, ch);
          ChannelEstimator(cell).execute(sf);
          float metric = 0;
          EXPECT_EQ(PcfichDecoder(cell).execute(sf, &metric), cfi) << metric;
          EXPECT_GT(metric, 4.0f);
          // Decoded as another subframe (other scrambling) or another cell, the word is no longer credible.
          sf.subframe = (subframe + 1) % 10;
          const int other = PcfichDecoder(cell).execute(sf, &metric);
          EXPECT_LT(metric, 4.0f);
          (void)other;
        }
}

TEST(Pcfich, NoiseGivesNoCfi) {
  CellParams cell;
  cell.n_prb = 25;
  cell.ports = 2;
  cell.pci = 10;
  PcfichDecoder dec(cell);
  ChannelEstimator est(cell);
  std::mt19937_64 rng(1);
  std::normal_distribution<float> nd(0.0f, 0.7071f);
  int called = 0;
  for (int t = 0; t < 1500; ++t) {
    DlSubframe sf;
    sf.n_prb = 25;
    sf.subframe = t % 10;
    sf.re.resize(14 * 300);
    for (auto& v : sf.re) v = cf32(nd(rng), nd(rng));
    est.execute(sf);
    if (dec.execute(sf) != 0) ++called;
  }
  EXPECT_LE(called, 8);   // 3 Q(3.5) per subframe: about 1 expected
}

TEST(Pcfich, RejectsASubframeWithoutChannel) {
  CellParams cell;
  cell.n_prb = 6;
  cell.ports = 2;
  DlSubframe sf;
  sf.n_prb = 6;
  sf.re.resize(14 * 72);
  EXPECT_THROW(PcfichDecoder(cell).execute(sf), tw::InputError);
  cell.pci = 504;
  EXPECT_THROW(PcfichDecoder{cell}, tw::InputError);
}

}  // namespace
