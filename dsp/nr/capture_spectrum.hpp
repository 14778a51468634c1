// The spectrum of a whole capture (one long FFT), from which any narrow band is cut out at a chosen rate
// and centre: the bins around the centre, an inverse FFT of the output length. Exact resampling (no filter
// design, any input rate), time origin kept (output sample j is capture time j / rate). The capture is
// zero-padded to a length that makes the output rates (multiples of 1.92 Msps) an integer number of bins.
// Bins beyond the capture's Nyquist band are zero.
#pragma once
#include <complex>
#include <span>
#include <vector>

namespace tw::dsp::nr {

using cf32 = std::complex<float>;

class CaptureSpectrum {
 public:
  // iq: the capture (at most max_samples are used); sample_rate_hz > 0.
  CaptureSpectrum(std::span<const cf32> iq, double sample_rate_hz);
  void reset() {}

  double sample_rate() const { return fs_; }
  std::size_t used_samples() const { return used_; }
  double bin_hz() const { return fs_ / static_cast<double>(n_); }
  // Output length for a rate (the whole padded capture's duration at that rate).
  int output_length(double rate_hz) const;
  // The rate actually delivered for a requested one (output_length x fs / padded length).
  double output_rate(double rate_hz) const { return output_length(rate_hz) * fs_ / static_cast<double>(n_); }
  // The output_length(rate_hz) bins around offset_hz (nearest bin), in FFT order (DC first), scaled by 1/N
  // so that the inverse FFT gives the capture's amplitude. Returns the frequency actually at DC.
  double cut(double offset_hz, double rate_hz, std::vector<cf32>& bins) const;
  // Time signal at rate_hz with offset_hz exactly at DC (the sub-bin residue is rotated out).
  void extract(double offset_hz, double rate_hz, std::vector<cf32>& out) const;

 private:
  double fs_;
  std::size_t used_ = 0;
  long n_ = 0;                 // padded length
  std::vector<cf32> spec_;     // FFT of the padded capture
};

}  // namespace tw::dsp::nr
