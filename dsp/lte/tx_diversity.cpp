#include "dsp/lte/tx_diversity.hpp"

#include <algorithm>
#include <cmath>

namespace tw::dsp::lte {

namespace {
constexpr float kSqrt2 = 1.41421356f;

// One SFBC pair: r0 = (ha x0 - hb x1*) / sqrt2, r1 = (ha x1 + hb x0*) / sqrt2 (ha, hb: the two ports'
// channels, averaged over the pair's two REs). z0 = sqrt2 (ha* r0 + hb r1*) = G x0 + n, G = |ha|^2 + |hb|^2,
// noise variance 2 G s2 (real part G s2): LLR of x0's real bit = 2 (G / sqrt2) Re z0 / (G s2) = sqrt2 Re z0 / s2.
void sfbc_pair(cf32 r0, cf32 r1, cf32 ha, cf32 hb, float s2, float* llr) {
  const cf32 z0 = kSqrt2 * (std::conj(ha) * r0 + hb * std::conj(r1));
  const cf32 z1 = kSqrt2 * (std::conj(ha) * r1 - hb * std::conj(r0));
  const float c = kSqrt2 / s2;
  llr[0] = c * z0.real();
  llr[1] = c * z0.imag();
  llr[2] = c * z1.real();
  llr[3] = c * z1.imag();
}
}  // namespace

void tx_diversity_llr(int ports, const std::array<cf32, 4>& y, const std::array<std::array<cf32, 4>, 4>& h, float noise_var,
                      std::array<float, 8>& llr) {
  llr.fill(0.0f);
  const float s2 = std::max(noise_var, 1e-30f);
  if (ports == 1) {
    // z = h* r = |h|^2 x + n: LLR = 2 (|h|^2 / sqrt2) Re z / (|h|^2 s2 / 2) = 2 sqrt2 Re z / s2.
    for (int i = 0; i < 4; ++i) {
      const cf32 z = std::conj(h[0][static_cast<std::size_t>(i)]) * y[static_cast<std::size_t>(i)];
      llr[static_cast<std::size_t>(2 * i)] = 2.0f * kSqrt2 * z.real() / s2;
      llr[static_cast<std::size_t>(2 * i + 1)] = 2.0f * kSqrt2 * z.imag() / s2;
    }
    return;
  }
  if (ports == 2) {
    for (int pr = 0; pr < 2; ++pr) {
      const auto a = static_cast<std::size_t>(2 * pr), b = a + 1;
      sfbc_pair(y[a], y[b], 0.5f * (h[0][a] + h[0][b]), 0.5f * (h[1][a] + h[1][b]), s2, llr.data() + 4 * pr);
    }
    return;
  }
  if (ports == 4) {
    // Symbols 0, 1 on ports 0 / 2; symbols 2, 3 on ports 1 / 3.
    sfbc_pair(y[0], y[1], 0.5f * (h[0][0] + h[0][1]), 0.5f * (h[2][0] + h[2][1]), s2, llr.data());
    sfbc_pair(y[2], y[3], 0.5f * (h[1][2] + h[1][3]), 0.5f * (h[3][2] + h[3][3]), s2, llr.data() + 4);
  }
}

void gather_quadruplet(const DlSubframe& sf, int ports, int l, const std::array<int, 4>& k, std::array<cf32, 4>& y,
                       std::array<std::array<cf32, 4>, 4>& h) {
  for (int i = 0; i < 4; ++i) {
    const int kk = k[static_cast<std::size_t>(i)];
    y[static_cast<std::size_t>(i)] = sf.at(l, kk);
    for (int p = 0; p < 4; ++p)
      h[static_cast<std::size_t>(p)][static_cast<std::size_t>(i)] = p < ports ? sf.h_at(p, l, kk) : cf32{};
  }
}

}  // namespace tw::dsp::lte
