// NR secondary synchronization signal, TS 38.211 7.4.2.3:
//   d_SSS(n) = [1 - 2 x0((n + m0) mod 127)] [1 - 2 x1((n + m1) mod 127)],
//   m0 = 15 floor(N_ID(1) / 112) + 5 N_ID(2), m1 = N_ID(1) mod 112,
//   x0(i+7) = (x0(i+4) + x0(i)) mod 2, x1(i+7) = (x1(i+1) + x1(i)) mod 2, [x(6) .. x(0)] = [0 0 0 0 0 0 1].
// N_ID(1) = 0..335, PCI = 3 N_ID(1) + N_ID(2) (7.4.2.1). Mapped on SSB symbol 2, subcarriers 56..182.
// SssDetector: N_ID(1) from the PSS and SSS subcarriers of one SSB, the PSS serving as channel reference.
#pragma once
#include <array>
#include <complex>
#include <span>

#include "dsp/nr/nr_pss.hpp"

namespace tw::dsp::nr {

constexpr int kNid1Count = 336;

std::array<float, kSyncLength> sss_sequence(int n_id_1, int n_id_2);

struct SssResult {
  int n_id_1 = -1;
  double score = 0.0;   // |sum| / sqrt(sum of |terms|^2): noise gives a unit Rayleigh (score^2 ~ Exp(1))
  double second = 0.0;  // the runner-up's score
};

class SssDetector {
 public:
  explicit SssDetector(int n_id_2);
  // pss, sss: the 127 received subcarriers (element n at k = 56 + n) of the PSS and SSS symbols.
  SssResult execute(std::span<const std::complex<float>> pss, std::span<const std::complex<float>> sss) const;
  // The same over several occasions of one cell (same N_ID): the per-occasion products z = SSS conj(PSS) d_PSS
  // are channel-free, so they add coherently; the score keeps its noise law (score^2 ~ Exp(1)).
  SssResult execute_combined(std::span<const std::array<std::complex<float>, kSyncLength>> pss,
                             std::span<const std::array<std::complex<float>, kSyncLength>> sss) const;
  void reset() {}

 private:
  int n_id_2_;
  std::array<float, kSyncLength> pss_{};
  std::array<std::array<float, kSyncLength>, kNid1Count> sss_{};
};

}  // namespace tw::dsp::nr
