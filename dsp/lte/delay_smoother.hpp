// Channel estimate smoothing over frequency by a short delay profile (least squares with a ridge): the
// channel of an OFDM symbol seen through an FFT window that starts inside the cyclic prefix is
//   H(f) = sum_d g_d exp(-j 2 pi f d / N),  d = d_min .. d_max (samples at 1.92 Msps, N = 128),
// because the channel's impulse response and the window's advance both fit inside the CP (36.211 table
// 6.12-1: 9 samples normal, 32 extended). Fitting the few taps to many noisy pilots instead of reading each
// pilot alone raises the estimate's SNR by about (pilots / degrees of freedom); the ridge keeps the fit stable
// where the taps are nearly collinear over a part of the band (62 or 72 of 128 subcarriers).
//
// Object shape as liquid-dsp: create with the pilot and output frequencies (subcarriers from DC, which is not
// one), execute on a span of pilot values, reset is a no-op (no state between calls).
#pragma once
#include <complex>
#include <span>
#include <vector>

namespace tw::dsp::lte {

class DelaySmoother {
 public:
  // pilot_freqs / out_freqs: subcarrier offsets from DC (..., -2, -1, 1, 2, ...); a frequency may repeat in
  // pilot_freqs (pilots of several symbols). Throws tw::InputError when d_max < d_min, the profile is longer
  // than fft_size / 2 or 64 taps, or there are fewer pilots than two.
  DelaySmoother(std::span<const int> pilot_freqs, std::span<const int> out_freqs, int d_min, int d_max, int fft_size = 128,
                double ridge = 0.05);
  // out[j] = estimate at out_freqs[j] from pilots[i] (LS channel values at pilot_freqs[i]).
  void execute(std::span<const std::complex<float>> pilots, std::span<std::complex<float>> out) const;
  void reset() {}
  std::size_t pilots() const { return n_in_; }
  std::size_t outputs() const { return n_out_; }

 private:
  static constexpr std::size_t kMaxTaps = 64;
  std::size_t n_in_ = 0, n_out_ = 0, taps_ = 0;
  std::vector<float> fit_re_, fit_im_;               // taps x n_in: pilots -> taps (ridge least squares)
  std::vector<std::complex<float>> basis_out_;       // n_out x taps: taps -> outputs
};

}  // namespace tw::dsp::lte
