#include "dsp/lte/pss_search.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "dsp/lte/fftw_plan.hpp"
#include "dsp/lte/lte_signals.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::lte {

namespace {

using cf32 = std::complex<float>;
constexpr double kPi = 3.14159265358979323846;
constexpr double kFs = kBaseSampleRate;
constexpr int kN = kBaseFftSize;               // 128
constexpr int kHalfFrame = kFrameSamples / 2;  // 9600
constexpr int kOsFft = 1024;                   // overlap-save FFT
constexpr int kOsValid = kOsFft - kN + 1;      // 897 correlation outputs per block

// FFT bin (0..127) of subcarrier k72 of the central 72 (DC between k72 35 and 36).
int bin_of_k72(int k72) { return k72 >= 36 ? k72 - 35 : k72 - 36 + kN; }

// Complex product written out: std::complex's operator* checks for NaN on every element (hot loops).
inline cf32 cmul(cf32 a, cf32 b) { return cf32(a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()); }

}  // namespace

double gamma_tail(int k, double x) {
  double term = 1.0, sum = 1.0;
  for (int i = 1; i < k; ++i) {
    term *= x / i;
    sum += term;
  }
  return std::exp(-x) * sum;
}

double mean_threshold(int k, double p) {
  double lo = 0.0, hi = 50.0 * k + 50.0;
  for (int it = 0; it < 100; ++it) {
    const double mid = 0.5 * (lo + hi);
    (gamma_tail(k, mid) > p ? lo : hi) = mid;
  }
  return hi / k;
}

struct PssSearch::Impl {
  FftwPlan os_fwd{kOsFft, FFTW_FORWARD};
  FftwPlan os_inv{kOsFft, FFTW_BACKWARD};
  std::array<std::vector<cf32>, 3> conj_spec;  // conj(FFT_1024(replica)) / 1024
  std::array<std::vector<cf32>, 3> time;       // replicas, 128 samples
  // Work buffers (reused across calls).
  std::vector<cf32> blocks;
  std::vector<float> power, fold, counts;
  struct Run {
    int n, bin, len;  // power[n .. n+len) folds onto fold[bin .. bin+len)
  };
  std::vector<std::vector<Run>> runs;  // per slot holding the current shift

  Impl() {
    for (int n2 = 0; n2 < 3; ++n2) {
      const auto freq = pss_sequence(n2);
      std::array<cf32, kN> grid{};
      for (int n = 0; n < 62; ++n) grid[static_cast<std::size_t>(bin_of_k72(n + 5))] = freq[static_cast<std::size_t>(n)];
      auto& rep = time[static_cast<std::size_t>(n2)];
      rep.resize(kN);
      for (int t = 0; t < kN; ++t) {
        std::complex<double> acc = 0.0;
        for (int b = 0; b < kN; ++b) {
          if (grid[static_cast<std::size_t>(b)] == cf32{}) continue;
          const double ph = 2.0 * kPi * b * t / kN;
          acc += std::complex<double>(grid[static_cast<std::size_t>(b)]) * std::complex<double>(std::cos(ph), std::sin(ph));
        }
        rep[static_cast<std::size_t>(t)] = cf32(acc / std::sqrt(62.0));
      }
      cf32* oin = os_fwd.input();
      std::fill(oin, oin + kOsFft, cf32{});
      std::copy(rep.begin(), rep.end(), oin);
      os_fwd.run();
      auto& spec = conj_spec[static_cast<std::size_t>(n2)];
      spec.resize(kOsFft);
      for (int k = 0; k < kOsFft; ++k) spec[static_cast<std::size_t>(k)] = std::conj(os_fwd.output()[k]) / static_cast<float>(kOsFft);
    }
  }
};

PssSearch::PssSearch(const PssSearchConfig& cfg) : cfg_(cfg), impl_(std::make_unique<Impl>()) {
  if (!(cfg.cfo_step_hz > 0.0) || cfg.cfo_step_hz > 15e3) throw InputError("cfo_step_hz: must lie in (0, 15000] Hz");
  if (cfg.max_half_frames < 1 || cfg.max_half_frames > 400) throw InputError("max_half_frames: must lie in 1..400");
}

PssSearch::~PssSearch() = default;

const std::vector<cf32>& PssSearch::replica(int n_id_2) const { return impl_->time.at(static_cast<std::size_t>(n_id_2)); }

std::vector<std::vector<PssPeak>> PssSearch::execute(std::span<const cf32> x, std::span<const PssSlot> slots) {
  Impl& m = *impl_;
  std::vector<std::vector<PssPeak>> out(slots.size());
  last_shifts_ = 0;
  const std::size_t n_use = std::min<std::size_t>(x.size(), static_cast<std::size_t>(cfg_.max_half_frames) * kHalfFrame + kN - 1);
  if (n_use < static_cast<std::size_t>(kN) + 1 || slots.empty()) return out;
  const int n_out = static_cast<int>(n_use) - kN + 1;  // correlation positions
  const int n_blocks = (n_out + kOsValid - 1) / kOsValid;
  m.blocks.resize(static_cast<std::size_t>(n_blocks) * kOsFft);
  for (int b = 0; b < n_blocks; ++b) {
    cf32* in = m.os_fwd.input();
    for (int i = 0; i < kOsFft; ++i) {
      const std::size_t idx = static_cast<std::size_t>(b) * kOsValid + static_cast<std::size_t>(i);
      in[i] = idx < n_use ? x[idx] : cf32{};
    }
    m.os_fwd.run();
    std::copy(m.os_fwd.output(), m.os_fwd.output() + kOsFft, m.blocks.begin() + static_cast<std::ptrdiff_t>(b) * kOsFft);
  }
  // The common grid: shifts s = step * i (bins of 1875 Hz from the channel centre). Slot j takes the shifts
  // with |s bin_hz - offset_j| <= max_cfo_j (for offset 0: 0, +-step, ... up to floor(max_cfo / bin_hz)).
  const double bin_hz = kFs / kOsFft;
  const int step = std::max(1, static_cast<int>(std::lround(cfg_.cfo_step_hz / bin_hz)));
  const double unit = bin_hz * step;
  const std::size_t n_slots = slots.size();
  std::vector<int> lo(n_slots), hi(n_slots);
  int i_min = 1 << 30, i_max = -(1 << 30);
  for (std::size_t j = 0; j < n_slots; ++j) {
    const double w = std::max(0.0, slots[j].max_cfo_hz);
    lo[j] = static_cast<int>(std::ceil((slots[j].offset_hz - w) / unit - 1e-9));
    hi[j] = static_cast<int>(std::floor((slots[j].offset_hz + w) / unit + 1e-9));
    i_min = std::min(i_min, lo[j]);
    i_max = std::max(i_max, hi[j]);
  }
  // Per slot: the best folded metric per (root, bin), its shift and its number of folded half-frames.
  struct Best {
    std::vector<float> metric, count;
    std::vector<int> shift;
  };
  std::vector<Best> best(n_slots);
  for (auto& b : best) {
    b.metric.assign(3 * kHalfFrame, 0.0f);
    b.count.assign(3 * kHalfFrame, 0.0f);
    b.shift.assign(3 * kHalfFrame, 0);
  }
  m.power.resize(static_cast<std::size_t>(n_out));
  m.fold.resize(kHalfFrame);
  std::vector<std::size_t> in_slot;
  for (int i = i_min; i <= i_max; ++i) {
    in_slot.clear();
    for (std::size_t j = 0; j < n_slots; ++j)
      if (i >= lo[j] && i <= hi[j]) in_slot.push_back(j);
    if (in_slot.empty()) continue;
    ++last_shifts_;
    const int s = i * step;
    if (m.counts.size() < in_slot.size() * static_cast<std::size_t>(kHalfFrame))
      m.counts.resize(in_slot.size() * static_cast<std::size_t>(kHalfFrame));
    // The fold of each slot holding this shift: bin = round(n - h period) for the half-frame h holding n,
    // with the stretch of the carrier offset from that slot's raster point. Within a half-frame bin = n - K_h
    // (K_h = ceil(h_start - 1/2)), wrapping once past 9600: runs of consecutive samples onto consecutive bins.
    if (m.runs.size() < in_slot.size()) m.runs.resize(in_slot.size());
    for (std::size_t q = 0; q < in_slot.size(); ++q) {
      const double cfo = s * bin_hz - slots[in_slot[q]].offset_hz;
      const double period = cfg_.carrier_hz > 0.0 ? kHalfFrame * (1.0 - cfo / cfg_.carrier_hz) : static_cast<double>(kHalfFrame);
      auto& runs = m.runs[q];
      runs.clear();
      float* cnt = m.counts.data() + q * static_cast<std::size_t>(kHalfFrame);
      std::fill(cnt, cnt + kHalfFrame, 0.0f);
      double h_start = 0.0;
      int n = 0;
      while (n < n_out) {
        // Half-frame h holds n while n < h_start + period (the walk of the per-sample loop).
        int end = static_cast<int>(std::ceil(h_start + period));
        end = std::min(end, n_out);
        if (end <= n) {
          h_start += period;
          continue;
        }
        const int k = static_cast<int>(std::floor(n - h_start + 0.5)) - n;  // bin = n + k in this half-frame
        int a = n;
        while (a < end) {
          int bin = a + k;
          if (bin >= kHalfFrame) bin -= kHalfFrame;
          const int len = std::min(end - a, kHalfFrame - bin);
          runs.push_back({a, bin, len});
          for (int i = 0; i < len; ++i) cnt[bin + i] += 1.0f;
          a += len;
        }
        n = end;
        h_start += period;
      }
    }
    const int s0 = (s % kOsFft + kOsFft) % kOsFft;
    for (int n2 = 0; n2 < 3; ++n2) {
      const cf32* ps = m.conj_spec[static_cast<std::size_t>(n2)].data();
      double total = 0.0;
      for (int b = 0; b < n_blocks; ++b) {
        const cf32* X = m.blocks.data() + static_cast<std::ptrdiff_t>(b) * kOsFft;
        cf32* in = m.os_inv.input();
        // Derotating by s bins: X'(k) = X(k + s mod N), as two contiguous runs.
        for (int k = 0; k < kOsFft - s0; ++k) in[k] = cmul(X[k + s0], ps[k]);
        for (int k = kOsFft - s0; k < kOsFft; ++k) in[k] = cmul(X[k + s0 - kOsFft], ps[k]);
        m.os_inv.run();
        const cf32* c = m.os_inv.output();
        const int base = b * kOsValid;
        const int lim = std::min(kOsValid, n_out - base);
        float* p = m.power.data() + base;
        for (int t = 0; t < lim; ++t) p[t] = c[t].real() * c[t].real() + c[t].imag() * c[t].imag();
      }
      {
        // Eight partial sums (lanes), so the compiler may vectorise.
        std::array<double, 8> lanes{};
        int t = 0;
        for (; t + 8 <= n_out; t += 8)
          for (int l = 0; l < 8; ++l) lanes[static_cast<std::size_t>(l)] += m.power[static_cast<std::size_t>(t + l)];
        for (; t < n_out; ++t) lanes[0] += m.power[static_cast<std::size_t>(t)];
        for (double v : lanes) total += v;
      }
      const double mean = total / n_out;
      if (!(mean > 0.0)) continue;
      for (std::size_t q = 0; q < in_slot.size(); ++q) {
        const float* counts = m.counts.data() + q * static_cast<std::size_t>(kHalfFrame);
        std::fill(m.fold.begin(), m.fold.end(), 0.0f);
        for (const auto& r : m.runs[q]) {
          float* f = m.fold.data() + r.bin;
          const float* pw = m.power.data() + r.n;
          for (int i = 0; i < r.len; ++i) f[i] += pw[i];
        }
        Best& bj = best[in_slot[q]];
        float* bst = bj.metric.data() + n2 * kHalfFrame;
        int* bsh = bj.shift.data() + n2 * kHalfFrame;
        float* bct = bj.count.data() + n2 * kHalfFrame;
        const float inv_mean = static_cast<float>(1.0 / mean);
        for (int t = 0; t < kHalfFrame; ++t) {
          const float cnt = counts[t];
          if (cnt < 1.0f) continue;
          const float v = m.fold[static_cast<std::size_t>(t)] / cnt * inv_mean;
          if (v > bst[t]) {
            bst[t] = v;
            bsh[t] = s;
            bct[t] = cnt;
          }
        }
      }
    }
  }
  // Per slot: two thresholds per number of folded half-frames K, false alarms spread over the slot's
  // hypotheses: strict (pss_false_alarms) and relaxed (pss_candidates; such a peak must then prove coherent).
  const int k_max = n_out / kHalfFrame + 2;
  const std::size_t max_cand = static_cast<std::size_t>(std::max(4, 4 * cfg_.max_cells) + 2 * static_cast<int>(std::ceil(cfg_.pss_candidates)));
  for (std::size_t j = 0; j < n_slots; ++j) {
    const int n_hyp = hi[j] - lo[j] + 1;
    if (n_hyp < 1) continue;
    const double p_strict = cfg_.pss_false_alarms / (3.0 * kHalfFrame * n_hyp);
    const double p_relaxed = std::max(cfg_.pss_candidates, cfg_.pss_false_alarms) / (3.0 * kHalfFrame * n_hyp);
    std::vector<double> thr(static_cast<std::size_t>(k_max + 1)), thr_strict(static_cast<std::size_t>(k_max + 1));
    for (int k = 1; k <= k_max; ++k) {
      thr[static_cast<std::size_t>(k)] = mean_threshold(k, p_relaxed);
      thr_strict[static_cast<std::size_t>(k)] = mean_threshold(k, p_strict);
    }
    const Best& bj = best[j];
    std::vector<PssPeak> cand;
    for (int n2 = 0; n2 < 3; ++n2) {
      const float* bst = bj.metric.data() + n2 * kHalfFrame;
      for (int t = 0; t < kHalfFrame; ++t) {
        const int k = std::clamp(static_cast<int>(bj.count[static_cast<std::size_t>(n2 * kHalfFrame + t)]), 1, k_max);
        if (bst[t] <= thr[static_cast<std::size_t>(k)]) continue;
        const float l = bst[(t + kHalfFrame - 1) % kHalfFrame], r = bst[(t + 1) % kHalfFrame];
        if (bst[t] < l || bst[t] < r) continue;
        PssPeak pk;
        pk.n_id_2 = n2;
        pk.bin = t;
        pk.cfo_hz = bj.shift[static_cast<std::size_t>(n2 * kHalfFrame + t)] * bin_hz - slots[j].offset_hz;
        pk.metric = bst[t];
        pk.strong = bst[t] > thr_strict[static_cast<std::size_t>(k)];
        pk.threshold = thr[static_cast<std::size_t>(k)];
        pk.strict_threshold = thr_strict[static_cast<std::size_t>(k)];
        cand.push_back(pk);
      }
    }
    std::sort(cand.begin(), cand.end(), [](const PssPeak& a, const PssPeak& b) { return a.metric > b.metric; });
    auto& kept = out[j];
    for (const auto& c : cand) {
      bool drop = false;
      for (const auto& k : kept) {
        int d = std::abs(c.bin - k.bin);
        d = std::min(d, kHalfFrame - d);
        if (k.n_id_2 == c.n_id_2 && d <= 6) drop = true;                                // the same peak's shoulders
        if (k.n_id_2 != c.n_id_2 && d <= 2 && k.metric > 30.0 * c.metric) drop = true;  // cross-root leakage
      }
      if (!drop) kept.push_back(c);
      if (kept.size() >= max_cand) break;
    }
  }
  // One PSS seen by several slots (their windows overlap: a carrier between two raster points) is the same
  // correlation at the same shift, folded with each slot's stretch: it is passed on only by the slot where it
  // folds best (highest metric; ties to the first slot), the one whose stretch matches its clock. Twins: same
  // root, the same shift or the next, timings apart by at most what the two stretches move it over the capture.
  if (n_slots > 1) {
    std::vector<std::vector<bool>> gone(n_slots);
    for (std::size_t j = 0; j < n_slots; ++j) gone[j].assign(out[j].size(), false);
    const double half_frames = static_cast<double>(n_out) / kHalfFrame;
    auto period = [&](const PssPeak& p) {
      return cfg_.carrier_hz > 0.0 ? kHalfFrame * (1.0 - p.cfo_hz / cfg_.carrier_hz) : static_cast<double>(kHalfFrame);
    };
    for (std::size_t j = 0; j < n_slots; ++j)
      for (std::size_t a = 0; a < out[j].size(); ++a) {
        const PssPeak& p = out[j][a];
        const double abs_p = p.cfo_hz + slots[j].offset_hz;
        for (std::size_t q = 0; q < n_slots && !gone[j][a]; ++q) {
          if (q == j) continue;
          for (const PssPeak& o : out[q]) {
            if (o.n_id_2 != p.n_id_2 || std::fabs(o.cfo_hz + slots[q].offset_hz - abs_p) > unit + 1.0) continue;
            int d = std::abs(o.bin - p.bin);
            d = std::min(d, kHalfFrame - d);
            if (d > std::fabs(period(p) - period(o)) * half_frames + 3.0) continue;
            if (o.metric > p.metric || (o.metric == p.metric && q < j)) {
              gone[j][a] = true;
              break;
            }
          }
        }
      }
    for (std::size_t j = 0; j < n_slots; ++j) {
      std::vector<PssPeak> kept;
      for (std::size_t a = 0; a < out[j].size(); ++a)
        if (!gone[j][a]) kept.push_back(out[j][a]);
      out[j].swap(kept);
    }
  }
  return out;
}

}  // namespace tw::dsp::lte
