#include "dsp/gsm/mlse.hpp"

#include <algorithm>
#include <cmath>

#include "src/core/error.hpp"

namespace tw::gsm {

namespace {
constexpr float kNeg = -1e30f;
// State s holds a_(n-1) .. a_(n-4) in bits 0..3, bit set = symbol -1.
inline float sym(int s, int i) { return ((s >> i) & 1) ? -1.0f : 1.0f; }
}  // namespace

Mlse::Mlse(std::size_t max_symbols) : max_(max_symbols) {
  alpha_.resize((max_ + 1) * kMlseStates);
  beta_.resize(2 * kMlseStates);
  gamma_.resize(max_ * 2 * kMlseStates);
}

std::int8_t llr_to_sbit(float llr) {
  const float v = std::round(llr * 8.0f);
  if (!(v == v)) return 0;  // NaN: no information
  return static_cast<std::int8_t>(std::clamp(v, -127.0f, 127.0f));
}

void Mlse::equalize(std::span<const cf32> r, const std::array<cf32, kMlseTaps>& h, float sigma2,
                    std::span<const std::int8_t> known, std::span<float> llr) {
  const std::size_t n_sym = r.size();
  if (n_sym > max_ || known.size() != n_sym || llr.size() != n_sym) {
    throw InputError("mlse: observation, known-symbol and llr lengths differ or exceed the maximum");
  }
  const float inv = 1.0f / std::max(sigma2, 1e-12f);
  // Expected observation for (state s, new symbol bit bn): index s*2 + bn.
  std::array<cf32, 2 * kMlseStates> expect{};
  for (int s = 0; s < kMlseStates; ++s) {
    cf32 tail{};
    for (int i = 0; i < 4; ++i) tail += h[static_cast<std::size_t>(i + 1)] * sym(s, i);
    expect[static_cast<std::size_t>(s * 2 + 0)] = tail + h[0];
    expect[static_cast<std::size_t>(s * 2 + 1)] = tail - h[0];
  }
  // Branch metrics once per symbol (both recursions read them): -|r_n - expected|^2 / sigma2, or kNeg for
  // a branch that contradicts a known symbol.
  for (std::size_t n = 0; n < n_sym; ++n) {
    float* g = gamma_.data() + n * 2 * kMlseStates;
    const float rr = r[n].real(), ri = r[n].imag();
    for (int j = 0; j < 2 * kMlseStates; ++j) {
      const float dr = rr - expect[static_cast<std::size_t>(j)].real();
      const float di = ri - expect[static_cast<std::size_t>(j)].imag();
      g[j] = -(dr * dr + di * di) * inv;
    }
    if (known[n] != 0) {
      const int banned = known[n] < 0 ? 0 : 1;  // known -1 (bit 1) bans bn = 0, known +1 bans bn = 1
      for (int st = 0; st < kMlseStates; ++st) g[st * 2 + banned] = kNeg;
    }
  }
  auto gamma = [&](std::size_t n, int s, int bn) -> float {
    return gamma_[n * 2 * kMlseStates + static_cast<std::size_t>(s * 2 + bn)];
  };
  // Forward recursion.
  float* a = alpha_.data();
  std::fill(a, a + kMlseStates, 0.0f);
  for (std::size_t n = 0; n < n_sym; ++n) {
    const float* cur = a + n * kMlseStates;
    float* nxt = a + (n + 1) * kMlseStates;
    float best = kNeg;
    for (int s2 = 0; s2 < kMlseStates; ++s2) {
      const int bn = s2 & 1;
      const int p0 = s2 >> 1, p1 = (s2 >> 1) | 8;
      const float m0 = cur[p0] + gamma(n, p0, bn);
      const float m1 = cur[p1] + gamma(n, p1, bn);
      nxt[s2] = std::max(m0, m1);
      best = std::max(best, nxt[s2]);
    }
    for (int s2 = 0; s2 < kMlseStates; ++s2) nxt[s2] -= best;  // keep metrics bounded
  }
  // Backward recursion with the LLR of each step.
  float* b_next = beta_.data();            // beta_(n+1)
  float* b_cur = beta_.data() + kMlseStates;
  std::fill(b_next, b_next + kMlseStates, 0.0f);
  for (std::size_t k = n_sym; k-- > 0;) {
    const float* cur = a + k * kMlseStates;
    float best0 = kNeg, best1 = kNeg, bmax = kNeg;
    for (int s = 0; s < kMlseStates; ++s) {
      const int s0 = (s << 1) & 15, s1 = ((s << 1) | 1) & 15;
      const float g0 = gamma(k, s, 0), g1 = gamma(k, s, 1);
      const float t0 = g0 + b_next[s0], t1 = g1 + b_next[s1];
      best0 = std::max(best0, cur[s] + t0);
      best1 = std::max(best1, cur[s] + t1);
      b_cur[s] = std::max(t0, t1);
      bmax = std::max(bmax, b_cur[s]);
    }
    for (int s = 0; s < kMlseStates; ++s) b_cur[s] -= bmax;
    float l = best0 - best1;
    l = std::clamp(l, -1e4f, 1e4f);
    llr[k] = l;
    std::swap(b_next, b_cur);
  }
}

}  // namespace tw::gsm
