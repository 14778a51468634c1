#include "dsp/nr/pbch_dmrs.hpp"

#include <cmath>
#include <vector>

#include "dsp/gold_sequence.hpp"   // 38.211 5.2.1
#include "src/core/error.hpp"

namespace tw::dsp::nr {

std::array<cf32, kPbchDmrsRe> pbch_dmrs_sequence(int pci, int i_ssb_bar) {
  if (pci < 0 || pci > 1007) throw InputError("PBCH DMRS: PCI " + std::to_string(pci) + " outside 0..1007");
  if (i_ssb_bar < 0 || i_ssb_bar > 7) throw InputError("PBCH DMRS: i_SSB " + std::to_string(i_ssb_bar) + " outside 0..7");
  const std::uint32_t c_init = (1u << 11) * static_cast<std::uint32_t>((i_ssb_bar + 1) * (pci / 4 + 1)) +
                               (1u << 6) * static_cast<std::uint32_t>(i_ssb_bar + 1) + static_cast<std::uint32_t>(pci % 4);
  std::array<std::uint8_t, 2 * kPbchDmrsRe> c{};
  tw::dsp::gold_sequence(c_init, c);
  std::array<cf32, kPbchDmrsRe> r{};
  const float s = static_cast<float>(1.0 / std::sqrt(2.0));
  for (int m = 0; m < kPbchDmrsRe; ++m) r[m] = {s * (1 - 2 * c[2 * m]), s * (1 - 2 * c[2 * m + 1])};
  return r;
}

PbchDmrs::PbchDmrs(int pci) : pci_(pci) {
  for (int i = 0; i < 8; ++i) seq_[i] = pbch_dmrs_sequence(pci, i);
}

PbchDmrsResult PbchDmrs::execute(const SsbGrid& grid) const {
  const auto& dm = pbch_dmrs_res(pci_);
  std::array<cf32, kPbchDmrsRe> y{};
  for (int m = 0; m < kPbchDmrsRe; ++m) y[m] = grid[dm[m].l][dm[m].k];
  // Hypothesis energy: coherent over runs of 6 adjacent DMRS (24 subcarriers, phase-stable under a few
  // samples of timing error and the delay spreads met), non-coherent across runs. Runs: symbol 1 (60 DMRS,
  // m 0..59), symbol 2 (24: m 60..83, two edges of 12), symbol 3 (m 84..143).
  PbchDmrsResult best;
  std::array<double, 8> e{};
  for (int i = 0; i < 8; ++i) {
    double acc = 0.0;
    for (int m0 = 0; m0 < kPbchDmrsRe; m0 += 6) {
      cf32 s{};
      for (int m = m0; m < m0 + 6; ++m) s += y[m] * std::conj(seq_[i][m]);
      acc += std::norm(s);
    }
    e[i] = acc;
    if (best.i_ssb_bar < 0 || acc > e[best.i_ssb_bar]) best.i_ssb_bar = i;
  }
  double others = 0.0;
  for (int i = 0; i < 8; ++i)
    if (i != best.i_ssb_bar) others += e[i];
  others /= 7.0;
  best.metric = others > 0 ? e[best.i_ssb_bar] / others : 0.0;

  // LS estimates on the DMRS, smoothed over +-1 neighbour within the same run of a symbol's segment.
  const auto& r = seq_[best.i_ssb_bar];
  std::array<cf32, kPbchDmrsRe> ls{}, sm{};
  for (int m = 0; m < kPbchDmrsRe; ++m) ls[m] = y[m] * std::conj(r[m]);
  auto segment_of = [&](int m) {   // contiguous DMRS segment id: sym1, sym2 low, sym2 high, sym3
    if (m < 60) return 0;
    if (m < 72) return 1;
    if (m < 84) return 2;
    return 3;
  };
  // The phase slope over frequency (timing error, mean delay), taken out before smoothing and put back on
  // the interpolated channel: smoothing a rotating phasor would shrink it.
  cf32 step_acc{};
  for (int m = 0; m + 1 < kPbchDmrsRe; ++m)
    if (segment_of(m) == segment_of(m + 1)) step_acc += ls[m + 1] * std::conj(ls[m]);
  const double slope = std::arg(step_acc) / 4.0;   // radians per subcarrier
  auto rot = [&](int k, double sign) {
    return cf32(static_cast<float>(std::cos(sign * slope * k)), static_cast<float>(std::sin(sign * slope * k)));
  };
  for (int m = 0; m < kPbchDmrsRe; ++m) ls[m] *= rot(dm[m].k, -1.0);
  double noise = 0.0, sig = 0.0;
  int nn = 0;
  for (int m = 0; m < kPbchDmrsRe; ++m) {
    cf32 s = ls[m];
    int cnt = 1;
    for (int d : {-2, -1, 1, 2}) {
      const int q = m + d;
      if (q >= 0 && q < kPbchDmrsRe && segment_of(q) == segment_of(m)) {
        s += ls[q];
        ++cnt;
      }
    }
    sm[m] = s / static_cast<float>(cnt);
    // The residual of a 5-point mean has variance (1 - 1/cnt) sigma^2 (plus the channel's curvature).
    noise += std::norm(ls[m] - sm[m]) / (1.0 - 1.0 / cnt);
    ++nn;
  }
  best.noise_var = noise / nn;
  for (int m = 0; m < kPbchDmrsRe; ++m) sig += std::norm(sm[m]);
  best.signal_power = sig / kPbchDmrsRe;

  // Interpolate (linear in k, flat beyond the ends of a segment) onto the data REs.
  const auto& data = pbch_data_res(pci_);
  for (int i = 0; i < kPbchRe; ++i) {
    const int l = data[i].l, k = data[i].k;
    int lo = -1, hi = -1;
    for (int m = 0; m < kPbchDmrsRe; ++m) {
      if (dm[m].l != l) continue;
      const bool same_side = l != 2 || ((dm[m].k < 120) == (k < 120));
      if (!same_side) continue;
      if (dm[m].k <= k) lo = m;
      if (dm[m].k > k && hi < 0) hi = m;
    }
    if (lo < 0) best.h[i] = sm[hi];
    else if (hi < 0) best.h[i] = sm[lo];
    else {
      const float t = static_cast<float>(k - dm[lo].k) / static_cast<float>(dm[hi].k - dm[lo].k);
      best.h[i] = sm[lo] * (1.0f - t) + sm[hi] * t;
    }
    best.h[i] *= rot(k, 1.0);
  }
  return best;
}

}  // namespace tw::dsp::nr
