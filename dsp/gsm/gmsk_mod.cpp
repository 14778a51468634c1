#include "dsp/gsm/gmsk_mod.hpp"

#include <cmath>

namespace tw::gsm {

namespace {
constexpr double kPi = 3.14159265358979323846;
double qfunc(double x) { return 0.5 * std::erfc(x / std::sqrt(2.0)); }
}  // namespace

GmskModulator::GmskModulator(int sps) : sps_(sps < 1 ? 1 : sps) {
  // 45.004 clause 2.5: g(t) = h(t) * rect(t/T), h Gaussian with BT = 0.3. g(t) expressed with Q():
  // g(t) = 1/(2T) [Q(2 pi B (t - T/2)/sqrt(ln 2)) - Q(2 pi B (t + T/2)/sqrt(ln 2))]; truncated to 3T.
  const double bt = 0.3;
  const int len = 3 * sps_;
  pulse_.resize(static_cast<std::size_t>(len));
  double sum = 0.0;
  for (int i = 0; i < len; ++i) {
    const double t = (i + 0.5) / sps_ - 1.5;  // in symbol periods, centred
    const double k = 2.0 * kPi * bt / std::sqrt(std::log(2.0));
    const double g = qfunc(k * (t - 0.5)) - qfunc(k * (t + 0.5));
    pulse_[static_cast<std::size_t>(i)] = static_cast<float>(g);
    sum += g;
  }
  for (auto& v : pulse_) v = static_cast<float>(v / sum);
  reset();
}

void GmskModulator::reset() {
  pending_.assign(pulse_.size(), 0.0f);
  phase_ = 0.0;
  prev_bit_ = 1;
}

void GmskModulator::modulate(std::span<const std::uint8_t> bits, std::vector<cf32>& out) {
  out.resize(bits.size() * static_cast<std::size_t>(sps_));
  std::size_t o = 0;
  const std::size_t plen = pulse_.size();
  for (std::uint8_t b : bits) {
    const std::uint8_t bit = b ? 1 : 0;
    const int d = bit ^ prev_bit_;        // 45.004 clause 2.3: d_i = b_i xor b_(i-1)
    prev_bit_ = bit;
    const float alpha = d ? -1.0f : 1.0f;  // alpha_i = 1 - 2 d_i
    // Add this symbol's frequency pulse to the pending contributions (pulse starts now).
    for (std::size_t i = 0; i < plen; ++i) pending_[i] += alpha * pulse_[i];
    for (int s = 0; s < sps_; ++s) {
      phase_ += (kPi / 2.0) * pending_[0];
      // shift by one sample
      for (std::size_t i = 0; i + 1 < plen; ++i) pending_[i] = pending_[i + 1];
      pending_[plen - 1] = 0.0f;
      out[o++] = cf32(static_cast<float>(std::cos(phase_)), static_cast<float>(std::sin(phase_)));
    }
    if (phase_ > 64.0 * kPi || phase_ < -64.0 * kPi) phase_ = std::fmod(phase_, 2.0 * kPi);
  }
}

}  // namespace tw::gsm
