#include "tools/synth/gmsk.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace tw::synth {

namespace {
double q_function(double x) { return 0.5 * std::erfc(x / std::numbers::sqrt2); }

// 45.004 clause 2.5: g(t) = 1/(2T) [Q(2 pi B (t - T/2) / sqrt(ln 2)) - Q(2 pi B (t + T/2) / sqrt(ln 2))],
// with t in symbol periods (T = 1) and BT = 0.3.
double gaussian_frequency_pulse(double t) {
  const double k = 2.0 * std::numbers::pi * 0.3 / std::sqrt(std::log(2.0));
  return 0.5 * (q_function(k * (t - 0.5)) - q_function(k * (t + 0.5)));
}
}  // namespace

GmskModulator::GmskModulator(int samples_per_symbol) : sps_(samples_per_symbol) {
  if (sps_ < 1 || sps_ > 64) throw std::invalid_argument("GMSK samples per symbol out of range 1..64");
  const int n = kPulseSymbols * sps_;
  pulse_.resize(static_cast<std::size_t>(n));
  double sum = 0.0;
  std::vector<double> g(static_cast<std::size_t>(n));
  for (int m = 0; m < n; ++m) {
    // Integrate g over the sample period (midpoint rule on 16 points) so the phase is exact in the mean.
    double acc = 0.0;
    for (int j = 0; j < 16; ++j) {
      const double t = (m + (j + 0.5) / 16.0) / sps_ - 0.5 * kPulseSymbols;
      acc += gaussian_frequency_pulse(t);
    }
    g[static_cast<std::size_t>(m)] = acc;
    sum += acc;
  }
  // Each symbol advances the phase by pi/2 in total (modulation index 1/2).
  for (int m = 0; m < n; ++m)
    pulse_[static_cast<std::size_t>(m)] = static_cast<float>(g[static_cast<std::size_t>(m)] / sum * std::numbers::pi / 2);
  // Per-sample phase increments for each combination of the symbols under the pulse.
  const unsigned combos = 1u << kPulseSymbols;
  rot_.resize(combos * static_cast<std::size_t>(sps_));
  for (unsigned c = 0; c < combos; ++c)
    for (int s = 0; s < sps_; ++s) {
      double dphi = 0.0;
      for (int j = 0; j < kPulseSymbols; ++j) {
        const double alpha = ((c >> j) & 1u) ? -1.0 : 1.0;
        dphi += alpha * g[static_cast<std::size_t>(j * sps_ + s)] / sum * std::numbers::pi / 2;
      }
      rot_[c * static_cast<std::size_t>(sps_) + static_cast<std::size_t>(s)] = std::polar(1.0, dphi);
    }
  reset();
}

void GmskModulator::reset() {
  history_ = 0;
  prev_bit_ = 1;
  phasor_ = {1.0, 0.0};
}

void GmskModulator::modulate(std::span<const std::uint8_t> bits, std::span<cf32> out) {
  if (out.size() != bits.size() * static_cast<std::size_t>(sps_))
    throw std::invalid_argument("GmskModulator::modulate: output size must be bits * samples per symbol");
  const unsigned mask = (1u << kPulseSymbols) - 1u;
  std::size_t o = 0;
  std::complex<double> ph = phasor_;
  for (std::uint8_t b : bits) {
    b &= 1;
    const unsigned d = static_cast<unsigned>(b ^ prev_bit_);   // differential encoding (45.004 2.3)
    prev_bit_ = b;
    history_ = ((history_ << 1) | d) & mask;
    const std::complex<double>* r = rot_.data() + history_ * static_cast<unsigned>(sps_);
    for (int s = 0; s < sps_; ++s) {
      ph *= r[s];
      out[o++] = cf32(static_cast<float>(ph.real()), static_cast<float>(ph.imag()));
    }
  }
  phasor_ = ph / std::abs(ph);   // keep |phasor| = 1 across calls
}

}  // namespace tw::synth
