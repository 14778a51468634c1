#include "dsp/nr/polar_rate_match.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "src/core/error.hpp"

namespace tw::nr {

namespace {
// TS 38.212 table 5.4.1.1-1.
constexpr std::array<int, 32> kP = {0,  1,  2,  4,  3,  5,  6,  7,  8,  16, 9,  17, 10, 18, 11, 19,
                                    12, 20, 13, 21, 14, 22, 15, 23, 24, 25, 26, 28, 27, 29, 30, 31};
// LLR of a shortened bit: known to be 0.
constexpr float kKnownZeroLlr = 1e6f;
}  // namespace

std::vector<int> polar_subblock_interleaver(int N) {
  if (N < 32 || N > 1024 || (N & (N - 1)) != 0) throw InputError("polar sub-block interleaver: N " + std::to_string(N));
  // 5.4.1.1: i = floor(32 n / N), J(n) = P(i) N/32 + n mod (N/32).
  std::vector<int> J(static_cast<std::size_t>(N));
  for (int n = 0; n < N; ++n) J[static_cast<std::size_t>(n)] = kP[static_cast<std::size_t>(32 * n / N)] * (N / 32) + n % (N / 32);
  return J;
}

PolarRateMatcher::PolarRateMatcher(int N, int K, int E) : N_(N), K_(K), E_(E), J_(polar_subblock_interleaver(N)) {
  if (K < 1 || E < K || E > 8192) throw InputError("polar rate matching: K " + std::to_string(K) + ", E " + std::to_string(E));
  shortening_ = E < N && 16LL * K > 7LL * E;
}

void PolarRateMatcher::match(std::span<const std::uint8_t> d, std::span<std::uint8_t> e) const {
  if (static_cast<int>(d.size()) != N_ || static_cast<int>(e.size()) != E_) throw InputError("polar rate matching: sizes");
  std::vector<std::uint8_t> y(static_cast<std::size_t>(N_));
  for (int n = 0; n < N_; ++n) y[static_cast<std::size_t>(n)] = d[static_cast<std::size_t>(J_[static_cast<std::size_t>(n)])] & 1u;
  // 5.4.1.2 bit selection.
  for (int k = 0; k < E_; ++k) {
    int n;
    if (E_ >= N_) n = k % N_;           // repetition
    else if (shortening_) n = k;        // shortening: the first E
    else n = k + N_ - E_;               // puncturing: the last E
    e[static_cast<std::size_t>(k)] = y[static_cast<std::size_t>(n)];
  }
}

void PolarRateMatcher::recover(std::span<const float> llr_e, std::span<float> llr_d) const {
  if (static_cast<int>(llr_e.size()) != E_ || static_cast<int>(llr_d.size()) != N_) throw InputError("polar rate recovery: sizes");
  std::vector<float> y(static_cast<std::size_t>(N_), 0.0f);
  if (E_ < N_ && shortening_) {
    for (int n = E_; n < N_; ++n) y[static_cast<std::size_t>(n)] = kKnownZeroLlr;
  }
  for (int k = 0; k < E_; ++k) {
    int n;
    if (E_ >= N_) n = k % N_;
    else if (shortening_) n = k;
    else n = k + N_ - E_;
    const float v = llr_e[static_cast<std::size_t>(k)];
    y[static_cast<std::size_t>(n)] += std::isfinite(v) ? std::clamp(v, -kKnownZeroLlr, kKnownZeroLlr) : 0.0f;
  }
  for (int n = 0; n < N_; ++n) llr_d[static_cast<std::size_t>(J_[static_cast<std::size_t>(n)])] = y[static_cast<std::size_t>(n)];
}

}  // namespace tw::nr
