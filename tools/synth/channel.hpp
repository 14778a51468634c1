// Channel pieces of the scene synthesizer: a polyphase interpolator for arbitrary-rate resampling with a
// fractional start (timing, clock errors), and a Rayleigh multipath channel (sum of sinusoids).
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "hw/iq_source.hpp"

namespace tw::synth {

// Band-limited interpolation by a Kaiser-windowed sinc sampled on `phases` fractional positions.
// Each phase has unit DC gain. The cutoff is in cycles per input sample.
class PolyphaseInterpolator {
 public:
  static constexpr int kHalf = 16;   // taps on each side of the wanted position (32 in all)
  explicit PolyphaseInterpolator(int phases = 128, double cutoff = 0.194, double kaiser_beta = 7.0);
  int half_length() const { return kHalf; }
  // The value at fractional position (x + frac), 0 <= frac < 1: needs x[-half+1 .. half].
  cf32 at(const cf32* x, double frac) const {
    int p = static_cast<int>(frac * phases_ + 0.5);
    const cf32* base = x - kHalf + 1;
    if (p >= phases_) {   // rounds up to the next sample
      p = 0;
      ++base;
    }
    // Interleaved I/Q times duplicated taps, in 8 independent lanes (vectorizes without -ffast-math).
    const float* h = taps_.data() + static_cast<std::size_t>(p) * static_cast<std::size_t>(4 * kHalf);
    const float* v = reinterpret_cast<const float*>(base);
    float acc[8] = {};
    for (int k = 0; k < 4 * kHalf; k += 8)
      for (int j = 0; j < 8; ++j) acc[j] += v[k + j] * h[k + j];
    return {acc[0] + acc[2] + acc[4] + acc[6], acc[1] + acc[3] + acc[5] + acc[7]};
  }

 private:
  int phases_;
  std::vector<float> taps_;   // phases_ rows of 2*half_ taps, each tap twice (for I and Q)
};

// One path of a multipath profile.
struct PathSpec {
  double delay_s;
  double power_db;
};
// "tu": typical urban, 6 taps (3GPP TS 45.005 Annex C.3 TU6): 0, 0.2, 0.5, 1.6, 2.3, 5.0 us at
// -3, 0, -2, -6, -8, -10 dB. "none": empty. Throws std::invalid_argument for other names.
std::vector<PathSpec> multipath_profile(std::string_view name);

// Rayleigh fading taps (each a sum of sinusoids with Doppler spread doppler_hz), fractional path delays by
// windowed sinc, total mean power 1. Streaming, in place; adds a bulk delay of delay_samples().
class FadingChannel {
 public:
  FadingChannel(const std::vector<PathSpec>& paths, double doppler_hz, double sample_rate_hz, std::uint64_t seed);
  double delay_samples() const { return static_cast<double>(kSincHalf); }
  // Filters `inout` in place; t0_s is the time of its first sample (drives the fading).
  void process(std::span<cf32> inout, double t0_s);
  void reset();   // clears the history (after a seek)
  // The current complex gain of each path (for tests).
  std::vector<cf32> path_gains(double t_s) const;

 private:
  static constexpr int kSincHalf = 4;
  static constexpr int kSinusoids = 12;
  static constexpr int kUpdate = 64;   // samples between impulse response updates
  struct Path {
    double delay_samples;
    int first_tap = 0;
    std::vector<float> weights;       // fractional-delay taps from first_tap on (unit DC gain)
    float amplitude;
    std::vector<double> doppler_hz;   // f_d cos(angle_n)
    std::vector<double> phase;
  };
  void update_taps(double t_s);
  std::vector<Path> paths_;
  double rate_;
  int length_ = 1;
  std::vector<cf32> taps_;
  std::vector<cf32> history_;   // the last length_-1 inputs, then the block being filtered
};

}  // namespace tw::synth
