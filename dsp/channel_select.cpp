#include "dsp/channel_select.hpp"

#include <liquid/liquid.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <optional>
#include <utility>
#include <string>

#include "src/core/error.hpp"

namespace tw::dsp {

namespace {
constexpr double kTwoPi = 6.283185307179586476925286766559;

// Rates as integers in units of 1/3 Hz (the GSM rates are multiples of 1625000/6 = 812500/3); nullopt if
// the rate is not such a multiple.
std::optional<long long> thirds_of_hz(double rate) {
  const double t = rate * 3.0;
  const double r = std::round(t);
  if (std::fabs(t - r) > 1e-3 * std::max(1.0, rate / 1e6) || r > 1e12) return std::nullopt;
  return static_cast<long long>(r);
}

void check_rate(double rate, const char* field) {
  if (!(rate > 0.0) || !std::isfinite(rate) || rate > 1e10)
    throw InputError(std::string(field) + ": sample rate " + std::to_string(rate) + " Hz is not a usable rate");
}

// The resampling ratio out/in as P/Q. Exact when both rates are multiples of 1/3 Hz and the reduced ratio is
// small enough for a polyphase bank; otherwise the best rational approximation (continued fractions) with
// P <= kMaxInterp, whose relative error (under 2 ppm for any rate) the receiver absorbs like a clock
// error: e.g. an input written as 1083333 Hz instead of 1083333.33 Hz.
constexpr long long kMaxInterp = 1024;
std::pair<long long, long long> resampling_ratio(double in_rate, double out_rate) {
  const auto in3 = thirds_of_hz(in_rate), out3 = thirds_of_hz(out_rate);
  if (in3 && out3) {
    const long long g = std::gcd(*in3, *out3);
    if (*out3 / g <= kMaxInterp && *in3 / g <= 64 * kMaxInterp * 1000) return {*out3 / g, *in3 / g};
  }
  const double x = out_rate / in_rate;
  long long p0 = 0, q0 = 1, p1 = 1, q1 = 0;  // convergents
  double r = x;
  std::pair<long long, long long> best{std::max(1LL, std::llround(x)), 1};
  for (int i = 0; i < 40; ++i) {
    const double a = std::floor(r);
    const long long ai = static_cast<long long>(a);
    const long long p2 = ai * p1 + p0, q2 = ai * q1 + q0;
    if (p2 > kMaxInterp || q2 > 64 * kMaxInterp * 1000) break;
    if (p2 > 0) best = {p2, q2};
    if (std::fabs(static_cast<double>(p2) / static_cast<double>(q2) - x) < 1e-12 * x) break;
    p0 = p1, q0 = q1, p1 = p2, q1 = q2;
    if (r - a < 1e-15) break;
    r = 1.0 / (r - a);
  }
  return best;
}
}  // namespace

ChannelSelector::ChannelSelector(const ChannelSelectConfig& cfg) : cfg_(cfg) {
  check_rate(cfg.input_rate_hz, "input_rate_hz");
  check_rate(cfg.output_rate_hz, "output_rate_hz");
  const auto [p, q] = resampling_ratio(cfg.input_rate_hz, cfg.output_rate_hz);
  p_ = static_cast<unsigned>(p);
  q_ = static_cast<unsigned>(q);
  const double fin = cfg.input_rate_hz;
  out_rate_ = fin * static_cast<double>(p_) / static_cast<double>(q_);
  if (!std::isfinite(cfg.channel_offset_hz) || std::fabs(cfg.channel_offset_hz) >= fin / 2.0) {
    throw InputError("channel_offset_hz: " + std::to_string(cfg.channel_offset_hz) +
                     " Hz is outside the captured band (+-" + std::to_string(fin / 2.0) + " Hz)");
  }
  if (!(cfg.half_bandwidth_hz > 0.0) || !(cfg.stopband_db > 10.0)) {
    throw InputError("half_bandwidth_hz / stopband_db: must be > 0 and > 10 dB");
  }
  // Pass band edge, and the stop edge: frequencies above min(fin, fout) - pass would fold into the pass
  // band on resampling, so the stop band must start below that.
  const double lowest = std::min(fin, out_rate_);
  const double pass = std::min(cfg.half_bandwidth_hz, 0.45 * lowest);
  const double stop = std::min(pass + std::max(50e3, 0.5 * pass), lowest - pass);
  const double delta = std::max(stop - pass, 0.02 * fin);
  const double cutoff = 0.5 * (pass + stop);
  k_ = static_cast<std::size_t>(std::ceil((cfg.stopband_db - 7.95) / (14.36 * delta / fin))) + 1;
  k_ = std::max<std::size_t>(k_, 4);
  const std::size_t len = static_cast<std::size_t>(p_) * k_;
  std::vector<float> proto(len);
  liquid_firdes_kaiser(static_cast<unsigned>(len), static_cast<float>(cutoff / (fin * p_)),
                       static_cast<float>(cfg.stopband_db), 0.0f, proto.data());
  // Unity gain at DC for each branch: the prototype sums to ~p (interpolation gain).
  double sum = 0.0;
  for (float v : proto) sum += v;
  const float scale = static_cast<float>(p_ / sum);
  bank_.assign(len, 0.0f);
  for (unsigned ph = 0; ph < p_; ++ph) {
    for (std::size_t i = 0; i < k_; ++i) {
      bank_[ph * k_ + i] = proto[ph + (k_ - 1 - i) * p_] * scale;
    }
  }
  bank2_.resize(2 * len);
  for (std::size_t i = 0; i < len; ++i) bank2_[2 * i] = bank2_[2 * i + 1] = bank_[i];
  bypass_ = cfg.skip_filter_at_unit_ratio && p_ == 1 && q_ == 1;
  if (bypass_) {
    k_ = 1;
    bank_.assign(1, 1.0f);
  }
  mix_step_ = -kTwoPi * cfg.channel_offset_hz / fin;
  rot_step_ = cf32(static_cast<float>(std::cos(mix_step_)), static_cast<float>(std::sin(mix_step_)));
  reset();
}

void ChannelSelector::reset() {
  hist_.assign(k_ - 1, cf32{});
  n_in_ = n_out_ = acc_ = 0;
  rot_ = cf32(1.f, 0.f);
}

double ChannelSelector::input_time_of_output(std::uint64_t k) const {
  const double len = static_cast<double>(p_) * static_cast<double>(k_);
  return static_cast<double>(k) * q_ / p_ - (len - 1.0) / (2.0 * p_);
}

std::span<const cf32> ChannelSelector::select(std::span<const cf32> in, std::vector<cf32>& out) {
  if (bypass_ && cfg_.channel_offset_hz == 0.0) {
    n_in_ += in.size();
    n_out_ += in.size();
    return in;
  }
  out.clear();
  execute(in, out);
  return out;
}

std::size_t ChannelSelector::execute(std::span<const cf32> in, std::vector<cf32>& out) {
  if (in.empty()) return 0;
  if (bypass_) {
    // Mix only (rotator renormalised from the exact phase every 1024 samples).
    const std::size_t before = out.size();
    out.resize(before + in.size());
    cf32* dst = out.data() + before;
    const bool mix = cfg_.channel_offset_hz != 0.0;
    if (!mix) {
      std::copy(in.begin(), in.end(), dst);
    } else {
      for (std::size_t i = 0; i < in.size(); ++i) {
        const std::uint64_t n = n_in_ + i;
        if ((n & 1023u) == 0) {
          const double ph = std::fmod(mix_step_ * static_cast<double>(n), kTwoPi);
          rot_ = cf32(static_cast<float>(std::cos(ph)), static_cast<float>(std::sin(ph)));
        }
        dst[i] = in[i] * rot_;
        rot_ *= rot_step_;
      }
    }
    n_in_ += in.size();
    n_out_ += in.size();
    return in.size();
  }
  const std::size_t keep = k_ - 1;
  hist_.resize(keep + in.size());
  // Mix down (45.005 channel at offset f): a rotator renormalised from the exact phase every 1024 samples.
  cf32* dst = hist_.data() + keep;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::uint64_t n = n_in_ + i;
    if ((n & 1023u) == 0) {
      const double ph = std::fmod(mix_step_ * static_cast<double>(n), kTwoPi);
      rot_ = cf32(static_cast<float>(std::cos(ph)), static_cast<float>(std::sin(ph)));
    }
    dst[i] = in[i] * rot_;
    rot_ *= rot_step_;
  }
  const std::uint64_t last_in = n_in_ + in.size();  // exclusive
  const std::size_t before = out.size();
  // Output m needs input n = acc/p <= last_in - 1.
  std::size_t produced = 0;
  {
    const std::uint64_t max_acc = last_in * p_;  // acc < max_acc  <=>  acc/p < last_in
    std::size_t count = 0;
    if (acc_ < max_acc) count = static_cast<std::size_t>((max_acc - acc_ + q_ - 1) / q_);
    out.resize(before + count);
  }
#if defined(__SSE2__)
  // Eight outputs at a time, each as (re, im) in half a register (four independent sums in flight): every
  // output's two sums are the scalar loop's below term by term (same order, multiply then add).
  const std::size_t k = k_;
  auto pair = [](const float* a, const float* b) {
    return _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), reinterpret_cast<const __m64*>(a)), reinterpret_cast<const __m64*>(b));
  };
  while ((acc_ + 7 * static_cast<std::uint64_t>(q_)) / p_ < last_in) {
    const float* h[8];
    const float* x[8];
    for (int l = 0; l < 8; ++l) {
      const std::uint64_t a = acc_ + static_cast<std::uint64_t>(l) * q_;
      h[l] = bank2_.data() + 2 * static_cast<std::size_t>(a % p_) * k;
      x[l] = reinterpret_cast<const float*>(hist_.data() + (a / p_ - n_in_));
    }
    __m128 s0 = _mm_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (std::size_t i = 0; i < 2 * k; i += 2) {
      s0 = _mm_add_ps(s0, _mm_mul_ps(pair(h[0] + i, h[1] + i), pair(x[0] + i, x[1] + i)));
      s1 = _mm_add_ps(s1, _mm_mul_ps(pair(h[2] + i, h[3] + i), pair(x[2] + i, x[3] + i)));
      s2 = _mm_add_ps(s2, _mm_mul_ps(pair(h[4] + i, h[5] + i), pair(x[4] + i, x[5] + i)));
      s3 = _mm_add_ps(s3, _mm_mul_ps(pair(h[6] + i, h[7] + i), pair(x[6] + i, x[7] + i)));
    }
    float* o = reinterpret_cast<float*>(out.data() + before + produced);
    _mm_storeu_ps(o, s0);
    _mm_storeu_ps(o + 4, s1);
    _mm_storeu_ps(o + 8, s2);
    _mm_storeu_ps(o + 12, s3);
    produced += 8;
    acc_ += 8 * static_cast<std::uint64_t>(q_);
  }
#endif
  while (acc_ / p_ < last_in) {
    const std::uint64_t n = acc_ / p_;
    const unsigned ph = static_cast<unsigned>(acc_ % p_);
    const float* h = bank_.data() + static_cast<std::size_t>(ph) * k_;
    const cf32* x = hist_.data() + (n - n_in_);  // x[n-(k-1)] .. x[n]
    float re = 0.f, im = 0.f;
    for (std::size_t i = 0; i < k_; ++i) {
      re += h[i] * x[i].real();
      im += h[i] * x[i].imag();
    }
    out[before + produced++] = cf32(re, im);
    acc_ += q_;
  }
  out.resize(before + produced);
  n_out_ += produced;
  n_in_ = last_in;
  // Keep the last k-1 samples for the next block.
  std::copy(hist_.end() - static_cast<std::ptrdiff_t>(keep), hist_.end(), hist_.begin());
  hist_.resize(keep);
  return produced;
}

}  // namespace tw::dsp
