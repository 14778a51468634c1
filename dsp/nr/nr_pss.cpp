#include "dsp/nr/nr_pss.hpp"

#include <fftw3.h>

#include "dsp/nr/nr_fft.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::nr {

std::array<float, kSyncLength> pss_sequence(int n_id_2) {
  if (n_id_2 < 0 || n_id_2 > 2) throw InputError("PSS: N_ID(2) " + std::to_string(n_id_2) + " outside 0..2");
  std::array<int, kSyncLength> x{};
  const int init[7] = {0, 1, 1, 0, 1, 1, 1};   // x(0) .. x(6)
  for (int i = 0; i < 7; ++i) x[i] = init[i];
  for (int i = 0; i + 7 < kSyncLength; ++i) x[i + 7] = (x[i + 4] + x[i]) % 2;
  std::array<float, kSyncLength> d{};
  for (int n = 0; n < kSyncLength; ++n) d[n] = 1.0f - 2.0f * static_cast<float>(x[(n + 43 * n_id_2) % kSyncLength]);
  return d;
}

std::vector<std::complex<float>> pss_time_replica(int n_id_2, int n_fft) {
  if (n_fft < 128) throw InputError("PSS replica: FFT size " + std::to_string(n_fft) + " below 128");
  const auto d = pss_sequence(n_id_2);
  FftPlan ifft(n_fft, FFTW_BACKWARD);
  for (int i = 0; i < n_fft; ++i) ifft.in()[i] = 0.0f;
  for (int n = 0; n < kSyncLength; ++n) {
    const int f = n - 64;   // subcarriers from SS_REF
    ifft.in()[(f + n_fft) % n_fft] = d[n];
  }
  ifft.execute();
  std::vector<std::complex<float>> out(ifft.out(), ifft.out() + n_fft);
  for (auto& v : out) v /= static_cast<float>(n_fft);
  return out;
}

}  // namespace tw::dsp::nr
