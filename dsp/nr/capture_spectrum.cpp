#include "dsp/nr/capture_spectrum.hpp"

#include <fftw3.h>

#include <cmath>
#include <numeric>

#include "dsp/nr/nr_fft.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::nr {

namespace {
bool smooth(long n) {   // only factors 2 3 5 7
  for (long p : {2L, 3L, 5L, 7L})
    while (n % p == 0) n /= p;
  return n == 1;
}
}  // namespace

CaptureSpectrum::CaptureSpectrum(std::span<const cf32> iq, double fs) : fs_(fs), used_(iq.size()) {
  if (!(fs > 0.0)) throw InputError("NR capture spectrum: sample rate must be > 0");
  if (iq.empty()) throw InputError("NR capture spectrum: no samples");
  // step: capture lengths that are multiples of it give an integer number of bins at 1.92 Msps.
  long step = 1;
  const double fr = std::round(fs);
  if (std::fabs(fr - fs) < 1e-3) {
    const long g = std::gcd(static_cast<long>(fr), 1920000L);
    if (static_cast<long>(fr) / g <= 20000) step = static_cast<long>(fr) / g;
  }
  long units = (static_cast<long>(iq.size()) + step - 1) / step;
  while (!smooth(units)) ++units;
  n_ = units * step;
  FftPlan fft(static_cast<int>(n_), FFTW_FORWARD);
  std::copy(iq.begin(), iq.end(), fft.in());
  std::fill(fft.in() + iq.size(), fft.in() + n_, cf32{});
  fft.execute();
  spec_.assign(fft.out(), fft.out() + n_);
}

int CaptureSpectrum::output_length(double rate_hz) const {
  return static_cast<int>(std::lround(static_cast<double>(n_) * rate_hz / fs_));
}

double CaptureSpectrum::cut(double offset_hz, double rate_hz, std::vector<cf32>& bins) const {
  const int m = output_length(rate_hz);
  bins.assign(static_cast<std::size_t>(m), cf32{});
  const long c = std::lround(offset_hz / bin_hz());
  const long half = n_ / 2;
  const float scale = 1.0f / static_cast<float>(n_);
  for (int j = -m / 2; j < m - m / 2; ++j) {
    const long b = c + j;   // signed bin of the capture
    if (b < -half || b >= n_ - half) continue;
    const double f = static_cast<double>(b) * bin_hz();
    if (std::fabs(f) >= fs_ / 2.0) continue;
    bins[static_cast<std::size_t>((j + m) % m)] = spec_[static_cast<std::size_t>((b + n_) % n_)] * scale;
  }
  return static_cast<double>(c) * bin_hz();
}

void CaptureSpectrum::extract(double offset_hz, double rate_hz, std::vector<cf32>& out) const {
  std::vector<cf32> bins;
  const double at_dc = cut(offset_hz, rate_hz, bins);
  const int m = static_cast<int>(bins.size());
  FftPlan ifft(m, FFTW_BACKWARD);
  std::copy(bins.begin(), bins.end(), ifft.in());
  ifft.execute();
  out.assign(ifft.out(), ifft.out() + m);
  const double actual_rate = static_cast<double>(m) * fs_ / static_cast<double>(n_);
  const double residue = offset_hz - at_dc;   // still in the signal at +residue Hz
  if (std::fabs(residue) > 1e-9) {
    const double w = -2.0 * M_PI * residue / actual_rate;
    for (int t = 0; t < m; ++t) out[t] *= cf32(static_cast<float>(std::cos(w * t)), static_cast<float>(std::sin(w * t)));
  }
}

}  // namespace tw::dsp::nr
