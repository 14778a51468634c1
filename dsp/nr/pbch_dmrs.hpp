// PBCH demodulation reference signal, TS 38.211 7.4.1.4.1:
//   r(m) = (1 - 2 c(2m)) / sqrt2 + j (1 - 2 c(2m+1)) / sqrt2, m = 0..143,
//   c_init = 2^11 (i_SSB' + 1)(floor(N_ID/4) + 1) + 2^6 (i_SSB' + 1) + (N_ID mod 4),
//   i_SSB' = i_SSB + 4 n_hf for L_max = 4 (i_SSB: the 2 LSBs of the SSB index, n_hf: half-frame), the 3 LSBs of
//   the SSB index for L_max = 8 or 64 (c: the Gold sequence of 5.2.1).
// PbchDmrs: which i_SSB' an SSB carries (its energy-detection over the 8 hypotheses), the channel on every
// PBCH RE (least squares on the DMRS, smoothed and interpolated per symbol: the upconversion of 38.211 5.4
// restarts the carrier's phase every symbol, so symbols are estimated apart) and the noise.
#pragma once
#include <array>
#include <complex>
#include <span>

#include "dsp/nr/ssb_grid.hpp"

namespace tw::dsp::nr {

using cf32 = std::complex<float>;
using SsbGrid = std::array<std::array<cf32, kSsbSubcarriers>, kSsbSymbols>;   // [l][k]

std::array<cf32, kPbchDmrsRe> pbch_dmrs_sequence(int pci, int i_ssb_bar);

struct PbchDmrsResult {
  int i_ssb_bar = -1;        // 0..7
  double metric = 0.0;       // the winner's energy over the mean of the others (noise: ~1)
  double noise_var = 0.0;    // per RE, complex
  double signal_power = 0.0; // mean |h|^2 over the DMRS REs
  std::array<cf32, kPbchRe> h{};   // channel on the PBCH data REs (pbch_data_res order)
};

class PbchDmrs {
 public:
  explicit PbchDmrs(int pci);
  PbchDmrsResult execute(const SsbGrid& grid) const;
  void reset() {}
  int pci() const { return pci_; }

 private:
  int pci_;
  std::array<std::array<cf32, kPbchDmrsRe>, 8> seq_{};
};

}  // namespace tw::dsp::nr
