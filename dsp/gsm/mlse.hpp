// Soft-output MLSE equalizer for GSM (GMSK seen as linear modulation, Laurent's main pulse): the
// symbol-spaced observations are r_n = sum_{k=0..4} h_k a_(n-k) + w_n with a_n = 1 - 2 b_n (b_n the
// burst bits: after de-rotation by j^-n, GSM's differential encoding makes the symbols the bits
// themselves, 45.004 clause 2.3), complex white noise of variance sigma2.
// Channel memory 4 symbols: 16 states. The trellis is run forward and backward (max-log MAP), so the
// hard decisions are the Viterbi path and every bit gets a log-likelihood ratio
//   llr_n = ln P(b_n = 0 | r) / P(b_n = 1 | r)   (> 0 means bit 0, as osmocom's sbit_t > 0 means 0).
#pragma once
#include <array>
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

namespace tw::gsm {

using cf32 = std::complex<float>;

inline constexpr int kMlseTaps = 5;      // h_0 .. h_4: memory 4
inline constexpr int kMlseStates = 16;

class Mlse {
 public:
  explicit Mlse(std::size_t max_symbols = 256);

  // r: observations; known[n] = +1 / -1 when a_n is known (tail, training), 0 when unknown.
  // llr receives r.size() values. The state before r[0] (a_-1 .. a_-4) is unknown.
  // Throws tw::InputError if the sizes disagree or exceed max_symbols.
  void equalize(std::span<const cf32> r, const std::array<cf32, kMlseTaps>& h, float sigma2,
                std::span<const std::int8_t> known, std::span<float> llr);

 private:
  std::size_t max_;
  std::vector<float> alpha_;  // (n+1) x 16 forward metrics
  std::vector<float> beta_;   // 16 backward metrics for the current step
  std::vector<float> gamma_;  // n x 32 branch metrics (state*2 + new bit), computed once per burst
};

// LLR -> osmocom soft bit (+127 = surely 0, -127 = surely 1), scaled and clipped.
std::int8_t llr_to_sbit(float llr);

}  // namespace tw::gsm
