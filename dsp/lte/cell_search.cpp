#include "dsp/lte/cell_search.hpp"

extern "C" {
#include <osmocom/core/conv.h>
}
#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <string>

#include "dsp/lte/delay_smoother.hpp"
#include "dsp/lte/fftw_plan.hpp"
#include "dsp/lte/lte_signals.hpp"
#include "dsp/lte/pbch_coding.hpp"
#include "src/core/error.hpp"
#include "src/core/log.hpp"

namespace tw::dsp::lte {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kFs = kBaseSampleRate;
constexpr int kN = kBaseFftSize;              // 128
constexpr int kHalfFrame = kFrameSamples / 2;  // 9600
constexpr int kBackoff = 2;                    // FFT window starts this many samples into the CP
constexpr int kCrsCentralOffset = kMaxRb - 6;  // m' of the first CRS pair of the central 6 PRB: 104
// Delay profile of the channel estimates (samples at 1.92 Msps, the window's kBackoff included): the
// window's advance, a sample or two of timing error and the normal CP's 9 samples of channel.
// Least correlation (in standard deviations of noise) of a CRC-valid PBCH word with the soft values it was
// decoded from; noise decoded into a CRC-valid word stays near 7.4 (see try_decode).
constexpr double kMinMibEvidence = 7.5;
// refine_pss's grid: +-kRefineDt samples, +-kRefineDf steps of kRefineStepHz (+-3 kHz: the coarse grid's half step).
constexpr int kRefineDt = 4, kRefineDf = 8;
constexpr double kRefineStepHz = 375.0;
constexpr int kDelayMin = -3, kDelayMax = 11, kDelayMaxExtended = 30;  // extended CP: 32 samples

// FFT bin (0..127) of subcarrier k72 of the central 72 (DC between k72 35 and 36).
int bin_of_k72(int k72) { return k72 >= 36 ? k72 - 35 : k72 - 36 + kN; }
// Physical frequency in subcarriers (DC = 0) of k72.
int freq_of_k72(int k72) { return k72 >= 36 ? k72 - 35 : k72 - 36; }

// Complex product written out: std::complex's operator* checks for NaN on every element (hot loops).
inline cf32 cmul(cf32 a, cf32 b) { return cf32(a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()); }

struct SssResult {
  bool tdd = false;
  bool normal_cp = true;
  int n_id_1 = -1;
  int parity = 0;    // occurrence h (counted from the first one used) is in subframe 0 when (h+parity) even
  double z = 0.0;
  double dcfo_hz = 0.0;  // CFO correction from the phase between the PSS's channel and the SSS
};

}  // namespace

struct CellSearch::Impl {
  CellSearchConfig cfg;
  PssSearch pss;                                   // stage 1: the PSS search (pss_search.hpp)
  SyncCanceller canceller;                         // a decoded cell's PSS/SSS/CRS out of the capture
  FftwPlan sym_fwd{kN, FFTW_FORWARD};
  std::array<std::array<cf32, kN>, 3> pss_time{};  // time-domain replicas (unit energy per sample)
  std::array<std::array<cf32, 62>, 3> pss_freq{};
  std::vector<std::array<std::array<float, 62>, 2>> sss_table;  // [N_ID(2)*168 + N_ID(1)][sf 0/5]
  std::vector<int> rm_map_normal, rm_map_ext;
  std::unique_ptr<DelaySmoother> pss_smoother;     // the 62 PSS subcarriers onto themselves
  std::map<int, std::unique_ptr<DelaySmoother>> crs_smoothers;  // CRS pilots onto the 72 subcarriers
  // refine_pss's CFO steps, [f][m], real and imaginary parts apart.
  std::array<std::array<float, kN>, 2 * kRefineDf + 1> refine_rot_re{}, refine_rot_im{};

  static PssSearchConfig pss_config(const CellSearchConfig& c) {
    PssSearchConfig p;
    p.carrier_hz = c.carrier_hz;
    p.cfo_step_hz = c.cfo_step_hz;
    p.max_half_frames = c.max_half_frames;
    p.pss_false_alarms = c.pss_false_alarms;
    p.pss_candidates = c.pss_candidates;
    p.max_cells = c.max_cells;
    return p;
  }

  explicit Impl(const CellSearchConfig& c) : cfg(c), pss(pss_config(c)) {
    for (int n2 = 0; n2 < 3; ++n2) {
      pss_freq[static_cast<std::size_t>(n2)] = pss_sequence(n2);
      const auto& rep = pss.replica(n2);
      std::copy(rep.begin(), rep.end(), pss_time[static_cast<std::size_t>(n2)].begin());
    }
    sss_table.resize(3 * 168);
    for (int n2 = 0; n2 < 3; ++n2)
      for (int n1 = 0; n1 < 168; ++n1) {
        sss_table[static_cast<std::size_t>(n2 * 168 + n1)][0] = sss_sequence(n1, n2, 0);
        sss_table[static_cast<std::size_t>(n2 * 168 + n1)][1] = sss_sequence(n1, n2, 5);
      }
    std::array<int, 62> f62{};
    for (int i = 0; i < 62; ++i) f62[static_cast<std::size_t>(i)] = freq_of_k72(i + 5);
    pss_smoother = std::make_unique<DelaySmoother>(f62, f62, kDelayMin, kDelayMax);
    for (int f = -kRefineDf; f <= kRefineDf; ++f)
      for (int m = 0; m < kN; ++m)
      {
        const double ph = -2.0 * kPi * f * kRefineStepHz * m / kFs;
        refine_rot_re[static_cast<std::size_t>(f + kRefineDf)][static_cast<std::size_t>(m)] = static_cast<float>(std::cos(ph));
        refine_rot_im[static_cast<std::size_t>(f + kRefineDf)][static_cast<std::size_t>(m)] = static_cast<float>(std::sin(ph));
      }
    rm_map_normal = conv_rate_match_map(kBchCodedIn, pbch_bits_total(true));
    rm_map_ext = conv_rate_match_map(kBchCodedIn, pbch_bits_total(false));
  }

  // PBCH scrambling (36.211 6.6.1: c_init = N_ID_cell) of every PCI and CP, computed once per process.
  static const std::vector<std::uint8_t>& scrambling(int pci, bool normal_cp) {
    static const auto table = [] {
      std::vector<std::vector<std::uint8_t>> t(2 * 504);
      for (int cp = 0; cp < 2; ++cp)
        for (int id = 0; id < 504; ++id) {
          auto& v = t[static_cast<std::size_t>(cp * 504 + id)];
          v.resize(static_cast<std::size_t>(pbch_bits_total(cp == 0)));
          gold_sequence(static_cast<std::uint32_t>(id), v);
        }
      return t;
    }();
    return table[static_cast<std::size_t>((normal_cp ? 0 : 1) * 504 + pci)];
  }

  // The 12 CRS values of the central 6 PRB (36.211 6.10.1.1, m' from 104) per (PCI, slot, symbol, CP), kept
  // across calls (the same cell's are asked for by every candidate; at most 96 bytes per entry).
  std::map<long, std::array<cf32, 12>> crs_central;
  const std::array<cf32, 12>& central_crs(int pci, int ns, int l, bool ncp) {
    const long key = ((static_cast<long>(pci) * 20 + ns) * 8 + l) * 2 + (ncp ? 1 : 0);
    auto [it, fresh] = crs_central.try_emplace(key);
    if (fresh) {
      std::array<cf32, 2 * kMaxRb> r{};
      crs_sequence(pci, ns, l, ncp, r);
      std::copy(r.begin() + kCrsCentralOffset, r.begin() + kCrsCentralOffset + 12, it->second.begin());
    }
    return it->second;
  }

  double half_period(double cfo) const {
    return cfg.carrier_hz > 0.0 ? kHalfFrame * (1.0 - cfo / cfg.carrier_hz) : static_cast<double>(kHalfFrame);
  }

  std::vector<PssPeak> pss_search(std::span<const cf32> x) {
    const PssSlot slot{0.0, cfg.max_cfo_hz};
    return std::move(pss.execute(x, std::span<const PssSlot>(&slot, 1)).front());
  }
  std::vector<std::int64_t> pss_occurrences(std::int64_t n, const PssPeak& pk, double cfo) const;
  // grid false: the coherence at the peak as it is (a cheap first look), no refinement.
  // energy: the sum over the occurrences of |correlation|^2 at the best point.
  double refine_pss(std::span<const cf32> x, PssPeak& pk, double cfo0, bool grid = true, double* energy = nullptr) const;  // also sets coherence
  SssResult sss_detect(std::span<const cf32> x, const PssPeak& pk, double cfo, double& cfo_out);
  std::optional<LteCell> pbch_and_measure(std::span<const cf32> x, const PssPeak& pk, const SssResult& s, double cfo);

  // FFT of 128 samples starting at `start` (must lie inside x), derotated by cfo (phase of absolute time).
  void symbol_fft(std::span<const cf32> x, std::int64_t start, double cfo, std::array<cf32, kN>& out) {
    cf32* in = sym_fwd.input();
    const double w = -2.0 * kPi * cfo / kFs;
    const double ph0 = std::fmod(w * static_cast<double>(start), 2.0 * kPi);
    const cf32 step(static_cast<float>(std::cos(w)), static_cast<float>(std::sin(w)));
    cf32 rot(static_cast<float>(std::cos(ph0)), static_cast<float>(std::sin(ph0)));
    for (int i = 0; i < kN; ++i) {
      in[i] = x[static_cast<std::size_t>(start + i)] * rot;
      rot *= step;
    }
    sym_fwd.run();
    std::copy(sym_fwd.output(), sym_fwd.output() + kN, out.begin());
  }
};

// ---------------------------------------------------------------- SSS
// Occurrences of the PSS (start of its useful part) inside x of n samples, at most 2 per PBCH frame used.
std::vector<std::int64_t> CellSearch::Impl::pss_occurrences(std::int64_t n, const PssPeak& pk, double cfo) const {
  const double period = half_period(cfo);
  std::vector<std::int64_t> occ;
  for (int h = 0; static_cast<int>(occ.size()) < 2 * cfg.max_pbch_frames; ++h) {
    const std::int64_t a = static_cast<std::int64_t>(std::llround(pk.bin + h * period));
    if (a + kN > n) break;
    occ.push_back(a);
  }
  return occ;
}

// Joint timing / CFO refinement of a PSS peak: the coarse grid leaves up to half a step of CFO, and a
// Zadoff-Chu sequence trades frequency error for a timing shift (6.11.1.1), so the peak's sample may be off
// by a few samples. Grid: +-4 samples, +-3 kHz in 375 Hz steps, |correlation|^2 summed over the occurrences.
// Moves pk.bin to the best timing and returns the best CFO.
double CellSearch::Impl::refine_pss(std::span<const cf32> x, PssPeak& pk, double cfo0, bool grid, double* energy) const {
  const int kDt = grid ? kRefineDt : 0, kDf = grid ? kRefineDf : 0;
  const auto& rep = pss_time[static_cast<std::size_t>(pk.n_id_2)];
  const std::int64_t n = static_cast<std::int64_t>(x.size());
  PssPeak base = pk;
  base.bin = pk.bin >= kDt ? pk.bin - kDt : pk.bin - kDt + kHalfFrame;
  const auto occ = pss_occurrences(n - 2 * kDt, base, cfo0);
  if (energy) *energy = 0.0;
  if (occ.empty()) return cfo0;
  // Products with the replica derotated by cfo0, per occurrence and timing; then per CFO offset.
  std::vector<double> score(static_cast<std::size_t>((2 * kDt + 1) * (2 * kDf + 1)), 0.0);  // [dt][f]
  const double w = -2.0 * kPi * cfo0 / kFs;
  const cf32 step(static_cast<float>(std::cos(w)), static_cast<float>(std::sin(w)));
  alignas(32) std::array<float, kN> pr{}, pi{};  // products, real and imaginary parts apart
  std::vector<cf32> corr(occ.size() * (2 * kDt + 1) * (2 * kDf + 1));  // [h][dt][f]
  for (std::size_t h = 0; h < occ.size(); ++h)
    for (int dt = 0; dt <= 2 * kDt; ++dt) {
      const std::int64_t st = occ[h] + dt;
      const double ph0 = std::fmod(w * static_cast<double>(st), 2.0 * kPi);
      cf32 r(static_cast<float>(std::cos(ph0)), static_cast<float>(std::sin(ph0)));
      for (int m = 0; m < kN; ++m) {
        const cf32 v = cmul(cmul(x[static_cast<std::size_t>(st + m)], r), std::conj(rep[static_cast<std::size_t>(m)]));
        pr[static_cast<std::size_t>(m)] = v.real();
        pi[static_cast<std::size_t>(m)] = v.imag();
        r = cmul(r, step);
      }
      for (int f = -kDf; f <= kDf; ++f) {
        const float* qr = refine_rot_re[static_cast<std::size_t>(f + kRefineDf)].data();
        const float* qi = refine_rot_im[static_cast<std::size_t>(f + kRefineDf)].data();
        // Eight partial sums (lanes), so the compiler may vectorise without reordering one sum.
        std::array<float, 8> sr{}, si{};
        for (int m = 0; m < kN; m += 8)
          for (int l = 0; l < 8; ++l) {
            const std::size_t i = static_cast<std::size_t>(m + l);
            sr[static_cast<std::size_t>(l)] += pr[i] * qr[i] - pi[i] * qi[i];
            si[static_cast<std::size_t>(l)] += pr[i] * qi[i] + pi[i] * qr[i];
          }
        float re = 0.0f, im = 0.0f;
        for (int l = 0; l < 8; ++l) {
          re += sr[static_cast<std::size_t>(l)];
          im += si[static_cast<std::size_t>(l)];
        }
        const std::size_t cell = static_cast<std::size_t>(dt * (2 * kDf + 1) + f + kDf);
        score[cell] += static_cast<double>(re) * re + static_cast<double>(im) * im;
        corr[h * static_cast<std::size_t>((2 * kDt + 1) * (2 * kDf + 1)) + cell] = cf32(re, im);
      }
    }
  int best_dt = kDt, best_f = kDf;
  auto at = [&](int dt, int f) { return score[static_cast<std::size_t>(dt * (2 * kDf + 1) + f)]; };
  for (int dt = 0; dt <= 2 * kDt; ++dt)
    for (int f = 0; f <= 2 * kDf; ++f)
      if (at(dt, f) > at(best_dt, best_f)) {
        best_dt = dt;
        best_f = f;
      }
  if (energy) *energy = at(best_dt, best_f);
  // Coherence: the occurrences' correlations c_h at the best point turn by a constant step (the CFO left,
  // modulo 1/5 ms) when a cell is there. Q = max over the step of |sum c_h e^{-j step h}|^2 / sum |c_h|^2:
  // for noise about an exponential variable per independent step (16 of them for 16 occurrences), for a cell
  // about (occurrences x correlation SNR).
  std::vector<cf32> c_occ(occ.size());
  double e_occ = 0.0;
  for (std::size_t h = 0; h < occ.size(); ++h) {
    c_occ[h] = corr[h * static_cast<std::size_t>((2 * kDt + 1) * (2 * kDf + 1)) + static_cast<std::size_t>(best_dt * (2 * kDf + 1) + best_f)];
    e_occ += std::norm(c_occ[h]);
  }
  pk.coherence = 0.0;
  pk.step_rad = 0.0;
  constexpr int kSteps = 64;
  if (e_occ > 0.0 && occ.size() >= 2)
    for (int q = 0; q < kSteps; ++q) {
      const double th = 2.0 * kPi * q / kSteps - kPi;
      std::complex<double> acc = 0.0;
      for (std::size_t h = 0; h < occ.size(); ++h) acc += std::complex<double>(c_occ[h]) * std::polar(1.0, -th * static_cast<double>(h));
      const double qv = std::norm(acc) / e_occ;
      if (qv > pk.coherence) {
        pk.coherence = qv;
        pk.step_rad = th;
      }
    }
  pk.bin = (base.bin + best_dt) % kHalfFrame;
  return cfo0 + (best_f - kDf) * kRefineStepHz;
}

SssResult CellSearch::Impl::sss_detect(std::span<const cf32> x, const PssPeak& pk, double cfo, double& cfo_out) {
  const std::int64_t n = static_cast<std::int64_t>(x.size());
  const auto occ = pss_occurrences(n, pk, cfo);
  const auto& pf = pss_freq[static_cast<std::size_t>(pk.n_id_2)];
  // Channel of each occurrence from its PSS (LS per subcarrier, smoothed over the delay profile); and the same
  // averaged over +-kSssAverage occurrences after turning them by the phase step refine_pss measured (the
  // CFO left over 5 ms), which is better while the channel holds still for 25 ms.
  constexpr int kSssAverage = 2;
  std::array<cf32, kN> yp{}, ys{};
  std::vector<std::array<cf32, 62>> h_occ(occ.size()), h_avg(occ.size());
  std::vector<bool> have(occ.size(), false);
  for (std::size_t h = 0; h < occ.size(); ++h) {
    const std::int64_t a = occ[h];
    if (a - kBackoff < 0 || a - kBackoff + kN > n) continue;
    symbol_fft(x, a - kBackoff, cfo, yp);
    std::array<cf32, 62> hls{};
    for (int i = 0; i < 62; ++i)
      hls[static_cast<std::size_t>(i)] = yp[static_cast<std::size_t>(bin_of_k72(i + 5))] * std::conj(pf[static_cast<std::size_t>(i)]);
    pss_smoother->execute(hls, h_occ[h]);
    have[h] = true;
  }
  for (std::size_t h = 0; h < occ.size(); ++h) {
    if (!have[h]) continue;
    h_avg[h] = {};
    for (int d = -kSssAverage; d <= kSssAverage; ++d) {
      const std::int64_t g = static_cast<std::int64_t>(h) + d;
      if (g < 0 || g >= static_cast<std::int64_t>(occ.size()) || !have[static_cast<std::size_t>(g)]) continue;
      const cf32 rot = std::polar(1.0f, static_cast<float>(-pk.step_rad * d));
      for (int i = 0; i < 62; ++i) h_avg[h][static_cast<std::size_t>(i)] += h_occ[static_cast<std::size_t>(g)][static_cast<std::size_t>(i)] * rot;
    }
  }

  SssResult best_r;
  best_r.z = -1.0;
  std::vector<std::array<cf32, 62>> z;  // per usable occurrence: SSS equalised by the PSS channel
  std::vector<int> z_h;
  std::vector<std::complex<double>> metrics(336);
  for (int hyp = 0; hyp < 8; ++hyp) {
    const bool tdd = (hyp / 2) >= 2, ncp = ((hyp / 2) % 2) == 0;
    if ((cfg.duplex == 1 && tdd) || (cfg.duplex == 2 && !tdd)) continue;
    const auto& h_used = hyp % 2 ? h_avg : h_occ;
    // Distance from the SSS's useful part to the PSS's useful part (36.211 6.11: FDD adjacent symbols;
    // TDD SSS in the last symbol of subframe 0, PSS in the third of subframe 1).
    const int delta = tdd ? (ncp ? kN + (10 + kN) + (9 + kN) + 9 : kN + 2 * (32 + kN) + 32) : (ncp ? kN + 9 : kN + 32);
    z.clear();
    z_h.clear();
    for (std::size_t h = 0; h < occ.size(); ++h) {
      const std::int64_t a = occ[h];
      if (!have[h] || a - delta - kBackoff < 0) continue;
      symbol_fft(x, a - delta - kBackoff, cfo, ys);
      std::array<cf32, 62> zz{};
      for (int i = 0; i < 62; ++i)
        zz[static_cast<std::size_t>(i)] = ys[static_cast<std::size_t>(bin_of_k72(i + 5))] * std::conj(h_used[h][static_cast<std::size_t>(i)]);
      z.push_back(zz);
      z_h.push_back(static_cast<int>(h));
    }
    if (z.empty()) continue;
    // Per hypothesis, the occurrences' correlations add coherently: the phase left between the PSS's channel
    // and the SSS is the residual CFO over `delta` samples, common to every occurrence. Its magnitude is the
    // metric, its phase refines the CFO (range +-fs / (2 delta): +-7 kHz FDD, +-2.3 kHz TDD).
    // The sequence of occurrence j depends only on the parity of z_h[j]: sum the even and odd ones first.
    std::array<std::array<cf32, 62>, 2> zsum{};
    for (std::size_t j = 0; j < z.size(); ++j)
      for (int i = 0; i < 62; ++i) zsum[static_cast<std::size_t>(z_h[j] % 2)][static_cast<std::size_t>(i)] += z[j][static_cast<std::size_t>(i)];
    for (int n1 = 0; n1 < 168; ++n1) {
      const auto& seq = sss_table[static_cast<std::size_t>(pk.n_id_2 * 168 + n1)];
      for (int par = 0; par < 2; ++par) {
        cf32 m{};
        for (int e = 0; e < 2; ++e) {
          const auto& d = seq[static_cast<std::size_t>((e + par) % 2)];
          for (int i = 0; i < 62; ++i) m += zsum[static_cast<std::size_t>(e)][static_cast<std::size_t>(i)] * d[static_cast<std::size_t>(i)];
        }
        metrics[static_cast<std::size_t>(n1 * 2 + par)] = std::complex<double>(m);
      }
    }
    const auto it = std::max_element(metrics.begin(), metrics.end(), [](const auto& a, const auto& b) { return std::norm(a) < std::norm(b); });
    const int arg = static_cast<int>(it - metrics.begin());
    // Normalised: |metric| over the noise's standard deviation per component (Cauchy-Schwarz: at most
    // sqrt(2 x 62 x occurrences) for a perfect match; Rayleigh with unit scale for noise).
    double e2 = 0.0;
    for (const auto& zz : z)
      for (const auto& v : zz) e2 += std::norm(v);
    if (!(e2 > 0.0)) continue;
    const double zscore = std::abs(*it) / std::sqrt(e2 / 2.0);
    if (zscore > best_r.z) {
      best_r.z = zscore;
      best_r.tdd = tdd;
      best_r.normal_cp = ncp;
      best_r.n_id_1 = arg / 2;
      best_r.parity = arg % 2;
      // The SSS lies delta samples before the PSS: arg = -2 pi dcfo delta / fs.
      best_r.dcfo_hz = -std::arg(*it) * kFs / (2.0 * kPi * delta);
    }
  }
  cfo_out = cfo + best_r.dcfo_hz;
  // Occurrence 0 is in subframe 0 when parity is 0: record the first PSS of a subframe-0 half-frame in
  // parity's place (the caller derives the frame start from it).
  best_r.parity = occ.empty() ? 0 : best_r.parity;
  return best_r;
}

// ---------------------------------------------------------------- PBCH, MIB, measurements
std::optional<LteCell> CellSearch::Impl::pbch_and_measure(std::span<const cf32> x, const PssPeak& pk, const SssResult& s,
                                                          double cfo) {
  const bool ncp = s.normal_cp;
  const int pci = 3 * s.n_id_1 + pk.n_id_2;
  const std::int64_t n = static_cast<std::int64_t>(x.size());
  const double hp = half_period(cfo);
  // PSS useful start of a half-frame in subframe 0/1 (occurrence index parity -> 0 when parity even).
  const double a0 = pk.bin + (s.parity % 2) * hp;
  const int pss_sym = pss_symbol(s.tdd, ncp);
  const double frame0 = a0 - cp_length(pss_sym % symbols_per_slot(ncp), ncp, kN) - symbol_start(pss_sym, ncp, kN) -
                        (s.tdd ? kSubframeSamples : 0);
  const double fperiod = 2.0 * hp;
  const int per_slot = symbols_per_slot(ncp);
  const int n_sym = 2 * per_slot;
  // Frames whose symbols 0 .. 2*per_slot-1 of subframe 0 lie (mostly) inside x: the PBCH symbols must.
  struct Frame {
    std::int64_t start;
    int index;                                   // frame number relative to the first frame considered
    // FFT of each symbol of subframe 0 (index sym), and of the CRS symbols of subframe 9 of the frame before
    // (n_sym + sym) and subframe 1 (2 n_sym + sym), FDD only: more pilots for the channel estimate.
    std::vector<std::array<cf32, kN>> y;
    std::vector<bool> have;
  };
  std::vector<Frame> frames;
  const int m_first = static_cast<int>(std::floor(-frame0 / fperiod)) - 1;
  auto sym_start = [&](std::int64_t fstart, int sym) {
    return fstart + symbol_start(sym, ncp, kN) + cp_length(sym % per_slot, ncp, kN) - kBackoff;
  };
  for (int m = m_first; static_cast<int>(frames.size()) < cfg.max_pbch_frames; ++m) {
    const std::int64_t fs = static_cast<std::int64_t>(std::llround(frame0 + m * fperiod));
    if (fs > n) break;
    const std::int64_t p0 = sym_start(fs, per_slot), p3 = sym_start(fs, per_slot + 3);
    if (p0 < 0 || p3 + kN > n) continue;
    Frame f;
    f.start = fs;
    f.index = m;
    f.y.resize(static_cast<std::size_t>(3 * n_sym));
    f.have.assign(static_cast<std::size_t>(3 * n_sym), false);
    frames.push_back(std::move(f));
  }
  if (frames.empty()) return std::nullopt;

  // Subframes whose CRS serve the estimate: 0, and for FDD 9 (of the frame before) and 1, which are always
  // downlink (TDD's subframe 1 is special and its 9 may be uplink: 36.211 table 4.2-2).
  const int n_sub = s.tdd ? 1 : 3;
  constexpr std::array<int, 3> kSubframeOf{0, 9, 1};
  const std::int64_t subframe_len = std::llround(fperiod / 10.0);
  auto is_crs_symbol = [&](int sym) { const int l = sym % per_slot; return l == 0 || l == 1 || l == per_slot - 3; };
  auto do_ffts = [&](double f_hz) {
    for (auto& fr : frames)
      for (int sub = 0; sub < n_sub; ++sub) {
        const std::int64_t sf_start = fr.start + (sub == 0 ? 0 : sub == 1 ? -subframe_len : subframe_len);
        for (int sym = 0; sym < n_sym; ++sym) {
          const std::size_t idx = static_cast<std::size_t>(sub * n_sym + sym);
          const std::int64_t p = sym_start(sf_start, sym);
          fr.have[idx] = p >= 0 && p + kN <= n && (sub == 0 || is_crs_symbol(sym));
          if (fr.have[idx]) symbol_fft(x, p, f_hz, fr.y[idx]);
        }
      }
  };
  do_ffts(cfo);
  auto crs_ls = [&](const Frame& fr, int port, int sym, std::vector<std::pair<int, cf32>>& out, int sub = 0) {
    out.clear();
    const std::size_t idx = static_cast<std::size_t>(sub * n_sym + sym);
    if (!fr.have[idx]) return;
    const int ns = 2 * kSubframeOf[static_cast<std::size_t>(sub)] + sym / per_slot, l = sym % per_slot;
    const auto& r = central_crs(pci, ns, l, ncp);
    const int off = crs_k_offset(port, ns, l, ncp, pci);
    for (int i = 0; i < 12; ++i) {
      const int k = 6 * i + off;
      out.emplace_back(k, fr.y[idx][static_cast<std::size_t>(bin_of_k72(k))] * std::conj(r[static_cast<std::size_t>(i)]));
    }
  };
  // Channel per port and frame (36.211 6.10.1): LS at the CRS pilots of a subframe (or of one of its slots),
  // smoothed over frequency by the delay profile (DelaySmoother); one smoother per port and pattern of symbols.
  std::array<int, 72> f72{};
  for (int k = 0; k < 72; ++k) f72[static_cast<std::size_t>(k)] = freq_of_k72(k);
  const int delay_max = ncp ? kDelayMax : kDelayMaxExtended;
  auto estimate = [&](const Frame& fr, int sub, int port, std::array<cf32, 72>& h, int only_slot = -1) -> bool {
    std::array<int, 2> syms{};
    const int ns_count = crs_symbols_in_slot(port, ncp, syms);
    std::vector<std::pair<int, cf32>> ls;
    std::vector<int> freqs;
    std::vector<cf32> vals;
    int mask = 0, bit = 0;
    for (int slot = 0; slot < 2; ++slot)
      for (int i = 0; i < ns_count; ++i, ++bit) {
        if (only_slot >= 0 && slot != only_slot) continue;
        crs_ls(fr, port, slot * per_slot + syms[static_cast<std::size_t>(i)], ls, sub);
        if (!ls.empty()) mask |= 1 << bit;
        for (auto& [k, v] : ls) {
          freqs.push_back(freq_of_k72(k));
          vals.push_back(v);
        }
      }
    if (vals.size() < 12) return false;
    // The pilots' frequencies follow from v_shift (36.211 6.10.1.2), the port and the symbols present.
    auto& sm = crs_smoothers[((pci % 6) * 4 + port) * 32 + mask * 2 + (ncp ? 1 : 0)];
    if (!sm) sm = std::make_unique<DelaySmoother>(freqs, f72, kDelayMin, delay_max);
    sm->execute(vals, h);
    return true;
  };
  // CFO refinement: port 0's channel estimated per slot; the phase from slot 0 to slot 1 of each subframe
  // used is the CFO left over 0.5 ms (range +-1 kHz; the SSS left about 100 Hz).
  {
    std::complex<double> acc = 0.0;
    std::array<cf32, 72> h0{}, h1{};
    for (const auto& fr : frames)
      for (int sub = 0; sub < n_sub; ++sub) {
        if (!estimate(fr, sub, 0, h0, 0) || !estimate(fr, sub, 0, h1, 1)) continue;
        for (int k = 0; k < 72; ++k) acc += std::complex<double>(h1[static_cast<std::size_t>(k)] * std::conj(h0[static_cast<std::size_t>(k)]));
      }
    if (std::abs(acc) > 0.0) {
      cfo += std::arg(acc) * kFs / (2.0 * kPi * (kSubframeSamples / 2));
      do_ffts(cfo);
    }
  }
  // Estimates of every frame and port, alone and (for slow channels) averaged with the neighbouring frames
  // after aligning their common phase (what the residual CFO and the channel's drift turn in 10 ms): the
  // PBCH is tried with the first, then with the second (the CRC decides).
  using PortEstimates = std::array<std::array<cf32, 72>, 4>;
  std::vector<PortEstimates> est(frames.size()), est_avg(frames.size());
  std::vector<int> est_ports(frames.size(), 0);   // ports 0 .. est_ports-1 estimated
  // Per frame: subframes 9, 0 and 1 estimated apart, aligned on subframe 0's common phase and averaged.
  for (std::size_t f = 0; f < frames.size(); ++f) {
    for (int p = 0; p < 4 && estimate(frames[f], 0, p, est[f][static_cast<std::size_t>(p)]); ++p) est_ports[f] = p + 1;
    int averaged = 1;
    for (int sub = 1; sub < n_sub && est_ports[f] > 0; ++sub) {
      PortEstimates e{};
      int got = 0;
      for (int p = 0; p < est_ports[f] && estimate(frames[f], sub, p, e[static_cast<std::size_t>(p)]); ++p) got = p + 1;
      if (got < est_ports[f]) continue;
      std::complex<double> rho = 0.0;
      for (int k = 0; k < 72; ++k) rho += std::complex<double>(est[f][0][static_cast<std::size_t>(k)] * std::conj(e[0][static_cast<std::size_t>(k)]));
      const cf32 rot = std::polar(1.0f, static_cast<float>(std::arg(rho)));
      for (int p = 0; p < got; ++p)
        for (int k = 0; k < 72; ++k) est[f][static_cast<std::size_t>(p)][static_cast<std::size_t>(k)] += e[static_cast<std::size_t>(p)][static_cast<std::size_t>(k)] * rot;
      ++averaged;
    }
    for (int p = 0; p < est_ports[f]; ++p)
      for (auto& v : est[f][static_cast<std::size_t>(p)]) v /= static_cast<float>(averaged);
  }
  {
    std::vector<double> phase(frames.size(), 0.0);
    std::vector<int> chain(frames.size(), 0);
    for (std::size_t f = 1; f < frames.size(); ++f) {
      chain[f] = chain[f - 1];
      if (frames[f].index != frames[f - 1].index + 1 || est_ports[f] == 0 || est_ports[f - 1] == 0) {
        ++chain[f];
        continue;
      }
      std::complex<double> rho = 0.0;
      for (int k = 0; k < 72; ++k) rho += std::complex<double>(est[f][0][static_cast<std::size_t>(k)] * std::conj(est[f - 1][0][static_cast<std::size_t>(k)]));
      phase[f] = phase[f - 1] + std::arg(rho);
    }
    for (std::size_t f = 0; f < frames.size(); ++f) {
      est_avg[f] = est[f];
      int n_avg = 1;
      for (std::size_t g : {f - 1, f + 1}) {
        if (g >= frames.size() || chain[g] != chain[f] || est_ports[g] < est_ports[f]) continue;
        const cf32 rot = std::polar(1.0f, static_cast<float>(phase[f] - phase[g]));
        for (int p = 0; p < est_ports[f]; ++p)
          for (int k = 0; k < 72; ++k) est_avg[f][static_cast<std::size_t>(p)][static_cast<std::size_t>(k)] += est[g][static_cast<std::size_t>(p)][static_cast<std::size_t>(k)] * rot;
        ++n_avg;
      }
      for (auto& hp : est_avg[f])
        for (auto& v : hp) v /= static_cast<float>(n_avg);
    }
  }

  const auto res = pbch_resource_elements(pci, ncp);
  const int bits_frame = pbch_bits_per_frame(ncp);
  const auto& map = ncp ? rm_map_normal : rm_map_ext;
  const auto& c = scrambling(pci, ncp);

  // Soft bits (positive: bit 0) per frame for a port hypothesis.
  auto soft_bits = [&](std::size_t f, int ports, const std::vector<PortEstimates>& table, std::vector<float>& out) -> bool {
    if (est_ports[f] < ports) return false;
    const Frame& fr = frames[f];
    const PortEstimates& h = table[f];
    out.assign(static_cast<std::size_t>(bits_frame), 0.0f);
    auto re = [&](std::size_t i) { return fr.y[static_cast<std::size_t>(res[i].symbol)][static_cast<std::size_t>(bin_of_k72(res[i].k72))]; };
    auto ch = [&](int p, std::size_t i) { return h[static_cast<std::size_t>(p)][static_cast<std::size_t>(res[i].k72)]; };
    std::vector<cf32> d(res.size());
    if (ports == 1) {
      for (std::size_t i = 0; i < res.size(); ++i) d[i] = re(i) * std::conj(ch(0, i));
    } else {
      // 36.211 6.3.4.3 (SFBC): 2 ports: (x0, x1) on REs (2i, 2i+1) as port 0: x0, x1; port 1: -x1*, x0*.
      // 4 ports: x0, x1 on ports 0/2 in REs 4i, 4i+1; x2, x3 on ports 1/3 in REs 4i+2, 4i+3.
      const std::size_t group = ports == 2 ? 2 : 4;
      for (std::size_t g = 0; g + group <= res.size(); g += group) {
        for (std::size_t half = 0; half < group / 2; ++half) {
          const std::size_t i0 = g + 2 * half, i1 = i0 + 1;
          const int pa = ports == 2 ? 0 : static_cast<int>(half), pb = ports == 2 ? 1 : static_cast<int>(half) + 2;
          const cf32 ha = 0.5f * (ch(pa, i0) + ch(pa, i1)), hb = 0.5f * (ch(pb, i0) + ch(pb, i1));
          const cf32 r0 = re(i0), r1 = re(i1);
          d[i0] = std::conj(ha) * r0 + hb * std::conj(r1);
          d[i1] = std::conj(ha) * r1 - hb * std::conj(r0);
        }
      }
    }
    for (std::size_t i = 0; i < d.size(); ++i) {
      out[2 * i] = d[i].real();
      out[2 * i + 1] = d[i].imag();
    }
    return true;
  };

  LteCell cell;
  cell.pci = pci;
  cell.n_id_1 = s.n_id_1;
  cell.n_id_2 = pk.n_id_2;
  cell.duplex = s.tdd ? "TDD" : "FDD";
  cell.cp = ncp ? "normal" : "extended";
  cell.cfo_hz = cfo;
  cell.pss_metric = pk.metric;
  cell.sss_score = s.z;
  cell.pss_sample = pk.bin;
  cell.sync.n_id_1 = s.n_id_1;
  cell.sync.n_id_2 = pk.n_id_2;
  cell.sync.tdd = s.tdd;
  cell.sync.normal_cp = ncp;
  cell.sync.pss_sample = pk.bin;
  cell.sync.pss_period = hp;
  cell.sync.sss_parity = s.parity;
  {
    double fs0 = std::fmod(frame0, fperiod);
    if (fs0 < 0) fs0 += fperiod;
    cell.frame_start_sample = static_cast<std::int64_t>(std::llround(fs0)) % kFrameSamples;
  }
  const int frame_of_start = static_cast<int>(std::llround((static_cast<double>(cell.frame_start_sample) - frame0) / fperiod));

  // Decoding: for each port hypothesis and frame offset j0 (SFN mod 4 of frames[0]), combine the frames of
  // each 40 ms block (36.212 5.3.1: one BCH transport block per 40 ms) and try each block; then every block of
  // the capture soft-combined (see below).
  std::vector<std::vector<float>> sb(frames.size());
  std::array<sbit_t, 3 * kBchCodedIn> sbits{};
  std::array<ubit_t, kBchCodedIn> dec{};
  bool done = false;
  using Soft = std::array<float, 3 * kBchCodedIn>;  // stream-major (i*40 + j), positive: bit 0
  // SFN pattern of a run of K consecutive blocks starting at systemFrameNumber s (the 8 MSBs of the SFN):
  // s xor (s + m) for m = 1 .. K-1, packed 8 bits each.
  auto sfn_pattern = [](int s8, int k) {
    std::uint64_t p = 0;
    for (int m = 1; m < k; ++m) p = (p << 8) | static_cast<std::uint64_t>((s8 ^ (s8 + m)) & 255);
    return p;
  };
  // Tries combined soft values whose MIB is that of `block`, with the weight of evidence `energy` (the sum of
  // the squares of every soft value combined). run > 1: the soft values combine `run` blocks under SFN pattern
  // `pattern`, which the decoded systemFrameNumber must reproduce.
  auto try_decode = [&](const Soft& acc, double energy, int ports, int j0, int block, int run, std::uint64_t pattern) -> bool {
    float amax = 0.0f;
    for (float v : acc) amax = std::max(amax, std::fabs(v));
    if (!(amax > 0.0f) || !(energy > 0.0)) return false;
    const float scale = 127.0f / amax;
    for (int idx = 0; idx < 3 * kBchCodedIn; ++idx) {
      // Stream-major index (i*40 + j) -> libosmocoding's interleaved order 3 j + i.
      const int st = idx / kBchCodedIn, bit = idx % kBchCodedIn;
      sbits[static_cast<std::size_t>(3 * bit + st)] = static_cast<sbit_t>(std::clamp(std::lround(acc[static_cast<std::size_t>(idx)] * scale), -127L, 127L));
    }
    osmo_conv_decode(&pbch_conv_code(), sbits.data(), dec.data());
    const std::uint16_t crc = crc16(std::span<const std::uint8_t>(dec.data(), kMibBits)) ^ crc_mask_for_ports(ports);
    std::uint16_t rx = 0;
    for (int b = 0; b < kBchCrcBits; ++b) rx = static_cast<std::uint16_t>((rx << 1) | dec[static_cast<std::size_t>(kMibBits + b)]);
    if (crc != rx) return false;
    // Second guard, after the CRC, against noise decoded into a valid-looking word: the correlation of every
    // soft value combined with the re-encoded word, over the soft values' norm. For noise it is a standard
    // normal variable per codeword; the decoder's choice among 2^40 codewords reaches about
    // sqrt(2 ln 2^40) = 7.4, rarely more than kMinMibEvidence.
    std::array<ubit_t, 3 * kBchCodedIn> reenc{};
    osmo_conv_encode(&pbch_conv_code(), dec.data(), reenc.data());
    double corr = 0.0;
    for (int bit = 0; bit < 3 * kBchCodedIn; ++bit) {
      const float v = acc[static_cast<std::size_t>((bit % 3) * kBchCodedIn + bit / 3)];
      corr += reenc[static_cast<std::size_t>(bit)] ? -v : v;
    }
    const double evidence = corr / std::sqrt(energy);
    if (tw::log::level() >= tw::log::Level::debug)
      tw::log::debug("lte: PCI " + std::to_string(pci) + " CRC ok, ports " + std::to_string(ports) + ", " + std::to_string(run) +
                     " block(s), evidence " + std::to_string(evidence) + ", SSS " + std::to_string(s.z));
    if (evidence < kMinMibEvidence) return false;
    std::array<std::uint8_t, 3> oct{};
    for (int bit = 0; bit < kMibBits; ++bit) oct[static_cast<std::size_t>(bit / 8)] |= static_cast<std::uint8_t>(dec[static_cast<std::size_t>(bit)] << (7 - bit % 8));
    if (((oct[0] >> 5) & 7) > 5) return false;  // not an enumerated dl-Bandwidth: not a MIB
    // A wrong pattern lets the decoder return block b's MIB xor the two patterns' difference, which passes the
    // CRC too; its systemFrameNumber does not produce the pattern tried, so this check rejects those words.
    if (run > 1 && sfn_pattern(((oct[0] & 3) << 6) | (oct[1] >> 2), run) != pattern) return false;
    // SFN of the frame at frame_start_sample: frames[0] has SFN = 4 msb + j0 - 4 * block.
    Mib m = unpack_mib(std::span<const std::uint8_t, 3>(oct), 0);
    const int sfn_block0 = m.sfn - 4 * block;  // SFN of frames[0] minus j0
    int sfn = (sfn_block0 + j0 + (frame_of_start - frames[0].index)) % 1024;
    if (sfn < 0) sfn += 1024;
    m.sfn = sfn;
    cell.mib = m;
    cell.mib_octets = oct;
    cell.mib_decoded = true;
    cell.ports = ports;
    return true;
  };
  // Combining across blocks: block b+m carries the MIB of block b with systemFrameNumber s + m. CRC
  // (zero-initialised; the port mask cancels) and convolutional code are linear, so codeword(b+m) =
  // codeword(b) xor codeword(delta_m), delta_m = s xor (s + m) in the SFN field (MIB bits 6..13). Each block's
  // soft values, with the signs of delta_m's coded bits flipped, add to block b's. The deltas depend on s only
  // through its pattern (sfn_pattern): each distinct pattern is one hypothesis.
  std::array<std::array<std::uint8_t, 3 * kBchCodedIn>, 8> sfn_bit_code{};  // stream-major codeword of SFN bit t
  for (int t = 0; t < 8; ++t) {
    std::array<std::uint8_t, kMibBits> d{};
    d[static_cast<std::size_t>(6 + 7 - t)] = 1;  // SFN field MSB first at bit 6
    const std::uint16_t crc = crc16(d);
    std::array<ubit_t, kBchCodedIn> word{};
    for (int bit = 0; bit < kMibBits; ++bit) word[static_cast<std::size_t>(bit)] = d[static_cast<std::size_t>(bit)];
    for (int bit = 0; bit < kBchCrcBits; ++bit) word[static_cast<std::size_t>(kMibBits + bit)] = static_cast<ubit_t>((crc >> (15 - bit)) & 1);
    std::array<ubit_t, 3 * kBchCodedIn> enc{};
    osmo_conv_encode(&pbch_conv_code(), word.data(), enc.data());
    for (int idx = 0; idx < 3 * kBchCodedIn; ++idx)
      sfn_bit_code[static_cast<std::size_t>(t)][static_cast<std::size_t>(idx)] = enc[static_cast<std::size_t>(3 * (idx % kBchCodedIn) + idx / kBchCodedIn)];
  }
  struct Block {
    Soft acc{};
    double energy = 0.0;
    int number = 0;
  };
  // The distinct SFN patterns of a run of blocks (sfn_pattern), per run length (at most max_pbch_frames / 4 + 2).
  std::vector<std::vector<std::uint64_t>> patterns_of_run(static_cast<std::size_t>(cfg.max_pbch_frames / 4 + 3));
  for (int attempt = 0; attempt < 6 && !done; ++attempt) {
    const int ports = std::array<int, 3>{1, 2, 4}[static_cast<std::size_t>(attempt % 3)];
    bool ok = true;
    for (std::size_t i = 0; i < frames.size(); ++i) ok = ok && soft_bits(i, ports, attempt < 3 ? est : est_avg, sb[i]);
    if (!ok) continue;
    // Per frame offset j0, the blocks; the right j0 (and port count) is the one whose repeats add up
    // coherently (36.212 5.1.4.2 repeats each coded bit 16 times per block): R = |combined|^2 / energy is
    // about 1 + (repeats - 1) x SNR per soft value, 1 for noise (standard deviation sqrt(2 / (120 B)) over B
    // blocks). The decoder runs for the most coherent offset, then for others above noise's 3 sigma.
    std::array<std::vector<Block>, 4> blocks_of;
    std::vector<std::pair<double, int>> order;
    for (int j0 = 0; j0 < 4; ++j0) {
      auto& blocks = blocks_of[static_cast<std::size_t>(j0)];
      // Block of frame i: floor((j0 + index_i - index_0) / 4).
      for (std::size_t i = 0; i < frames.size();) {
        Block blk;
        blk.number = (frames[i].index - frames[0].index + j0) / 4;
        for (; i < frames.size(); ++i) {
          const int rel = frames[i].index - frames[0].index + j0;
          if (rel / 4 != blk.number) break;
          const int j = rel % 4;
          for (int bit = 0; bit < bits_frame; ++bit) {
            const std::size_t e = static_cast<std::size_t>(j * bits_frame + bit);
            const float v = c[e] ? -sb[i][static_cast<std::size_t>(bit)] : sb[i][static_cast<std::size_t>(bit)];
            blk.acc[static_cast<std::size_t>(map[e])] += v;  // 36.212 5.1.4.2 repeats add up
            blk.energy += static_cast<double>(v) * v;
          }
        }
        blocks.push_back(blk);
      }
      double coherent = 0.0, energy = 0.0;
      for (const auto& blk : blocks) {
        for (float v : blk.acc) coherent += static_cast<double>(v) * v;
        energy += blk.energy;
      }
      const double r = energy > 0.0 ? coherent / energy : 0.0;
      // In units of noise's standard deviation above its mean.
      order.emplace_back((r - 1.0) / std::sqrt(2.0 / (3.0 * kBchCodedIn * static_cast<double>(blocks.size()))), j0);
    }
    std::sort(order.begin(), order.end(), std::greater<>());
    for (std::size_t oi = 0; oi < order.size() && !done; ++oi) {
      const int j0 = order[oi].second;
      if (oi > 0 && order[oi].first < 3.0) break;
      const auto& blocks = blocks_of[static_cast<std::size_t>(j0)];
      for (const auto& blk : blocks)
        if (!done) done = try_decode(blk.acc, blk.energy, ports, j0, blk.number, 1, 0);
      // The whole run of consecutive blocks (frames are consecutive, so the blocks are).
      const int run = static_cast<int>(blocks.size());
      if (done || run < 2 || run >= static_cast<int>(patterns_of_run.size()) || run > 8) continue;
      auto& patterns = patterns_of_run[static_cast<std::size_t>(run)];
      if (patterns.empty())
        for (int s8 = 0; s8 < 256; ++s8) {
          const std::uint64_t p = sfn_pattern(s8, run);
          if (std::find(patterns.begin(), patterns.end(), p) == patterns.end()) patterns.push_back(p);
        }
      double energy = 0.0;
      for (const auto& blk : blocks) energy += blk.energy;
      for (std::size_t pi = 0; pi < patterns.size() && !done; ++pi) {
        Soft acc = blocks[0].acc;
        for (int m = 1; m < run; ++m) {
          const int delta = static_cast<int>((patterns[pi] >> (8 * (run - 1 - m))) & 255);
          std::array<std::uint8_t, 3 * kBchCodedIn> flip{};
          for (int t = 0; t < 8; ++t)
            if ((delta >> t) & 1)
              for (int idx = 0; idx < 3 * kBchCodedIn; ++idx) flip[static_cast<std::size_t>(idx)] ^= sfn_bit_code[static_cast<std::size_t>(t)][static_cast<std::size_t>(idx)];
          const Soft& add = blocks[static_cast<std::size_t>(m)].acc;
          for (int idx = 0; idx < 3 * kBchCodedIn; ++idx)
            acc[static_cast<std::size_t>(idx)] += flip[static_cast<std::size_t>(idx)] ? -add[static_cast<std::size_t>(idx)] : add[static_cast<std::size_t>(idx)];
        }
        done = try_decode(acc, energy, ports, j0, blocks[0].number, run, patterns[pi]);
      }
    }
  }
  // Measurements from port 0's CRS (all frames): pilots of slot 0 l=0 and slot 1 l=0 repeat on the same
  // subcarriers, their difference gives the noise.
  std::vector<std::pair<int, cf32>> ls0, ls1;
  double p_sum = 0.0, d_sum = 0.0, rssi_sum = 0.0;
  int p_cnt = 0, d_cnt = 0, rssi_cnt = 0;
  for (const auto& fr : frames) {
    crs_ls(fr, 0, 0, ls0);
    crs_ls(fr, 0, per_slot, ls1);
    for (auto* ls : {&ls0, &ls1})
      for (auto& [k, v] : *ls) {
        p_sum += std::norm(v);
        ++p_cnt;
      }
    if (!ls0.empty() && !ls1.empty())
      for (std::size_t i = 0; i < ls0.size(); ++i) {
        d_sum += std::norm(ls0[i].second - ls1[i].second);
        ++d_cnt;
      }
    for (int sym : {0, per_slot}) {
      if (!fr.have[static_cast<std::size_t>(sym)]) continue;
      double e = 0.0;
      for (int k = 0; k < 72; ++k) e += std::norm(fr.y[static_cast<std::size_t>(sym)][static_cast<std::size_t>(bin_of_k72(k))]);
      rssi_sum += e;
      ++rssi_cnt;
    }
  }
  const double norm = static_cast<double>(kN) * kN;
  if (p_cnt > 0 && rssi_cnt > 0) {
    const double noise = d_cnt > 0 ? d_sum / d_cnt / 2.0 : 0.0;
    const double total = p_sum / p_cnt;
    const double sig = std::max(total - noise, total * 1e-3);
    cell.rsrp_dbfs = 10.0 * std::log10(sig / norm);
    cell.sinr_db = noise > 0.0 ? 10.0 * std::log10(sig / noise) : 99.0;
    const double rssi = rssi_sum / rssi_cnt / norm;
    cell.rsrq_db = 10.0 * std::log10(6.0 * (sig / norm) / rssi);
  }
  if (!cell.mib_decoded && !(cfg.report_undecoded && s.z >= cfg.undecoded_min_score)) return std::nullopt;
  cell.sync.cfo_hz = cell.cfo_hz;
  cell.sync.ports = cell.ports;
  return cell;
}

// ---------------------------------------------------------------- public
namespace {
// Whether a PSS at `pss_sample` (modulo the half-frame) and `cfo_hz` sits where a decoded cell's Zadoff-Chu
// time/frequency ghosts fall (6.11.1.1: a frequency error of a subcarrier or more shifts a root's correlation
// peak in time): within +-200 samples, 7.5 kHz or more away. n_id_2 >= 0: only cells of that root count.
bool is_zc_ghost_of_decoded(const std::vector<LteCell>& cells, int n_id_2, int pss_sample, double cfo_hz) {
  for (const auto& d : cells) {
    if (!d.mib_decoded || (n_id_2 >= 0 && d.n_id_2 != n_id_2)) continue;
    int dt = std::abs(pss_sample - d.pss_sample);
    dt = std::min(dt, kHalfFrame - dt);
    if (dt <= 200 && std::fabs(cfo_hz - d.cfo_hz) >= 7500.0) return true;
  }
  return false;
}
}  // namespace

CellSearch::CellSearch(const CellSearchConfig& cfg) : cfg_(cfg) {
  if (!(cfg.max_cfo_hz >= 0.0) || cfg.max_cfo_hz > 900e3) throw InputError("max_cfo_hz: must lie in 0..900000 Hz");
  if (!(cfg.carrier_hz >= 0.0) || !std::isfinite(cfg.carrier_hz)) throw InputError("carrier_hz: must be >= 0");
  if (cfg.max_cells < 1 || cfg.max_cells > 64) throw InputError("max_cells: must lie in 1..64");
  if (!(cfg.cfo_step_hz > 0.0) || cfg.cfo_step_hz > 15e3) throw InputError("cfo_step_hz: must lie in (0, 15000] Hz");
  if (cfg.max_half_frames < 1 || cfg.max_half_frames > 400) throw InputError("max_half_frames: must lie in 1..400");
  if (cfg.max_pbch_frames < 1 || cfg.max_pbch_frames > 200) throw InputError("max_pbch_frames: must lie in 1..200");
  if (!(cfg.pss_false_alarms > 0.0)) throw InputError("pss_false_alarms: must be > 0");
  if (!(cfg.pss_candidates >= 0.0) || cfg.pss_candidates > 1000.0) throw InputError("pss_candidates: must lie in 0..1000");
  if (!(cfg.pss_min_coherence >= 0.0)) throw InputError("pss_min_coherence: must be >= 0");
  if (cfg.duplex < 0 || cfg.duplex > 2) throw InputError("duplex: must be 0 (both), 1 (FDD) or 2 (TDD)");
  impl_ = std::make_unique<Impl>(cfg);
}

CellSearch::~CellSearch() = default;

std::vector<LteCell> CellSearch::execute(std::span<const cf32> x) { return execute(x, impl_->pss_search(x)); }

std::vector<LteCell> CellSearch::execute(std::span<const cf32> x, std::span<const PssPeak> peaks,
                                         std::span<const LteCell> decoded_nearby, std::size_t max_tried,
                                         std::size_t* consumed) {
  std::vector<LteCell> cells;
  // Zadoff-Chu ghosts are passed over for the nearby cells within the PSS's reach (600 kHz); every nearby
  // cell is cancelled (one further off still leaks its band edge into this channel).
  std::vector<LteCell> nearby;
  for (const auto& c : decoded_nearby)
    if (std::fabs(c.cfo_hz) <= 600e3) nearby.push_back(c);
  // x without the PSS/SSS/CRS of the cells decoded so far, here and by the neighbouring searches (made on the
  // first): their sidelobes (other roots, lags and offsets) stop passing for cells, and a weaker cell's SSS
  // is no longer taken by theirs (sync_canceller.hpp).
  std::vector<cf32> clean;
  auto cancel = [&](const LteCell& c) {
    if (!c.mib_decoded || !c.sync.valid()) return;
    if (clean.empty()) clean.assign(x.begin(), x.end());
    SyncTrace t = c.sync;
    t.cfo_hz = c.cfo_hz;  // in this search's terms (a neighbour's cell is given so)
    impl_->canceller.execute(clean, t);
  };
  for (const auto& c : decoded_nearby) cancel(c);
  std::size_t tried = 0, looked = 0;
  for (const auto& peak : peaks) {
    if (tried >= max_tried) break;
    ++looked;
    PssPeak pk = peak;
    const std::span<const cf32> y = clean.empty() ? x : std::span<const cf32>(clean);
    if (!clean.empty() && pk.threshold > 0.0) {
      // The peak's metric without the cancelled cells: the PSS search's metric scaled by the correlation
      // energy left where the peak is, held against the same thresholds.
      PssPeak a = pk, b = pk;
      double e_x = 0.0, e_y = 0.0;
      impl_->refine_pss(x, a, pk.cfo_hz, false, &e_x);
      impl_->refine_pss(y, b, pk.cfo_hz, false, &e_y);
      if (e_x > 0.0) {
        const double m = pk.metric * e_y / e_x;
        if (m <= pk.threshold) continue;
        pk.strong = m > pk.strict_threshold;
      }
    }
    if (!pk.strong) {
      // A first look at the coherence where the peak is (a noise peak seldom shows half the threshold there)
      // before the grid search.
      PssPeak look = pk;
      impl_->refine_pss(y, look, pk.cfo_hz, false);
      if (look.coherence < 0.5 * cfg_.pss_min_coherence) continue;
    }
    const double cfo0 = impl_->refine_pss(y, pk, pk.cfo_hz);
    // A peak that passed only the relaxed threshold must turn coherently from one occurrence to the next.
    if (!pk.strong && pk.coherence < cfg_.pss_min_coherence) continue;
    // A Zadoff-Chu ghost of a cell already decoded (its root, within 200 samples, a subcarrier or more away in
    // frequency: no second cell of that carrier sits there) goes no further.
    if (is_zc_ghost_of_decoded(cells, pk.n_id_2, pk.bin, cfo0) || is_zc_ghost_of_decoded(nearby, pk.n_id_2, pk.bin, cfo0))
      continue;
    double cfo = cfo0;
    ++tried;
    const SssResult s = impl_->sss_detect(y, pk, cfo0, cfo);
    if (tw::log::level() >= tw::log::Level::debug) {
      tw::log::debug("lte: PSS N_ID(2) " + std::to_string(pk.n_id_2) + " at " + std::to_string(pk.bin) + " metric " +
                     std::to_string(pk.metric) + " coherence " + std::to_string(pk.coherence) + " cfo " + std::to_string(cfo) + " -> SSS N_ID(1) " + std::to_string(s.n_id_1) +
                     (s.tdd ? " TDD" : " FDD") + (s.normal_cp ? " normal" : " extended") + " z " + std::to_string(s.z));
    }
    if (s.n_id_1 < 0 || s.z < cfg_.sss_min_score) continue;
    const int pci = 3 * s.n_id_1 + pk.n_id_2;
    // One cell per PCI: a later peak of a PCI whose MIB is decoded adds nothing; one whose MIB was not (a
    // Zadoff-Chu ghost of the right cell, off in time and frequency) may still be replaced by a decoded one.
    auto same = std::find_if(cells.begin(), cells.end(), [&](const LteCell& c) { return c.pci == pci; });
    if (same != cells.end() && same->mib_decoded) continue;
    auto cell = impl_->pbch_and_measure(y, pk, s, cfo);
    if (!cell) continue;
    if (cell->mib_decoded) cancel(*cell);
    if (same == cells.end())
      cells.push_back(std::move(*cell));
    else if (cell->mib_decoded)
      *same = std::move(*cell);
  }
  if (consumed) *consumed = looked;
  // Undecoded cells that sit where a decoded cell's Zadoff-Chu ghosts fall are not reported.
  std::vector<LteCell> kept;
  for (const auto& c : cells)
    if (c.mib_decoded || (!is_zc_ghost_of_decoded(cells, -1, c.pss_sample, c.cfo_hz) &&
                          !is_zc_ghost_of_decoded(nearby, -1, c.pss_sample, c.cfo_hz)))
      kept.push_back(c);
  cells.swap(kept);
  std::stable_sort(cells.begin(), cells.end(), [](const LteCell& a, const LteCell& b) {
    if (a.mib_decoded != b.mib_decoded) return a.mib_decoded;
    return a.rsrp_dbfs > b.rsrp_dbfs;
  });
  if (cells.size() > static_cast<std::size_t>(cfg_.max_cells)) cells.resize(static_cast<std::size_t>(cfg_.max_cells));
  return cells;
}

nlohmann::json to_json(const LteCell& c) {
  nlohmann::json j;
  j["type"] = "cell";
  j["rat"] = "LTE";
  j["pci"] = c.pci;
  j["n_id_1"] = c.n_id_1;
  j["n_id_2"] = c.n_id_2;
  j["duplex"] = c.duplex;
  j["cp"] = c.cp;
  if (c.mib_decoded) {
    static const char hex[] = "0123456789abcdef";
    std::string h;
    for (auto o : c.mib_octets) {
      h += hex[o >> 4];
      h += hex[o & 15];
    }
    j["ports"] = c.ports;
    j["bandwidth_prb"] = c.mib.bandwidth_prb;
    j["phich"] = {{"duration", c.mib.phich_extended ? "extended" : "normal"}, {"resource", c.mib.phich_resource}};
    j["sfn"] = c.mib.sfn;
    j["mib"] = h;
  } else {
    j["ports"] = nullptr;
    j["bandwidth_prb"] = nullptr;
    j["phich"] = nullptr;
    j["sfn"] = nullptr;
    j["mib"] = nullptr;
  }
  auto r1 = [](double v) { return std::round(v * 10.0) / 10.0; };
  j["rsrp_dbfs"] = r1(c.rsrp_dbfs);
  j["rsrq_db"] = r1(c.rsrq_db);
  j["sinr_db"] = r1(c.sinr_db);
  j["cfo_hz"] = std::round(c.cfo_hz);
  j["frame_start_sample"] = c.frame_start_sample;
  return j;
}

}  // namespace tw::dsp::lte
