#include "dsp/lte/sync_canceller.hpp"

#include <cmath>
#include <map>

#include "dsp/lte/delay_smoother.hpp"
#include "dsp/lte/fftw_plan.hpp"
#include "dsp/lte/lte_signals.hpp"

namespace tw::dsp::lte {

namespace {
using cf32 = std::complex<float>;
using Spectrum = std::array<cf32, kBaseFftSize>;
constexpr double kPi = 3.14159265358979323846;
constexpr int kN = kBaseFftSize;  // 128
constexpr int kBackoff = 2;       // FFT window this many samples into the CP (as the cell search's)
constexpr int kDelayMin = -3, kDelayMax = 11, kDelayMaxExtended = 30;
constexpr int kCrsCentralOffset = kMaxRb - 6;  // m' of the first CRS pair of the central 6 PRB

int bin_of_k72(int k72) { return k72 >= 36 ? k72 - 35 : k72 - 36 + kN; }
int freq_of_k72(int k72) { return k72 >= 36 ? k72 - 35 : k72 - 36; }
inline cf32 cmul(cf32 a, cf32 b) { return cf32(a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()); }
}  // namespace

struct SyncCanceller::Impl {
  FftwPlan fwd{kN, FFTW_FORWARD};
  FftwPlan inv{kN, FFTW_BACKWARD};
  std::array<std::array<cf32, 62>, 3> pss{};
  std::unique_ptr<DelaySmoother> smoother;                       // PSS subcarriers onto themselves
  std::map<int, std::unique_ptr<DelaySmoother>> crs_smoothers;   // a subframe's CRS of one port onto the 72
  std::map<long, std::array<cf32, 12>> crs_values;               // central CRS values per (PCI, ns, l)
  std::array<int, 72> f72{};                                     // frequency index of each central subcarrier
  std::vector<int> crs_freqs;                                    // cancel_crs's pilots of one port (reused)
  std::vector<cf32> crs_ls;

  Impl() {
    for (int n2 = 0; n2 < 3; ++n2) pss[static_cast<std::size_t>(n2)] = pss_sequence(n2);
    for (int k = 0; k < 72; ++k) f72[static_cast<std::size_t>(k)] = freq_of_k72(k);
    std::array<int, 62> f62{};
    for (int i = 0; i < 62; ++i) f62[static_cast<std::size_t>(i)] = freq_of_k72(i + 5);
    smoother = std::make_unique<DelaySmoother>(f62, f62, kDelayMin, kDelayMax);
  }

  // Unnormalised FFT of the 128 samples from `start`, derotated by the carrier (w radians per sample, phase of
  // absolute time as the cell search's).
  void fft(std::span<const cf32> y, std::int64_t start, double w, Spectrum& out) {
    cf32* in = fwd.input();
    const double ph0 = std::fmod(w * static_cast<double>(start), 2.0 * kPi);
    cf32 rot(static_cast<float>(std::cos(ph0)), static_cast<float>(std::sin(ph0)));
    const cf32 step(static_cast<float>(std::cos(w)), static_cast<float>(std::sin(w)));
    for (int i = 0; i < kN; ++i) {
      in[i] = cmul(y[static_cast<std::size_t>(start + i)], rot);
      rot = cmul(rot, step);
    }
    fwd.run();
    std::copy(fwd.output(), fwd.output() + kN, out.begin());
  }

  // Subtracts the symbol whose spectrum (FFT window at `start`, unnormalised) is `v`, over its CP and useful
  // part [start + kBackoff - cp, start + kBackoff + 128), turned back by the carrier.
  void subtract(std::span<cf32> y, std::int64_t start, int cp, double w, const Spectrum& v) {
    cf32* in = inv.input();
    for (int i = 0; i < kN; ++i) in[i] = v[static_cast<std::size_t>(i)] / static_cast<float>(kN);
    inv.run();
    const cf32* t = inv.output();
    const std::int64_t n = static_cast<std::int64_t>(y.size());
    const std::int64_t s0 = start + kBackoff - cp;
    const double ph0 = std::fmod(-w * static_cast<double>(s0), 2.0 * kPi);
    cf32 rot(static_cast<float>(std::cos(ph0)), static_cast<float>(std::sin(ph0)));
    const cf32 step(static_cast<float>(std::cos(-w)), static_cast<float>(std::sin(-w)));
    for (std::int64_t s = s0; s < start + kBackoff + kN; ++s, rot = cmul(rot, step)) {
      if (s < 0 || s >= n) continue;
      const int i = static_cast<int>(((s - start) % kN + kN) % kN);
      y[static_cast<std::size_t>(s)] -= cmul(t[i], rot);
    }
  }

  const std::array<cf32, 12>& crs(int pci, int ns, int l, bool ncp) {
    const long key = ((static_cast<long>(pci) * 20 + ns) * 8 + l) * 2 + (ncp ? 1 : 0);
    auto [it, fresh] = crs_values.try_emplace(key);
    if (fresh) {
      std::array<cf32, 2 * kMaxRb> r{};
      crs_sequence(pci, ns, l, ncp, r);
      for (int i = 0; i < 12; ++i) it->second[static_cast<std::size_t>(i)] = r[static_cast<std::size_t>(kCrsCentralOffset + i)];
    }
    return it->second;
  }

  // The CRS (36.211 6.10.1) of ports 0 .. ports-1 in the central 6 PRB of the subframe starting at sf_start
  // (subframe number nsf), each port's channel from its own pilots of the subframe (smoothed over the delay
  // profile), rebuilt and subtracted.
  void cancel_crs(std::span<cf32> y, std::int64_t sf_start, int nsf, int pci, int ports, bool ncp, double w) {
    const std::int64_t n = static_cast<std::int64_t>(y.size());
    const int per_slot = symbols_per_slot(ncp);
    // The CRS symbols of the subframe (symbol index within it) and their windows.
    std::array<int, 6> syms{};
    int n_syms = 0;
    for (int slot = 0; slot < 2; ++slot)
      for (int l : {0, 1, per_slot - 3}) {
        if (l == 1 && ports < 4) continue;
        syms[static_cast<std::size_t>(n_syms++)] = slot * per_slot + l;
      }
    auto window = [&](int sym) { return sf_start + symbol_start(sym, ncp, kN) + cp_length(sym % per_slot, ncp, kN) - kBackoff; };
    for (int i = 0; i < n_syms; ++i) {
      const std::int64_t st = window(syms[static_cast<std::size_t>(i)]);
      if (st < 0 || st + kN > n) return;  // a subframe cut by the capture's ends is left as it is
    }
    std::array<Spectrum, 6> spec{}, rebuilt{};
    for (int i = 0; i < n_syms; ++i) fft(y, window(syms[static_cast<std::size_t>(i)]), w, spec[static_cast<std::size_t>(i)]);
    auto& freqs = crs_freqs;
    auto& ls = crs_ls;
    std::array<cf32, 72> h{};
    // fn(i, k, r): every CRS resource element of port p in the central 72 subcarriers (36.211 6.10.1.2) of
    // the symbols held: symbol index i, subcarrier k, its reference value r.
    auto for_each_crs_re = [&](int p, auto&& fn) {
      for (int i = 0; i < n_syms; ++i) {
        const int sym = syms[static_cast<std::size_t>(i)], ns = 2 * nsf + sym / per_slot, l = sym % per_slot;
        std::array<int, 2> ps{};
        const int cnt = crs_symbols_in_slot(p, ncp, ps);
        if (l != ps[0] && (cnt < 2 || l != ps[1])) continue;
        const auto& r = crs(pci, ns, l, ncp);
        const int off = crs_k_offset(p, ns, l, ncp, pci);
        for (int q = 0; q < 12; ++q) fn(static_cast<std::size_t>(i), 6 * q + off, r[static_cast<std::size_t>(q)]);
      }
    };
    for (int p = 0; p < ports; ++p) {
      freqs.clear();
      ls.clear();
      for_each_crs_re(p, [&](std::size_t i, int k, cf32 r) {
        freqs.push_back(f72[static_cast<std::size_t>(k)]);
        ls.push_back(cmul(spec[i][static_cast<std::size_t>(bin_of_k72(k))], std::conj(r)));
      });
      auto& sm = crs_smoothers[((pci % 6) * 4 + p) * 2 + (ncp ? 1 : 0)];
      if (!sm) sm = std::make_unique<DelaySmoother>(freqs, f72, kDelayMin, ncp ? kDelayMax : kDelayMaxExtended);
      sm->execute(ls, h);
      for_each_crs_re(p, [&](std::size_t i, int k, cf32 r) {
        rebuilt[i][static_cast<std::size_t>(bin_of_k72(k))] += cmul(h[static_cast<std::size_t>(k)], r);
      });
    }
    for (int i = 0; i < n_syms; ++i) {
      const int sym = syms[static_cast<std::size_t>(i)];
      subtract(y, window(sym), cp_length(sym % per_slot, ncp, kN), w, rebuilt[static_cast<std::size_t>(i)]);
    }
  }
};

SyncCanceller::SyncCanceller() : impl_(std::make_unique<Impl>()) {}
SyncCanceller::~SyncCanceller() = default;

void SyncCanceller::execute(std::span<cf32> y, const SyncTrace& c) {
  if (!c.valid() || c.n_id_1 > 167 || c.n_id_2 > 2) return;
  Impl& m = *impl_;
  const std::int64_t n = static_cast<std::int64_t>(y.size());
  const double w = -2.0 * kPi * c.cfo_hz / kBaseSampleRate;
  const int cp = cp_length(1, c.normal_cp, kN);  // PSS and SSS are never symbol 0 of a slot
  const int pci = 3 * c.n_id_1 + c.n_id_2;
  // From the SSS's useful part to the PSS's (36.211 6.11: FDD adjacent symbols; TDD SSS in the last symbol
  // of subframe 0, PSS in the third of subframe 1).
  const int delta = c.tdd ? (c.normal_cp ? kN + (10 + kN) + (9 + kN) + 9 : kN + 2 * (32 + kN) + 32) : (c.normal_cp ? kN + 9 : kN + 32);
  // From the PSS's useful part back to the start of subframe 0 or 5.
  const int to_subframe = cp + symbol_start(pss_symbol(c.tdd, c.normal_cp), c.normal_cp, kN) + (c.tdd ? kSubframeSamples : 0);
  const auto& p = m.pss[static_cast<std::size_t>(c.n_id_2)];
  const std::array<std::array<float, 62>, 2> sss{sss_sequence(c.n_id_1, c.n_id_2, 0), sss_sequence(c.n_id_1, c.n_id_2, 5)};
  Spectrum yv{}, v{};
  std::array<cf32, 62> ls{}, h{};
  for (int occ = 0;; ++occ) {
    const double a_exact = c.pss_sample + occ * c.pss_period;
    const std::int64_t a = static_cast<std::int64_t>(std::llround(a_exact));
    if (a - to_subframe >= n) break;
    const bool first_half = (occ + c.sss_parity) % 2 == 0;  // subframes 0..4
    // The CRS of the half-frame's downlink subframes (TDD: subframe 0/5 only, the others may be uplink).
    if (c.ports > 0)
      for (int sf = 0; sf < (c.tdd ? 1 : 5); ++sf) {
        const double start = a_exact - to_subframe + sf * kSubframeSamples * (c.pss_period / (kFrameSamples / 2));
        m.cancel_crs(y, static_cast<std::int64_t>(std::llround(start)), (first_half ? 0 : 5) + sf, pci, c.ports, c.normal_cp, w);
      }
    if (a - kBackoff + kN > n || a - kBackoff < 0) continue;
    // The channel from the PSS, the PSS rebuilt through it and removed.
    m.fft(y, a - kBackoff, w, yv);
    for (int i = 0; i < 62; ++i) ls[static_cast<std::size_t>(i)] = cmul(yv[static_cast<std::size_t>(bin_of_k72(i + 5))], std::conj(p[static_cast<std::size_t>(i)]));
    m.smoother->execute(ls, h);
    v.fill(cf32{});
    for (int i = 0; i < 62; ++i) v[static_cast<std::size_t>(bin_of_k72(i + 5))] = cmul(h[static_cast<std::size_t>(i)], p[static_cast<std::size_t>(i)]);
    m.subtract(y, a - kBackoff, cp, w, v);
    // The SSS of this half-frame (subframe 0 or 5) through the same channel, with its least-squares gain.
    const std::int64_t s = a - delta - kBackoff;
    if (s < 0) continue;
    const auto& d = sss[first_half ? 0 : 1];
    m.fft(y, s, w, yv);
    std::complex<double> num = 0.0;
    double den = 0.0;
    v.fill(cf32{});
    for (int i = 0; i < 62; ++i) {
      const std::size_t b = static_cast<std::size_t>(bin_of_k72(i + 5));
      v[b] = h[static_cast<std::size_t>(i)] * d[static_cast<std::size_t>(i)];
      num += std::complex<double>(yv[b] * std::conj(v[b]));
      den += std::norm(v[b]);
    }
    if (!(den > 0.0)) continue;
    const cf32 g(num / den);
    for (auto& e : v) e *= g;
    m.subtract(y, s, cp, w, v);
  }
}

}  // namespace tw::dsp::lte
