#include "dsp/lte/channel_estimate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "dsp/lte/lte_signals.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::lte {

namespace {

// Half-widths (in pilots of the merged comb, 3 subcarriers apart) of the triangular frequency smoothers the
// leave-one-out cross-validation chooses from: 1 pilot (+-3 subcarriers, for strong delay spread at high SNR)
// to 24 (+-72 subcarriers, 1.08 MHz, for a flat channel in deep noise).
constexpr std::array<int, 9> kHalfWidths = {1, 2, 3, 4, 6, 8, 12, 16, 24};

struct Pilot {
  int k = 0;        // subcarrier
  cf32 sum{};       // sum of the LS estimates of the CRS symbols with a pilot at k (common phase removed)
  int count = 0;    // how many
};

struct CrsSymbol {
  int lsf = 0;      // symbol of the subframe
  int off = 0;      // k mod 6 of its pilots
  std::vector<cf32> ls;
};

// Triangular smoother of half-width w over the comb, weights (w + 1 - |d|) times each pilot's count (its
// inverse variance). With leave_out, pilot m's own term is left out (its prediction from its neighbours).
cf32 smooth_at(const std::vector<Pilot>& comb, int m, int w, bool leave_out) {
  cf32 s{};
  float wsum = 0.0f;
  const int n = static_cast<int>(comb.size());
  for (int j = std::max(0, m - w); j <= std::min(n - 1, m + w); ++j) {
    if (leave_out && j == m) continue;
    const float wj = static_cast<float>(w + 1 - std::abs(j - m));
    s += wj * comb[static_cast<std::size_t>(j)].sum;
    wsum += wj * static_cast<float>(comb[static_cast<std::size_t>(j)].count);
  }
  return wsum > 0.0f ? s / wsum : cf32{};
}

// The mean of unit-phasor products whose common phase is sought, with its standard error: the phase is
// taken only where it stands out of its own noise (|arg| above kSignificance standard errors; else 0). The
// timing and carrier offset were refined over many subframes before (refine_dl_timing): at low SNR one
// subframe's estimate of what is left would add more error than it takes out.
class PhaseMean {
 public:
  void add(cf32 z) {
    const std::complex<double> d(z);
    sum_ += d;
    sum_norm_ += std::norm(d);
    ++n_;
  }
  double significant_arg() const {
    if (n_ < 2 || std::abs(sum_) <= 0.0) return 0.0;
    const auto mean = sum_ / static_cast<double>(n_);
    const double scatter = std::max(0.0, sum_norm_ / static_cast<double>(n_) - std::norm(mean));
    // Neighbouring products share a pilot: the standard error counts half the products as independent.
    const double se = std::sqrt(scatter / (static_cast<double>(n_) / 2.0) / 2.0) / std::abs(mean);
    const double phase = std::arg(mean);
    return std::abs(phase) > kSignificance * se ? phase : 0.0;
  }

 private:
  static constexpr double kSignificance = 3.0;
  std::complex<double> sum_{};
  double sum_norm_ = 0.0;
  long n_ = 0;
};

}  // namespace

ChannelEstimator::ChannelEstimator(const CellParams& cell) : cell_(cell) {
  if (cell.n_prb < 6 || cell.n_prb > kMaxRb) throw InputError("n_prb: " + std::to_string(cell.n_prb) + " is outside 6..110");
  if (cell.pci < 0 || cell.pci > 503) throw InputError("pci: " + std::to_string(cell.pci) + " is outside 0..503");
  if (cell.ports != 1 && cell.ports != 2 && cell.ports != 4) throw InputError("ports: " + std::to_string(cell.ports) + " is not 1, 2 or 4");
}

// Per port p (36.211 6.10.1): least-squares estimates at the port's CRS; the common phase slope over
// frequency (a residual timing error) and the common phase drift from one OFDM symbol to the next (a residual
// carrier offset) taken out, both estimated over the whole subframe; the CRS symbols of the subframe merged
// into one comb of pilots 3 subcarriers apart (the two CRS symbols of a port are staggered by 3 subcarriers,
// 6.10.1.2), those at the same subcarrier averaged (the channel is taken as static over 1 ms once the drift is
// out: EPA/EVA Doppler turns it by well under 0.1 rad); smoothed in frequency by the triangular window whose
// leave-one-out prediction error is smallest (wide for a flat channel in noise, narrow for delay spread);
// interpolated linearly in frequency; slope and drift restored at every RE. noise_var: from the difference of
// the pilots a port sends twice at the same subcarrier in one subframe (ports 0 and 1), which no frequency
// selectivity inflates.
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
  double pair_noise = 0.0;
  long pair_n = 0;
  double cv_noise = std::numeric_limits<double>::infinity();
  // The least-squares estimates at every CRS of every port.
  std::array<std::vector<CrsSymbol>, 4> by_port;
  for (int p = 0; p < cell_.ports; ++p) {
    std::array<int, 2> ls_in_slot{};
    const int n_in_slot = crs_symbols_in_slot(p, cell_.normal_cp, ls_in_slot);
    for (int slot = 0; slot < 2; ++slot)
      for (int i = 0; i < n_in_slot; ++i) {
        const int l = ls_in_slot[static_cast<std::size_t>(i)];
        const int ns = 2 * sf.subframe + slot;
        CrsSymbol s;
        s.lsf = slot * per_slot + l;
        s.off = crs_k_offset(p, ns, l, cell_.normal_cp, cell_.pci);
        crs_sequence(cell_.pci, ns, l, cell_.normal_cp, std::span<cf32>(r.data(), 2 * kMaxRb));
        // 6.10.1.2: port p's pilot m at k = 6 m + off carries r(m + N_RB^max - N_RB).
        s.ls.resize(static_cast<std::size_t>(npilot));
        for (int m = 0; m < npilot; ++m)
          s.ls[static_cast<std::size_t>(m)] = sf.at(s.lsf, 6 * m + s.off) * std::conj(r[static_cast<std::size_t>(m + kMaxRb - cell_.n_prb)]);
        by_port[static_cast<std::size_t>(p)].push_back(std::move(s));
      }
  }
  auto rot = [](double ph) { return cf32(static_cast<float>(std::cos(ph)), static_cast<float>(std::sin(ph))); };
  // Common phase slope per subcarrier (a residual timing error), over every CRS of every port (the ports
  // leave one eNodeB at one time): adjacent pilots, not across DC.
  PhaseMean slope;
  for (int p = 0; p < cell_.ports; ++p)
    for (const auto& s : by_port[static_cast<std::size_t>(p)])
      for (int m = 1; m < npilot; ++m) {
        const int k = 6 * m + s.off;
        if (k >= nsc / 2 && k - 6 < nsc / 2) continue;
        slope.add(s.ls[static_cast<std::size_t>(m)] * std::conj(s.ls[static_cast<std::size_t>(m - 1)]));
      }
  const double theta = slope.significant_arg() / 6.0;
  // Common phase drift per OFDM symbol (a residual carrier offset) from the pilots ports 0 and 1 send twice
  // at one subcarrier in a subframe; it is the cell's, so ports 2 and 3 take it too.
  PhaseMean turn;
  int pair_dl = 0;
  for (int p = 0; p < cell_.ports; ++p) {
    const auto& syms = by_port[static_cast<std::size_t>(p)];
    for (std::size_t a = 0; a < syms.size(); ++a)
      for (std::size_t b = a + 1; b < syms.size(); ++b) {
        if (syms[a].off != syms[b].off) continue;
        pair_dl = syms[b].lsf - syms[a].lsf;
        for (int m = 0; m < npilot; ++m) turn.add(syms[b].ls[static_cast<std::size_t>(m)] * std::conj(syms[a].ls[static_cast<std::size_t>(m)]));
      }
  }
  const double drift = pair_dl > 0 ? turn.significant_arg() / pair_dl : 0.0;
  for (int p = 0; p < 4; ++p) {
    auto& h = sf.h[static_cast<std::size_t>(p)];
    if (p >= cell_.ports) {
      h.clear();
      continue;
    }
    h.assign(static_cast<std::size_t>(nsym * nsc), cf32{});
    auto& syms = by_port[static_cast<std::size_t>(p)];
    for (auto& s : syms)
      for (int m = 0; m < npilot; ++m) s.ls[static_cast<std::size_t>(m)] *= std::conj(rot(theta * f_of(6 * m + s.off)));
    double lref = 0.0;
    for (const auto& s : syms) lref += s.lsf;
    lref /= static_cast<double>(syms.size());
    for (auto& s : syms) {
      const cf32 c = std::conj(rot(drift * (s.lsf - lref)));
      for (auto& v : s.ls) v *= c;
    }
    // Noise from the pairs at one subcarrier: E|a - b|^2 = 2 noise.
    for (std::size_t a = 0; a < syms.size(); ++a)
      for (std::size_t b = a + 1; b < syms.size(); ++b) {
        if (syms[a].off != syms[b].off) continue;
        for (int m = 0; m < npilot; ++m) pair_noise += 0.5 * std::norm(syms[b].ls[static_cast<std::size_t>(m)] - syms[a].ls[static_cast<std::size_t>(m)]);
        pair_n += npilot;
      }
    // The merged comb, ordered by subcarrier.
    std::vector<Pilot> by_k(static_cast<std::size_t>(nsc));
    for (const auto& s : syms)
      for (int m = 0; m < npilot; ++m) {
        auto& q = by_k[static_cast<std::size_t>(6 * m + s.off)];
        q.sum += s.ls[static_cast<std::size_t>(m)];
        ++q.count;
      }
    std::vector<Pilot> comb;
    comb.reserve(static_cast<std::size_t>(2 * npilot));
    for (int k = 0; k < nsc; ++k)
      if (by_k[static_cast<std::size_t>(k)].count > 0) {
        comb.push_back(by_k[static_cast<std::size_t>(k)]);
        comb.back().k = k;
      }
    // The smoother: the half-width whose leave-one-out prediction error (weighted by count) is smallest.
    int best_w = kHalfWidths[0];
    double best_cv = std::numeric_limits<double>::infinity();
    const int nc = static_cast<int>(comb.size());
    for (int w : kHalfWidths) {
      if (w >= nc) break;
      double cv = 0.0, cw = 0.0;
      for (int m = 0; m < nc; ++m) {
        const auto& q = comb[static_cast<std::size_t>(m)];
        const cf32 mean = q.sum / static_cast<float>(q.count);
        cv += q.count * std::norm(mean - smooth_at(comb, m, w, true));
        cw += q.count;
      }
      cv /= cw;
      if (cv < best_cv) best_cv = cv, best_w = w;
    }
    cv_noise = std::min(cv_noise, best_cv);
    std::vector<cf32> sm(static_cast<std::size_t>(nc));
    for (int m = 0; m < nc; ++m) sm[static_cast<std::size_t>(m)] = smooth_at(comb, m, best_w, false);
    // Linear interpolation over the subcarriers (by signed frequency), flat beyond the end pilots; then the
    // slope and, per symbol, the drift restored.
    std::vector<cf32> hk(static_cast<std::size_t>(nsc));
    int m = 0;
    for (int k = 0; k < nsc; ++k) {
      while (m + 1 < nc && comb[static_cast<std::size_t>(m + 1)].k <= k) ++m;
      const int ka = comb[static_cast<std::size_t>(m)].k;
      cf32 v;
      if (k <= ka || m + 1 >= nc) {
        v = sm[static_cast<std::size_t>(m)];
      } else {
        const int kb = comb[static_cast<std::size_t>(m + 1)].k;
        const float t = static_cast<float>(f_of(k) - f_of(ka)) / static_cast<float>(f_of(kb) - f_of(ka));
        v = sm[static_cast<std::size_t>(m)] + t * (sm[static_cast<std::size_t>(m + 1)] - sm[static_cast<std::size_t>(m)]);
      }
      hk[static_cast<std::size_t>(k)] = v * rot(theta * f_of(k));
    }
    for (int l = 0; l < nsym; ++l) {
      const cf32 c = rot(drift * (l - lref));
      cf32* out = h.data() + static_cast<std::size_t>(l * nsc);
      for (int k = 0; k < nsc; ++k) out[k] = hk[static_cast<std::size_t>(k)] * c;
    }
  }
  // Without pairs (not a case of 36.211: ports 0 and 1 always send two CRS symbols at each of their
  // subcarriers per subframe) the smallest leave-one-out error stands in, which is at least the noise.
  const double nv = pair_n > 0 ? pair_noise / static_cast<double>(pair_n) : cv_noise;
  sf.noise_var = static_cast<float>(std::max(std::isfinite(nv) ? nv : 1.0, 1e-30));
}

}  // namespace tw::dsp::lte
