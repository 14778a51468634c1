#include "dsp/gsm/burst_demod.hpp"

#include <liquid/liquid.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

namespace tw::gsm {

namespace {
constexpr double kTwoPi = 6.283185307179586476925286766559;
constexpr int kLpfTaps = 49;
constexpr int kMainTap = 2;        // h_0, h_1 precede the main tap of the Laurent pulse
constexpr int kObs = kBurstBits + kMainTap;

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

bool BurstDemodulator::demodulate(std::span<const cf32> buf, std::int64_t buf_first,
                                  std::int64_t nominal_start, int search, double cfo_hz, BurstKind kind,
                                  int tsc, BurstResult& out) {
  if (search < 0) search = 0;
  if (kind == BurstKind::normal && (tsc < 0 || tsc > 7)) return false;
  const std::int64_t lo = nominal_start - search - kMargin;
  const std::int64_t hi = nominal_start + kBurstBits * kSps + search + kMargin;
  if (lo < buf_first || hi > buf_first + static_cast<std::int64_t>(buf.size())) return false;
  const std::size_t w = static_cast<std::size_t>(hi - lo);
  raw_.resize(w);
  filt_.resize(w);
  // Frequency correction, phase referenced to the absolute sample index.
  const double step = -kTwoPi * cfo_hz / fs_;
  const double ph0 = std::fmod(step * static_cast<double>(lo), kTwoPi);
  const cf32 rstep(static_cast<float>(std::cos(step)), static_cast<float>(std::sin(step)));
  cf32 rot(static_cast<float>(std::cos(ph0)), static_cast<float>(std::sin(ph0)));
  const cf32* src = buf.data() + (lo - buf_first);
  for (std::size_t i = 0; i < w; ++i) {
    raw_[i] = src[i] * rot;
    rot *= rstep;
  }
  // Channel filter evaluated lazily: only the samples the timing search, the LS estimate and the symbol-
  // spaced observations read (about 300 of the ~750 in the window) are computed.
  const int half = kLpfTaps / 2;
  ready_.assign(w, 0);
  auto filt = [&](std::size_t i) -> cf32 {
    if (ready_[i]) return filt_[i];
    ready_[i] = 1;
    if (i < static_cast<std::size_t>(half) || i + static_cast<std::size_t>(half) >= w) return filt_[i] = cf32{};
    float re = 0.f, im = 0.f;
    const cf32* x = raw_.data() + i - half;
    const float* h = lpf_.data();
    for (int k = 0; k < kLpfTaps; ++k) {
      re += h[k] * x[k].real();
      im += h[k] * x[k].imag();
    }
    return filt_[i] = cf32(re, im);
  };
  // Power over the nominal burst.
  {
    double e = 0.0;
    const std::size_t b0 = static_cast<std::size_t>(search + kMargin);
    for (std::size_t i = 0; i < static_cast<std::size_t>(kBurstBits * kSps); ++i) e += std::norm(raw_[b0 + i]);
    e /= kBurstBits * kSps;
    out.power_dbfs = e > 0 ? 10.0 * std::log10(e) : -200.0;
  }
  const Training& tr = train_[kind == BurstKind::sch ? 8 : static_cast<std::size_t>(tsc)];
  // Timing: correlate with the known training symbols at 1 sample resolution.
  int best_tau = 0;
  float best_c = -1.f, best_norm = 0.f;
  for (int tau = -search; tau <= search; ++tau) {
    const std::int64_t p = nominal_start + tau - lo;
    cf32 c{};
    float e = 0.f;
    for (int i = tr.corr_first; i < tr.corr_first + tr.corr_len; ++i) {
      const int m = tr.first + i;
      const cf32 y = filt(static_cast<std::size_t>(p + kSps * m));
      c += derotate(y, m) * tr.sym[static_cast<std::size_t>(i)];
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
  // index kMainTap, so observation n is taken kMainTap symbols after bit n's own main-tap instant.
  const int n_tr = static_cast<int>(tr.sym.size());
  float best_q = -1.f, best_sigma2 = 0.f;
  std::int64_t best_p = 0;
  std::array<cf32, kMlseTaps> best_h{};
  for (int d = -2; d <= 2; ++d) {
    const std::int64_t p = nominal_start + best_tau + d - lo;
    std::array<cf32, kMlseTaps> h{};
    // r_n for n = first+4 .. first+n_tr-1
    auto obs = [&](int n) {
      return derotate(filt(static_cast<std::size_t>(p + kSps * (n - kMainTap))), n);
    };
    for (int k = 0; k < kMlseTaps; ++k) {
      cf32 acc{};
      const float* row = tr.pinv.data() + static_cast<std::size_t>(k * tr.neq);
      for (int i = 0; i < tr.neq; ++i) acc += row[i] * obs(tr.first + kMlseTaps - 1 + i);
      h[static_cast<std::size_t>(k)] = acc;
    }
    float res = 0.f, eh = 0.f;
    for (int i = 0; i < tr.neq; ++i) {
      cf32 e = obs(tr.first + kMlseTaps - 1 + i);
      for (int k = 0; k < kMlseTaps; ++k) e -= h[static_cast<std::size_t>(k)] * tr.sym[static_cast<std::size_t>(i + kMlseTaps - 1 - k)];
      res += std::norm(e);
    }
    for (const auto& v : h) eh += std::norm(v);
    const float sigma2 = std::max(res / static_cast<float>(tr.neq - kMlseTaps), 1e-6f * eh + 1e-30f);
    const float q = eh / sigma2;
    if (q > best_q) {
      best_q = q;
      best_p = p;
      best_h = h;
      best_sigma2 = sigma2;
    }
  }
  (void)n_tr;
  out.channel = best_h;
  out.start = static_cast<double>(lo + best_p);
  out.snr_db = best_q > 0 ? 10.0 * std::log10(best_q) : -100.0;
  // Observations and known symbols (tails: 45.002 clause 5.2; training).
  for (int n = 0; n < kObs; ++n) {
    obs_[static_cast<std::size_t>(n)] = derotate(filt(static_cast<std::size_t>(best_p + kSps * (n - kMainTap))), n);
    known_[static_cast<std::size_t>(n)] = 0;
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
