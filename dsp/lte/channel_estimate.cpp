#include "dsp/lte/channel_estimate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "dsp/lte/lte_signals.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::lte {

namespace {
// Smoother over neighbouring pilots of one CRS symbol: [1 2 1] / 4 (renormalised at the band edges).
constexpr std::array<float, 3> kSmooth = {0.25f, 0.5f, 0.25f};
// E|LS - smoothed|^2 / noise for white noise: 1 - 2 w0 + sum w^2.
constexpr float kResidualShare = 1.0f - 2.0f * 0.5f + (0.0625f + 0.25f + 0.0625f);
}  // namespace

ChannelEstimator::ChannelEstimator(const CellParams& cell) : cell_(cell) {
  if (cell.n_prb < 6 || cell.n_prb > kMaxRb) throw InputError("n_prb: " + std::to_string(cell.n_prb) + " is outside 6..110");
  if (cell.pci < 0 || cell.pci > 503) throw InputError("pci: " + std::to_string(cell.pci) + " is outside 0..503");
  if (cell.ports != 1 && cell.ports != 2 && cell.ports != 4) throw InputError("ports: " + std::to_string(cell.ports) + " is not 1, 2 or 4");
}

void ChannelEstimator::execute(DlSubframe& sf) {
  const int per_slot = symbols_per_slot(cell_.normal_cp);
  const int nsym = 2 * per_slot;
  const int nsc = 12 * cell_.n_prb;
  if (sf.n_prb != cell_.n_prb) throw InputError("DlSubframe n_prb: " + std::to_string(sf.n_prb) + " is not the cell's " + std::to_string(cell_.n_prb));
  if (sf.n_symbols != nsym) throw InputError("DlSubframe n_symbols: " + std::to_string(sf.n_symbols) + " is not " + std::to_string(nsym));
  if (sf.re.size() != static_cast<std::size_t>(nsym * nsc)) throw InputError("DlSubframe re: size does not match n_prb and n_symbols");
  if (sf.subframe < 0 || sf.subframe > 9) throw InputError("DlSubframe subframe: " + std::to_string(sf.subframe) + " is outside 0..9");
  const int npilot = 2 * cell_.n_prb;
  auto f_of = [&](int k) { return k < nsc / 2 ? k - nsc / 2 : k - nsc / 2 + 1; };
  std::array<cf32, 2 * kMaxRb> r{};
  std::vector<cf32> ls(static_cast<std::size_t>(npilot)), sm(static_cast<std::size_t>(npilot));
  std::vector<cf32> row(static_cast<std::size_t>(nsc));
  double resid = 0.0;
  long resid_n = 0;
  for (int p = 0; p < 4; ++p) {
    auto& h = sf.h[static_cast<std::size_t>(p)];
    if (p >= cell_.ports) {
      h.clear();
      continue;
    }
    h.assign(static_cast<std::size_t>(nsym * nsc), cf32{});
    std::array<int, 2> ls_in_slot{};
    const int n_in_slot = crs_symbols_in_slot(p, cell_.normal_cp, ls_in_slot);
    std::vector<int> crs_l;
    for (int slot = 0; slot < 2; ++slot) {
      for (int i = 0; i < n_in_slot; ++i) {
        const int l = ls_in_slot[static_cast<std::size_t>(i)];
        const int ns = 2 * sf.subframe + slot;
        const int lsf = slot * per_slot + l;
        crs_l.push_back(lsf);
        crs_sequence(cell_.pci, ns, l, cell_.normal_cp, std::span<cf32>(r.data(), 2 * kMaxRb));
        const int off = crs_k_offset(p, ns, l, cell_.normal_cp, cell_.pci);
        // 6.10.1.2: port p's pilot m at k = 6 m + off carries r(m + N_RB^max - N_RB).
        for (int m = 0; m < npilot; ++m) {
          const int k = 6 * m + off;
          ls[static_cast<std::size_t>(m)] = sf.at(lsf, k) * std::conj(r[static_cast<std::size_t>(m + kMaxRb - cell_.n_prb)]);
        }
        // Common phase slope per subcarrier (adjacent pilots, not across DC).
        std::complex<double> acc{};
        for (int m = 1; m < npilot; ++m) {
          const int k = 6 * m + off;
          if (k >= nsc / 2 && k - 6 < nsc / 2) continue;
          acc += std::complex<double>(ls[static_cast<std::size_t>(m)] * std::conj(ls[static_cast<std::size_t>(m - 1)]));
        }
        const double theta = std::abs(acc) > 0.0 ? std::arg(acc) / 6.0 : 0.0;
        auto rot = [&](int k) {
          const double ph = theta * f_of(k);
          return cf32(static_cast<float>(std::cos(ph)), static_cast<float>(std::sin(ph)));
        };
        for (int m = 0; m < npilot; ++m) ls[static_cast<std::size_t>(m)] *= std::conj(rot(6 * m + off));
        for (int m = 0; m < npilot; ++m) {
          cf32 s{};
          float wsum = 0.0f;
          for (int d = -1; d <= 1; ++d) {
            const int j = m + d;
            if (j < 0 || j >= npilot) continue;
            s += kSmooth[static_cast<std::size_t>(d + 1)] * ls[static_cast<std::size_t>(j)];
            wsum += kSmooth[static_cast<std::size_t>(d + 1)];
          }
          sm[static_cast<std::size_t>(m)] = s / wsum;
          if (m > 0 && m + 1 < npilot) {
            resid += std::norm(ls[static_cast<std::size_t>(m)] - sm[static_cast<std::size_t>(m)]);
            ++resid_n;
          }
        }
        // Linear interpolation over the subcarriers (by signed frequency), flat beyond the end pilots.
        cf32* out = h.data() + static_cast<std::size_t>(lsf * nsc);
        int m = 0;
        for (int k = 0; k < nsc; ++k) {
          while (m + 1 < npilot && 6 * (m + 1) + off <= k) ++m;
          const int ka = 6 * m + off;
          cf32 v;
          if (k <= ka || m + 1 >= npilot) {
            v = sm[static_cast<std::size_t>(m)];
          } else {
            const int kb = ka + 6;
            const float t = static_cast<float>(f_of(k) - f_of(ka)) / static_cast<float>(f_of(kb) - f_of(ka));
            v = sm[static_cast<std::size_t>(m)] + t * (sm[static_cast<std::size_t>(m + 1)] - sm[static_cast<std::size_t>(m)]);
          }
          out[k] = v * rot(k);
        }
      }
    }
    // Time: linear between the port's CRS symbols, flat outside.
    std::sort(crs_l.begin(), crs_l.end());
    for (int l = 0; l < nsym; ++l) {
      if (std::find(crs_l.begin(), crs_l.end(), l) != crs_l.end()) continue;
      cf32* out = h.data() + static_cast<std::size_t>(l * nsc);
      if (l < crs_l.front() || l > crs_l.back()) {
        const int src = l < crs_l.front() ? crs_l.front() : crs_l.back();
        std::copy_n(h.data() + static_cast<std::size_t>(src * nsc), nsc, out);
        continue;
      }
      std::size_t i = 0;
      while (crs_l[i + 1] < l) ++i;
      const int la = crs_l[i], lb = crs_l[i + 1];
      const float t = static_cast<float>(l - la) / static_cast<float>(lb - la);
      const cf32* a = h.data() + static_cast<std::size_t>(la * nsc);
      const cf32* b = h.data() + static_cast<std::size_t>(lb * nsc);
      for (int k = 0; k < nsc; ++k) out[k] = a[k] + t * (b[k] - a[k]);
    }
  }
  const double nv = resid_n > 0 ? resid / static_cast<double>(resid_n) / kResidualShare : 0.0;
  sf.noise_var = static_cast<float>(std::max(nv, 1e-30));
}

}  // namespace tw::dsp::lte
