#include "dsp/lte/delay_smoother.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <string>

#include "src/core/error.hpp"

namespace tw::dsp::lte {

DelaySmoother::DelaySmoother(std::span<const int> pilot_freqs, std::span<const int> out_freqs, int d_min, int d_max, int fft_size,
                             double ridge) {
  if (d_max < d_min) throw InputError("delay profile: d_max " + std::to_string(d_max) + " < d_min " + std::to_string(d_min));
  if (fft_size < 2 || d_max - d_min + 1 > fft_size / 2) throw InputError("delay profile: longer than half the FFT");
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
  const Eigen::MatrixXcd m = a_out * g.ldlt().solve(a_in.adjoint());
  m_.resize(n_out_ * n_in_);
  for (std::size_t j = 0; j < n_out_; ++j)
    for (std::size_t i = 0; i < n_in_; ++i) m_[j * n_in_ + i] = std::complex<float>(m(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)));
}

void DelaySmoother::execute(std::span<const std::complex<float>> pilots, std::span<std::complex<float>> out) const {
  if (pilots.size() != n_in_ || out.size() != n_out_) throw InputError("delay smoother: span sizes differ from the plan");
  for (std::size_t j = 0; j < n_out_; ++j) {
    const std::complex<float>* row = m_.data() + j * n_in_;
    std::complex<float> acc{};
    for (std::size_t i = 0; i < n_in_; ++i) acc += row[i] * pilots[i];
    out[j] = acc;
  }
}

}  // namespace tw::dsp::lte
