#include "dsp/lte/cell_search.hpp"

extern "C" {
#include <osmocom/core/conv.h>
}
#include <fftw3.h>

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <mutex>
#include <numeric>
#include <string>

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
constexpr int kOsFft = 1024;                   // overlap-save FFT of the PSS search
constexpr int kOsValid = kOsFft - kN + 1;      // 897 correlation outputs per block
constexpr int kBackoff = 2;                    // FFT window starts this many samples into the CP
constexpr int kCrsCentralOffset = kMaxRb - 6;  // m' of the first CRS pair of the central 6 PRB: 104

std::mutex& fftw_planner_mutex() {
  static std::mutex m;
  return m;
}

// FFT bin (0..127) of subcarrier k72 of the central 72 (DC between k72 35 and 36).
int bin_of_k72(int k72) { return k72 >= 36 ? k72 - 35 : k72 - 36 + kN; }
// Physical frequency in subcarriers (DC = 0) of k72.
int freq_of_k72(int k72) { return k72 >= 36 ? k72 - 35 : k72 - 36; }

struct FftwPlan {
  fftwf_plan plan = nullptr;
  fftwf_complex* in = nullptr;
  fftwf_complex* out = nullptr;
  int n = 0;
  FftwPlan(int size, int sign) : n(size) {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    in = fftwf_alloc_complex(static_cast<std::size_t>(size));
    out = fftwf_alloc_complex(static_cast<std::size_t>(size));
    if (!in || !out) throw RuntimeFailure("FFTW: out of memory");
    plan = fftwf_plan_dft_1d(size, in, out, sign, FFTW_ESTIMATE);
    if (!plan) throw RuntimeFailure("FFTW: cannot plan a transform of " + std::to_string(size));
  }
  ~FftwPlan() {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    if (plan) fftwf_destroy_plan(plan);
    fftwf_free(in);
    fftwf_free(out);
  }
  FftwPlan(const FftwPlan&) = delete;
  FftwPlan& operator=(const FftwPlan&) = delete;
  cf32* input() { return reinterpret_cast<cf32*>(in); }
  const cf32* output() const { return reinterpret_cast<const cf32*>(out); }
  void run() { fftwf_execute(plan); }
};

// Upper tail of a sum of K unit exponentials (Gamma(K,1)): P(S > x) = e^-x sum_{i<K} x^i / i!.
double gamma_tail(int k, double x) {
  double term = 1.0, sum = 1.0;
  for (int i = 1; i < k; ++i) {
    term *= x / i;
    sum += term;
  }
  return std::exp(-x) * sum;
}
// Threshold on the mean of K exponentials (unit mean) exceeded with probability p.
double mean_threshold(int k, double p) {
  double lo = 0.0, hi = 50.0 * k + 50.0;
  for (int it = 0; it < 100; ++it) {
    const double mid = 0.5 * (lo + hi);
    (gamma_tail(k, mid) > p ? lo : hi) = mid;
  }
  return hi / k;
}

struct PssPeak {
  int n_id_2 = 0;
  int bin = 0;       // sample index modulo the half-frame of the start of the PSS's useful part
  int shift = 0;     // coarse CFO in overlap-save bins
  double metric = 0.0;
};

struct SssResult {
  bool tdd = false;
  bool normal_cp = true;
  int n_id_1 = -1;
  int parity = 0;    // occurrence h (counted from the first one used) is in subframe 0 when (h+parity) even
  double z = 0.0;
};

}  // namespace

struct CellSearch::Impl {
  CellSearchConfig cfg;
  FftwPlan os_fwd{kOsFft, FFTW_FORWARD};
  FftwPlan os_inv{kOsFft, FFTW_BACKWARD};
  FftwPlan sym_fwd{kN, FFTW_FORWARD};
  std::array<std::vector<cf32>, 3> pss_conj_spec;  // conj(FFT_1024(replica)), replica = 128 samples
  std::array<std::array<cf32, kN>, 3> pss_time{};  // time-domain replicas (unit energy per sample)
  std::array<std::array<cf32, 62>, 3> pss_freq{};
  std::vector<std::array<std::array<float, 62>, 2>> sss_table;  // [N_ID(2)*168 + N_ID(1)][sf 0/5]
  std::vector<int> rm_map_normal, rm_map_ext;
  std::vector<std::uint8_t> scramble[504];
  std::vector<std::uint8_t> scramble_ext[504];
  // Work buffers (reused across calls).
  std::vector<cf32> blocks;
  std::vector<float> fold, counts;
  std::vector<float> best;
  std::vector<int> best_shift;
  std::vector<float> best_count;

  explicit Impl(const CellSearchConfig& c) : cfg(c) {
    for (int n2 = 0; n2 < 3; ++n2) {
      pss_freq[static_cast<std::size_t>(n2)] = pss_sequence(n2);
      cf32* in = sym_fwd.input();
      // Build the replica with an inverse DFT by hand (once).
      std::array<cf32, kN> grid{};
      for (int n = 0; n < 62; ++n) grid[static_cast<std::size_t>(bin_of_k72(n + 5))] = pss_freq[static_cast<std::size_t>(n2)][static_cast<std::size_t>(n)];
      for (int t = 0; t < kN; ++t) {
        std::complex<double> acc = 0.0;
        for (int b = 0; b < kN; ++b) {
          if (grid[static_cast<std::size_t>(b)] == cf32{}) continue;
          const double ph = 2.0 * kPi * b * t / kN;
          acc += std::complex<double>(grid[static_cast<std::size_t>(b)]) * std::complex<double>(std::cos(ph), std::sin(ph));
        }
        pss_time[static_cast<std::size_t>(n2)][static_cast<std::size_t>(t)] = cf32(acc / std::sqrt(62.0));
      }
      (void)in;
      cf32* oin = os_fwd.input();
      std::fill(oin, oin + kOsFft, cf32{});
      std::copy(pss_time[static_cast<std::size_t>(n2)].begin(), pss_time[static_cast<std::size_t>(n2)].end(), oin);
      os_fwd.run();
      auto& spec = pss_conj_spec[static_cast<std::size_t>(n2)];
      spec.resize(kOsFft);
      for (int k = 0; k < kOsFft; ++k) spec[static_cast<std::size_t>(k)] = std::conj(os_fwd.output()[k]) / static_cast<float>(kOsFft);
    }
    sss_table.resize(3 * 168);
    for (int n2 = 0; n2 < 3; ++n2)
      for (int n1 = 0; n1 < 168; ++n1) {
        sss_table[static_cast<std::size_t>(n2 * 168 + n1)][0] = sss_sequence(n1, n2, 0);
        sss_table[static_cast<std::size_t>(n2 * 168 + n1)][1] = sss_sequence(n1, n2, 5);
      }
    rm_map_normal = conv_rate_match_map(kBchCodedIn, pbch_bits_total(true));
    rm_map_ext = conv_rate_match_map(kBchCodedIn, pbch_bits_total(false));
  }

  const std::vector<std::uint8_t>& scrambling(int pci, bool normal_cp) {
    auto& v = normal_cp ? scramble[pci] : scramble_ext[pci];
    if (v.empty()) {
      v.resize(static_cast<std::size_t>(pbch_bits_total(normal_cp)));
      gold_sequence(static_cast<std::uint32_t>(pci), v);  // 36.211 6.6.1: c_init = N_ID_cell
    }
    return v;
  }

  double half_period(double cfo) const {
    return cfg.carrier_hz > 0.0 ? kHalfFrame * (1.0 - cfo / cfg.carrier_hz) : static_cast<double>(kHalfFrame);
  }

  std::vector<PssPeak> pss_search(std::span<const cf32> x);
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

// ---------------------------------------------------------------- PSS search
std::vector<PssPeak> CellSearch::Impl::pss_search(std::span<const cf32> x) {
  const std::size_t n_use = std::min<std::size_t>(x.size(), static_cast<std::size_t>(cfg.max_half_frames) * kHalfFrame + kN - 1);
  if (n_use < static_cast<std::size_t>(kN) + 1) return {};
  const int n_out = static_cast<int>(n_use) - kN + 1;  // correlation positions
  const int n_blocks = (n_out + kOsValid - 1) / kOsValid;
  blocks.resize(static_cast<std::size_t>(n_blocks) * kOsFft);
  for (int b = 0; b < n_blocks; ++b) {
    cf32* in = os_fwd.input();
    for (int i = 0; i < kOsFft; ++i) {
      const std::size_t idx = static_cast<std::size_t>(b) * kOsValid + static_cast<std::size_t>(i);
      in[i] = idx < n_use ? x[idx] : cf32{};
    }
    os_fwd.run();
    std::copy(os_fwd.output(), os_fwd.output() + kOsFft, blocks.begin() + static_cast<std::ptrdiff_t>(b) * kOsFft);
  }
  const double bin_hz = kFs / kOsFft;
  const int step = std::max(1, static_cast<int>(std::lround(cfg.cfo_step_hz / bin_hz)));
  const int max_shift = static_cast<int>(std::floor(cfg.max_cfo_hz / bin_hz));
  std::vector<int> shifts;
  for (int s = 0; s <= max_shift; s += step) {
    shifts.push_back(s);
    if (s) shifts.push_back(-s);
  }
  const int n_hyp = static_cast<int>(shifts.size());
  best.assign(3 * kHalfFrame, 0.0f);
  best_shift.assign(3 * kHalfFrame, 0);
  best_count.assign(3 * kHalfFrame, 0.0f);
  fold.resize(kHalfFrame);
  counts.resize(kHalfFrame);
  std::vector<int> bin_of(static_cast<std::size_t>(n_out));
  for (int s : shifts) {
    const double cfo = s * bin_hz;
    const double period = half_period(cfo);
    std::fill(counts.begin(), counts.end(), 0.0f);
    for (int n = 0; n < n_out; ++n) {
      const double h = std::floor(n / period);
      int bin = static_cast<int>(n - h * period + 0.5);
      if (bin >= kHalfFrame) bin -= kHalfFrame;
      bin_of[static_cast<std::size_t>(n)] = bin;
      counts[static_cast<std::size_t>(bin)] += 1.0f;
    }
    for (int n2 = 0; n2 < 3; ++n2) {
      std::fill(fold.begin(), fold.end(), 0.0f);
      const cf32* ps = pss_conj_spec[static_cast<std::size_t>(n2)].data();
      double total = 0.0;
      for (int b = 0; b < n_blocks; ++b) {
        const cf32* X = blocks.data() + static_cast<std::ptrdiff_t>(b) * kOsFft;
        cf32* in = os_inv.input();
        // Derotating by s bins: X'(k) = X(k + s).
        for (int k = 0; k < kOsFft; ++k) in[k] = X[(k + s + kOsFft) % kOsFft] * ps[k];
        os_inv.run();
        const cf32* c = os_inv.output();
        const int base = b * kOsValid;
        const int lim = std::min(kOsValid, n_out - base);
        for (int i = 0; i < lim; ++i) {
          const float p = std::norm(c[i]);
          fold[static_cast<std::size_t>(bin_of[static_cast<std::size_t>(base + i)])] += p;
          total += p;
        }
      }
      const double mean = total / n_out;
      if (!(mean > 0.0)) continue;
      float* bst = best.data() + n2 * kHalfFrame;
      int* bsh = best_shift.data() + n2 * kHalfFrame;
      float* bct = best_count.data() + n2 * kHalfFrame;
      for (int i = 0; i < kHalfFrame; ++i) {
        if (counts[static_cast<std::size_t>(i)] < 1.0f) continue;
        const float m = static_cast<float>(fold[static_cast<std::size_t>(i)] / counts[static_cast<std::size_t>(i)] / mean);
        if (m > bst[i]) {
          bst[i] = m;
          bsh[i] = s;
          bct[i] = counts[static_cast<std::size_t>(i)];
        }
      }
    }
  }
  // Thresholds per number of folded half-frames K: false alarms spread over every hypothesis tested.
  const double p_cell = cfg.pss_false_alarms / (3.0 * kHalfFrame * n_hyp);
  const int k_max = n_out / kHalfFrame + 2;
  std::vector<double> thr(static_cast<std::size_t>(k_max + 1));
  for (int k = 1; k <= k_max; ++k) thr[static_cast<std::size_t>(k)] = mean_threshold(k, p_cell);
  std::vector<PssPeak> cand;
  for (int n2 = 0; n2 < 3; ++n2) {
    const float* bst = best.data() + n2 * kHalfFrame;
    for (int i = 0; i < kHalfFrame; ++i) {
      const int k = std::clamp(static_cast<int>(best_count[static_cast<std::size_t>(n2 * kHalfFrame + i)]), 1, k_max);
      if (bst[i] <= thr[static_cast<std::size_t>(k)]) continue;
      const float l = bst[(i + kHalfFrame - 1) % kHalfFrame], r = bst[(i + 1) % kHalfFrame];
      if (bst[i] < l || bst[i] < r) continue;
      cand.push_back({n2, i, best_shift[static_cast<std::size_t>(n2 * kHalfFrame + i)], bst[i]});
    }
  }
  std::sort(cand.begin(), cand.end(), [](const PssPeak& a, const PssPeak& b) { return a.metric > b.metric; });
  std::vector<PssPeak> kept;
  const std::size_t max_cand = static_cast<std::size_t>(std::max(4, 4 * cfg.max_cells));
  for (const auto& c : cand) {
    bool drop = false;
    for (const auto& k : kept) {
      int d = std::abs(c.bin - k.bin);
      d = std::min(d, kHalfFrame - d);
      if (k.n_id_2 == c.n_id_2 && d <= 6) drop = true;                 // the same peak's shoulders
      if (k.n_id_2 != c.n_id_2 && d <= 2 && k.metric > 30.0 * c.metric) drop = true;  // cross-root leakage
    }
    if (!drop) kept.push_back(c);
    if (kept.size() >= max_cand) break;
  }
  return kept;
}

// ---------------------------------------------------------------- SSS
SssResult CellSearch::Impl::sss_detect(std::span<const cf32> x, const PssPeak& pk, double cfo0, double& cfo_out) {
  const double period = half_period(cfo0);
  const auto& rep = pss_time[static_cast<std::size_t>(pk.n_id_2)];
  const std::int64_t n = static_cast<std::int64_t>(x.size());
  const int max_occ = 2 * cfg.max_pbch_frames;
  // Occurrences of the PSS (start of its useful part) inside x.
  std::vector<std::int64_t> occ;
  for (int h = 0; static_cast<int>(occ.size()) < max_occ; ++h) {
    const std::int64_t a = static_cast<std::int64_t>(std::llround(pk.bin + h * period));
    if (a + kN > n) break;
    occ.push_back(a);
  }
  // Fine CFO from the phase between the two halves of the PSS (range +-15 kHz around the coarse value).
  std::complex<double> acc = 0.0;
  const double w = -2.0 * kPi * cfo0 / kFs;
  for (auto a : occ) {
    std::complex<double> c1 = 0.0, c2 = 0.0;
    for (int m = 0; m < kN; ++m) {
      const double ph = w * static_cast<double>(a + m);
      const std::complex<double> v = std::complex<double>(x[static_cast<std::size_t>(a + m)]) * std::complex<double>(std::cos(ph), std::sin(ph)) *
                                     std::conj(std::complex<double>(rep[static_cast<std::size_t>(m)]));
      (m < kN / 2 ? c1 : c2) += v;
    }
    acc += c2 * std::conj(c1);
  }
  double cfo = cfo0;
  if (std::abs(acc) > 0.0) cfo += std::arg(acc) * kFs / (2.0 * kPi * (kN / 2));
  cfo_out = cfo;

  SssResult best_r;
  best_r.z = -1.0;
  const auto& pf = pss_freq[static_cast<std::size_t>(pk.n_id_2)];
  std::array<cf32, kN> yp{}, ys{};
  std::vector<std::array<cf32, 62>> z;  // per usable occurrence: SSS equalised by the PSS channel
  std::vector<int> z_h;
  std::vector<float> metrics(336);
  for (int hyp = 0; hyp < 4; ++hyp) {
    const bool tdd = hyp >= 2, ncp = (hyp % 2) == 0;
    // Distance from the SSS's useful part to the PSS's useful part (36.211 6.11: FDD adjacent symbols;
    // TDD SSS in the last symbol of subframe 0, PSS in the third of subframe 1).
    const int delta = tdd ? (ncp ? kN + (10 + kN) + (9 + kN) + 9 : kN + 2 * (32 + kN) + 32) : (ncp ? kN + 9 : kN + 32);
    z.clear();
    z_h.clear();
    for (std::size_t h = 0; h < occ.size(); ++h) {
      const std::int64_t a = occ[h];
      if (a - delta - kBackoff < 0 || a - kBackoff + kN > n) continue;
      symbol_fft(x, a - kBackoff, cfo, yp);
      symbol_fft(x, a - delta - kBackoff, cfo, ys);
      std::array<cf32, 62> zz{};
      for (int i = 0; i < 62; ++i) {
        const int b = bin_of_k72(i + 5);
        const cf32 hch = yp[static_cast<std::size_t>(b)] * std::conj(pf[static_cast<std::size_t>(i)]);
        zz[static_cast<std::size_t>(i)] = ys[static_cast<std::size_t>(b)] * std::conj(hch);
      }
      z.push_back(zz);
      z_h.push_back(static_cast<int>(h));
    }
    if (z.empty()) continue;
    for (int n1 = 0; n1 < 168; ++n1) {
      const auto& seq = sss_table[static_cast<std::size_t>(pk.n_id_2 * 168 + n1)];
      for (int par = 0; par < 2; ++par) {
        double m = 0.0;
        for (std::size_t j = 0; j < z.size(); ++j) {
          const auto& d = seq[static_cast<std::size_t>((z_h[j] + par) % 2)];
          for (int i = 0; i < 62; ++i) m += z[j][static_cast<std::size_t>(i)].real() * d[static_cast<std::size_t>(i)];
        }
        metrics[static_cast<std::size_t>(n1 * 2 + par)] = static_cast<float>(m);
      }
    }
    const auto it = std::max_element(metrics.begin(), metrics.end());
    const int arg = static_cast<int>(it - metrics.begin());
    // Normalised correlation: the metric over the norm of Re(z) (Cauchy-Schwarz: at most sqrt(62 x
    // occurrences) for a perfect match; a standard normal variable for noise).
    double re2 = 0.0;
    for (const auto& zz : z)
      for (const auto& v : zz) re2 += static_cast<double>(v.real()) * v.real();
    if (!(re2 > 0.0)) continue;
    const double zscore = *it / std::sqrt(re2);
    if (zscore > best_r.z) {
      best_r.z = zscore;
      best_r.tdd = tdd;
      best_r.normal_cp = ncp;
      best_r.n_id_1 = arg / 2;
      best_r.parity = arg % 2;
    }
  }
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
    std::vector<std::array<cf32, kN>> y;         // FFT of each symbol of subframe 0 (empty when outside)
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
    f.y.resize(static_cast<std::size_t>(n_sym));
    f.have.assign(static_cast<std::size_t>(n_sym), false);
    frames.push_back(std::move(f));
  }
  if (frames.empty()) return std::nullopt;

  auto do_ffts = [&](double f_hz) {
    for (auto& fr : frames)
      for (int sym = 0; sym < n_sym; ++sym) {
        const std::int64_t p = sym_start(fr.start, sym);
        fr.have[static_cast<std::size_t>(sym)] = p >= 0 && p + kN <= n;
        if (fr.have[static_cast<std::size_t>(sym)]) symbol_fft(x, p, f_hz, fr.y[static_cast<std::size_t>(sym)]);
      }
  };
  do_ffts(cfo);
  // CRS sequences of the central 6 PRB, per (slot, l).
  std::array<cf32, 2 * kMaxRb> r{};
  auto crs_ls = [&](const Frame& fr, int port, int sym, std::vector<std::pair<int, cf32>>& out) {
    out.clear();
    if (!fr.have[static_cast<std::size_t>(sym)]) return;
    const int ns = sym / per_slot, l = sym % per_slot;
    crs_sequence(pci, ns, l, ncp, r);
    const int off = crs_k_offset(port, ns, l, ncp, pci);
    for (int i = 0; i < 12; ++i) {
      const int k = 6 * i + off;
      out.emplace_back(k, fr.y[static_cast<std::size_t>(sym)][static_cast<std::size_t>(bin_of_k72(k))] *
                              std::conj(r[static_cast<std::size_t>(kCrsCentralOffset + i)]));
    }
  };
  // CFO refinement: port 0's CRS in l = 0 of slots 0 and 1 sit on the same subcarriers, 0.5 ms apart.
  std::vector<std::pair<int, cf32>> ls0, ls1;
  {
    std::complex<double> acc = 0.0;
    for (const auto& fr : frames) {
      crs_ls(fr, 0, 0, ls0);
      crs_ls(fr, 0, per_slot, ls1);
      if (ls0.empty() || ls1.empty()) continue;
      for (std::size_t i = 0; i < ls0.size(); ++i) acc += std::complex<double>(ls1[i].second * std::conj(ls0[i].second));
    }
    if (std::abs(acc) > 0.0) {
      cfo += std::arg(acc) * kFs / (2.0 * kPi * (kSubframeSamples / 2));
      do_ffts(cfo);
    }
  }
  // Channel per port and frame: LS at the pilots of the CRS symbols of subframe 0, averaged per subcarrier,
  // linearly interpolated over frequency.
  auto estimate = [&](const Frame& fr, int port, std::array<cf32, 72>& h) -> bool {
    std::array<cf32, 72> sum{};
    std::array<int, 72> cnt{};
    std::array<int, 2> syms{};
    const int ns_count = crs_symbols_in_slot(port, ncp, syms);
    std::vector<std::pair<int, cf32>> ls;
    for (int slot = 0; slot < 2; ++slot)
      for (int i = 0; i < ns_count; ++i) {
        crs_ls(fr, port, slot * per_slot + syms[static_cast<std::size_t>(i)], ls);
        for (auto& [k, v] : ls) {
          sum[static_cast<std::size_t>(k)] += v;
          cnt[static_cast<std::size_t>(k)]++;
        }
      }
    std::vector<int> ks;
    for (int k = 0; k < 72; ++k)
      if (cnt[static_cast<std::size_t>(k)]) {
        sum[static_cast<std::size_t>(k)] /= static_cast<float>(cnt[static_cast<std::size_t>(k)]);
        ks.push_back(k);
      }
    if (ks.empty()) return false;
    std::size_t j = 0;
    for (int k = 0; k < 72; ++k) {
      while (j + 1 < ks.size() && ks[j + 1] <= k) ++j;
      const int ka = ks[j];
      if (k <= ks.front()) {
        h[static_cast<std::size_t>(k)] = sum[static_cast<std::size_t>(ks.front())];
      } else if (j + 1 >= ks.size()) {
        h[static_cast<std::size_t>(k)] = sum[static_cast<std::size_t>(ks.back())];
      } else {
        const int kb = ks[j + 1];
        const float t = static_cast<float>(freq_of_k72(k) - freq_of_k72(ka)) / static_cast<float>(freq_of_k72(kb) - freq_of_k72(ka));
        h[static_cast<std::size_t>(k)] = sum[static_cast<std::size_t>(ka)] * (1.0f - t) + sum[static_cast<std::size_t>(kb)] * t;
      }
    }
    return true;
  };

  const auto res = pbch_resource_elements(pci, ncp);
  const int bits_frame = pbch_bits_per_frame(ncp);
  const auto& map = ncp ? rm_map_normal : rm_map_ext;
  const auto& c = scrambling(pci, ncp);

  // Soft bits (positive: bit 0) per frame for a port hypothesis.
  auto soft_bits = [&](const Frame& fr, int ports, std::vector<float>& out) -> bool {
    std::array<std::array<cf32, 72>, 4> h{};
    for (int p = 0; p < ports; ++p)
      if (!estimate(fr, p, h[static_cast<std::size_t>(p)])) return false;
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
  {
    double fs0 = std::fmod(frame0, fperiod);
    if (fs0 < 0) fs0 += fperiod;
    cell.frame_start_sample = static_cast<std::int64_t>(std::llround(fs0)) % kFrameSamples;
  }
  const int frame_of_start = static_cast<int>(std::llround((static_cast<double>(cell.frame_start_sample) - frame0) / fperiod));

  // Decoding: for each port hypothesis and frame offset j0 (SFN mod 4 of frames[0]), combine the frames of
  // each 40 ms block (36.212 5.3.1: one BCH transport block per 40 ms) and try each block; then, when no block
  // decodes alone, two consecutive blocks soft-combined (see below).
  std::vector<std::vector<float>> sb(frames.size());
  std::array<sbit_t, 3 * kBchCodedIn> sbits{};
  std::array<ubit_t, kBchCodedIn> dec{};
  bool done = false;
  // Tries a combined block of soft values (stream-major, positive: bit 0) whose MIB is that of `block`.
  // trailing_ones >= 0: the decoded systemFrameNumber must have that many trailing ones (7: at least 7).
  auto try_decode = [&](const std::array<float, 3 * kBchCodedIn>& acc, int ports, int j0, int block, int trailing_ones) -> bool {
    float amax = 0.0f;
    for (float v : acc) amax = std::max(amax, std::fabs(v));
    if (!(amax > 0.0f)) return false;
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
    // The decoded word re-encoded must agree with most hard decisions of the combined soft bits (a
    // second guard, after the CRC, against noise decoded into a valid-looking word).
    std::array<ubit_t, 3 * kBchCodedIn> reenc{};
    osmo_conv_encode(&pbch_conv_code(), dec.data(), reenc.data());
    int disagree = 0, nonzero = 0;
    for (int b = 0; b < 3 * kBchCodedIn; ++b) {
      if (sbits[static_cast<std::size_t>(b)] == 0) continue;
      ++nonzero;
      disagree += (sbits[static_cast<std::size_t>(b)] < 0) != (reenc[static_cast<std::size_t>(b)] != 0);
    }
    if (tw::log::level() >= tw::log::Level::debug)
      tw::log::debug("lte: PCI " + std::to_string(pci) + " CRC ok, ports " + std::to_string(ports) + ", " +
                     std::to_string(disagree) + "/" + std::to_string(nonzero) + " coded bits disagree");
    if (nonzero == 0 || disagree * 4 > nonzero) return false;
    std::array<std::uint8_t, 3> oct{};
    for (int b = 0; b < kMibBits; ++b) oct[static_cast<std::size_t>(b / 8)] |= static_cast<std::uint8_t>(dec[static_cast<std::size_t>(b)] << (7 - b % 8));
    if (((oct[0] >> 5) & 7) > 5) return false;  // not an enumerated dl-Bandwidth: not a MIB
    if (trailing_ones >= 0) {
      // A wrong hypothesis t' lets the decoder return block b's MIB xor delta(t) xor delta(t'), which passes the
      // CRC too; its systemFrameNumber never has t trailing ones, so that check rejects exactly those words.
      const int sfn8 = ((oct[0] & 3) << 6) | (oct[1] >> 2);
      int t = 0;
      while (t < 7 && ((sfn8 >> t) & 1)) ++t;
      if (t != trailing_ones) return false;
    }
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
  // Cross-block combining: block b+1 carries the MIB of block b with systemFrameNumber (the 8 MSBs of the SFN,
  // MIB bits 6..13) plus one. CRC (zero-initialised, the port mask cancels) and convolutional code are linear,
  // so codeword(b+1) = codeword(b) xor codeword(delta) with delta = s xor (s + 1) in the SFN field: 2^(t+1) - 1
  // for t trailing ones of s (t = 0..7; 255 -> 0 gives the t = 7 pattern). Block b+1's soft values with the
  // signs of delta's coded bits flipped add to block b's; the 8 hypotheses t are tried in turn.
  std::array<std::array<std::uint8_t, 3 * kBchCodedIn>, 8> delta_code{};  // stream-major, 1: flip
  for (int t = 0; t < 8; ++t) {
    std::array<std::uint8_t, kMibBits> d{};
    for (int b = 0; b <= t; ++b) d[static_cast<std::size_t>(6 + 7 - b)] = 1;  // SFN field MSB first at bit 6
    const std::uint16_t crc = crc16(d);
    std::array<ubit_t, kBchCodedIn> word{};
    for (int b = 0; b < kMibBits; ++b) word[static_cast<std::size_t>(b)] = d[static_cast<std::size_t>(b)];
    for (int b = 0; b < kBchCrcBits; ++b) word[static_cast<std::size_t>(kMibBits + b)] = static_cast<ubit_t>((crc >> (15 - b)) & 1);
    std::array<ubit_t, 3 * kBchCodedIn> enc{};
    osmo_conv_encode(&pbch_conv_code(), word.data(), enc.data());
    for (int idx = 0; idx < 3 * kBchCodedIn; ++idx)
      delta_code[static_cast<std::size_t>(t)][static_cast<std::size_t>(idx)] = enc[static_cast<std::size_t>(3 * (idx % kBchCodedIn) + idx / kBchCodedIn)];
  }
  std::vector<std::array<float, 3 * kBchCodedIn>> block_acc;
  std::vector<int> block_no;
  for (int ports : {1, 2, 4}) {
    if (done) break;
    bool ok = true;
    for (std::size_t i = 0; i < frames.size(); ++i) ok = ok && soft_bits(frames[i], ports, sb[i]);
    if (!ok) continue;
    for (int j0 = 0; j0 < 4 && !done; ++j0) {
      // Block of frame i: floor((j0 + index_i - index_0) / 4).
      block_acc.clear();
      block_no.clear();
      std::size_t i = 0;
      while (i < frames.size() && !done) {
        const int rel0 = frames[i].index - frames[0].index + j0;
        const int block = rel0 / 4;
        std::array<float, 3 * kBchCodedIn> acc{};
        std::size_t i_end = i;
        int used = 0;
        for (; i_end < frames.size(); ++i_end) {
          const int rel = frames[i_end].index - frames[0].index + j0;
          if (rel / 4 != block) break;
          const int j = rel % 4;
          for (int b = 0; b < bits_frame; ++b) {
            const std::size_t e = static_cast<std::size_t>(j * bits_frame + b);
            const float v = c[e] ? -sb[i_end][static_cast<std::size_t>(b)] : sb[i_end][static_cast<std::size_t>(b)];
            acc[static_cast<std::size_t>(map[e])] += v;  // 36.212 5.1.4.2 repeats add up
            ++used;
          }
        }
        i = i_end;
        if (used == 0) continue;
        block_acc.push_back(acc);
        block_no.push_back(block);
        done = try_decode(acc, ports, j0, block, -1);
      }
      for (std::size_t b = 0; !done && b + 1 < block_acc.size(); ++b) {
        if (block_no[b + 1] != block_no[b] + 1) continue;
        for (int t = 0; t < 8 && !done; ++t) {
          std::array<float, 3 * kBchCodedIn> acc = block_acc[b];
          const auto& flip = delta_code[static_cast<std::size_t>(t)];
          for (int idx = 0; idx < 3 * kBchCodedIn; ++idx)
            acc[static_cast<std::size_t>(idx)] += flip[static_cast<std::size_t>(idx)] ? -block_acc[b + 1][static_cast<std::size_t>(idx)]
                                                                                     : block_acc[b + 1][static_cast<std::size_t>(idx)];
          done = try_decode(acc, ports, j0, block_no[b], t);
        }
      }
    }
  }
  // Measurements from port 0's CRS (all frames): pilots of slot 0 l=0 and slot 1 l=0 repeat on the same
  // subcarriers, their difference gives the noise.
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
  return cell;
}

// ---------------------------------------------------------------- public
CellSearch::CellSearch(const CellSearchConfig& cfg) : cfg_(cfg) {
  if (!(cfg.max_cfo_hz >= 0.0) || cfg.max_cfo_hz > 900e3) throw InputError("max_cfo_hz: must lie in 0..900000 Hz");
  if (!(cfg.carrier_hz >= 0.0) || !std::isfinite(cfg.carrier_hz)) throw InputError("carrier_hz: must be >= 0");
  if (cfg.max_cells < 1 || cfg.max_cells > 64) throw InputError("max_cells: must lie in 1..64");
  if (!(cfg.cfo_step_hz > 0.0) || cfg.cfo_step_hz > 15e3) throw InputError("cfo_step_hz: must lie in (0, 15000] Hz");
  if (cfg.max_half_frames < 1 || cfg.max_half_frames > 400) throw InputError("max_half_frames: must lie in 1..400");
  if (cfg.max_pbch_frames < 1 || cfg.max_pbch_frames > 200) throw InputError("max_pbch_frames: must lie in 1..200");
  if (!(cfg.pss_false_alarms > 0.0)) throw InputError("pss_false_alarms: must be > 0");
  impl_ = std::make_unique<Impl>(cfg);
}

CellSearch::~CellSearch() = default;

std::vector<LteCell> CellSearch::execute(std::span<const cf32> x) {
  std::vector<LteCell> cells;
  const auto peaks = impl_->pss_search(x);
  for (const auto& pk : peaks) {
    const double cfo0 = pk.shift * (kFs / kOsFft);
    double cfo = cfo0;
    const SssResult s = impl_->sss_detect(x, pk, cfo0, cfo);
    if (tw::log::level() >= tw::log::Level::debug) {
      tw::log::debug("lte: PSS N_ID(2) " + std::to_string(pk.n_id_2) + " at " + std::to_string(pk.bin) + " metric " +
                     std::to_string(pk.metric) + " cfo " + std::to_string(cfo) + " -> SSS N_ID(1) " + std::to_string(s.n_id_1) +
                     (s.tdd ? " TDD" : " FDD") + (s.normal_cp ? " normal" : " extended") + " z " + std::to_string(s.z));
    }
    if (s.n_id_1 < 0 || s.z < cfg_.sss_min_score) continue;
    const int pci = 3 * s.n_id_1 + pk.n_id_2;
    bool dup = false;
    for (const auto& c : cells) dup = dup || c.pci == pci;
    if (dup) continue;
    auto cell = impl_->pbch_and_measure(x, pk, s, cfo);
    if (cell) cells.push_back(std::move(*cell));
  }
  // Undecoded cells that sit where a decoded cell's Zadoff-Chu ghosts fall (PSS within +-200 samples, CFO
  // off by about a subcarrier or more) are not reported.
  std::vector<LteCell> kept;
  for (const auto& c : cells) {
    bool ghost = false;
    if (!c.mib_decoded) {
      for (const auto& d : cells) {
        if (!d.mib_decoded) continue;
        int dt = std::abs(c.pss_sample - d.pss_sample);
        dt = std::min(dt, kHalfFrame - dt);
        if (dt <= 200 && std::fabs(c.cfo_hz - d.cfo_hz) >= 7500.0) ghost = true;
      }
    }
    if (!ghost) kept.push_back(c);
  }
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
