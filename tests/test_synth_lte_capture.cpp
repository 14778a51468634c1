// The synthesizer's subframe 0 against a recorded LTE downlink and its reference decode
// (/work/shared/captures/lte/signal.1.92M.dat: PCI 150, 2 ports, 50 PRB, SFN 28, starting at subframe 0).
// The channel of each antenna port is measured on the capture's CRS (symbols 0 and 4 of slot 1) with the
// synthesized CRS values; the PBCH resource elements the synthesizer predicts through that channel must
// match the recorded ones (SFBC of the MIB coded for 2 ports, scrambled for PCI 150, frame 0 of the
// 40 ms block), and predictions for a wrong port count or SFN must not.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <fstream>
#include <vector>

#include <fftw3.h>

#include "support/test_support.hpp"
#include "tools/synth/lte/lte_renderer.hpp"

using namespace tw::synth;
using cd = std::complex<double>;

namespace {

std::vector<std::complex<float>> read_cf32(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::vector<std::complex<float>> x;
  std::complex<float> v;
  while (f.read(reinterpret_cast<char*>(&v), sizeof v)) x.push_back(v);
  return x;
}

// FFT 128 of symbol l (0..13) of the subframe starting at sample `start` (CP 10 / 9): bins by frequency
// index f = -64..63.
std::vector<cd> symbol_bins(const std::vector<std::complex<float>>& x, int start, int l) {
  int pos = start + (l / 7) * 960;
  for (int j = 0; j < l % 7; ++j) pos += (j == 0 ? 10 : 9) + 128;
  pos += l % 7 == 0 ? 10 : 9;
  std::vector<fftwf_complex> in(128), out(128);
  for (int i = 0; i < 128; ++i) {
    in[static_cast<std::size_t>(i)][0] = x[static_cast<std::size_t>(pos + i)].real();
    in[static_cast<std::size_t>(i)][1] = x[static_cast<std::size_t>(pos + i)].imag();
  }
  fftwf_plan p = fftwf_plan_dft_1d(128, in.data(), out.data(), FFTW_FORWARD, FFTW_ESTIMATE);
  fftwf_execute(p);
  fftwf_destroy_plan(p);
  std::vector<cd> b(128);
  for (int f = -64; f < 64; ++f) b[static_cast<std::size_t>(f + 64)] = cd(out[static_cast<std::size_t>((f + 128) % 128)][0], out[static_cast<std::size_t>((f + 128) % 128)][1]);
  return b;
}

// k72 (0..71) -> bin index.
std::size_t bin_of(int k72) { return static_cast<std::size_t>((k72 < 36 ? k72 - 36 : k72 - 35) + 64); }

// Normalised correlation of the recorded PBCH REs with the prediction of a cell configuration.
double pbch_match(const std::vector<std::complex<float>>& x, lte::LteCellConfig c) {
  lte::LteCellChain chain(c, 1, 0.0);
  chain.build_grid(0);
  const int nsc = 12 * c.bandwidth_prb, c72 = nsc / 2 - 36;
  std::vector<std::vector<cd>> bins;
  for (int l = 0; l < 14; ++l) bins.push_back(symbol_bins(x, 0, l));
  // Channel per port and k72: LS on the CRS of symbols 7 and 11 (values from the synthesized grid),
  // averaged over the CRS within 3 subcarriers.
  std::vector<std::vector<cd>> h(static_cast<std::size_t>(c.ports), std::vector<cd>(72));
  for (int p = 0; p < c.ports && p < 2; ++p) {
    const auto g = chain.grid(p);
    std::vector<std::pair<int, cd>> ls;
    for (int l : {7, 11})
      for (int k72 = 0; k72 < 72; ++k72) {
        const std::complex<float> r = g[static_cast<std::size_t>(l * nsc + c72 + k72)];
        if (std::abs(r) > 0.5f && (l != 7 || k72 % 3 == c.pci % 3)) {
          // CRS RE of this port (in symbol 7 the PBCH REs are not CRS: k mod 3 == v_shift mod 3 only).
          ls.push_back({k72, bins[static_cast<std::size_t>(l)][bin_of(k72)] / cd(r)});
        }
      }
    for (int k72 = 0; k72 < 72; ++k72) {
      cd acc = 0;
      int n = 0;
      for (const auto& [k, v] : ls)
        if (std::abs(k - k72) <= 3) {
          acc += v;
          ++n;
        }
      h[static_cast<std::size_t>(p)][static_cast<std::size_t>(k72)] = n ? acc / static_cast<double>(n) : cd{};
    }
  }
  cd cross = 0;
  double e_rx = 0, e_pred = 0;
  int used = 0;
  for (int l = 7; l < 11; ++l)
    for (int k72 = 0; k72 < 72; ++k72) {
      if ((l == 7 || l == 8) && k72 % 3 == c.pci % 3) continue;   // CRS positions of 4 ports
      cd pred = 0;
      for (int p = 0; p < c.ports && p < 2; ++p)
        pred += h[static_cast<std::size_t>(p)][static_cast<std::size_t>(k72)] *
                cd(chain.grid(p)[static_cast<std::size_t>(l * nsc + c72 + k72)]);
      const cd rx = bins[static_cast<std::size_t>(l)][bin_of(k72)];
      cross += rx * std::conj(pred);
      e_rx += std::norm(rx);
      e_pred += std::norm(pred);
      ++used;
    }
  EXPECT_EQ(used, 240);
  return std::abs(cross) / std::sqrt(e_rx * e_pred);
}

}  // namespace

TEST(SynthLteCapture, PbchOfTheReferenceCellMatchesTheRecording) {
  TW_REQUIRE_SHARED(shared);
  const auto x = read_cf32(shared / "captures" / "lte" / "signal.1.92M.dat");
  ASSERT_GE(x.size(), 1920u);
  lte::LteCellConfig c;
  c.earfcn = 1300;
  c.pci = 150;
  c.ports = 2;
  c.bandwidth_prb = 50;
  c.phich_resource = "1";
  c.first_sfn = 28;
  c.first_sfn_set = true;
  const double right = pbch_match(x, c);
  auto other_sfn = c;
  other_sfn.first_sfn = 32;   // another MIB (SFN MSBs 8)
  auto one_port = c;
  one_port.ports = 1;
  auto frame1 = c;
  frame1.first_sfn = 29;      // same MIB, second quarter of the codeword
  const double wrong_sfn = pbch_match(x, other_sfn), wrong_ports = pbch_match(x, one_port), wrong_frame = pbch_match(x, frame1);
  std::printf("PBCH correlation: right %.3f, SFN 32 %.3f, 1 port %.3f, frame 1 of 4 %.3f\n", right, wrong_sfn,
              wrong_ports, wrong_frame);
  EXPECT_GT(right, 0.6);   // measured 0.79 (channel estimated from a few CRS)
  EXPECT_LT(wrong_sfn, 0.3);   // measured 0.15
  EXPECT_LT(wrong_ports, 0.3);
  EXPECT_LT(wrong_frame, 0.3);
}
