#include "tools/synth/lte/dl_subframe_channel.hpp"

#include <cmath>
#include <random>
#include <string>

#include "src/core/error.hpp"

namespace tw::synth::lte {

namespace dl = tw::dsp::lte;

dl::DlSubframe apply_subframe_channel(const dl::CellParams& cell, int sfn, int subframe, const std::vector<std::vector<cf32>>& grids,
                                      const SubframeChannel& ch, std::array<std::vector<cf32>, 4>* h_true) {
  const int nsc = 12 * cell.n_prb;
  const int nsym = cell.normal_cp ? 14 : 12;
  const auto n = static_cast<std::size_t>(nsym * nsc);
  if (grids.size() != static_cast<std::size_t>(cell.ports)) throw InputError("grids: one per port needed");
  for (const auto& g : grids)
    if (g.size() != n) throw InputError("grids: " + std::to_string(g.size()) + " REs, the cell has " + std::to_string(n));
  dl::DlSubframe sf;
  sf.sfn = sfn;
  sf.subframe = subframe;
  sf.n_prb = cell.n_prb;
  sf.n_symbols = nsym;
  sf.re.assign(n, cf32{});
  std::vector<cf32> hk(static_cast<std::size_t>(nsc));
  for (int p = 0; p < cell.ports; ++p) {
    for (int k = 0; k < nsc; ++k) {
      const int f = k < nsc / 2 ? k - nsc / 2 : k - nsc / 2 + 1;
      const double w = -2.0 * 3.14159265358979323846 * f * 15e3;
      const std::complex<double> a = std::polar(1.0, w * ch.delay_s), b = std::polar(1.0, w * (ch.delay_s + ch.echo_delay_s));
      hk[static_cast<std::size_t>(k)] = cf32(std::complex<double>(ch.gain[static_cast<std::size_t>(p)]) * a +
                                             std::complex<double>(ch.echo[static_cast<std::size_t>(p)]) * b);
    }
    const auto& g = grids[static_cast<std::size_t>(p)];
    for (int l = 0; l < nsym; ++l)
      for (int k = 0; k < nsc; ++k) {
        const auto i = static_cast<std::size_t>(l * nsc + k);
        sf.re[i] += hk[static_cast<std::size_t>(k)] * g[i];
      }
    if (h_true) {
      auto& h = (*h_true)[static_cast<std::size_t>(p)];
      h.resize(n);
      for (int l = 0; l < nsym; ++l)
        for (int k = 0; k < nsc; ++k) h[static_cast<std::size_t>(l * nsc + k)] = hk[static_cast<std::size_t>(k)];
    }
  }
  if (ch.noise_var > 0.0) {
    std::mt19937_64 rng(ch.seed);
    std::normal_distribution<float> nd(0.0f, static_cast<float>(std::sqrt(ch.noise_var / 2.0)));
    for (auto& v : sf.re) v += cf32(nd(rng), nd(rng));
  }
  return sf;
}

}  // namespace tw::synth::lte
