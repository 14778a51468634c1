// PDCCH blind search (dsp/lte/pdcch) with the REG layout (control_regs, phich_resources), DCI fields
// (dci_parse) and the transmit side (tools/synth/lte/pdcch_encoder): synthetic subframes over every
// bandwidth, port count, CFI, PHICH configuration and CP, with noise; no DCI from noise; and the SI-RNTI
// DCIs of the real band-3 recording.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <set>

#include "dsp/lte/channel_estimate.hpp"
#include "dsp/lte/control_regs.hpp"
#include "dsp/lte/dci_parse.hpp"
#include "dsp/lte/ofdm_demod.hpp"
#include "dsp/lte/pcfich.hpp"
#include "dsp/lte/pdcch.hpp"
#include "dsp/lte/phich_resources.hpp"
#include "support/lte_cell_grids.hpp"
#include "support/lte_sib_capture.hpp"
#include "support/test_support.hpp"
#include "tools/synth/lte/dl_subframe_channel.hpp"
#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/lte/pcfich_encoder.hpp"
#include "tools/synth/lte/pdcch_encoder.hpp"

namespace {

using namespace tw::dsp::lte;
namespace syn = tw::synth::lte;

// The synthesizer's grids (CRS, PSS/SSS, PBCH) of subframe `subframe` of the cell.
// The test writes the control region itself.
std::vector<std::vector<cf32>> cell_grids(const CellParams& cell, int subframe) {
  return tw::test::lte_cell_grids(cell, subframe, {0.0, 0.0, false, 7});
}

Dci si_1a(int n_prb, int riv, int mcs, int rv, int tpc, bool distributed, int gap, int agg, int cce) {
  Dci d;
  d.format = DciFormat::f1a;
  d.rnti = kSiRnti;
  d.riv = riv;
  d.mcs = mcs;
  d.rv = rv;
  d.tpc = tpc;
  d.distributed = distributed;
  d.gap = distributed && n_prb >= 50 ? gap : 0;
  d.aggregation = agg;
  d.first_cce = cce;
  return d;
}

Dci p_1c(int n_prb, int riv, int itbs, int gap, int agg, int cce) {
  Dci d;
  d.format = DciFormat::f1c;
  d.rnti = kPRnti;
  d.distributed = true;
  d.riv = riv;
  d.mcs = itbs;
  d.gap = n_prb >= 50 ? gap : 0;
  d.rv = -1;
  d.aggregation = agg;
  d.first_cce = cce;
  return d;
}

// Format sizes of the common search space as commonly tabulated for FDD (36.212 5.3.3.1.3/4 worked out).
TEST(Dci, PayloadSizesOfEveryBandwidth) {
  const int prb[6] = {6, 15, 25, 50, 75, 100};
  const int size_1a[6] = {21, 22, 25, 27, 27, 28};
  const int size_1c[6] = {8, 10, 12, 13, 14, 15};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(dci_1a_bits(prb[i], false), size_1a[i]) << prb[i];
    EXPECT_EQ(dci_1c_bits(prb[i]), size_1c[i]) << prb[i];
  }
  EXPECT_THROW(dci_1a_bits(5, false), tw::InputError);
  EXPECT_THROW(parse_dci(DciFormat::f1a, std::vector<std::uint8_t>(27, 0), 100, false, kSiRnti), tw::InputError);
  std::vector<std::uint8_t> bad(28, 0);
  bad[3] = 2;
  EXPECT_THROW(parse_dci(DciFormat::f1a, bad, 100, false, kSiRnti), tw::InputError);
  // Format 0 (flag 0) is not a 1A.
  EXPECT_FALSE(parse_dci(DciFormat::f1a, std::vector<std::uint8_t>(28, 0), 100, false, kSiRnti).has_value());
}

TEST(Dci, FieldsSurvivePackAndParse) {
  for (int n_prb : {6, 15, 25, 50, 75, 100}) {
    for (bool dist : {false, true}) {
      const Dci d = si_1a(n_prb, (n_prb * (n_prb + 1) / 2) - 1, 17, 2, 3, dist, 1, 4, 0);
      const auto bits = syn::pack_dci(d, n_prb, false);
      const auto p = parse_dci(DciFormat::f1a, bits, n_prb, false, kSiRnti);
      ASSERT_TRUE(p.has_value());
      EXPECT_EQ(p->riv, d.riv);
      EXPECT_EQ(p->mcs, 17);
      EXPECT_EQ(p->rv, 2);
      EXPECT_EQ(p->tpc, 3);
      EXPECT_EQ(p->distributed, dist);
      EXPECT_EQ(p->gap, dist && n_prb >= 50 ? 1 : 0);
    }
    const int n = n_vrb_gap1(n_prb) / n_rb_step_1c(n_prb);
    const Dci c = p_1c(n_prb, n * (n + 1) / 2 - 1, 31, 1, 4, 0);
    const auto p = parse_dci(DciFormat::f1c, syn::pack_dci(c, n_prb, false), n_prb, false, kPRnti);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->riv, c.riv);
    EXPECT_EQ(p->mcs, 31);
    EXPECT_EQ(p->gap, n_prb >= 50 ? 1 : 0);
  }
}

// 6.2.4 / 6.7.4 / 6.9.3 / 6.8.5: every REG is 4 REs off the CRS, the owners never overlap, and the CCE
// counts of a 20 MHz two-port cell are the tabulated ones (CFI 1 Ng 1: 17; CFI 3 Ng 1/6: 87).
TEST(ControlRegs, LayoutAndCceCounts) {
  CellParams cell;
  cell.pci = 301;
  cell.n_prb = 100;
  cell.ports = 2;
  cell.phich_resource = "1";
  EXPECT_EQ(ControlRegs(cell, 1).n_cce(), 17);
  cell.phich_resource = "1/6";
  EXPECT_EQ(ControlRegs(cell, 3).n_cce(), 87);
  for (int n_prb : {6, 15, 25, 50, 75, 100})
    for (int ports : {1, 2, 4})
      for (bool ncp : {true, false})
        for (const char* ng : {"1/6", "1/2", "1", "2"})
          for (int l = 1; l <= 4; ++l) {
            cell.n_prb = n_prb;
            cell.ports = ports;
            cell.normal_cp = ncp;
            cell.phich_resource = ng;
            cell.pci = (17 * n_prb + 5 * l + (ncp ? 0 : 250)) % 504;
            for (bool ext : {false, true}) {
              cell.phich_extended = ext;
              if (ext && l < 3) {
                EXPECT_THROW(ControlRegs(cell, l), tw::InputError);
                continue;
              }
              const ControlRegs r(cell, l);
              std::set<int> used;
              const int nsc = 12 * n_prb;
              for (const auto& reg : r.all()) {
                for (int k : reg.k) {
                  EXPECT_TRUE(used.insert(reg.l * nsc + k).second);
                  EXPECT_TRUE(k >= reg.k0 && k < reg.k0 + 6);
                  // Off the CRS (of ports 0/1 in symbol 0 and, extended CP, 3; of ports 2/3 in symbol 1).
                  if (reg.l == 0 || (reg.l == 1 && ports == 4) || (reg.l == 3 && !ncp)) {
                    EXPECT_NE(k % 3, cell.pci % 3);
                  }
                }
              }
              std::set<int> owner;
              for (int i : r.pcfich()) EXPECT_TRUE(owner.insert(i).second);
              for (const auto& u : r.phich())
                for (int i : u) {
                  EXPECT_TRUE(owner.insert(i).second);
                  EXPECT_LT(r.all()[static_cast<std::size_t>(i)].l, ext ? 3 : 1);
                }
              for (int i : r.pdcch()) EXPECT_TRUE(owner.insert(i).second);
              EXPECT_EQ(owner.size(), r.all().size());
              EXPECT_EQ(static_cast<int>(r.phich().size()), phich_mapping_units(n_prb, ng));
              std::vector<int> q = r.pdcch_quadruplet();
              std::sort(q.begin(), q.end());
              for (std::size_t i = 0; i < q.size(); ++i) ASSERT_EQ(q[i], static_cast<int>(i));
            }
          }
  EXPECT_THROW(ControlRegs(cell, 5), tw::InputError);
  cell.phich_resource = "3";
  EXPECT_THROW(ControlRegs(cell, 3), tw::InputError);
}

// Every bandwidth, port count, CP and CFI, PHICH Ng and duration in turn, a known channel and noise: the
// PCFICH gives the CFI sent and the search gives back exactly the DCIs sent.
TEST(PdcchSynthetic, EveryConfigurationRoundTrips) {
  const char* ngs[4] = {"1/6", "1/2", "1", "2"};
  int cases = 0, dcis_sent = 0;
  std::mt19937 rng(5);
  for (int n_prb : {6, 15, 25, 50, 75, 100})
    for (int ports : {1, 2, 4})
      for (bool ncp : {true, false})
        for (int cfi = 1; cfi <= 3; ++cfi) {
          CellParams cell;
          cell.n_prb = n_prb;
          cell.ports = ports;
          cell.normal_cp = ncp;
          cell.pci = static_cast<int>(rng() % 504);
          cell.phich_resource = ngs[cases % 4];
          cell.phich_extended = control_symbols(cfi, n_prb) >= 3 && (cases / 4) % 2 == 1;
          const int subframe = static_cast<int>(rng() % 10);
          SCOPED_TRACE(testing::Message() << n_prb << " PRB, " << ports << " ports, " << (ncp ? "normal" : "extended")
                                          << " CP, CFI " << cfi << ", Ng " << cell.phich_resource << (cell.phich_extended ? " extended" : "")
                                          << ", PCI " << cell.pci << ", subframe " << subframe);
          ++cases;
          auto grids = cell_grids(cell, subframe);
          syn::pcfich_encode(cell, subframe, cfi, grids);
          const int n_cce = ControlRegs(cell, control_symbols(cfi, n_prb)).n_cce();
          std::vector<syn::PdcchTx> tx;
          const int nb = riv_bits(n_prb);
          if (n_cce >= 8) {
            tx.push_back({si_1a(n_prb, static_cast<int>(rng() % (n_prb * (n_prb + 1) / 2)), static_cast<int>(rng() % 32),
                                static_cast<int>(rng() % 4), static_cast<int>(rng() % 4), rng() % 2 == 1, static_cast<int>(rng() % 2),
                                8, 0), 1.0f});
            (void)nb;
            if (n_cce >= 12) {
              const int n = n_vrb_gap1(n_prb) / n_rb_step_1c(n_prb);
              tx.push_back({p_1c(n_prb, static_cast<int>(rng() % (n * (n + 1) / 2)), static_cast<int>(rng() % 32), static_cast<int>(rng() % 2), 4, 8), 1.0f});
            }
          } else if (n_cce >= 4) {
            tx.push_back({si_1a(n_prb, 5, 3, 1, 1, false, 0, 4, 0), 1.0f});
          }
          syn::PdcchFill fill;
          fill.seed = static_cast<std::uint64_t>(cases);
          fill.other_cces_random = true;
          syn::pdcch_encode(cell, subframe, cfi, tx, grids, fill);
          syn::SubframeChannel ch;
          for (int p = 0; p < 4; ++p) ch.gain[static_cast<std::size_t>(p)] = std::polar(0.8f + 0.1f * p, 1.3f * p + 0.4f);
          ch.echo[1] = cf32(0.2f, 0.1f);
          ch.echo_delay_s = 0.5e-6;
          ch.delay_s = 0.3e-6;
          ch.noise_var = 0.02;   // 17 dB per RE
          ch.seed = static_cast<std::uint64_t>(cases);
          DlSubframe sf = syn::apply_subframe_channel(cell, 100, subframe, grids, ch);
          ChannelEstimator(cell).execute(sf);
          float metric = 0;
          ASSERT_EQ(PcfichDecoder(cell).execute(sf, &metric), cfi) << metric;
          PdcchSearch search(cell);
          const std::uint16_t rntis[] = {kSiRnti, kPRnti, 0x0002};
          const auto got = search.execute(sf, cfi, rntis);
          ASSERT_EQ(got.size(), tx.size());
          for (const auto& t : tx) {
            ++dcis_sent;
            const auto it = std::find_if(got.begin(), got.end(), [&](const Dci& d) { return d.format == t.dci.format; });
            ASSERT_NE(it, got.end());
            EXPECT_EQ(it->rnti, t.dci.rnti);
            EXPECT_EQ(it->aggregation, t.dci.aggregation);
            EXPECT_EQ(it->first_cce, t.dci.first_cce);
            EXPECT_EQ(it->riv, t.dci.riv);
            EXPECT_EQ(it->mcs, t.dci.mcs);
            EXPECT_EQ(it->gap, t.dci.gap);
            EXPECT_EQ(it->distributed, t.dci.distributed);
            EXPECT_EQ(it->bits, syn::pack_dci(t.dci, n_prb, false));
            if (t.dci.format == DciFormat::f1a) {
              EXPECT_EQ(it->rv, t.dci.rv);
              EXPECT_EQ(it->tpc, t.dci.tpc);
            }
          }
        }
  EXPECT_EQ(cases, 108);
  EXPECT_GE(dcis_sent, 140);
}

// Noise alone (and noise after a real channel estimate of it) never yields a DCI, whatever the CFI; the
// PCFICH calls a CFI on noise rarely.
TEST(PdcchSynthetic, NoDciInNoise) {
  CellParams cell;
  cell.n_prb = 25;
  cell.ports = 2;
  cell.pci = 77;
  const std::uint16_t rntis[] = {kSiRnti, kPRnti, 0x0001, 0x0002, 0x0003};
  PdcchSearch search(cell);
  PcfichDecoder pcfich(cell);
  ChannelEstimator est(cell);
  std::mt19937_64 rng(99);
  std::normal_distribution<float> nd(0.0f, 0.7071f);
  int found = 0, cfi_called = 0, crc_rejected = 0;
  const int trials = 1000;
  for (int t = 0; t < trials; ++t) {
    DlSubframe sf;
    sf.n_prb = 25;
    sf.n_symbols = 14;
    sf.subframe = t % 10;
    sf.re.resize(14 * 300);
    for (auto& v : sf.re) v = cf32(nd(rng), nd(rng));
    est.execute(sf);
    if (pcfich.execute(sf) != 0) ++cfi_called;
    for (int cfi = 1; cfi <= 3; ++cfi) {
      found += static_cast<int>(search.execute(sf, cfi, rntis).size());
      crc_rejected += search.rejected();
    }
  }
  EXPECT_EQ(found, 0);
  EXPECT_LE(cfi_called, 8);   // expected about 0.3 (3 Q(3.5) per subframe)
  std::printf("noise: %d subframes x 3 CFI x the common candidates x 2 formats x 5 RNTIs: %d CRC matches rejected by the evidence check, PCFICH called %d\n",
              trials, crc_rejected, cfi_called);
}

// Coding gain: at 0 dB per RE an aggregation-8 DCI (rate about 1/13) is still found nearly every time;
// what is found is always what was sent.
TEST(PdcchSynthetic, DecodesAtZeroDb) {
  CellParams cell;
  cell.n_prb = 50;
  cell.ports = 2;
  cell.pci = 123;
  int found = 0;
  const int trials = 30;
  for (int t = 0; t < trials; ++t) {
    auto grids = cell_grids(cell, 5);
    syn::pcfich_encode(cell, 5, 2, grids);
    const Dci d = si_1a(50, 100 + t, t % 32, t % 4, 1, false, 0, 8, 8);
    const std::vector<syn::PdcchTx> tx = {{d, 1.0f}};
    syn::pdcch_encode(cell, 5, 2, tx, grids);
    syn::SubframeChannel ch;
    ch.gain[1] = cf32(0.0f, 1.0f);
    ch.noise_var = 1.0;
    ch.seed = static_cast<std::uint64_t>(t + 1000);
    DlSubframe sf = syn::apply_subframe_channel(cell, 0, 5, grids, ch);
    ChannelEstimator(cell).execute(sf);
    PdcchSearch search(cell);
    const std::uint16_t rntis[] = {kSiRnti};
    const auto got = search.execute(sf, 2, rntis);
    ASSERT_LE(got.size(), 1u);
    if (got.empty()) continue;
    EXPECT_EQ(got[0].bits, syn::pack_dci(d, 50, false));
    ++found;
  }
  std::printf("0 dB per RE: %d of %d aggregation-8 DCIs found\n", found, trials);
  EXPECT_GE(found, trials - 3);
}

// SIB1's DCI at -6 dB per RE, aggregation 4 (144 REs for 41 bits: beyond what one subframe carries): the
// PDCCH of the four SIB1 subframes of 80 ms added (execute_combined), each word with the RV 36.321 5.3.1
// gives its SFN, finds it nearly every time, and what it finds is the first subframe's word; with the RVs
// taken as all alike the words do not add up and the search finds far fewer.
TEST(PdcchSynthetic, FourSib1SubframesAddedFindADciNoneShowsAlone) {
  CellParams cell;
  cell.n_prb = 25;
  cell.ports = 2;
  cell.pci = 211;
  const std::uint16_t rntis[] = {kSiRnti};
  const int trials = 30;
  int alone = 0, combined = 0, same_rv = 0;
  for (int t = 0; t < trials; ++t) {
    std::vector<std::vector<float>> llrs;
    std::vector<int> rvs;
    std::vector<std::uint8_t> first_word;
    int n_cce = 0;
    PdcchSearch search(cell);
    for (int j = 0; j < 4; ++j) {
      const int sfn = 2 * j + 8 * t;   // even frames: k = (SFN / 2) mod 4 = j
      const int rv = (3 * j + 1) / 2 % 4;   // ceil(3k/2) mod 4: 0 2 3 1
      auto grids = cell_grids(cell, 5);
      syn::pcfich_encode(cell, 5, 2, grids);
      const Dci d = si_1a(25, 40 + t, 2 + t % 6, rv, 1, false, 0, 4, 0);
      if (j == 0) first_word = syn::pack_dci(d, 25, false);
      const std::vector<syn::PdcchTx> tx = {{d, 1.0f}};
      syn::pdcch_encode(cell, 5, 2, tx, grids);
      syn::SubframeChannel ch;
      ch.gain[1] = cf32(0.0f, 1.0f);
      ch.noise_var = 4.0;   // -6 dB per RE
      ch.seed = static_cast<std::uint64_t>(7000 + 4 * t + j);
      DlSubframe sf = syn::apply_subframe_channel(cell, sfn, 5, grids, ch);
      ChannelEstimator(cell).execute(sf);
      alone += static_cast<int>(search.execute(sf, 2, rntis).size());
      llrs.push_back(search.soft_bits(sf, 2, &n_cce));
      rvs.push_back(rv);
    }
    const auto got = search.execute_combined(llrs, n_cce, rvs, rntis);
    ASSERT_LE(got.size(), 1u);
    if (!got.empty()) {
      EXPECT_EQ(got[0].bits, first_word);
      EXPECT_EQ(got[0].rv, 0);
      ++combined;
    }
    const std::vector<int> zeros(4, 0);
    same_rv += static_cast<int>(search.execute_combined(llrs, n_cce, zeros, rntis).size());
  }
  std::printf("-6 dB per RE, aggregation 4: %d of %d DCIs found in one subframe, %d of %d in four added (%d with the RVs taken alike)\n",
              alone, 4 * trials, combined, trials, same_rv);
  EXPECT_GE(combined, trials - 3);
  EXPECT_LT(alone, 2 * trials);
  EXPECT_LT(same_rv, combined / 2);
}

// Noise added over four subframes is still noise: no DCI, whatever the RVs.
TEST(PdcchSynthetic, NoDciInFourNoiseSubframesAdded) {
  CellParams cell;
  cell.n_prb = 25;
  cell.ports = 2;
  cell.pci = 77;
  const std::uint16_t rntis[] = {kSiRnti};
  PdcchSearch search(cell);
  ChannelEstimator est(cell);
  std::mt19937_64 rng(1234);
  std::normal_distribution<float> nd(0.0f, 0.7071f);
  int found = 0;
  const int trials = 150;
  for (int t = 0; t < trials; ++t)
    for (int cfi = 1; cfi <= 3; ++cfi) {
      std::vector<std::vector<float>> llrs;
      int n_cce = 0;
      for (int j = 0; j < 4; ++j) {
        DlSubframe sf;
        sf.n_prb = 25;
        sf.n_symbols = 14;
        sf.subframe = 5;
        sf.re.resize(14 * 300);
        for (auto& v : sf.re) v = cf32(nd(rng), nd(rng));
        est.execute(sf);
        llrs.push_back(search.soft_bits(sf, cfi, &n_cce));
      }
      const std::vector<int> rv_sib1 = {0, 2, 3, 1}, zeros = {0, 0, 0, 0};
      found += static_cast<int>(search.execute_combined(llrs, n_cce, rv_sib1, rntis).size());
      found += static_cast<int>(search.execute_combined(llrs, n_cce, zeros, rntis).size());
    }
  EXPECT_EQ(found, 0);
}

TEST(PdcchSynthetic, CombiningRejectsMismatchedInput) {
  CellParams cell;
  cell.n_prb = 25;
  PdcchSearch search(cell);
  const std::uint16_t rntis[] = {kSiRnti};
  std::vector<std::vector<float>> llrs = {std::vector<float>(72 * 8), std::vector<float>(72 * 7)};
  const std::vector<int> rv = {0, 2};
  EXPECT_THROW(search.execute_combined(llrs, 7, rv, rntis), tw::InputError);   // unequal sizes
  llrs[1].resize(72 * 8);
  const std::vector<int> one = {0};
  EXPECT_THROW(search.execute_combined(llrs, 8, one, rntis), tw::InputError);  // an RV missing
  const std::vector<int> bad = {0, 4};
  EXPECT_THROW(search.execute_combined(llrs, 8, bad, rntis), tw::InputError);  // RV outside 0..3
  EXPECT_THROW(search.execute_combined(llrs, 9, rv, rntis), tw::InputError);   // fewer bits than 9 CCEs
  EXPECT_TRUE(search.execute_combined(llrs, 8, rv, rntis).empty());            // all zero: nothing
}

// TDD: format 1A's 4-bit HARQ process and DAI, and the PHICH's m_i (36.211 table 6.9-1) moving the
// PDCCH's REGs: found with the m_i it was sent with, not with another.
TEST(PdcchSynthetic, TddPhichFactorAndFields) {
  CellParams cell;
  cell.n_prb = 25;
  cell.ports = 2;
  cell.pci = 45;
  cell.tdd = true;
  EXPECT_EQ(dci_1a_bits(25, true), 27);
  for (int mi = 0; mi <= 2; ++mi) {
    SCOPED_TRACE(mi);
    auto grids = cell_grids(cell, 0);
    syn::pcfich_encode(cell, 0, 3, grids);
    Dci d = si_1a(25, 77, 5, 3, 1, false, 0, 8, 0);
    d.harq_process = 11;
    syn::PdcchFill fill;
    fill.phich_mi = mi;
    const std::vector<syn::PdcchTx> tx = {{d, 1.0f}};
    syn::pdcch_encode(cell, 0, 3, tx, grids, fill);
    syn::SubframeChannel ch;
    ch.noise_var = 0.01;
    DlSubframe sf = syn::apply_subframe_channel(cell, 0, 0, grids, ch);
    ChannelEstimator(cell).execute(sf);
    PdcchSearch search(cell);
    const std::uint16_t rntis[] = {kSiRnti};
    search.set_phich_mi(mi);
    const auto got = search.execute(sf, 3, rntis);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].harq_process, 11);
    EXPECT_EQ(got[0].riv, 77);
    search.set_phich_mi(mi == 0 ? 2 : 0);
    EXPECT_TRUE(search.execute(sf, 3, rntis).empty());
  }
  PdcchSearch search(cell);
  EXPECT_THROW(search.set_phich_mi(3), tw::InputError);
}

// What a rogue transmitter or a broken file can put in a subframe: NaN, infinities, huge and zero values.
// Nothing crashes, nothing is found, and the bad calls are input errors.
TEST(PdcchSynthetic, GarbageSubframes) {
  CellParams cell;
  cell.n_prb = 15;
  cell.ports = 4;
  cell.pci = 500;
  PdcchSearch search(cell);
  PcfichDecoder pcfich(cell);
  ChannelEstimator est(cell);
  const std::uint16_t rntis[] = {kSiRnti, kPRnti};
  const float specials[] = {std::nanf(""), INFINITY, -INFINITY, 3e38f, 0.0f, 1e-38f};
  std::mt19937 rng(8);
  for (int t = 0; t < 60; ++t) {
    DlSubframe sf;
    sf.n_prb = 15;
    sf.subframe = t % 10;
    sf.re.resize(14 * 180);
    for (auto& v : sf.re) v = cf32(specials[rng() % 6], specials[rng() % 6]);
    if (t % 2) est.execute(sf);
    else for (int p = 0; p < 4; ++p) sf.h[static_cast<std::size_t>(p)].assign(sf.re.size(), cf32(specials[rng() % 6], 1.0f));
    (void)pcfich.execute(sf);
    for (int cfi = 1; cfi <= 3; ++cfi) EXPECT_TRUE(search.execute(sf, cfi, rntis).empty());
  }
  DlSubframe sf;
  sf.n_prb = 15;
  sf.re.resize(14 * 180);
  EXPECT_THROW(search.execute(sf, 1, rntis), tw::InputError);   // no channel estimate
  est.execute(sf);
  EXPECT_THROW(search.execute(sf, 0, rntis), tw::InputError);
  EXPECT_THROW(search.execute(sf, 4, rntis), tw::InputError);
  const std::vector<std::uint16_t> many(17, kSiRnti);
  EXPECT_THROW(search.execute(sf, 1, many), tw::InputError);
  sf.n_prb = 25;
  EXPECT_THROW(search.execute(sf, 1, rntis), tw::InputError);
}

// OFDM (36.211 6.12) of port grids written straight from its definition, s(t) = sum_k a_k e^{j 2 pi f_k df
// (t - N_CP Ts)} within each symbol, evaluated at the receiver's sample instants: the frame starts at
// t0 (seconds), the eNodeB's clock runs `scale` times the receiver's, the carrier sits `offset_hz` from the
// centre. Only subframe `subframe` of frame 0 is sent.
std::vector<cf32> ofdm_by_definition(const CellParams& cell, const std::vector<std::vector<cf32>>& grids, int subframe, double fs,
                                     double t0, double scale, double offset_hz, double seconds) {
  const int nsc = 12 * cell.n_prb;
  const int per_slot = cell.normal_cp ? 7 : 6;
  std::vector<cf32> x(static_cast<std::size_t>(seconds * fs), cf32{});
  constexpr double ts = 1.0 / 30.72e6;
  for (int l = 0; l < 2 * per_slot; ++l) {
    const int cp = cell.normal_cp ? ((l % per_slot) == 0 ? 160 : 144) : 512;
    int start = (l / per_slot) * 15360;
    for (int i = 0; i < l % per_slot; ++i) start += (cell.normal_cp ? (i == 0 ? 160 : 144) : 512) + 2048;
    const double t_useful = (subframe * 30720 + start + cp) * ts;   // eNodeB time from the frame start
    const double t_begin = t_useful - cp * ts, t_end = t_useful + 2048 * ts;
    const auto n0 = static_cast<std::int64_t>(std::ceil((t0 + t_begin / scale) * fs));
    const auto n1 = static_cast<std::int64_t>(std::ceil((t0 + t_end / scale) * fs));
    std::vector<cf32> a(static_cast<std::size_t>(nsc), cf32{});
    for (std::size_t p = 0; p < grids.size(); ++p)
      for (int k = 0; k < nsc; ++k) a[static_cast<std::size_t>(k)] += grids[p][static_cast<std::size_t>(l * nsc + k)];
    for (int k = 0; k < nsc; ++k) {
      if (a[static_cast<std::size_t>(k)] == cf32{}) continue;
      const int f = k < nsc / 2 ? k - nsc / 2 : k - nsc / 2 + 1;
      const double w = 2.0 * M_PI * f * 15e3;
      std::complex<double> rot = std::polar(1.0, w * ((static_cast<double>(n0) / fs - t0) * scale - t_useful));
      const std::complex<double> inc = std::polar(1.0, w * scale / fs);
      const std::complex<double> ak(a[static_cast<std::size_t>(k)]);
      for (std::int64_t n = std::max<std::int64_t>(n0, 0); n < std::min<std::int64_t>(n1, static_cast<std::int64_t>(x.size())); ++n) {
        x[static_cast<std::size_t>(n)] += cf32(ak * rot);
        rot *= inc;
      }
    }
  }
  for (std::size_t n = 0; n < x.size(); ++n) x[n] *= cf32(std::polar(1.0, 2.0 * M_PI * offset_hz * static_cast<double>(n) / fs));
  return x;
}

// Through OFDM: PCFICH and PDCCH written into the synthesizer's grids, sent at 20 Msps (resampled on
// reception) and 7.68 Msps (FFT), with a fractional delay, a carrier and clock offset and noise; the receiver
// starts from a coarse timing (1 sample, 150 Hz off) and refines it on the CRS.
TEST(PdcchSynthetic, ThroughOfdmFromACoarseTiming) {
  struct Case {
    int n_prb, ports;
    double fs;
  };
  for (const Case c : {Case{100, 2, 20e6}, Case{25, 4, 7.68e6}, Case{6, 1, 1.92e6}}) {
    SCOPED_TRACE(testing::Message() << c.n_prb << " PRB at " << c.fs / 1e6 << " Msps");
    CellParams cell;
    cell.n_prb = c.n_prb;
    cell.ports = c.ports;
    cell.pci = 300;
    const int subframe = 5, cfi = c.n_prb == 6 ? 3 : 2;
    auto grids = cell_grids(cell, subframe);
    syn::pcfich_encode(cell, subframe, cfi, grids);
    const int n_cce = ControlRegs(cell, control_symbols(cfi, c.n_prb)).n_cce();
    std::vector<syn::PdcchTx> tx = {{si_1a(c.n_prb, 300 % (c.n_prb * (c.n_prb + 1) / 2), 3, 2, 1, false, 0, 4, 0), 1.0f}};
    if (n_cce >= 16) tx.push_back({p_1c(c.n_prb, 7, 9, 0, 8, 8), 1.0f});
    syn::pdcch_encode(cell, subframe, cfi, tx, grids);
    const double t0 = 37.3e-6, scale = 1.0 + 8e-6, offset = 14000.0;
    auto iq = ofdm_by_definition(cell, grids, subframe, c.fs, t0, scale, offset, 6.2e-3);
    std::mt19937_64 rng(4);
    std::normal_distribution<float> nd(0.0f, 0.02f);   // about 20 dB under the REs (per subcarrier)
    const float rms_re = 1.0f / std::sqrt(static_cast<float>(c.fs / 15e3));
    for (auto& v : iq) v += rms_re * cf32(nd(rng), nd(rng)) * 7.0f;
    DlTiming coarse;
    coarse.sample_rate_hz = c.fs;
    coarse.frame_start_sample = t0 * c.fs + 1.0;
    coarse.carrier_offset_hz = offset - 150.0;
    coarse.clock_scale = scale;
    coarse.sfn0 = 951;
    const auto timing = refine_dl_timing(cell, coarse, iq);
    EXPECT_NEAR(timing.frame_start_sample, t0 * c.fs, 0.1);
    EXPECT_NEAR(timing.carrier_offset_hz, offset, 10.0);
    DlOfdmDemodulator demod(cell, timing);
    DlSubframe sf;
    ASSERT_TRUE(demod.execute(iq, 0, subframe, sf));
    ChannelEstimator(cell).execute(sf);
    EXPECT_EQ(PcfichDecoder(cell).execute(sf), cfi);
    PdcchSearch search(cell);
    const std::uint16_t rntis[] = {kSiRnti, kPRnti};
    const auto got = search.execute(sf, cfi, rntis);
    ASSERT_EQ(got.size(), tx.size());
    for (std::size_t i = 0; i < tx.size(); ++i) {
      const auto it = std::find_if(got.begin(), got.end(), [&](const Dci& d) { return d.rnti == tx[i].dci.rnti; });
      ASSERT_NE(it, got.end());
      EXPECT_EQ(it->bits, syn::pack_dci(tx[i].dci, c.n_prb, false));
      EXPECT_EQ(it->first_cce, tx[i].dci.first_cce);
      EXPECT_EQ(it->aggregation, tx[i].dci.aggregation);
    }
  }
}

// 36.213 table 7.1.7.2.1-1, row I_TBS = 3, columns N_PRB = 1..3.
constexpr int kTbsRow3[4] = {0, 40, 104, 176};

TEST(PdcchFile, SiRntiDciOfTheBand3Recording) {
  TW_REQUIRE_SHARED(shared);
  const auto cap = tw::test::load_lte_sib_capture(shared);
  ASSERT_TRUE(cap.has_value()) << "no cell found";
  ASSERT_EQ(cap->cell.n_prb, 100);
  ASSERT_EQ(cap->cell.ports, 2);
  DlOfdmDemodulator demod(cap->cell, cap->timing);
  ChannelEstimator est(cap->cell);
  PcfichDecoder pcfich(cap->cell);
  PdcchSearch search(cap->cell);
  const std::uint16_t si[] = {kSiRnti};
  const std::uint16_t p_only[] = {kPRnti};
  DlSubframe sf;
  int riv = -1, seen = 0;
  for (std::int64_t frame = 0; frame < 9; ++frame) {
    const int sfn = (cap->timing.sfn0 + static_cast<int>(frame)) % 1024;
    if (sfn < 952 || sfn > 958 || sfn % 2 != 0) continue;
    SCOPED_TRACE(sfn);
    ASSERT_TRUE(demod.execute(cap->iq, frame, 5, sf));
    ASSERT_EQ(sf.sfn, sfn);
    est.execute(sf);
    float metric = 0;
    const int cfi = pcfich.execute(sf, &metric);
    ASSERT_GE(cfi, 1);
    EXPECT_GT(metric, 4.5f);   // near sqrt(32) = 5.66: a clean code word
    const auto dcis = search.execute(sf, cfi, si);
    ASSERT_EQ(dcis.size(), 1u);
    const Dci& d = dcis[0];
    std::printf("SFN %d subframe 5: CFI %d (%.2f), DCI %s aggregation %d CCE %d RIV %d MCS %d RV %d TPC %d, evidence %.1f\n", sfn,
                cfi, metric, d.format == DciFormat::f1a ? "1A" : "1C", d.aggregation, d.first_cce, d.riv, d.mcs, d.rv, d.tpc,
                search.evidence()[0]);
    EXPECT_EQ(d.format, DciFormat::f1a);
    EXPECT_EQ(d.rnti, kSiRnti);
    EXPECT_EQ(d.mcs, 3);   // the reference's MCS; for the SI-RNTI I_TBS = I_MCS (36.213 7.1.7)
    // 36.321 5.3.1: SIB1's redundancy version RV_K = ceil(3/2 k) mod 4, k = (SFN / 2) mod 4.
    const int k = (sfn / 2) % 4;
    EXPECT_EQ(d.rv, ((3 * k + 1) / 2) % 4);
    // TPC's LSB picks N_PRB^1A (36.212 5.3.3.1.3): the reference's TBS 176 at I_TBS 3 is column 3.
    const int n_prb_1a = (d.tpc & 1) ? 3 : 2;
    EXPECT_EQ(kTbsRow3[n_prb_1a], 176);
    // The same allocation every time; a localized RIV within N_RB (N_RB + 1) / 2 whose L_CRB holds N_PRB^1A.
    EXPECT_FALSE(d.distributed);
    ASSERT_LT(d.riv, 100 * 101 / 2);
    const int l_crb = d.riv / 100 + 1 <= 50 ? d.riv / 100 + 1 : 100 - d.riv / 100 + 1;
    EXPECT_GE(l_crb, n_prb_1a);
    if (riv >= 0) {
      EXPECT_EQ(d.riv, riv);
    }
    riv = d.riv;
    ++seen;
    // The CRC is masked by the SI-RNTI: a search for the P-RNTI alone finds nothing here; nor does the search
    // with another CFI (another REG layout).
    EXPECT_TRUE(search.execute(sf, cfi, p_only).empty());
    for (int other = 1; other <= 3; ++other)
      if (other != cfi) {
        EXPECT_TRUE(search.execute(sf, other, si).empty()) << "CFI " << other;
      }
  }
  EXPECT_EQ(seen, 4);
}

}  // namespace
