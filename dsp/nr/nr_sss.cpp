#include "dsp/nr/nr_sss.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "src/core/error.hpp"

namespace tw::dsp::nr {

namespace {
std::array<int, kSyncLength> m_sequence(bool x1) {
  std::array<int, kSyncLength> x{};
  x[0] = 1;
  for (int i = 0; i + 7 < kSyncLength; ++i) x[i + 7] = x1 ? (x[i + 1] + x[i]) % 2 : (x[i + 4] + x[i]) % 2;
  return x;
}
}  // namespace

std::array<float, kSyncLength> sss_sequence(int n_id_1, int n_id_2) {
  if (n_id_1 < 0 || n_id_1 >= kNid1Count) throw InputError("SSS: N_ID(1) " + std::to_string(n_id_1) + " outside 0..335");
  if (n_id_2 < 0 || n_id_2 > 2) throw InputError("SSS: N_ID(2) " + std::to_string(n_id_2) + " outside 0..2");
  static const auto x0 = m_sequence(false);
  static const auto x1 = m_sequence(true);
  const int m0 = 15 * (n_id_1 / 112) + 5 * n_id_2;
  const int m1 = n_id_1 % 112;
  std::array<float, kSyncLength> d{};
  for (int n = 0; n < kSyncLength; ++n)
    d[n] = static_cast<float>((1 - 2 * x0[(n + m0) % kSyncLength]) * (1 - 2 * x1[(n + m1) % kSyncLength]));
  return d;
}

SssDetector::SssDetector(int n_id_2) : n_id_2_(n_id_2), pss_(pss_sequence(n_id_2)) {
  for (int i = 0; i < kNid1Count; ++i) sss_[i] = sss_sequence(i, n_id_2);
}

SssResult SssDetector::execute(std::span<const std::complex<float>> pss, std::span<const std::complex<float>> sss) const {
  if (pss.size() != kSyncLength || sss.size() != kSyncLength) throw InputError("SSS detector: 127 subcarriers each");
  std::array<std::complex<float>, kSyncLength> p{}, q{};
  std::copy(pss.begin(), pss.end(), p.begin());
  std::copy(sss.begin(), sss.end(), q.begin());
  return execute_combined(std::span(&p, 1), std::span(&q, 1));
}

SssResult SssDetector::execute_combined(std::span<const std::array<std::complex<float>, kSyncLength>> pss,
                                        std::span<const std::array<std::complex<float>, kSyncLength>> sss) const {
  if (pss.size() != sss.size()) throw InputError("SSS detector: as many PSS as SSS occasions");
  // z(n) = SSS(n) conj(H(n)) with H(n) = PSS(n) d_PSS(n): the channel cancels, d_SSS(n) remains.
  std::array<std::complex<float>, kSyncLength> z{};
  double energy = 0.0;
  for (std::size_t o = 0; o < pss.size(); ++o)
    for (int n = 0; n < kSyncLength; ++n) {
      const std::complex<float> v = sss[o][n] * std::conj(pss[o][n]) * pss_[n];
      z[n] += v;   // sum over occasions before the (linear) correlation
      energy += std::norm(v);
    }
  SssResult r;
  if (energy <= 0.0) return r;
  const double norm = std::sqrt(energy);
  for (int i = 0; i < kNid1Count; ++i) {
    std::complex<float> acc{};
    for (int n = 0; n < kSyncLength; ++n) acc += z[n] * sss_[i][n];
    const double s = std::abs(acc) / norm;
    if (s > r.score) {
      r.second = r.score;
      r.score = s;
      r.n_id_1 = i;
    } else if (s > r.second) {
      r.second = s;
    }
  }
  (void)n_id_2_;
  return r;
}

}  // namespace tw::dsp::nr
