#include "dsp/lte/delay_smoother.hpp"

#include <Eigen/Dense>
#include <array>
#include <cmath>
#include <string>

#include "src/core/error.hpp"

namespace tw::dsp::lte {

DelaySmoother::DelaySmoother(std::span<const int> pilot_freqs, std::span<const int> out_freqs, int d_min, int d_max, int fft_size,
                             double ridge) {
  if (d_max < d_min) throw InputError("delay profile: d_max " + std::to_string(d_max) + " < d_min " + std::to_string(d_min));
  if (fft_size < 2 || d_max - d_min + 1 > fft_size / 2 || d_max - d_min + 1 > static_cast<int>(kMaxTaps))
    throw InputError("delay profile: longer than half the FFT or than " + std::to_string(kMaxTaps) + " taps");
  if (pilot_freqs.size() < 2) throw InputError("delay smoother: fewer than 2 pilots");
  if (!(ridge >= 0.0)) throw InputError("delay smoother: ridge must be >= 0");
  n_in_ = pilot_freqs.size();
  n_out_ = out_freqs.size();
  const int taps = d_max - d_min + 1;
  const double two_pi_n = 2.0 * 3.14159265358979323846 / fft_size;
  auto basis = [&](std::span<const int> f) {
    Eigen::MatrixXcd a(static_cast<Eigen::Index>(f.size()), taps);
    for (std::size_t i = 0; i < f.size(); ++i)
      for (int t = 0; t < taps; ++t) a(static_cast<Eigen::Index>(i), t) = std::polar(1.0, -two_pi_n * f[i] * (d_min + t));
    return a;
  };
  const Eigen::MatrixXcd a_in = basis(pilot_freqs), a_out = basis(out_freqs);
  // Ridge relative to the pilots' count (the diagonal of A^H A).
  Eigen::MatrixXcd g = a_in.adjoint() * a_in;
  g += Eigen::MatrixXcd::Identity(taps, taps) * (ridge * static_cast<double>(n_in_));
  // Kept in two factors (taps x pilots, outputs x taps): fewer products than the full outputs x pilots matrix.
  const Eigen::MatrixXcd fit = g.ldlt().solve(a_in.adjoint());
  taps_ = static_cast<std::size_t>(taps);
  fit_re_.resize(taps_ * n_in_);
  fit_im_.resize(taps_ * n_in_);
  for (std::size_t t = 0; t < taps_; ++t)
    for (std::size_t i = 0; i < n_in_; ++i) {
      const auto v = fit(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(i));
      fit_re_[t * n_in_ + i] = static_cast<float>(v.real());
      fit_im_[t * n_in_ + i] = static_cast<float>(v.imag());
    }
  basis_out_.resize(n_out_ * taps_);
  for (std::size_t j = 0; j < n_out_; ++j)
    for (std::size_t t = 0; t < taps_; ++t)
      basis_out_[j * taps_ + t] = std::complex<float>(a_out(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(t)));
}

void DelaySmoother::execute(std::span<const std::complex<float>> pilots, std::span<std::complex<float>> out) const {
  if (pilots.size() != n_in_ || out.size() != n_out_) throw InputError("delay smoother: span sizes differ from the plan");
  // Products written out (std::complex's operator* checks for NaN on every element).
  std::array<float, kMaxTaps> g_re{}, g_im{};
  for (std::size_t t = 0; t < taps_; ++t) {
    const float* fr = fit_re_.data() + t * n_in_;
    const float* fi = fit_im_.data() + t * n_in_;
    float re = 0.0f, im = 0.0f;
    for (std::size_t i = 0; i < n_in_; ++i) {
      const float pr = pilots[i].real(), pim = pilots[i].imag();
      re += fr[i] * pr - fi[i] * pim;
      im += fr[i] * pim + fi[i] * pr;
    }
    g_re[t] = re;
    g_im[t] = im;
  }
  for (std::size_t j = 0; j < n_out_; ++j) {
    const std::complex<float>* b = basis_out_.data() + j * taps_;
    float re = 0.0f, im = 0.0f;
    for (std::size_t t = 0; t < taps_; ++t) {
      re += b[t].real() * g_re[t] - b[t].imag() * g_im[t];
      im += b[t].real() * g_im[t] + b[t].imag() * g_re[t];
    }
    out[j] = std::complex<float>(re, im);
  }
}

}  // namespace tw::dsp::lte
