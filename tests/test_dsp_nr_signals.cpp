// NR synchronization signals and SSB layout against TS 38.211 7.4.2-7.4.3 / 38.213 4.1, and the NR
// frequency rasters against TS 38.104 5.4 (values from the spec's tables and the shared recording's
// reference.json: SSB at NR-ARFCN 368410 = 1842.05 MHz).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <set>

#include "dsp/nr/nr_bands.hpp"
#include "dsp/nr/nr_pss.hpp"
#include "dsp/nr/nr_sss.hpp"
#include "dsp/nr/pbch_dmrs.hpp"
#include "dsp/nr/ssb_grid.hpp"
#include "src/core/error.hpp"

namespace nr = tw::dsp::nr;

TEST(NrPss, ThreeCyclicShiftsOfOneMSequence) {
  // 7.4.2.2: d(n) = 1 - 2 x((n + 43 N_ID2) mod 127) with [x(6)..x(0)] = [1 1 1 0 1 1 0].
  const auto d0 = nr::pss_sequence(0), d1 = nr::pss_sequence(1), d2 = nr::pss_sequence(2);
  const int first[7] = {0, 1, 1, 0, 1, 1, 1};
  for (int i = 0; i < 7; ++i) EXPECT_EQ(d0[i], 1 - 2 * first[i]) << i;
  for (int n = 0; n < 127; ++n) {
    EXPECT_EQ(d1[n], d0[(n + 43) % 127]);
    EXPECT_EQ(d2[n], d0[(n + 86) % 127]);
  }
  // An m-sequence: 64 ones and 63 zeros -> sum of d = 127 - 2*64 = -1; periodic autocorrelation -1 off-peak.
  EXPECT_EQ(std::accumulate(d0.begin(), d0.end(), 0.0f), -1.0f);
  for (int s = 1; s < 127; ++s) {
    float acc = 0;
    for (int n = 0; n < 127; ++n) acc += d0[n] * d0[(n + s) % 127];
    EXPECT_EQ(acc, -1.0f) << s;
  }
  EXPECT_THROW(nr::pss_sequence(3), tw::InputError);
}

TEST(NrSss, ThousandAndEightDistinctSequencesWithLowCrossCorrelation) {
  std::set<std::vector<float>> seen;
  for (int n2 = 0; n2 < 3; ++n2)
    for (int n1 = 0; n1 < 336; ++n1) {
      const auto d = nr::sss_sequence(n1, n2);
      seen.insert(std::vector<float>(d.begin(), d.end()));
    }
  EXPECT_EQ(seen.size(), 1008u);
  // Gold-like family: |cross-correlation| of two different N_ID1 (same N_ID2) stays far below 127.
  const auto a = nr::sss_sequence(10, 1);
  for (int n1 = 0; n1 < 336; ++n1) {
    if (n1 == 10) continue;
    const auto b = nr::sss_sequence(n1, 1);
    float acc = 0;
    for (int n = 0; n < 127; ++n) acc += a[n] * b[n];
    EXPECT_LE(std::fabs(acc), 35.0f) << n1;
  }
  // m0 = 15 floor(N_ID1/112) + 5 N_ID2, m1 = N_ID1 mod 112: N_ID1 = 0, N_ID2 = 0 is x0(n) x1(n) with
  // x(0) = 1, x(1..6) = 0 -> d(0) = (1-2)(1-2) = 1, d(1) = 1.
  const auto z = nr::sss_sequence(0, 0);
  EXPECT_EQ(z[0], 1.0f);
  EXPECT_EQ(z[1], 1.0f);
}

TEST(NrSss, DetectorFindsNid1ThroughAnUnknownChannel) {
  const int n1 = 166, n2 = 2;   // PCI 500
  const auto p = nr::pss_sequence(n2);
  const auto s = nr::sss_sequence(n1, n2);
  std::array<std::complex<float>, 127> yp{}, ys{};
  for (int k = 0; k < 127; ++k) {
    const auto h = std::polar(0.5f + 0.004f * k, 0.13f * k + 1.0f);   // delay + tilt
    yp[k] = h * p[k];
    ys[k] = h * s[k] * std::polar(1.0f, 0.7f);                        // plus a symbol phase (38.211 5.4)
  }
  nr::SssDetector det(n2);
  const auto r = det.execute(yp, ys);
  EXPECT_EQ(r.n_id_1, n1);
  // Noise-free, the terms z = |h|^2 d_SSS add in phase: score = sum|h|^2 / sqrt(sum|h|^4).
  double s1 = 0, s2 = 0;
  for (int k = 0; k < 127; ++k) {
    const double g = std::norm(std::polar(0.5f + 0.004f * k, 0.0f));
    s1 += g;
    s2 += g * g;
  }
  EXPECT_NEAR(r.score, s1 / std::sqrt(s2), 1e-3);
  EXPECT_LT(r.second, 0.4 * r.score);
}

TEST(NrSsbGrid, PbchAndDmrsResourceElements) {
  // 7.4.3.1: 432 PBCH data REs and 144 DMRS REs; DMRS at k mod 4 = v = PCI mod 4; symbol 2 only k < 48 or
  // k >= 192; nothing of the PBCH in symbol 0 or on the SSS's subcarriers.
  for (int pci : {0, 1, 2, 3, 500, 1007}) {
    const auto& d = nr::pbch_data_res(pci);
    const auto& m = nr::pbch_dmrs_res(pci);
    std::set<int> used;
    int per_symbol[4] = {0, 0, 0, 0};
    for (const auto& re : m) {
      EXPECT_EQ(re.k % 4, pci % 4);
      used.insert(re.l * 240 + re.k);
      ++per_symbol[re.l];
    }
    EXPECT_EQ(per_symbol[1], 60);
    EXPECT_EQ(per_symbol[2], 24);
    EXPECT_EQ(per_symbol[3], 60);
    for (const auto& re : d) {
      EXPECT_NE(re.l, 0);
      if (re.l == 2) {
        EXPECT_TRUE(re.k < 48 || re.k >= 192) << int(re.k);
      }
      EXPECT_TRUE(used.insert(re.l * 240 + re.k).second);
    }
    EXPECT_EQ(used.size(), 576u);
    // Mapping order k first, then l (7.3.3.3): the first data REs are symbol 1's lowest subcarriers.
    EXPECT_EQ(d[0].l, 1);
    EXPECT_EQ(d[0].k, pci % 4 == 0 ? 1 : 0);
    EXPECT_EQ(d[431].l, 3);
  }
}

TEST(NrSsbGrid, BurstPositionsOfCasesABC) {
  // 38.213 4.1: case A {2,8}+14n, case B {4,8,16,20}+28n, case C {2,8}+14n.
  EXPECT_EQ(nr::ssb_first_symbols(nr::SsbCase::A, 4), (std::vector<int>{2, 8, 16, 22}));
  EXPECT_EQ(nr::ssb_first_symbols(nr::SsbCase::A, 8), (std::vector<int>{2, 8, 16, 22, 30, 36, 44, 50}));
  EXPECT_EQ(nr::ssb_first_symbols(nr::SsbCase::B, 4), (std::vector<int>{4, 8, 16, 20}));
  EXPECT_EQ(nr::ssb_first_symbols(nr::SsbCase::B, 8), (std::vector<int>{4, 8, 16, 20, 32, 36, 44, 48}));
  EXPECT_EQ(nr::ssb_first_symbols(nr::SsbCase::C, 8), (std::vector<int>{2, 8, 16, 22, 30, 36, 44, 50}));
  // 38.211 5.3.1 at 15 kHz, 2048-point: CP 144, 160 on symbols 0 and 7 -> symbol 2 starts at 2208 + 2192,
  // symbol 8 at 7 x 2192 + 16 + 2192 (0.5 ms = 15360 samples).
  EXPECT_EQ(nr::symbol_start_in_half_frame(2, 15, 2048), 16 + 2 * 2192);
  EXPECT_EQ(nr::symbol_start_in_half_frame(7, 15, 2048), 15360);
  EXPECT_EQ(nr::symbol_start_in_half_frame(8, 15, 2048), 15360 + 16 + 2192);
  // 30 kHz: 14 symbols of 2048 + 144 per 0.5 ms plus 16 kappa (= 32 samples at 61.44 Msps): 30720.
  EXPECT_EQ(nr::symbol_start_in_half_frame(14, 30, 2048), 30720);
  EXPECT_EQ(nr::symbol_start_in_half_frame(1, 30, 2048), 32 + 2192);
}

TEST(NrPbchDmrs, SequencePerSsbIndexAndDetection) {
  // 7.4.1.4.1: QPSK of unit power; the 8 i_SSB hypotheses give different sequences.
  const auto a = nr::pbch_dmrs_sequence(500, 0), b = nr::pbch_dmrs_sequence(500, 5);
  int diff = 0;
  for (int m = 0; m < 144; ++m) {
    EXPECT_NEAR(std::norm(a[m]), 1.0f, 1e-6);
    diff += a[m] != b[m];
  }
  EXPECT_GT(diff, 50);
  // Detection through a channel with a delay (phase slope) and gain: the right i_SSB and the channel back.
  for (int i_bar = 0; i_bar < 8; ++i_bar) {
    nr::SsbGrid g{};
    const auto seq = nr::pbch_dmrs_sequence(77, i_bar);
    const auto& res = nr::pbch_dmrs_res(77);
    auto h = [](int k) { return std::polar(0.3f, 0.05f * k); };
    for (int m = 0; m < 144; ++m) g[res[m].l][res[m].k] = h(res[m].k) * seq[m];
    const auto& data = nr::pbch_data_res(77);
    for (int i = 0; i < 432; ++i) g[data[i].l][data[i].k] = h(data[i].k) * std::complex<float>(0.7071f, -0.7071f);
    nr::PbchDmrs det(77);
    const auto r = det.execute(g);
    EXPECT_EQ(r.i_ssb_bar, i_bar);
    EXPECT_GT(r.metric, 4.0);
    for (int i = 0; i < 432; i += 7) EXPECT_LT(std::abs(r.h[i] - h(data[i].k)), 0.02f) << i;
  }
}

TEST(NrBands, ArfcnAndGscnRasters) {
  // 38.104 5.4.2.1 / 5.4.3.1 and the shared recording's reference (SSB NR-ARFCN 368410 at 1842.05 MHz).
  EXPECT_DOUBLE_EQ(*nr::nr_arfcn_to_hz(368410), 1842.05e6);
  EXPECT_EQ(*nr::hz_to_nr_arfcn(1842.05e6), 368410);
  EXPECT_DOUBLE_EQ(*nr::nr_arfcn_to_hz(620000), 3300e6);
  EXPECT_EQ(*nr::hz_to_nr_arfcn(3300e6), 620000);
  EXPECT_EQ(*nr::hz_to_gscn(1842.05e6), 4604);       // N = 1535, M = 1
  EXPECT_DOUBLE_EQ(*nr::gscn_to_hz(4604), 1842.05e6);
  EXPECT_DOUBLE_EQ(*nr::gscn_to_hz(4605), 1842.15e6);   // M = 3
  EXPECT_DOUBLE_EQ(*nr::gscn_to_hz(4606), 1842.25e6);   // M = 5
  EXPECT_DOUBLE_EQ(*nr::gscn_to_hz(7499), 3000e6);
  EXPECT_DOUBLE_EQ(*nr::gscn_to_hz(7711), 3000e6 + 212 * 1.44e6);
  EXPECT_FALSE(nr::hz_to_gscn(1842.1e6));
  for (int g = 2; g < 9000; g += 37) {
    const auto f = nr::gscn_to_hz(g);
    ASSERT_TRUE(f) << g;
    EXPECT_EQ(*nr::hz_to_gscn(*f), g);
  }
  // Table 5.4.3.3-1: n78 7711..8051 (30 kHz, case C), n3 4517..4693, n41 15 kHz every 3rd GSCN.
  const auto n78 = nr::nr_band_raster(78);
  ASSERT_EQ(n78.size(), 8051u - 7711u + 1u);
  EXPECT_EQ(n78.front().scs_khz, 30);
  EXPECT_EQ(n78.front().ssb_case, nr::SsbCase::C);
  EXPECT_EQ(n78.front().l_max, 8);
  const auto n3 = nr::nr_band_raster(3);
  EXPECT_EQ(n3.front().gscn, 4517);
  EXPECT_EQ(n3.back().gscn, 4693);
  EXPECT_EQ(n3.front().l_max, 4);
  for (const auto& c : n3) {
    EXPECT_GE(c.ss_ref_hz - 120 * 15e3, 1805e6);
    EXPECT_LE(c.ss_ref_hz + 120 * 15e3, 1880e6);
  }
  const auto n41 = nr::nr_band_raster(41);
  EXPECT_EQ(n41[1].gscn - n41[0].gscn, 3);
  EXPECT_EQ(*nr::nr_band_from_name("NR-n78"), 78);
  EXPECT_EQ(*nr::nr_band_from_name("n28"), 28);
  EXPECT_FALSE(nr::nr_band_from_name("NR-n999"));
  EXPECT_FALSE(nr::nr_band_from_name("LTE-B3"));
}
