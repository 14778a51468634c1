// QPSK (38.211 5.1.3) of the PBCH's 864 bits through AWGN at Es/N0 = snr_db per QPSK symbol, with the exact
// LLRs 2 sqrt(2) y / N0 (positive: bit 0): the coded-bit channel of the PBCH tests and bench.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace tw::synth::nr {

inline std::vector<float> qpsk_awgn_llr(const std::array<std::uint8_t, 864>& f, double snr_db, std::mt19937& rng) {
  const double n0 = std::pow(10.0, -snr_db / 10.0);
  std::normal_distribution<double> noise(0.0, std::sqrt(n0 / 2.0));
  std::vector<float> l(864);
  for (std::size_t i = 0; i < 864; ++i) {
    const double x = (f[i] ? -1.0 : 1.0) / std::sqrt(2.0);
    l[i] = static_cast<float>(2.0 * std::sqrt(2.0) * (x + noise(rng)) / n0);
  }
  return l;
}

}  // namespace tw::synth::nr
