#include "dsp/lte/turbo_code.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#if defined(__SSE2__) && !defined(TW_TURBO_SCALAR)
#include <emmintrin.h>
#define TW_TURBO_SSE 1
#endif

#include "dsp/lte/dlsch_coding.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::lte {

namespace {

// Table 5.1.3-3: K_i, f1, f2 for i = 1..188.
constexpr QppParams kQpp[kTurboBlockSizes] = {
    {40, 3, 10}, {48, 7, 12}, {56, 19, 42}, {64, 7, 16}, {72, 7, 18}, {80, 11, 20}, {88, 5, 22}, {96, 11, 24},
    {104, 7, 26}, {112, 41, 84}, {120, 103, 90}, {128, 15, 32}, {136, 9, 34}, {144, 17, 108}, {152, 9, 38}, {160, 21, 120},
    {168, 101, 84}, {176, 21, 44}, {184, 57, 46}, {192, 23, 48}, {200, 13, 50}, {208, 27, 52}, {216, 11, 36}, {224, 27, 56},
    {232, 85, 58}, {240, 29, 60}, {248, 33, 62}, {256, 15, 32}, {264, 17, 198}, {272, 33, 68}, {280, 103, 210}, {288, 19, 36},
    {296, 19, 74}, {304, 37, 76}, {312, 19, 78}, {320, 21, 120}, {328, 21, 82}, {336, 115, 84}, {344, 193, 86}, {352, 21, 44},
    {360, 133, 90}, {368, 81, 46}, {376, 45, 94}, {384, 23, 48}, {392, 243, 98}, {400, 151, 40}, {408, 155, 102}, {416, 25, 52},
    {424, 51, 106}, {432, 47, 72}, {440, 91, 110}, {448, 29, 168}, {456, 29, 114}, {464, 247, 58}, {472, 29, 118}, {480, 89, 180},
    {488, 91, 122}, {496, 157, 62}, {504, 55, 84}, {512, 31, 64}, {528, 17, 66}, {544, 35, 68}, {560, 227, 420}, {576, 65, 96},
    {592, 19, 74}, {608, 37, 76}, {624, 41, 234}, {640, 39, 80}, {656, 185, 82}, {672, 43, 252}, {688, 21, 86}, {704, 155, 44},
    {720, 79, 120}, {736, 139, 92}, {752, 23, 94}, {768, 217, 48}, {784, 25, 98}, {800, 17, 80}, {816, 127, 102}, {832, 25, 52},
    {848, 239, 106}, {864, 17, 48}, {880, 137, 110}, {896, 215, 112}, {912, 29, 114}, {928, 15, 58}, {944, 147, 118}, {960, 29, 60},
    {976, 59, 122}, {992, 65, 124}, {1008, 55, 84}, {1024, 31, 64}, {1056, 17, 66}, {1088, 171, 204}, {1120, 67, 140}, {1152, 35, 72},
    {1184, 19, 74}, {1216, 39, 76}, {1248, 19, 78}, {1280, 199, 240}, {1312, 21, 82}, {1344, 211, 252}, {1376, 21, 86}, {1408, 43, 88},
    {1440, 149, 60}, {1472, 45, 92}, {1504, 49, 846}, {1536, 71, 48}, {1568, 13, 28}, {1600, 17, 80}, {1632, 25, 102}, {1664, 183, 104},
    {1696, 55, 954}, {1728, 127, 96}, {1760, 27, 110}, {1792, 29, 112}, {1824, 29, 114}, {1856, 57, 116}, {1888, 45, 354}, {1920, 31, 120},
    {1952, 59, 610}, {1984, 185, 124}, {2016, 113, 420}, {2048, 31, 64}, {2112, 17, 66}, {2176, 171, 136}, {2240, 209, 420}, {2304, 253, 216},
    {2368, 367, 444}, {2432, 265, 456}, {2496, 181, 468}, {2560, 39, 80}, {2624, 27, 164}, {2688, 127, 504}, {2752, 143, 172}, {2816, 43, 88},
    {2880, 29, 300}, {2944, 45, 92}, {3008, 157, 188}, {3072, 47, 96}, {3136, 13, 28}, {3200, 111, 240}, {3264, 443, 204}, {3328, 51, 104},
    {3392, 51, 212}, {3456, 451, 192}, {3520, 257, 220}, {3584, 57, 336}, {3648, 313, 228}, {3712, 271, 232}, {3776, 179, 236}, {3840, 331, 120},
    {3904, 363, 244}, {3968, 375, 248}, {4032, 127, 168}, {4096, 31, 64}, {4160, 33, 130}, {4224, 43, 264}, {4288, 33, 134}, {4352, 477, 408},
    {4416, 35, 138}, {4480, 233, 280}, {4544, 357, 142}, {4608, 337, 480}, {4672, 37, 146}, {4736, 71, 444}, {4800, 71, 120}, {4864, 37, 152},
    {4928, 39, 462}, {4992, 127, 234}, {5056, 39, 158}, {5120, 39, 80}, {5184, 31, 96}, {5248, 113, 902}, {5312, 41, 166}, {5376, 251, 336},
    {5440, 43, 170}, {5504, 21, 86}, {5568, 43, 174}, {5632, 45, 176}, {5696, 45, 178}, {5760, 161, 120}, {5824, 89, 182}, {5888, 323, 184},
    {5952, 47, 186}, {6016, 23, 94}, {6080, 47, 190}, {6144, 263, 480},
};

// Constituent encoder state (5.1.3.2.1): s = 4 r1 + 2 r2 + r3 with r1 = a(k-1), r2 = a(k-2), r3 = a(k-3) the
// shift register of the feedback sum a(k) = u(k) + a(k-2) + a(k-3) (g0 = 1 + D^2 + D^3); parity
// z(k) = a(k) + a(k-1) + a(k-3) (g1 = 1 + D + D^3).
struct Step {
  int next_state;
  std::uint8_t z;
};
inline Step rsc_step(int s, int u) {
  const int r1 = (s >> 2) & 1, r2 = (s >> 1) & 1, r3 = s & 1;
  const int a = u ^ r2 ^ r3;
  return {(a << 2) | (s >> 1), static_cast<std::uint8_t>(a ^ r1 ^ r3)};
}
// Trellis termination (5.1.3.2.2): the input is the feedback itself, so a(k) = 0.
inline int rsc_tail_input(int s) { return ((s >> 1) & 1) ^ (s & 1); }

constexpr float kNegInf = -1e30f;       // an unreachable state's metric (finite: no inf - inf)
constexpr float kKnownLlr = 1e6f;       // a bit known to be 0 (filler bits)
constexpr float kLlrClamp = 1e5f;       // channel values beyond this are clipped (and NaN is 0)
constexpr float kExtrinsicScale = 0.75f;

float clean_llr(float x) {
  if (!(x == x)) return 0.0f;           // NaN
  return std::clamp(x, -kLlrClamp, kLlrClamp);
}

bool crc_checks(std::span<const std::uint8_t> c, TurboCrc crc) {
  // Register 0 and the parity appended: the whole block divides by the generator (filler zeros in front do
  // not change the remainder).
  switch (crc) {
    case TurboCrc::crc24a: return crc24a(c) == 0;
    case TurboCrc::crc24b: return crc24b(c) == 0;
    case TurboCrc::none: return false;
  }
  return false;
}

void check_decode_args(int k, std::span<const float> d0, std::span<const float> d1, std::span<const float> d2,
                       int n_filler, int max_iterations, std::span<std::uint8_t> c) {
  const std::size_t d = static_cast<std::size_t>(k + kTurboTailBits);
  if (d0.size() != d || d1.size() != d || d2.size() != d)
    throw InputError("turbo decoder: soft streams must hold D = K + 4 = " + std::to_string(d) + " values each");
  if (c.size() != static_cast<std::size_t>(k))
    throw InputError("turbo decoder: output holds " + std::to_string(c.size()) + " bits, K = " + std::to_string(k));
  if (n_filler < 0 || n_filler >= k) throw InputError("turbo decoder: filler bits F = " + std::to_string(n_filler) + " out of range");
  if (max_iterations < 1 || max_iterations > 64)
    throw InputError("turbo decoder: max_iterations = " + std::to_string(max_iterations) + " out of 1..64");
}

// The soft inputs of one decode, demultiplexed from d(0), d(1), d(2) (5.1.3.2.2 tail order reversed).
struct SoftInputs {
  std::vector<float> sys, par1, par2, sys_i;   // sys_i: systematic in interleaved order
  float x1[3], z1[3], x2[3], z2[3];            // tails of encoder 1 and 2
  void load(int k, int n_filler, std::span<const int> pi, std::span<const float> d0, std::span<const float> d1,
            std::span<const float> d2) {
    const std::size_t ku = static_cast<std::size_t>(k);
    sys.resize(ku);
    par1.resize(ku);
    par2.resize(ku);
    sys_i.resize(ku);
    for (std::size_t i = 0; i < ku; ++i) {
      sys[i] = clean_llr(d0[i]);
      par1[i] = clean_llr(d1[i]);
      par2[i] = clean_llr(d2[i]);
    }
    // Filler bits: c_k = 0 into encoder 1 from state 0, so d(0)_k and d(1)_k are 0 for k < F.
    for (int i = 0; i < n_filler; ++i) sys[static_cast<std::size_t>(i)] = par1[static_cast<std::size_t>(i)] = kKnownLlr;
    for (std::size_t i = 0; i < ku; ++i) sys_i[i] = sys[static_cast<std::size_t>(pi[i])];
    auto t = [&](std::span<const float> s, int j) { return clean_llr(s[static_cast<std::size_t>(k + j)]); };
    // d0: x_K z_K+1 x'_K z'_K+1; d1: z_K x_K+2 z'_K x'_K+2; d2: x_K+1 z_K+2 x'_K+1 z'_K+2.
    x1[0] = t(d0, 0), x1[1] = t(d2, 0), x1[2] = t(d1, 1);
    z1[0] = t(d1, 0), z1[1] = t(d0, 1), z1[2] = t(d2, 1);
    x2[0] = t(d0, 2), x2[1] = t(d2, 2), x2[2] = t(d1, 3);
    z2[0] = t(d1, 2), z2[1] = t(d0, 3), z2[2] = t(d2, 3);
  }
};

// ---- the optimized constituent decoder: radix-2 butterflies, 4 states per vector ----
//
// With j = 2 r1 + r2, states 2j and 2j+1 (r3 = 0, 1) both lead to j (a = 0) and j + 4 (a = 1). Branch metric
// (max-log, bipolar +1 for bit 0) gamma = (x_u Lu + x_z Lz) / 2; on the branch 2j -> j: u = r2, z = r1, call it
// g_j; 2j -> j+4 and 2j+1 -> j carry -g_j; 2j+1 -> j+4 carries +g_j. g = [G0, G1, -G1, -G0] with
// G0 = (Lu + Lz)/2, G1 = (Lz - Lu)/2. Forward: alpha'[j] = max(alpha[2j] + g_j, alpha[2j+1] - g_j),
// alpha'[j+4] = max(alpha[2j] - g_j, alpha[2j+1] + g_j); backward the mirror image.

#ifdef TW_TURBO_SSE
struct V4 {
  __m128 v;
};
inline V4 load4(const float* p) { return {_mm_loadu_ps(p)}; }
inline void store4(float* p, V4 a) { _mm_storeu_ps(p, a.v); }
inline V4 operator+(V4 a, V4 b) { return {_mm_add_ps(a.v, b.v)}; }
inline V4 operator-(V4 a, V4 b) { return {_mm_sub_ps(a.v, b.v)}; }
inline V4 vmax(V4 a, V4 b) { return {_mm_max_ps(a.v, b.v)}; }
inline V4 branch4(float g0, float g1) { return {_mm_setr_ps(g0, g1, -g1, -g0)}; }
inline V4 evens(V4 lo, V4 hi) { return {_mm_shuffle_ps(lo.v, hi.v, _MM_SHUFFLE(2, 0, 2, 0))}; }
inline V4 odds(V4 lo, V4 hi) { return {_mm_shuffle_ps(lo.v, hi.v, _MM_SHUFFLE(3, 1, 3, 1))}; }
inline V4 zip_lo(V4 e, V4 o) { return {_mm_unpacklo_ps(e.v, o.v)}; }
inline V4 zip_hi(V4 e, V4 o) { return {_mm_unpackhi_ps(e.v, o.v)}; }
inline V4 lane0(V4 a) { return {_mm_shuffle_ps(a.v, a.v, 0)}; }
// max(a0, a2, b1, b3) - max(b0, b2, a1, a3): the LLR of u from the two branch kinds.
inline float llr_of(V4 a, V4 b) {
  const __m128 m0 = _mm_shuffle_ps(a.v, b.v, _MM_SHUFFLE(3, 1, 2, 0));   // a0 a2 b1 b3
  const __m128 m1 = _mm_shuffle_ps(b.v, a.v, _MM_SHUFFLE(3, 1, 2, 0));   // b0 b2 a1 a3
  const __m128 x = _mm_max_ps(_mm_shuffle_ps(m0, m1, _MM_SHUFFLE(1, 0, 1, 0)), _mm_shuffle_ps(m0, m1, _MM_SHUFFLE(3, 2, 3, 2)));
  const __m128 y = _mm_max_ps(x, _mm_shuffle_ps(x, x, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtss_f32(y) - _mm_cvtss_f32(_mm_shuffle_ps(y, y, _MM_SHUFFLE(2, 2, 2, 2)));
}
#else
struct V4 {
  float v[4];
};
inline V4 load4(const float* p) { return {{p[0], p[1], p[2], p[3]}}; }
inline void store4(float* p, V4 a) { for (int i = 0; i < 4; ++i) p[i] = a.v[i]; }
inline V4 operator+(V4 a, V4 b) { V4 r; for (int i = 0; i < 4; ++i) r.v[i] = a.v[i] + b.v[i]; return r; }
inline V4 operator-(V4 a, V4 b) { V4 r; for (int i = 0; i < 4; ++i) r.v[i] = a.v[i] - b.v[i]; return r; }
inline V4 vmax(V4 a, V4 b) { V4 r; for (int i = 0; i < 4; ++i) r.v[i] = a.v[i] > b.v[i] ? a.v[i] : b.v[i]; return r; }
inline V4 branch4(float g0, float g1) { return {{g0, g1, -g1, -g0}}; }
inline V4 evens(V4 lo, V4 hi) { return {{lo.v[0], lo.v[2], hi.v[0], hi.v[2]}}; }
inline V4 odds(V4 lo, V4 hi) { return {{lo.v[1], lo.v[3], hi.v[1], hi.v[3]}}; }
inline V4 zip_lo(V4 e, V4 o) { return {{e.v[0], o.v[0], e.v[1], o.v[1]}}; }
inline V4 zip_hi(V4 e, V4 o) { return {{e.v[2], o.v[2], e.v[3], o.v[3]}}; }
inline V4 lane0(V4 a) { return {{a.v[0], a.v[0], a.v[0], a.v[0]}}; }
inline float llr_of(V4 a, V4 b) {
  const float m0 = std::max(std::max(a.v[0], a.v[2]), std::max(b.v[1], b.v[3]));
  const float m1 = std::max(std::max(b.v[0], b.v[2]), std::max(a.v[1], a.v[3]));
  return m0 - m1;
}
#endif

// One constituent MAP pass over N = K + 3 steps (K data steps with a priori la, 3 tail steps).
// le_out[k] = scale * (L(u_k) - Lu_k) for k < K.
void map_butterfly(int k, const float* sys, const float* la, const float* par, const float* xt, const float* zt,
                   float* beta, float* le_out) {
  const int n = k + 3;
  auto lu_at = [&](int i) { return i < k ? sys[i] + la[i] : xt[i - k]; };
  auto lz_at = [&](int i) { return i < k ? par[i] : zt[i - k]; };
  // Backward: beta[N] = state 0 (terminated trellis).
  V4 b_lo{}, b_hi{};
  {
    alignas(16) const float init_lo[4] = {0.0f, kNegInf, kNegInf, kNegInf};
    alignas(16) const float init_hi[4] = {kNegInf, kNegInf, kNegInf, kNegInf};
    b_lo = load4(init_lo);
    b_hi = load4(init_hi);
  }
  store4(beta + 8 * n, b_lo);
  store4(beta + 8 * n + 4, b_hi);
  for (int i = n - 1; i >= 0; --i) {
    const float lu = lu_at(i), lz = lz_at(i);
    const V4 g = branch4(0.5f * (lu + lz), 0.5f * (lz - lu));
    const V4 e = vmax(b_lo + g, b_hi - g);   // beta[2j]
    const V4 o = vmax(b_lo - g, b_hi + g);   // beta[2j+1]
    b_lo = zip_lo(e, o);
    b_hi = zip_hi(e, o);
    if ((i & 3) == 0) {   // metrics relative to state 0 every 4 steps (a constant per step cancels in the LLR)
      const V4 norm = lane0(b_lo);
      b_lo = b_lo - norm;
      b_hi = b_hi - norm;
    }
    store4(beta + 8 * i, b_lo);
    store4(beta + 8 * i + 4, b_hi);
  }
  // Forward with the LLR of each data step.
  V4 a_lo{}, a_hi{};
  {
    alignas(16) const float init_lo[4] = {0.0f, kNegInf, kNegInf, kNegInf};
    alignas(16) const float init_hi[4] = {kNegInf, kNegInf, kNegInf, kNegInf};
    a_lo = load4(init_lo);
    a_hi = load4(init_hi);
  }
  for (int i = 0; i < k; ++i) {
    const float lu = sys[i] + la[i], lz = par[i];
    const V4 g = branch4(0.5f * (lu + lz), 0.5f * (lz - lu));
    const V4 ev = evens(a_lo, a_hi), od = odds(a_lo, a_hi);
    const V4 bl = load4(beta + 8 * (i + 1)), bh = load4(beta + 8 * (i + 1) + 4);
    // Branch kind A (u = r2): 2j -> j and 2j+1 -> j+4, metric +g_j; kind B (u = 1 - r2): -g_j.
    const V4 m_a = vmax(ev + bl, od + bh) + g;
    const V4 m_b = vmax(ev + bh, od + bl) - g;
    le_out[i] = kExtrinsicScale * (llr_of(m_a, m_b) - lu);
    const V4 lo = vmax(ev + g, od - g);
    const V4 hi = vmax(ev - g, od + g);
    if ((i & 3) == 3) {
      const V4 norm = lane0(lo);
      a_lo = lo - norm;
      a_hi = hi - norm;
    } else {
      a_lo = lo;
      a_hi = hi;
    }
  }
}

// ---- the textbook constituent decoder ----
struct Trellis {
  int next[8][2];
  int parity[8][2];
  Trellis() {
    for (int s = 0; s < 8; ++s)
      for (int u = 0; u < 2; ++u) {
        const Step st = rsc_step(s, u);
        next[s][u] = st.next_state;
        parity[s][u] = st.z;
      }
  }
};
const Trellis& trellis() {
  static const Trellis t;
  return t;
}

void map_reference(int k, const float* sys, const float* la, const float* par, const float* xt, const float* zt,
                   std::vector<float>& alpha, std::vector<float>& beta, float* le_out) {
  const Trellis& t = trellis();
  const int n = k + 3;
  alpha.assign(static_cast<std::size_t>(8 * (n + 1)), kNegInf);
  beta.assign(static_cast<std::size_t>(8 * (n + 1)), kNegInf);
  auto gamma = [&](int i, int u, int z) {
    const float lu = i < k ? sys[i] + la[i] : xt[i - k];
    const float lz = i < k ? par[i] : zt[i - k];
    return 0.5f * ((u ? -lu : lu) + (z ? -lz : lz));
  };
  alpha[0] = 0.0f;
  for (int i = 0; i < n; ++i) {
    float* an = &alpha[static_cast<std::size_t>(8 * (i + 1))];
    const float* a = &alpha[static_cast<std::size_t>(8 * i)];
    for (int s = 0; s < 8; ++s)
      for (int u = 0; u < 2; ++u) {
        const int s2 = t.next[s][u];
        an[s2] = std::max(an[s2], a[s] + gamma(i, u, t.parity[s][u]));
      }
    const float m = *std::max_element(an, an + 8);
    for (int s = 0; s < 8; ++s) an[s] -= m;
  }
  beta[static_cast<std::size_t>(8 * n)] = 0.0f;
  for (int i = n - 1; i >= 0; --i) {
    float* b = &beta[static_cast<std::size_t>(8 * i)];
    const float* bn = &beta[static_cast<std::size_t>(8 * (i + 1))];
    for (int s = 0; s < 8; ++s)
      for (int u = 0; u < 2; ++u) b[s] = std::max(b[s], bn[t.next[s][u]] + gamma(i, u, t.parity[s][u]));
    const float m = *std::max_element(b, b + 8);
    for (int s = 0; s < 8; ++s) b[s] -= m;
  }
  for (int i = 0; i < k; ++i) {
    float best[2] = {kNegInf, kNegInf};
    const float* a = &alpha[static_cast<std::size_t>(8 * i)];
    const float* bn = &beta[static_cast<std::size_t>(8 * (i + 1))];
    for (int s = 0; s < 8; ++s)
      for (int u = 0; u < 2; ++u)
        best[u] = std::max(best[u], a[s] + gamma(i, u, t.parity[s][u]) + bn[t.next[s][u]]);
    le_out[i] = kExtrinsicScale * (best[0] - best[1] - (sys[i] + la[i]));
  }
}

// The iteration schedule both decoders share: MAP 1 in natural order, MAP 2 in interleaved order, the
// extrinsic values exchanged through the QPP interleaver; decisions on Ls + Le1 + Le2 after each iteration.
template <typename Map>
TurboDecodeResult iterate(int k, int n_filler, std::span<const int> pi, const SoftInputs& in, TurboCrc crc,
                          int max_iterations, std::vector<float>& la1, std::vector<float>& le1, std::vector<float>& la2,
                          std::vector<float>& le2, std::span<std::uint8_t> c, Map&& map) {
  const std::size_t ku = static_cast<std::size_t>(k);
  la1.assign(ku, 0.0f);
  le1.assign(ku, 0.0f);
  la2.assign(ku, 0.0f);
  le2.assign(ku, 0.0f);
  TurboDecodeResult r;
  for (int it = 1; it <= max_iterations; ++it) {
    map(in.sys.data(), la1.data(), in.par1.data(), in.x1, in.z1, le1.data());
    for (int i = 0; i < n_filler; ++i) le1[static_cast<std::size_t>(i)] = 0.0f;   // known already on both sides
    for (std::size_t i = 0; i < ku; ++i) la2[i] = le1[static_cast<std::size_t>(pi[i])];
    map(in.sys_i.data(), la2.data(), in.par2.data(), in.x2, in.z2, le2.data());
    for (std::size_t i = 0; i < ku; ++i) la1[static_cast<std::size_t>(pi[i])] = le2[i];
    for (std::size_t i = 0; i < ku; ++i) c[i] = (in.sys[i] + le1[i] + la1[i]) < 0.0f ? 1 : 0;
    r.iterations = it;
    if (crc != TurboCrc::none && crc_checks(c, crc)) {
      r.crc_ok = true;
      break;
    }
  }
  return r;
}

}  // namespace

std::span<const QppParams> qpp_table() { return {kQpp, static_cast<std::size_t>(kTurboBlockSizes)}; }

int qpp_table_index(int k) {
  // K steps: 8 up to 512, 16 up to 1024, 32 up to 2048, 64 up to 6144.
  if (k < 40 || k > 6144) return -1;
  int i = -1;
  if (k <= 512) {
    if (k % 8 == 0) i = (k - 40) / 8;
  } else if (k <= 1024) {
    if (k % 16 == 0) i = 59 + (k - 512) / 16;
  } else if (k <= 2048) {
    if (k % 32 == 0) i = 91 + (k - 1024) / 32;
  } else {
    if (k % 64 == 0) i = 123 + (k - 2048) / 64;
  }
  return (i >= 0 && i < kTurboBlockSizes && kQpp[i].k == k) ? i : -1;
}

bool is_turbo_block_size(int k) { return qpp_table_index(k) >= 0; }

QppParams qpp_params(int k) {
  const int i = qpp_table_index(k);
  if (i < 0) throw InputError("turbo code: K = " + std::to_string(k) + " is not a block size of table 5.1.3-3");
  return kQpp[i];
}

std::vector<int> qpp_interleaver(int k) {
  const QppParams p = qpp_params(k);
  std::vector<int> pi(static_cast<std::size_t>(k));
  // Pi(i) = (f1 i + f2 i^2) mod K, computed incrementally: Pi(i+1) = Pi(i) + f1 + f2 (2i + 1) (mod K).
  std::int64_t v = 0, d = (p.f1 + p.f2) % k;
  for (int i = 0; i < k; ++i) {
    pi[static_cast<std::size_t>(i)] = static_cast<int>(v);
    v = (v + d) % k;
    d = (d + 2 * p.f2) % k;
  }
  return pi;
}

TurboCodeword turbo_encode(std::span<const std::uint8_t> c) {
  const int k = static_cast<int>(std::min<std::size_t>(c.size(), 1u << 20));
  const std::vector<int> pi = qpp_interleaver(k);   // validates K
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c[i] > 1) throw InputError("turbo encoder: bit " + std::to_string(i) + " is not 0/1");
  const std::size_t d = static_cast<std::size_t>(k + kTurboTailBits);
  TurboCodeword w;
  w.d0.assign(d, 0);
  w.d1.assign(d, 0);
  w.d2.assign(d, 0);
  int s1 = 0, s2 = 0;
  for (int i = 0; i < k; ++i) {
    const std::size_t iu = static_cast<std::size_t>(i);
    const Step a = rsc_step(s1, c[iu]);
    const Step b = rsc_step(s2, c[static_cast<std::size_t>(pi[iu])]);
    w.d0[iu] = c[iu];
    w.d1[iu] = a.z;
    w.d2[iu] = b.z;
    s1 = a.next_state;
    s2 = b.next_state;
  }
  // 5.1.3.2.2: three tail steps per encoder, encoder 1 first.
  std::uint8_t x[3], z[3], xp[3], zp[3];
  for (int j = 0; j < 3; ++j) {
    const int u = rsc_tail_input(s1);
    const Step a = rsc_step(s1, u);
    x[j] = static_cast<std::uint8_t>(u), z[j] = a.z, s1 = a.next_state;
  }
  for (int j = 0; j < 3; ++j) {
    const int u = rsc_tail_input(s2);
    const Step b = rsc_step(s2, u);
    xp[j] = static_cast<std::uint8_t>(u), zp[j] = b.z, s2 = b.next_state;
  }
  const std::size_t ku = static_cast<std::size_t>(k);
  w.d0[ku] = x[0], w.d0[ku + 1] = z[1], w.d0[ku + 2] = xp[0], w.d0[ku + 3] = zp[1];
  w.d1[ku] = z[0], w.d1[ku + 1] = x[2], w.d1[ku + 2] = zp[0], w.d1[ku + 3] = xp[2];
  w.d2[ku] = x[1], w.d2[ku + 1] = z[2], w.d2[ku + 2] = xp[1], w.d2[ku + 3] = zp[2];
  return w;
}

struct TurboDecoder::Impl {
  int k = 0;
  std::vector<int> pi;
  SoftInputs in;
  std::vector<float> beta, la1, le1, la2, le2;
};

TurboDecoder::TurboDecoder(int k) : impl_(std::make_unique<Impl>()) {
  impl_->k = k;
  impl_->pi = qpp_interleaver(k);
  impl_->beta.assign(static_cast<std::size_t>(8 * (k + 4)), 0.0f);
}
TurboDecoder::~TurboDecoder() = default;
TurboDecoder::TurboDecoder(TurboDecoder&&) noexcept = default;
TurboDecoder& TurboDecoder::operator=(TurboDecoder&&) noexcept = default;

int TurboDecoder::k() const { return impl_->k; }

TurboDecodeResult TurboDecoder::execute(std::span<const float> d0, std::span<const float> d1, std::span<const float> d2,
                                        int n_filler, TurboCrc crc, int max_iterations, std::span<std::uint8_t> c) {
  Impl& m = *impl_;
  check_decode_args(m.k, d0, d1, d2, n_filler, max_iterations, c);
  m.in.load(m.k, n_filler, m.pi, d0, d1, d2);
  float* beta = m.beta.data();
  const int k = m.k;
  return iterate(k, n_filler, m.pi, m.in, crc, max_iterations, m.la1, m.le1, m.la2, m.le2, c,
                 [&](const float* sys, const float* la, const float* par, const float* xt, const float* zt, float* le) {
                   map_butterfly(k, sys, la, par, xt, zt, beta, le);
                 });
}

TurboDecodeResult turbo_decode_reference(std::span<const float> d0, std::span<const float> d1,
                                         std::span<const float> d2, int n_filler, TurboCrc crc,
                                         int max_iterations, std::span<std::uint8_t> c) {
  const int k = static_cast<int>(std::min<std::size_t>(c.size(), 1u << 20));
  const std::vector<int> pi = qpp_interleaver(k);
  check_decode_args(k, d0, d1, d2, n_filler, max_iterations, c);
  SoftInputs in;
  in.load(k, n_filler, pi, d0, d1, d2);
  std::vector<float> alpha, beta, la1, le1, la2, le2;
  return iterate(k, n_filler, pi, in, crc, max_iterations, la1, le1, la2, le2, c,
                 [&](const float* sys, const float* la, const float* par, const float* xt, const float* zt, float* le) {
                   map_reference(k, sys, la, par, xt, zt, alpha, beta, le);
                 });
}

}  // namespace tw::dsp::lte
