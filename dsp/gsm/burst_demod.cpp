#include "dsp/gsm/burst_demod.hpp"

#include <liquid/liquid.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tw::gsm {

namespace {
constexpr double kTwoPi = 6.283185307179586476925286766559;
constexpr int kLpfTaps = 49;
constexpr int kMainTap = 2;        // h_0, h_1 precede the main tap of the Laurent pulse
constexpr int kObs = kBurstBits + kMainTap;

// y[j] = sum_k h[k] * xs[k][j] over the kLpfTaps taps in ascending k for every j (multiply, then add: the
// plain loop's arithmetic), blocks of vectors kept in registers across the taps. The AVX version is taken at
// run time where the CPU has it.
void fir_sse(const float* const* xs, const float* h, int nf, float* y) {
  int j = 0;
#if defined(__SSE2__)
  for (; j + 16 <= nf; j += 16) {
    __m128 s0 = _mm_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (int k = 0; k < kLpfTaps; ++k) {
      const float* x = xs[k] + j;
      const __m128 hk = _mm_set1_ps(h[k]);
      s0 = _mm_add_ps(s0, _mm_mul_ps(hk, _mm_loadu_ps(x)));
      s1 = _mm_add_ps(s1, _mm_mul_ps(hk, _mm_loadu_ps(x + 4)));
      s2 = _mm_add_ps(s2, _mm_mul_ps(hk, _mm_loadu_ps(x + 8)));
      s3 = _mm_add_ps(s3, _mm_mul_ps(hk, _mm_loadu_ps(x + 12)));
    }
    _mm_storeu_ps(y + j, s0);
    _mm_storeu_ps(y + j + 4, s1);
    _mm_storeu_ps(y + j + 8, s2);
    _mm_storeu_ps(y + j + 12, s3);
  }
#endif
  for (; j < nf; ++j) {
    float acc = 0.f;
    for (int k = 0; k < kLpfTaps; ++k) acc += h[k] * xs[k][j];
    y[j] = acc;
  }
}

#if defined(__x86_64__) || defined(__i386__)
#define TW_BURST_X86 1
__attribute__((target("avx"))) void fir_avx(const float* const* xs, const float* h, int nf, float* y) {
  int j = 0;
  for (; j + 32 <= nf; j += 32) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (int k = 0; k < kLpfTaps; ++k) {
      const float* x = xs[k] + j;
      const __m256 hk = _mm256_set1_ps(h[k]);
      s0 = _mm256_add_ps(s0, _mm256_mul_ps(hk, _mm256_loadu_ps(x)));
      s1 = _mm256_add_ps(s1, _mm256_mul_ps(hk, _mm256_loadu_ps(x + 8)));
      s2 = _mm256_add_ps(s2, _mm256_mul_ps(hk, _mm256_loadu_ps(x + 16)));
      s3 = _mm256_add_ps(s3, _mm256_mul_ps(hk, _mm256_loadu_ps(x + 24)));
    }
    _mm256_storeu_ps(y + j, s0);
    _mm256_storeu_ps(y + j + 8, s1);
    _mm256_storeu_ps(y + j + 16, s2);
    _mm256_storeu_ps(y + j + 24, s3);
  }
  for (; j + 8 <= nf; j += 8) {
    __m256 s0 = _mm256_setzero_ps();
    for (int k = 0; k < kLpfTaps; ++k) s0 = _mm256_add_ps(s0, _mm256_mul_ps(_mm256_set1_ps(h[k]), _mm256_loadu_ps(xs[k] + j)));
    _mm256_storeu_ps(y + j, s0);
  }
  for (; j < nf; ++j) {
    float acc = 0.f;
    for (int k = 0; k < kLpfTaps; ++k) acc += h[k] * xs[k][j];
    y[j] = acc;
  }
}

bool cpu_has_avx() {
  static const bool has = __builtin_cpu_supports("avx");
  return has;
}
#endif

// v * j^-m
inline cf32 derotate(cf32 v, int m) {
  switch (m & 3) {
    case 0: return v;
    case 1: return {v.imag(), -v.real()};
    case 2: return -v;
    default: return {-v.imag(), v.real()};
  }
}
}  // namespace

BurstDemodulator::BurstDemodulator(double sample_rate_hz) : fs_(sample_rate_hz), mlse_(kObs) {
  // Channel filter after frequency correction: pass +-95 kHz (the GMSK main lobe), 50 dB stop band.
  lpf_.resize(kLpfTaps);
  liquid_firdes_kaiser(kLpfTaps, static_cast<float>(95e3 / fs_), 50.0f, 0.0f, lpf_.data());
  float sum = 0.f;
  for (float v : lpf_) sum += v;
  for (float& v : lpf_) v /= sum;
  for (int t = 0; t < 8; ++t) build_training(train_[static_cast<std::size_t>(t)], kNormalTraining[static_cast<std::size_t>(t)], kNormalTrainingStart, 5, 16);
  build_training(train_[8], kSchTraining, kSchTrainingStart, 0, 64);
  obs_.resize(kObs);
  known_.resize(kObs);
  llr_.resize(kObs);
  // The largest window: the SCH acquisition search (receiver: 40 samples); larger ones grow once.
  for (auto& v : raw_) v.reserve(2 * (kBurstBits + 2 * 64));
  for (auto& v : filt_) v.reserve(2 * (kBurstBits + 2 * 64));
}

void BurstDemodulator::build_training(Training& t, std::span<const std::uint8_t> bits, int first,
                                      int corr_first, int corr_len) {
  const int n = static_cast<int>(bits.size());
  t.first = first;
  t.sym.resize(bits.size());
  for (int i = 0; i < n; ++i) t.sym[static_cast<std::size_t>(i)] = bits[static_cast<std::size_t>(i)] ? -1.f : 1.f;
  t.neq = n - (kMlseTaps - 1);
  Eigen::MatrixXf a(t.neq, kMlseTaps);
  for (int i = 0; i < t.neq; ++i) {
    for (int k = 0; k < kMlseTaps; ++k) a(i, k) = t.sym[static_cast<std::size_t>(i + kMlseTaps - 1 - k)];
  }
  const Eigen::MatrixXf p = (a.transpose() * a).inverse() * a.transpose();
  t.pinv.resize(static_cast<std::size_t>(kMlseTaps * t.neq));
  for (int k = 0; k < kMlseTaps; ++k)
    for (int i = 0; i < t.neq; ++i) t.pinv[static_cast<std::size_t>(k * t.neq + i)] = p(k, i);
  t.corr_first = corr_first;
  t.corr_len = corr_len;
}

// Channel filter at window samples c = 4m+q, m in [m_lo, m_hi): y(c) = sum_k h_k x(c - 24 + k), the taps in
// ascending order for every output (vectorised across outputs: each output's sum is the plain loop's). Sample
// c - 24 + k lies in phase (q+k) mod 4 at index m - 6 + (q+k)/4, so each tap is one contiguous pass. Outputs
// whose support leaves the window are 0. Stored de-rotated by j^-m.
void BurstDemodulator::filter_phase(int q, int m_lo, int m_hi) {
  constexpr int half = kLpfTaps / 2;
  static_assert(half % 4 == 0, "the phase split assumes a filter half-length that is a multiple of 4");
  std::vector<cf32>& out = filt_[static_cast<std::size_t>(q)];
  int& dlo = done_lo_[static_cast<std::size_t>(q)];
  int& dhi = done_hi_[static_cast<std::size_t>(q)];
  const int n_m = static_cast<int>(out.size());
  m_lo = std::max(m_lo, 0);
  m_hi = std::min(m_hi, n_m);
  if (m_lo >= m_hi) return;
  // Valid outputs: c >= half and c + half < win_.
  const int v_lo = (half - q + 3) / 4;
  const int v_hi = (win_ - half - q + 3) / 4;   // first m with 4m+q >= win_ - half
  auto run = [&](int a, int b) {
    for (int m = a; m < std::min(b, v_lo); ++m) out[static_cast<std::size_t>(m)] = cf32{};
    for (int m = std::max(a, v_hi); m < b; ++m) out[static_cast<std::size_t>(m)] = cf32{};
    a = std::max(a, v_lo);
    b = std::min(b, v_hi);
    if (a >= b) return;
    float* y = reinterpret_cast<float*>(out.data() + a);
    std::array<const float*, kLpfTaps> xs;
    for (int k = 0; k < kLpfTaps; ++k) {
      const int t = q + k;
      xs[static_cast<std::size_t>(k)] = reinterpret_cast<const float*>(raw_[static_cast<std::size_t>(t & 3)].data() + (a - half / 4 + (t >> 2)));
    }
#if defined(TW_BURST_X86)
    if (cpu_has_avx()) fir_avx(xs.data(), lpf_.data(), 2 * (b - a), y);
    else
#endif
      fir_sse(xs.data(), lpf_.data(), 2 * (b - a), y);
    for (int m = a; m < b; ++m) out[static_cast<std::size_t>(m)] = derotate(out[static_cast<std::size_t>(m)], m);
  };
  if (dlo >= dhi) {
    run(m_lo, m_hi);
    dlo = m_lo;
    dhi = m_hi;
    return;
  }
  const int nlo = std::min(m_lo, dlo), nhi = std::max(m_hi, dhi);
  if (nlo < dlo) run(nlo, dlo);
  if (dhi < nhi) run(dhi, nhi);
  dlo = nlo;
  dhi = nhi;
}

bool BurstDemodulator::demodulate(std::span<const cf32> buf, std::int64_t buf_first,
                                  std::int64_t nominal_start, int search, double cfo_hz, BurstKind kind,
                                  int tsc, BurstResult& out) {
  if (search < 0) search = 0;
  if (kind == BurstKind::normal && (tsc < 0 || tsc > 7)) return false;
  const std::int64_t lo = nominal_start - search - kMargin;
  const std::int64_t hi = nominal_start + kBurstBits * kSps + search + kMargin;
  if (lo < buf_first || hi > buf_first + static_cast<std::int64_t>(buf.size())) return false;
  const int w = static_cast<int>(hi - lo);
  win_ = w;
  const int n_m = (w + 3) / 4;
  for (int q = 0; q < 4; ++q) {
    raw_[static_cast<std::size_t>(q)].assign(static_cast<std::size_t>(n_m), cf32{});
    filt_[static_cast<std::size_t>(q)].resize(static_cast<std::size_t>(n_m));
    done_lo_[static_cast<std::size_t>(q)] = done_hi_[static_cast<std::size_t>(q)] = 0;
  }
  // Frequency correction, phase referenced to the absolute sample index; sample i goes to phase i mod 4.
  const double step = -kTwoPi * cfo_hz / fs_;
  const double ph0 = std::fmod(step * static_cast<double>(lo), kTwoPi);
  const cf32 rstep(static_cast<float>(std::cos(step)), static_cast<float>(std::sin(step)));
  cf32 rot(static_cast<float>(std::cos(ph0)), static_cast<float>(std::sin(ph0)));
  // The complex products are written out (x*rot = (ac - bd, ad + bc), std::complex's own formula for
  // finite values, without its NaN fallback); the power over the nominal burst is summed in the same pass
  // (mean |x|^2, accumulated in double in sample order).
  const cf32* src = buf.data() + (lo - buf_first);
  const float sr = rstep.real(), si = rstep.imag();
  float rr = rot.real(), ri = rot.imag();
  cf32* ph[4] = {raw_[0].data(), raw_[1].data(), raw_[2].data(), raw_[3].data()};
  const int b0 = search + kMargin, b1 = b0 + kBurstBits * kSps;
  double e = 0.0;
  for (int i = 0; i < w; ++i) {
    const float xr = src[i].real(), xi = src[i].imag();
    const cf32 v(xr * rr - xi * ri, xr * ri + xi * rr);
    ph[i & 3][i >> 2] = v;
    if (i >= b0 && i < b1) e += v.real() * v.real() + v.imag() * v.imag();
    const float nr = rr * sr - ri * si, ni = rr * si + ri * sr;
    rr = nr;
    ri = ni;
  }
  // Filtered, de-rotated sample at window index 4m+q.
  auto z_at = [&](int q, int m) { return filt_[static_cast<std::size_t>(q)][static_cast<std::size_t>(m)]; };
  e /= kBurstBits * kSps;
  out.power_dbfs = e > 0 ? 10.0 * std::log10(e) : -200.0;
  const Training& tr = train_[kind == BurstKind::sch ? 8 : static_cast<std::size_t>(tsc)];
  const int n_tr = static_cast<int>(tr.sym.size());
  const int c_nom = search + kMargin;   // window index of the nominal start
  // Filtered samples the timing search and the LS refinement read, per phase (see below).
  {
    const int p_lo = c_nom - search - 2, p_hi = c_nom + search + 2;
    const int m_lo = (p_lo >> 2) + std::min(tr.first + tr.corr_first, tr.first + kMlseTaps - 1 - kMainTap) - 1;
    const int m_hi = (p_hi >> 2) + std::max(tr.first + tr.corr_first + tr.corr_len, tr.first + n_tr - kMainTap) + 1;
    for (int q = 0; q < 4; ++q) filter_phase(q, m_lo, m_hi);
  }
  // Timing: correlate with the known training symbols at 1 sample resolution. Sample p + 4(first+i) is
  // z(q, (p>>2) + first + i), q = p mod 4; its de-rotation by j^-(first+i) differs from z's by the constant
  // j^(p>>2), which changes neither |c| nor the energy.
  int best_tau = 0;
  float best_c = -1.f, best_norm = 0.f;
  for (int tau = -search; tau <= search; ++tau) {
    const int p = c_nom + tau;
    const int q = p & 3;
    const cf32* zz = filt_[static_cast<std::size_t>(q)].data() + (p >> 2) + tr.first;
    cf32 c{};
    float e = 0.f;
    for (int i = tr.corr_first; i < tr.corr_first + tr.corr_len; ++i) {
      const cf32 y = zz[i];
      c += y * tr.sym[static_cast<std::size_t>(i)];
      e += std::norm(y);
    }
    const float cn = std::norm(c);
    if (cn > best_c) {
      best_c = cn;
      best_tau = tau;
      best_norm = e > 0 ? std::sqrt(cn / (e * static_cast<float>(tr.corr_len))) : 0.f;
    }
  }
  out.training_corr = best_norm;
  // Refine: the timing (+-2 samples) whose LS channel explains the training best. The main tap sits at
  // index kMainTap, so observation n is taken kMainTap symbols after bit n's own main-tap instant:
  // r_n = derotate(y(p + 4(n - kMainTap)), n) = derotate(z(q, (p>>2) + n - kMainTap), kMainTap - (p>>2)).
  float best_q = -1.f, best_sigma2 = 0.f;
  int best_p = 0;
  std::array<cf32, kMlseTaps> best_h{};
  std::array<cf32, 64> o{};   // r_n for n = first+4 .. first+n_tr-1
  for (int d = -2; d <= 2; ++d) {
    const int p = c_nom + best_tau + d;
    const int q = p & 3, b = kMainTap - (p >> 2);
    for (int i = 0; i < tr.neq; ++i) o[static_cast<std::size_t>(i)] = derotate(z_at(q, (p >> 2) + tr.first + kMlseTaps - 1 + i - kMainTap), b);
    std::array<cf32, kMlseTaps> h{};
    for (int k = 0; k < kMlseTaps; ++k) {
      cf32 acc{};
      const float* row = tr.pinv.data() + static_cast<std::size_t>(k * tr.neq);
      for (int i = 0; i < tr.neq; ++i) acc += row[i] * o[static_cast<std::size_t>(i)];
      h[static_cast<std::size_t>(k)] = acc;
    }
    float res = 0.f, eh = 0.f;
    for (int i = 0; i < tr.neq; ++i) {
      cf32 e = o[static_cast<std::size_t>(i)];
      for (int k = 0; k < kMlseTaps; ++k) e -= h[static_cast<std::size_t>(k)] * tr.sym[static_cast<std::size_t>(i + kMlseTaps - 1 - k)];
      res += std::norm(e);
    }
    for (const auto& v : h) eh += std::norm(v);
    const float sigma2 = std::max(res / static_cast<float>(tr.neq - kMlseTaps), 1e-6f * eh + 1e-30f);
    const float qq = eh / sigma2;
    if (qq > best_q) {
      best_q = qq;
      best_p = p;
      best_h = h;
      best_sigma2 = sigma2;
    }
  }
  out.channel = best_h;
  out.start = static_cast<double>(lo + best_p);
  out.snr_db = best_q > 0 ? 10.0 * std::log10(best_q) : -100.0;
  // Observations and known symbols (tails: 45.002 clause 5.2; training).
  {
    const int q = best_p & 3, b = kMainTap - (best_p >> 2), m0 = (best_p >> 2) - kMainTap;
    filter_phase(q, m0, m0 + kObs);
    const cf32* zz = filt_[static_cast<std::size_t>(q)].data();
    for (int n = 0; n < kObs; ++n) {
      const int m = m0 + n;
      obs_[static_cast<std::size_t>(n)] = (m >= 0 && m < n_m) ? derotate(zz[m], b) : cf32{};
      known_[static_cast<std::size_t>(n)] = 0;
    }
  }
  for (int n : {0, 1, 2, 145, 146, 147}) known_[static_cast<std::size_t>(n)] = 1;
  for (int i = 0; i < n_tr; ++i) {
    known_[static_cast<std::size_t>(tr.first + i)] = static_cast<std::int8_t>(tr.sym[static_cast<std::size_t>(i)] > 0 ? 1 : -1);
  }
  mlse_.equalize(obs_, best_h, best_sigma2, known_, llr_);
  for (int n = 0; n < kBurstBits; ++n) {
    out.llr[static_cast<std::size_t>(n)] = llr_[static_cast<std::size_t>(n)];
    out.soft[static_cast<std::size_t>(n)] = llr_to_sbit(llr_[static_cast<std::size_t>(n)]);
  }
  return true;
}

}  // namespace tw::gsm
