// Reference GMSK modulator (3GPP TS 45.004 clause 2): differential encoding, Gaussian frequency pulse
// BT = 0.3, phase advance +-pi/2 per symbol. Used to build test signals and reference waveforms.
// Streaming: successive calls continue phase, differential state and filter memory.
#pragma once
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

namespace tw::gsm {

using cf32 = std::complex<float>;

class GmskModulator {
 public:
  explicit GmskModulator(int sps = 4);
  // bits: 0/1 in transmission order; out receives bits.size()*sps samples (resized).
  void modulate(std::span<const std::uint8_t> bits, std::vector<cf32>& out);
  void reset();
  int sps() const { return sps_; }

 private:
  int sps_;
  std::vector<float> pulse_;     // frequency pulse over 3 symbols (sps*3 samples), sums to 1
  std::vector<float> pending_;   // frequency contributions not yet integrated (length of the pulse)
  double phase_ = 0.0;
  std::uint8_t prev_bit_ = 1;    // 45.004 clause 2.3: b(-1) taken as 1 before the first bit
};

}  // namespace tw::gsm
