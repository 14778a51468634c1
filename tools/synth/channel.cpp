#include "tools/synth/channel.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>

#include "tools/synth/hot_loop.hpp"

namespace tw::synth {

namespace {
double kaiser(double x, double half_width, double beta) {   // x in [-half_width, half_width]
  const double r = x / half_width;
  if (r <= -1.0 || r >= 1.0) return 0.0;
  return std::cyl_bessel_i(0.0, beta * std::sqrt(1.0 - r * r)) / std::cyl_bessel_i(0.0, beta);
}
double sinc(double x) {
  if (std::abs(x) < 1e-12) return 1.0;
  return std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
}
}  // namespace

PolyphaseInterpolator::PolyphaseInterpolator(int phases, double cutoff, double kaiser_beta) : phases_(phases) {
  constexpr int half_ = kHalf;
  if (phases_ < 1 || cutoff <= 0.0 || cutoff > 0.5)
    throw std::invalid_argument("PolyphaseInterpolator: bad parameters");
  taps_.resize(static_cast<std::size_t>(phases_) * static_cast<std::size_t>(4 * half_));
  std::vector<double> v(static_cast<std::size_t>(2 * half_));
  for (int p = 0; p < phases_; ++p) {
    const double frac = static_cast<double>(p) / phases_;
    float* h = taps_.data() + static_cast<std::size_t>(p) * static_cast<std::size_t>(4 * half_);
    double sum = 0.0;
    for (int k = 0; k < 2 * half_; ++k) {
      const double x = (k - half_ + 1) - frac;   // distance from the wanted position
      v[static_cast<std::size_t>(k)] = 2.0 * cutoff * sinc(2.0 * cutoff * x) * kaiser(x, half_ + 0.0, kaiser_beta);
      sum += v[static_cast<std::size_t>(k)];
    }
    for (int k = 0; k < 2 * half_; ++k)
      h[2 * k] = h[2 * k + 1] = static_cast<float>(v[static_cast<std::size_t>(k)] / sum);
  }
}

std::vector<PathSpec> multipath_profile(std::string_view name) {
  if (name == "none") return {};
  if (name == "tu")
    return {{0.0, -3.0}, {0.2e-6, 0.0}, {0.5e-6, -2.0}, {1.6e-6, -6.0}, {2.3e-6, -8.0}, {5.0e-6, -10.0}};
  throw std::invalid_argument("unknown multipath profile (expected \"none\" or \"tu\")");
}

FadingChannel::FadingChannel(const std::vector<PathSpec>& paths, double doppler_hz, double sample_rate_hz,
                             std::uint64_t seed)
    : rate_(sample_rate_hz) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uni(0.0, 2.0 * std::numbers::pi);
  double total = 0.0;
  for (const auto& p : paths) total += std::pow(10.0, p.power_db / 10.0);
  double max_delay = 0.0;
  for (const auto& p : paths) {
    Path q;
    q.delay_samples = p.delay_s * rate_;
    q.amplitude = static_cast<float>(std::sqrt(std::pow(10.0, p.power_db / 10.0) / total / kSinusoids));
    for (int n = 0; n < kSinusoids; ++n) {
      q.doppler_hz.push_back(doppler_hz * std::cos(uni(rng)));
      q.phase.push_back(uni(rng));
    }
    max_delay = std::max(max_delay, q.delay_samples);
    paths_.push_back(std::move(q));
  }
  length_ = static_cast<int>(std::ceil(max_delay)) + 2 * kSincHalf + 1;
  // Fractional delay of each path by a windowed sinc centred at kSincHalf + delay (unit DC gain).
  for (auto& p : paths_) {
    const double centre = kSincHalf + p.delay_samples;
    const int lo = std::max(0, static_cast<int>(std::floor(centre)) - kSincHalf + 1);
    const int hi = std::min(length_ - 1, static_cast<int>(std::floor(centre)) + kSincHalf);
    double sum = 0.0;
    std::vector<double> w;
    for (int k = lo; k <= hi; ++k) {
      w.push_back(sinc(k - centre) * kaiser(k - centre, kSincHalf + 0.0, 5.0));
      sum += w.back();
    }
    p.first_tap = lo;
    for (double x : w) p.weights.push_back(static_cast<float>(x / sum));
  }
  taps_.assign(static_cast<std::size_t>(length_), cf32{});
  reset();
}

void FadingChannel::reset() { history_.assign(static_cast<std::size_t>(length_ - 1), cf32{}); }

std::vector<cf32> FadingChannel::path_gains(double t_s) const {
  std::vector<cf32> g;
  for (const auto& p : paths_) {
    double re = 0.0, im = 0.0;
    for (int n = 0; n < kSinusoids; ++n) {
      const double ph = 2.0 * std::numbers::pi * p.doppler_hz[static_cast<std::size_t>(n)] * t_s + p.phase[static_cast<std::size_t>(n)];
      re += std::cos(ph);
      im += std::sin(ph);
    }
    g.emplace_back(static_cast<float>(re * p.amplitude), static_cast<float>(im * p.amplitude));
  }
  return g;
}

void FadingChannel::update_taps(double t_s) {
  std::fill(taps_.begin(), taps_.end(), cf32{});
  for (const auto& p : paths_) {
    double re = 0.0, im = 0.0;
    for (int n = 0; n < kSinusoids; ++n) {
      const double ph = 2.0 * std::numbers::pi * p.doppler_hz[static_cast<std::size_t>(n)] * t_s + p.phase[static_cast<std::size_t>(n)];
      re += std::cos(ph);
      im += std::sin(ph);
    }
    const cf32 g(static_cast<float>(re * p.amplitude), static_cast<float>(im * p.amplitude));
    for (std::size_t k = 0; k < p.weights.size(); ++k) taps_[static_cast<std::size_t>(p.first_tap) + k] += g * p.weights[k];
  }
}

TW_SYNTH_HOT void FadingChannel::process(std::span<cf32> inout, double t0_s) {
  const std::size_t keep = static_cast<std::size_t>(length_ - 1);
  history_.resize(keep + inout.size());
  std::copy(inout.begin(), inout.end(), history_.begin() + static_cast<std::ptrdiff_t>(keep));
  const int L = length_;
  for (std::size_t start = 0; start < inout.size(); start += kUpdate) {
    update_taps(t0_s + (static_cast<double>(start) + 0.5 * kUpdate) / rate_);
    const std::size_t end = std::min(inout.size(), start + kUpdate);
    for (std::size_t n = start; n < end; ++n) {
      // y[n] = sum_k h[k] x[n - k]; x[n] is history_[keep + n]
      const cf32* x = history_.data() + keep + n;
      float re = 0.0f, im = 0.0f;
      for (int k = 0; k < L; ++k) {
        const cf32 h = taps_[static_cast<std::size_t>(k)];
        const cf32 v = x[-k];
        re += h.real() * v.real() - h.imag() * v.imag();
        im += h.real() * v.imag() + h.imag() * v.real();
      }
      inout[n] = {re, im};
    }
  }
  std::copy(history_.end() - static_cast<std::ptrdiff_t>(keep), history_.end(), history_.begin());
  history_.resize(keep);
}

}  // namespace tw::synth
