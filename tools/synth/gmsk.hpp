// GMSK modulator (3GPP TS 45.004 clause 2): differential encoding d_i = b_i xor b_(i-1), alpha_i = 1 - 2 d_i,
// Gaussian frequency pulse with BT = 0.3, phase advance alpha_i * pi/2 per symbol. Streaming: phase and
// pulse memory continue from one call to the next, so a whole carrier is phase continuous.
#pragma once
#include <array>
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "hw/iq_source.hpp"

namespace tw::synth {

class GmskModulator {
 public:
  static constexpr int kPulseSymbols = 4;   // the BT=0.3 pulse truncated to 4 symbol periods

  explicit GmskModulator(int samples_per_symbol = 4);
  void reset();   // phase 0, previous bit 1, pulse memory as after a run of alpha = +1
  // out.size() must be bits.size() * samples_per_symbol(); bits are 0/1 in transmission order.
  void modulate(std::span<const std::uint8_t> bits, std::span<cf32> out);
  int samples_per_symbol() const { return sps_; }
  // The modulator's delay: output sample o holds the ideal GMSK signal at time o - delay_samples()
  // (in samples from the start of the first bit; bit i is centred at (i + 0.5) * sps).
  double delay_samples() const { return (0.5 * kPulseSymbols - 0.5) * sps_ - 1.0; }
  // Phase change contributed by one symbol sample by sample (sums to pi/2); for tests.
  const std::vector<float>& pulse() const { return pulse_; }

 private:
  int sps_;
  std::vector<float> pulse_;            // kPulseSymbols * sps_ phase increments of one symbol
  // Rotation of each sample for every combination of the last kPulseSymbols differential bits:
  // rot_[combo * sps + s], combo bit j = d of the symbol j periods back (bit 0 newest).
  std::vector<std::complex<double>> rot_;
  unsigned history_ = 0;   // the last kPulseSymbols d bits, newest in bit 0
  std::uint8_t prev_bit_ = 1;
  std::complex<double> phasor_{1.0, 0.0};
};

}  // namespace tw::synth
