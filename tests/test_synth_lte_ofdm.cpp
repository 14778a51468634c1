// The LTE synthesizer's OFDM frames measured from rendered samples: an FFT of each symbol (timing worked
// out here from 36.211 table 6.12-1: CP 160/144 per 2048 samples, 19200 samples per 10 ms frame at
// 1.92 Msps) recovers the PSS (Zadoff-Chu, 6.11.1.1), SSS (6.11.2.1) and CRS (6.10.1: Gold sequence of
// 7.2) values computed here on the subcarriers of 6.11.1.2 / 6.11.2.2 / 6.10.1.2, nothing on DC, the same
// one frame later; a 20 MHz cell seen at 1.92 Msps shows the same central subcarriers.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include <fftw3.h>

#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

using namespace tw::synth;
using tw::cf32;
using cd = std::complex<double>;

namespace {

lte::LteCellConfig cell(int pci, int ports, int n_prb) {
  lte::LteCellConfig c;
  c.earfcn = 1300;   // band 3, 1815.0 MHz
  c.pci = pci;
  c.ports = ports;
  c.bandwidth_prb = n_prb;
  c.first_sfn = 100;
  c.first_sfn_set = true;
  c.power_dbfs = -40.0;
  return c;
}

std::vector<cf32> render(const lte::LteCellConfig& c, double fs, double seconds, double center_offset_hz = 0.0) {
  SceneWithLte s;
  s.scene.seed = 5;
  s.scene.noise_dbfs = -300.0;
  s.lte_cells = {c};
  SceneRenderer r(s, lte::carrier_hz(c) + center_offset_hz, fs, 0.0, [](const CellConfig&, int, std::uint64_t) {
    return std::unique_ptr<BlockProvider>();
  });
  std::vector<cf32> x(static_cast<std::size_t>(std::llround(seconds * fs)));
  r.render(x);
  return x;
}

// Start of symbol l (0..13) of a normal-CP subframe with FFT size n (CP 160/144 per 2048).
int symbol_start(int l, int n) {
  const int slot = l / 7, i = l % 7;
  int pos = slot * 15 * n / 2;
  for (int j = 0; j < i; ++j) pos += (j == 0 ? 160 : 144) * n / 2048 + n;
  return pos;
}
int cp_of(int l, int n) { return (l % 7 == 0 ? 160 : 144) * n / 2048; }

// FFT of the useful part of a symbol starting at `start`, scaled so a subcarrier of value a at EPRE gain g
// comes out as a: X[f] / (n g). Returns bins indexed by the 36.211 frequency index f = -n/2 .. n/2-1.
std::vector<cd> demod(const std::vector<cf32>& x, std::size_t start, int l, int n, double gain) {
  std::vector<fftwf_complex> in(static_cast<std::size_t>(n)), out(static_cast<std::size_t>(n));
  const std::size_t u = start + static_cast<std::size_t>(cp_of(l, n));
  for (int i = 0; i < n; ++i) {
    in[static_cast<std::size_t>(i)][0] = x[u + static_cast<std::size_t>(i)].real();
    in[static_cast<std::size_t>(i)][1] = x[u + static_cast<std::size_t>(i)].imag();
  }
  fftwf_plan p = fftwf_plan_dft_1d(n, in.data(), out.data(), FFTW_FORWARD, FFTW_ESTIMATE);
  fftwf_execute(p);
  fftwf_destroy_plan(p);
  std::vector<cd> bins(static_cast<std::size_t>(n));
  for (int f = -n / 2; f < n / 2; ++f) {
    const auto& o = out[static_cast<std::size_t>((f + n) % n)];
    bins[static_cast<std::size_t>(f + n / 2)] = cd(o[0], o[1]) / (n * gain);
  }
  return bins;
}

// Value on grid subcarrier k (0..12 n_prb - 1) from the bins of demod().
cd at_k(const std::vector<cd>& bins, int k, int n_prb, int n) {
  const int nsc = 12 * n_prb;
  const int f = k < nsc / 2 ? k - nsc / 2 : k - nsc / 2 + 1;
  return bins[static_cast<std::size_t>(f + n / 2)];
}
cd dc(const std::vector<cd>& bins, int n) { return bins[static_cast<std::size_t>(n / 2)]; }

// 6.11.1.1: d_u(n).
cd pss(int n_id_2, int n) {
  const int u[3] = {25, 29, 34};
  const double e = n <= 30 ? u[n_id_2] * n * (n + 1) : u[n_id_2] * (n + 1) * (n + 2);
  return std::polar(1.0, -std::numbers::pi * e / 63.0);
}

// 6.11.2.1: d(0..61) of subframe 0 or 5.
std::vector<double> sss(int pci, int subframe) {
  const int n1 = pci / 3, n2 = pci % 3;
  const int qp = n1 / 30, q = (n1 + qp * (qp + 1) / 2) / 30, mp = n1 + q * (q + 1) / 2;
  const int m0 = mp % 31, m1 = (m0 + mp / 31 + 1) % 31;
  auto mseq = [](int t) {   // t: 0 -> x(i+2)+x(i), 1 -> x(i+3)+x(i), 2 -> x(i+4)+x(i+2)+x(i+1)+x(i)
    std::vector<int> x(36, 0);
    x[4] = 1;
    for (int i = 0; i < 31; ++i) {
      const auto k = static_cast<std::size_t>(i);
      x[k + 5] = t == 0 ? (x[k + 2] + x[k]) % 2 : t == 1 ? (x[k + 3] + x[k]) % 2 : (x[k + 4] + x[k + 2] + x[k + 1] + x[k]) % 2;
    }
    std::vector<int> s(31);
    for (int i = 0; i < 31; ++i) s[static_cast<std::size_t>(i)] = 1 - 2 * x[static_cast<std::size_t>(i)];
    return s;
  };
  const auto st = mseq(0), ct = mseq(1), zt = mseq(2);
  auto S = [&](int m, int n) { return st[static_cast<std::size_t>((n + m) % 31)]; };
  std::vector<double> d(62);
  for (int n = 0; n < 31; ++n) {
    const int c0 = ct[static_cast<std::size_t>((n + n2) % 31)], c1 = ct[static_cast<std::size_t>((n + n2 + 3) % 31)];
    const int z0 = zt[static_cast<std::size_t>((n + m0 % 8) % 31)], z1 = zt[static_cast<std::size_t>((n + m1 % 8) % 31)];
    if (subframe == 0) {
      d[static_cast<std::size_t>(2 * n)] = S(m0, n) * c0;
      d[static_cast<std::size_t>(2 * n + 1)] = S(m1, n) * c1 * z0;
    } else {
      d[static_cast<std::size_t>(2 * n)] = S(m1, n) * c0;
      d[static_cast<std::size_t>(2 * n + 1)] = S(m0, n) * c1 * z1;
    }
  }
  return d;
}

// 6.10.1.1: r_{l,ns}(m), m = 0..219, normal CP.
std::vector<cd> crs(int pci, int ns, int l) {
  const std::uint32_t c_init = (1u << 10) * static_cast<std::uint32_t>(7 * (ns + 1) + l + 1) * static_cast<std::uint32_t>(2 * pci + 1) +
                               static_cast<std::uint32_t>(2 * pci) + 1u;
  const int total = 1600 + 440 + 31;
  std::vector<int> x1(total), x2(total);
  x1[0] = 1;
  for (int i = 0; i < 31; ++i) x2[static_cast<std::size_t>(i)] = static_cast<int>((c_init >> i) & 1u);
  for (int i = 0; i + 31 < total; ++i) {
    const auto k = static_cast<std::size_t>(i);
    x1[k + 31] = (x1[k + 3] + x1[k]) % 2;
    x2[k + 31] = (x2[k + 3] + x2[k + 2] + x2[k + 1] + x2[k]) % 2;
  }
  auto c = [&](int n) { return (x1[static_cast<std::size_t>(n + 1600)] + x2[static_cast<std::size_t>(n + 1600)]) % 2; };
  std::vector<cd> r(220);
  for (int m = 0; m < 220; ++m) r[static_cast<std::size_t>(m)] = cd(1 - 2 * c(2 * m), 1 - 2 * c(2 * m + 1)) / std::sqrt(2.0);
  return r;
}

}  // namespace

TEST(SynthLteOfdm, SixPrbCellAtItsOwnRate) {
  const int pci = 301, n = 128, nrb = 6;   // N_ID(1) = 100, N_ID(2) = 1, v_shift = 1
  auto c = cell(pci, 1, nrb);
  c.send_system_info = false;   // "between them nothing": no PCFICH / PHICH / PDCCH / SI in the grid
  const double g = std::pow(10.0, c.power_dbfs / 20.0);
  const auto x = render(c, 1.92e6, 0.025);
  const int c72 = 6 * nrb - 36;
  for (int frame = 0; frame < 2; ++frame) {
    const std::size_t f0 = static_cast<std::size_t>(19200 * frame);   // 19200 samples per frame
    for (int sf : {0, 5}) {
      const std::size_t s0 = f0 + static_cast<std::size_t>(1920 * sf);
      // PSS: last symbol of slot 0 (l = 6), SSS the one before (l = 5): 36.211 6.11.1.2, 6.11.2.2.
      const auto bp = demod(x, s0 + static_cast<std::size_t>(symbol_start(6, n)), 6, n, g);
      const auto bs = demod(x, s0 + static_cast<std::size_t>(symbol_start(5, n)), 5, n, g);
      const auto d = sss(pci, sf);
      for (int i = 0; i < 62; ++i) {
        EXPECT_LT(std::abs(at_k(bp, c72 + 5 + i, nrb, n) - pss(pci % 3, i)), 2e-3) << "PSS n=" << i << " sf " << sf;
        EXPECT_LT(std::abs(at_k(bs, c72 + 5 + i, nrb, n) - d[static_cast<std::size_t>(i)]), 2e-3) << "SSS n=" << i << " sf " << sf;
      }
      for (int i : {0, 1, 2, 3, 4, 67, 68, 69, 70, 71}) {   // reserved
        EXPECT_LT(std::abs(at_k(bp, c72 + i, nrb, n)), 2e-3);
        EXPECT_LT(std::abs(at_k(bs, c72 + i, nrb, n)), 2e-3);
      }
      EXPECT_LT(std::abs(dc(bp, n)), 2e-3);
      EXPECT_LT(std::abs(dc(bs, n)), 2e-3);
    }
    // CRS of port 0 in symbols 0 and 4 of every slot: k = 6m + (v + v_shift) mod 6, v = 0 (l = 0) / 3 (l = 4),
    // r(m + 110 - N_RB). Between them nothing (no load).
    for (int sf : {0, 3, 9}) {
      for (int slot = 0; slot < 2; ++slot) {
        for (int l : {0, 4}) {
          const int ns = 2 * sf + slot, lsf = 7 * slot + l;
          const auto b = demod(x, f0 + static_cast<std::size_t>(1920 * sf + symbol_start(lsf, n)), lsf, n, g);
          const auto r = crs(pci, ns, l);
          const int v = l == 0 ? 0 : 3;
          for (int k = 0; k < 12 * nrb; ++k) {
            if (k % 6 == (v + pci % 6) % 6) {
              EXPECT_LT(std::abs(at_k(b, k, nrb, n) - r[static_cast<std::size_t>(k / 6 + 110 - nrb)]), 2e-3) << "ns " << ns << " l " << l << " k " << k;
            } else if (!(sf == 0 && slot == 1)) {   // not PBCH symbol 7
              EXPECT_LT(std::abs(at_k(b, k, nrb, n)), 2e-3) << "ns " << ns << " l " << l << " k " << k;
            }
          }
          EXPECT_LT(std::abs(dc(b, n)), 2e-3);
        }
      }
    }
  }
  // Nothing outside the 72 subcarriers in any symbol (6 PRB at FFT 128).
  const auto b = demod(x, static_cast<std::size_t>(symbol_start(7, n)), 7, n, g);
  for (int f = -64; f < -36; ++f) EXPECT_LT(std::abs(b[static_cast<std::size_t>(f + 64)]), 2e-3);
  for (int f = 37; f < 64; ++f) EXPECT_LT(std::abs(b[static_cast<std::size_t>(f + 64)]), 2e-3);
}

TEST(SynthLteOfdm, FifteenPrbTwoPortsAtItsOwnRate) {
  // FFT 256 at 3.84 Msps: CP 20 / 18. Port 1's CRS at (v + v_shift) mod 6 with v = 3 (l = 0), 0 (l = 4).
  const int pci = 17, n = 256, nrb = 15;
  const auto c = cell(pci, 2, nrb);
  const double g = std::pow(10.0, c.power_dbfs / 20.0);
  const auto x = render(c, 3.84e6, 0.016);
  const int c72 = 6 * nrb - 36;
  const auto bp = demod(x, static_cast<std::size_t>(38400 + 3840 * 5 + symbol_start(6, n)), 6, n, g);   // frame 1 subframe 5
  for (int i = 0; i < 62; ++i) EXPECT_LT(std::abs(at_k(bp, c72 + 5 + i, nrb, n) - pss(pci % 3, i)), 2e-3);
  const int ns = 2 * 2 + 1, l = 4;   // subframe 2, slot 1, symbol 4
  const auto b = demod(x, static_cast<std::size_t>(3840 * 2 + symbol_start(7 + l, n)), 7 + l, n, g);
  const auto r = crs(pci, ns, l);
  for (int k = 0; k < 12 * nrb; ++k) {
    const cd want = r[static_cast<std::size_t>(k / 6 + 110 - nrb)];
    if (k % 6 == (3 + pci % 6) % 6 || k % 6 == (0 + pci % 6) % 6)   // port 0 (v = 3) or port 1 (v = 0)
      EXPECT_LT(std::abs(at_k(b, k, nrb, n) - want), 2e-3) << k;
    else
      EXPECT_LT(std::abs(at_k(b, k, nrb, n)), 2e-3) << k;
  }
}

TEST(SynthLteOfdm, TwentyMhzCellSeenAtOnePointNineTwoMsps) {
  // 100 PRB (FFT 2048 at 30.72 Msps) rendered at 1.92 Msps: every 16th sample of a band limited to
  // 0.45 * 1.92 MHz, so an FFT of 128 at the 1.92 Msps timing shows the central subcarriers exactly.
  const int pci = 150, nrb = 100, n = 128;
  auto c = cell(pci, 2, nrb);
  c.pdsch_load = 1.0;
  c.pdcch_load = 1.0;
  const double g = std::pow(10.0, c.power_dbfs / 20.0);
  const auto x = render(c, 1.92e6, 0.011);
  const int c72 = 6 * nrb - 36;
  const auto bp = demod(x, static_cast<std::size_t>(symbol_start(6, n)), 6, n, g);
  const auto bs = demod(x, static_cast<std::size_t>(symbol_start(5, n)), 5, n, g);
  const auto d = sss(pci, 0);
  for (int i = 0; i < 62; ++i) {
    EXPECT_LT(std::abs(at_k(bp, c72 + 5 + i, nrb, n) - pss(pci % 3, i)), 2e-3);
    EXPECT_LT(std::abs(at_k(bs, c72 + 5 + i, nrb, n) - d[static_cast<std::size_t>(i)]), 2e-3);
  }
  EXPECT_LT(std::abs(dc(bp, n)), 2e-3);
  // Loaded: subcarriers beyond the central 72 but within 0.45 * 1.92 MHz carry data; beyond that, nothing.
  const auto b = demod(x, static_cast<std::size_t>(symbol_start(2, n)), 2, n, g);
  double inner = 0.0, outer = 0.0;
  for (int f = 37; f <= 57; ++f) inner += std::norm(b[static_cast<std::size_t>(f + 64)]) + std::norm(b[static_cast<std::size_t>(-f + 64)]);
  for (int f = 58; f < 64; ++f) outer += std::norm(b[static_cast<std::size_t>(f + 64)]) + std::norm(b[static_cast<std::size_t>(-f + 64)]);
  EXPECT_NEAR(inner / 42.0, 1.0, 0.35);   // mean |a|^2 of random QPSK/QAM, about 1
  EXPECT_LT(outer, 1e-4);
}

TEST(SynthLteOfdm, GridHasPbchOnItsResourceElements) {
  // Subframe 0, slot 1, symbols 0..3 of the central 72 (36.211 6.6.4): 240 REs minus nothing else; the
  // reserved CRS positions of ports 2/3 (symbol 1) and port 1 (symbol 0, 1-port cell) stay empty.
  const int pci = 7;   // v_shift mod 3 = 1
  lte::LteCellChain chain(cell(pci, 1, 6), 1, 0.0);
  chain.build_grid(0);
  const auto gr = chain.grid(0);
  int pbch = 0, empty_reserved = 0;
  for (int l = 7; l < 11; ++l)
    for (int k = 0; k < 72; ++k) {
      const cf32 v = gr[static_cast<std::size_t>(l * 72 + k)];
      const bool crs_symbol = l == 7 || l == 8;
      if (crs_symbol && k % 3 == pci % 3) {
        if (l == 7 && k % 6 == pci % 6)
          EXPECT_NEAR(std::abs(v), 1.0f, 1e-5f) << k;   // port 0's CRS (v = 0 in symbol 0 of the slot)
        else
          EXPECT_EQ(v, cf32{}) << l << " " << k;        // reserved for ports 1..3
        if (v == cf32{}) ++empty_reserved;
        continue;
      }
      EXPECT_NEAR(std::abs(v), 1.0f, 1e-5f) << l << " " << k;   // QPSK of unit energy
      ++pbch;
    }
  EXPECT_EQ(pbch, 240);
  EXPECT_EQ(empty_reserved, 12 + 24);   // port 1's positions in symbol 7, ports 2/3's in symbol 8
}
