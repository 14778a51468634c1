#include "dsp/gsm/mlse.hpp"

#include <algorithm>
#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "src/core/error.hpp"

namespace tw::gsm {

namespace {
constexpr float kNeg = -1e30f;
// State s holds a_(n-1) .. a_(n-4) in bits 0..3, bit set = symbol -1.
inline float sym(int s, int i) { return ((s >> i) & 1) ? -1.0f : 1.0f; }

#if defined(__SSE2__)
inline float hmax(__m128 v) {
  v = _mm_max_ps(v, _mm_shuffle_ps(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
  v = _mm_max_ps(v, _mm_shuffle_ps(v, v, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtss_f32(v);
}
#endif
}  // namespace

Mlse::Mlse(std::size_t max_symbols) : max_(max_symbols) {
  alpha_.resize((max_ + 1) * kMlseStates);
  beta_.resize(2 * kMlseStates);
  gamma_.resize(max_ * 2 * kMlseStates);
}

// round(llr * 8) (halves away from zero) clipped to +-127, without a libm call: x - trunc(x) is exact.
std::int8_t llr_to_sbit(float llr) {
  const float x = llr * 8.0f;
  if (!(x == x)) return 0;  // NaN: no information
  if (x >= 127.0f) return 127;
  if (x <= -127.0f) return -127;
  int t = static_cast<int>(x);
  const float f = x - static_cast<float>(t);
  if (f >= 0.5f) ++t;
  else if (f <= -0.5f) --t;
  return static_cast<std::int8_t>(t);
}

// The trellis below is written for 4-wide vectors (SSE2, every x86-64): 16 states are 4 registers. Each
// state's arithmetic is the scalar recursion's, operation for operation (the same additions in the same
// order, max as std::max), so the metrics and LLRs are those of the plain loops (kept as the fallback).
void Mlse::equalize(std::span<const cf32> r, const std::array<cf32, kMlseTaps>& h, float sigma2,
                    std::span<const std::int8_t> known, std::span<float> llr) {
  const std::size_t n_sym = r.size();
  if (n_sym > max_ || known.size() != n_sym || llr.size() != n_sym) {
    throw InputError("mlse: observation, known-symbol and llr lengths differ or exceed the maximum");
  }
  const float inv = 1.0f / std::max(sigma2, 1e-12f);
  // Expected observation for (state s, new symbol bit bn): index s*2 + bn (real and imaginary parts apart).
  alignas(16) float exp_re[2 * kMlseStates];
  alignas(16) float exp_im[2 * kMlseStates];
  for (int s = 0; s < kMlseStates; ++s) {
    cf32 tail{};
    for (int i = 0; i < 4; ++i) tail += h[static_cast<std::size_t>(i + 1)] * sym(s, i);
    const cf32 e0 = tail + h[0], e1 = tail - h[0];
    exp_re[s * 2] = e0.real();
    exp_im[s * 2] = e0.imag();
    exp_re[s * 2 + 1] = e1.real();
    exp_im[s * 2 + 1] = e1.imag();
  }
  // Branch metrics once per symbol (both recursions read them): -|r_n - expected|^2 / sigma2, or kNeg for
  // a branch that contradicts a known symbol (known -1, bit 1, bans bn = 0; known +1 bans bn = 1).
  float* const a = alpha_.data();
  float* const gam = gamma_.data();
#if defined(__SSE2__)
  {
    const __m128 vinv = _mm_set1_ps(inv);
    const __m128 sign = _mm_set1_ps(-0.0f);
    const __m128 neg = _mm_set1_ps(kNeg);
    const __m128 even = _mm_castsi128_ps(_mm_set_epi32(0, -1, 0, -1));  // lanes with bn = 0
    for (std::size_t n = 0; n < n_sym; ++n) {
      float* g = gam + n * 2 * kMlseStates;
      const __m128 rr = _mm_set1_ps(r[n].real()), ri = _mm_set1_ps(r[n].imag());
      __m128 ban = _mm_setzero_ps();
      if (known[n] != 0) ban = known[n] < 0 ? even : _mm_xor_ps(even, _mm_castsi128_ps(_mm_set1_epi32(-1)));
      for (int j = 0; j < 2 * kMlseStates; j += 4) {
        const __m128 dr = _mm_sub_ps(rr, _mm_load_ps(exp_re + j));
        const __m128 di = _mm_sub_ps(ri, _mm_load_ps(exp_im + j));
        __m128 v = _mm_mul_ps(_mm_xor_ps(_mm_add_ps(_mm_mul_ps(dr, dr), _mm_mul_ps(di, di)), sign), vinv);
        v = _mm_or_ps(_mm_and_ps(ban, neg), _mm_andnot_ps(ban, v));
        _mm_storeu_ps(g + j, v);
      }
    }
  }
  // Forward recursion: state s2 comes from s2>>1 (metric g[s2]) or (s2>>1)|8 (metric g[16+s2]).
  __m128 c0 = _mm_setzero_ps(), c1 = c0, c2 = c0, c3 = c0;
  _mm_storeu_ps(a, c0);
  _mm_storeu_ps(a + 4, c1);
  _mm_storeu_ps(a + 8, c2);
  _mm_storeu_ps(a + 12, c3);
  for (std::size_t n = 0; n < n_sym; ++n) {
    const float* g = gam + n * 2 * kMlseStates;
    const __m128 n0 = _mm_max_ps(_mm_add_ps(_mm_unpacklo_ps(c2, c2), _mm_loadu_ps(g + 16)),
                                 _mm_add_ps(_mm_unpacklo_ps(c0, c0), _mm_loadu_ps(g + 0)));
    const __m128 n1 = _mm_max_ps(_mm_add_ps(_mm_unpackhi_ps(c2, c2), _mm_loadu_ps(g + 20)),
                                 _mm_add_ps(_mm_unpackhi_ps(c0, c0), _mm_loadu_ps(g + 4)));
    const __m128 n2 = _mm_max_ps(_mm_add_ps(_mm_unpacklo_ps(c3, c3), _mm_loadu_ps(g + 24)),
                                 _mm_add_ps(_mm_unpacklo_ps(c1, c1), _mm_loadu_ps(g + 8)));
    const __m128 n3 = _mm_max_ps(_mm_add_ps(_mm_unpackhi_ps(c3, c3), _mm_loadu_ps(g + 28)),
                                 _mm_add_ps(_mm_unpackhi_ps(c1, c1), _mm_loadu_ps(g + 12)));
    const __m128 best = _mm_set1_ps(hmax(_mm_max_ps(_mm_max_ps(n0, n1), _mm_max_ps(n2, n3))));
    c0 = _mm_sub_ps(n0, best);  // keep metrics bounded
    c1 = _mm_sub_ps(n1, best);
    c2 = _mm_sub_ps(n2, best);
    c3 = _mm_sub_ps(n3, best);
    float* nxt = a + (n + 1) * kMlseStates;
    _mm_storeu_ps(nxt, c0);
    _mm_storeu_ps(nxt + 4, c1);
    _mm_storeu_ps(nxt + 8, c2);
    _mm_storeu_ps(nxt + 12, c3);
  }
  // Backward recursion with the LLR of each step: state s goes to (s<<1)&15 (bn = 0, metric g[2s]) or
  // ((s<<1)|1)&15 (bn = 1, metric g[2s+1]).
  __m128 b0 = _mm_setzero_ps(), b1 = b0, b2 = b0, b3 = b0;  // beta_(n+1), states 0..15
  for (std::size_t k = n_sym; k-- > 0;) {
    const float* cur = a + k * kMlseStates;
    const float* g = gam + k * 2 * kMlseStates;
    const __m128 ev0 = _mm_shuffle_ps(b0, b1, _MM_SHUFFLE(2, 0, 2, 0));  // beta at states 0,2,4,6
    const __m128 ev1 = _mm_shuffle_ps(b2, b3, _MM_SHUFFLE(2, 0, 2, 0));  // 8..14
    const __m128 od0 = _mm_shuffle_ps(b0, b1, _MM_SHUFFLE(3, 1, 3, 1));
    const __m128 od1 = _mm_shuffle_ps(b2, b3, _MM_SHUFFLE(3, 1, 3, 1));
    __m128 best0 = _mm_set1_ps(kNeg), best1 = best0, bmax = best0;
    __m128 nb[4];
    for (int q = 0; q < 4; ++q) {
      const __m128 ga = _mm_loadu_ps(g + 8 * q), gb = _mm_loadu_ps(g + 8 * q + 4);
      const __m128 g0 = _mm_shuffle_ps(ga, gb, _MM_SHUFFLE(2, 0, 2, 0));
      const __m128 g1 = _mm_shuffle_ps(ga, gb, _MM_SHUFFLE(3, 1, 3, 1));
      const __m128 t0 = _mm_add_ps(g0, (q & 1) ? ev1 : ev0);
      const __m128 t1 = _mm_add_ps(g1, (q & 1) ? od1 : od0);
      const __m128 cs = _mm_loadu_ps(cur + 4 * q);
      best0 = _mm_max_ps(best0, _mm_add_ps(cs, t0));
      best1 = _mm_max_ps(best1, _mm_add_ps(cs, t1));
      nb[q] = _mm_max_ps(t1, t0);
      bmax = _mm_max_ps(bmax, nb[q]);
    }
    const __m128 bm = _mm_set1_ps(hmax(bmax));
    b0 = _mm_sub_ps(nb[0], bm);
    b1 = _mm_sub_ps(nb[1], bm);
    b2 = _mm_sub_ps(nb[2], bm);
    b3 = _mm_sub_ps(nb[3], bm);
    float l = hmax(best0) - hmax(best1);
    l = std::clamp(l, -1e4f, 1e4f);
    llr[k] = l;
  }
#else
  for (std::size_t n = 0; n < n_sym; ++n) {
    float* g = gam + n * 2 * kMlseStates;
    const float rr = r[n].real(), ri = r[n].imag();
    for (int j = 0; j < 2 * kMlseStates; ++j) {
      const float dr = rr - exp_re[j];
      const float di = ri - exp_im[j];
      g[j] = -(dr * dr + di * di) * inv;
    }
    if (known[n] != 0) {
      const int banned = known[n] < 0 ? 0 : 1;
      for (int st = 0; st < kMlseStates; ++st) g[st * 2 + banned] = kNeg;
    }
  }
  std::fill(a, a + kMlseStates, 0.0f);
  for (std::size_t n = 0; n < n_sym; ++n) {
    const float* cur = a + n * kMlseStates;
    const float* g = gam + n * 2 * kMlseStates;
    float* nxt = a + (n + 1) * kMlseStates;
    float best = kNeg;
    for (int s2 = 0; s2 < kMlseStates; ++s2) {
      const float m0 = cur[s2 >> 1] + g[s2];
      const float m1 = cur[(s2 >> 1) | 8] + g[16 + s2];
      nxt[s2] = std::max(m0, m1);
      best = std::max(best, nxt[s2]);
    }
    for (int s2 = 0; s2 < kMlseStates; ++s2) nxt[s2] -= best;
  }
  float* b_next = beta_.data();
  float* b_cur = beta_.data() + kMlseStates;
  std::fill(b_next, b_next + kMlseStates, 0.0f);
  for (std::size_t k = n_sym; k-- > 0;) {
    const float* cur = a + k * kMlseStates;
    const float* g = gam + k * 2 * kMlseStates;
    float best0 = kNeg, best1 = kNeg, bmax = kNeg;
    for (int s = 0; s < kMlseStates; ++s) {
      const float t0 = g[2 * s] + b_next[(s << 1) & 15], t1 = g[2 * s + 1] + b_next[((s << 1) | 1) & 15];
      best0 = std::max(best0, cur[s] + t0);
      best1 = std::max(best1, cur[s] + t1);
      b_cur[s] = std::max(t0, t1);
      bmax = std::max(bmax, b_cur[s]);
    }
    for (int s = 0; s < kMlseStates; ++s) b_cur[s] -= bmax;
    llr[k] = std::clamp(best0 - best1, -1e4f, 1e4f);
    std::swap(b_next, b_cur);
  }
#endif
}

}  // namespace tw::gsm
