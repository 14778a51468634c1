#include "dsp/lte/ofdm_demod.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <string>
#include <vector>

#include <fftw3.h>

#include "dsp/lte/lte_signals.hpp"
#include "dsp/pfb_channelizer.hpp"   // fftw_planner_mutex
#include "src/core/error.hpp"

namespace tw::dsp::lte {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTs = 1.0 / 30.72e6;       // 36.211 4: basic time unit
constexpr int kHalfTaps = 24;               // interpolator: 48 taps
constexpr int kPhases = 512;                // interpolator table resolution (linear between phases)
constexpr double kKaiserBeta = 7.0;

double bessel_i0(double x) {
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 50; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

// h(t) = sinc(t) w(t), t in input samples, |t| < kHalfTaps; table[p * (2H+1) + j] = h(j - H + p / kPhases)...
// stored as table[p][j] = h(j - (H - 1) - p / kPhases) for j = 0..2H-1 (taps for floor(x) - H + 1 + j).
const std::vector<float>& interpolator_table() {
  static const std::vector<float> table = [] {
    std::vector<float> t(static_cast<std::size_t>((kPhases + 1) * 2 * kHalfTaps));
    const double i0b = bessel_i0(kKaiserBeta);
    for (int p = 0; p <= kPhases; ++p) {
      const double frac = static_cast<double>(p) / kPhases;
      for (int j = 0; j < 2 * kHalfTaps; ++j) {
        const double x = static_cast<double>(j - (kHalfTaps - 1)) - frac;   // tap position minus the instant
        const double sinc = std::abs(x) < 1e-12 ? 1.0 : std::sin(kPi * x) / (kPi * x);
        const double r = x / kHalfTaps;
        const double w = std::abs(r) >= 1.0 ? 0.0 : bessel_i0(kKaiserBeta * std::sqrt(1.0 - r * r)) / i0b;
        t[static_cast<std::size_t>(p * 2 * kHalfTaps + j)] = static_cast<float>(sinc * w);
      }
    }
    return t;
  }();
  return table;
}

void check_cell(const CellParams& c) {
  if (c.n_prb != 6 && c.n_prb != 15 && c.n_prb != 25 && c.n_prb != 50 && c.n_prb != 75 && c.n_prb != 100)
    throw InputError("n_prb: " + std::to_string(c.n_prb) + " is not 6, 15, 25, 50, 75 or 100");
  if (c.pci < 0 || c.pci > 503) throw InputError("pci: " + std::to_string(c.pci) + " is outside 0..503");
  if (c.ports != 1 && c.ports != 2 && c.ports != 4) throw InputError("ports: " + std::to_string(c.ports) + " is not 1, 2 or 4");
}

struct FftwFree {
  void operator()(void* p) const { fftwf_free(p); }
};

}  // namespace

struct DlOfdmDemodulator::Impl {
  CellParams cell;
  DlTiming timing;
  int nsc = 72, nsym = 14, per_slot = 7;
  int n = 128;                 // FFT size
  bool resample = false;
  double ratio = 1.0;          // input samples per FFT-grid sample (resampling)
  std::unique_ptr<fftwf_complex, FftwFree> buf;
  fftwf_plan plan = nullptr;
  std::vector<int> bin_of_k;   // FFT bin of subcarrier k
  std::vector<int> f_of_k;     // signed subcarrier index (no DC)

  ~Impl() {
    if (plan) {
      std::lock_guard<std::mutex> lock(tw::dsp::fftw_planner_mutex());
      fftwf_destroy_plan(plan);
    }
  }

  void set_timing(const DlTiming& t) {
    if (!std::isfinite(t.sample_rate_hz) || t.sample_rate_hz > 250e6)
      throw InputError("sample_rate_hz: " + std::to_string(t.sample_rate_hz) + " is not a rate up to 250 Msps");
    if (!(t.sample_rate_hz > (nsc + 1) * kSubcarrierSpacing))
      throw InputError("sample_rate_hz: " + std::to_string(t.sample_rate_hz) + " is below the cell's occupied bandwidth (" +
                       std::to_string(nsc + 1) + " subcarriers)");
    if (!std::isfinite(t.carrier_offset_hz) || std::abs(t.carrier_offset_hz) > t.sample_rate_hz)
      throw InputError("carrier_offset_hz: " + std::to_string(t.carrier_offset_hz) + " is not within the sample rate");
    if (!std::isfinite(t.frame_start_sample) || std::abs(t.frame_start_sample) > 1e15)
      throw InputError("frame_start_sample: not a finite sample index");
    if (t.sfn0 < 0 || t.sfn0 > 1023) throw InputError("sfn0: " + std::to_string(t.sfn0) + " is outside 0..1023");
    if (!std::isfinite(t.clock_scale) || std::abs(t.clock_scale - 1.0) > 1e-3)
      throw InputError("clock_scale: " + std::to_string(t.clock_scale) + " is not within 1 +- 1e-3");
    const double per_symbol = t.sample_rate_hz / kSubcarrierSpacing;
    const double nearest = std::round(per_symbol);
    const bool integer = std::abs(per_symbol - nearest) < 1e-6;
    const int want_n = integer ? static_cast<int>(nearest) : 128 * static_cast<int>(std::ceil(per_symbol / 128.0));
    timing = t;
    resample = !integer;
    ratio = per_symbol / want_n;
    if (want_n != n || !plan) {
      n = want_n;
      std::lock_guard<std::mutex> lock(tw::dsp::fftw_planner_mutex());
      if (plan) fftwf_destroy_plan(plan);
      buf.reset(static_cast<fftwf_complex*>(fftwf_malloc(sizeof(fftwf_complex) * static_cast<std::size_t>(n))));
      plan = fftwf_plan_dft_1d(n, buf.get(), buf.get(), FFTW_FORWARD, FFTW_ESTIMATE);
    }
    bin_of_k.resize(static_cast<std::size_t>(nsc));
    f_of_k.resize(static_cast<std::size_t>(nsc));
    for (int k = 0; k < nsc; ++k) {
      const int f = k < nsc / 2 ? k - nsc / 2 : k - nsc / 2 + 1;   // 6.12: no DC subcarrier
      f_of_k[static_cast<std::size_t>(k)] = f;
      bin_of_k[static_cast<std::size_t>(k)] = (f + n) % n;
    }
  }

  // Receiver sample index of the start of the useful part of symbol l.
  double useful_start(std::int64_t frame, int sf, int l) const {
    const int nat = symbol_start(l, cell.normal_cp, 2048) + cp_length(l % per_slot, cell.normal_cp, 2048);
    const double t_enb = static_cast<double>(frame) * 0.010 + sf * 0.001 + nat * kTs;
    return timing.frame_start_sample + t_enb * timing.sample_rate_hz / timing.clock_scale;
  }
};

DlOfdmDemodulator::DlOfdmDemodulator(const CellParams& cell, const DlTiming& timing) : impl_(std::make_unique<Impl>()) {
  check_cell(cell);
  auto& m = *impl_;
  m.cell = cell;
  m.nsc = 12 * cell.n_prb;
  m.per_slot = symbols_per_slot(cell.normal_cp);
  m.nsym = 2 * m.per_slot;
  m.set_timing(timing);
}

DlOfdmDemodulator::~DlOfdmDemodulator() = default;

void DlOfdmDemodulator::set_timing(const DlTiming& timing) { impl_->set_timing(timing); }
const DlTiming& DlOfdmDemodulator::timing() const { return impl_->timing; }
int DlOfdmDemodulator::fft_size() const { return impl_->n; }
bool DlOfdmDemodulator::resampling() const { return impl_->resample; }
double DlOfdmDemodulator::useful_start(std::int64_t frame, int subframe, int l) const {
  return impl_->useful_start(frame, subframe, l);
}

bool DlOfdmDemodulator::execute(std::span<const cf32> iq, std::int64_t frame, int subframe, DlSubframe& out) {
  if (subframe < 0 || subframe > 9) throw InputError("subframe: " + std::to_string(subframe) + " is outside 0..9");
  auto& m = *impl_;
  const double fs = m.timing.sample_rate_hz;
  const double len = static_cast<double>(iq.size());
  // The window advances this far into the CP (FFT-grid samples): a quarter of the normal CP's short length,
  // room for a timing error and the channel's early paths; its phase ramp is compensated below.
  const double backoff = std::floor(m.n * 9.0 / 128.0 / 4.0);
  const double step = m.resample ? m.ratio / m.timing.clock_scale : 1.0;   // input samples per grid sample
  // Whole subframe inside iq?
  {
    const double first = m.useful_start(frame, subframe, 0) - backoff * step;
    const double last = m.useful_start(frame, subframe, m.nsym - 1) - backoff * step + m.n * step;
    const double margin = m.resample ? kHalfTaps + 1 : 1;
    if (!(first - margin >= 0.0) || !(last + margin <= len)) return false;
  }
  out.sfn = static_cast<int>(((m.timing.sfn0 + frame) % 1024 + 1024) % 1024);
  out.subframe = subframe;
  out.n_prb = m.cell.n_prb;
  out.n_symbols = m.nsym;
  out.re.assign(static_cast<std::size_t>(m.nsym * m.nsc), cf32{});
  auto* b = reinterpret_cast<cf32*>(m.buf.get());
  const double w = -2.0 * kPi * m.timing.carrier_offset_hz / fs;   // mixer: radians per input sample
  const auto& table = interpolator_table();
  const float inv_n = 1.0f / static_cast<float>(m.n);
  for (int l = 0; l < m.nsym; ++l) {
    const double u = m.useful_start(frame, subframe, l);
    double advance = 0.0;   // grid samples the window starts before the useful part
    if (!m.resample) {
      const double p = u - backoff;
      const auto n0 = static_cast<std::int64_t>(std::llround(p));
      advance = u - static_cast<double>(n0);
      // Mixer with the phase of the absolute sample index, advanced by a double-precision rotator.
      std::complex<double> rot(std::cos(w * static_cast<double>(n0)), std::sin(w * static_cast<double>(n0)));
      const std::complex<double> inc(std::cos(w), std::sin(w));
      const cf32* x = iq.data() + n0;
      for (int i = 0; i < m.n; ++i) {
        b[i] = x[i] * cf32(static_cast<float>(rot.real()), static_cast<float>(rot.imag()));
        rot *= inc;
      }
    } else {
      advance = backoff;
      const double x0 = u - backoff * step;
      for (int i = 0; i < m.n; ++i) {
        const double x = x0 + i * step;
        const double fl = std::floor(x);
        const double frac = x - fl;
        const double pf = frac * kPhases;
        const int p = std::min(static_cast<int>(pf), kPhases - 1);
        const float a = static_cast<float>(pf - p);
        const float* h0 = table.data() + static_cast<std::size_t>(p * 2 * kHalfTaps);
        const float* h1 = h0 + 2 * kHalfTaps;
        const cf32* s = iq.data() + static_cast<std::int64_t>(fl) - (kHalfTaps - 1);
        float re = 0.0f, im = 0.0f;
        for (int j = 0; j < 2 * kHalfTaps; ++j) {
          const float h = h0[j] + a * (h1[j] - h0[j]);
          re += h * s[j].real();
          im += h * s[j].imag();
        }
        const double ph = w * x;
        b[i] = cf32(re, im) * cf32(static_cast<float>(std::cos(ph)), static_cast<float>(std::sin(ph)));
      }
    }
    fftwf_execute(m.plan);
    cf32* o = out.re.data() + static_cast<std::size_t>(l * m.nsc);
    // Window started `advance` grid samples early: bin f carries e^{-j 2 pi f advance / N}; undo it.
    const double ramp = 2.0 * kPi * advance / m.n;
    for (int k = 0; k < m.nsc; ++k) {
      const double ph = ramp * m.f_of_k[static_cast<std::size_t>(k)];
      o[k] = b[m.bin_of_k[static_cast<std::size_t>(k)]] * cf32(static_cast<float>(std::cos(ph)) * inv_n, static_cast<float>(std::sin(ph)) * inv_n);
    }
  }
  return true;
}

DlTiming refine_dl_timing(const CellParams& cell, const DlTiming& coarse, std::span<const cf32> iq, int max_subframes,
                          int iterations) {
  check_cell(cell);
  if (max_subframes < 1 || max_subframes > 10000) throw InputError("max_subframes: " + std::to_string(max_subframes) + " is outside 1..10000");
  if (iterations < 1 || iterations > 10) throw InputError("iterations: " + std::to_string(iterations) + " is outside 1..10");
  DlTiming t = coarse;
  DlOfdmDemodulator demod(cell, t);
  const int nsc = 12 * cell.n_prb;
  const int per_slot = symbols_per_slot(cell.normal_cp);
  std::array<cf32, 2 * kMaxRb> r0{}, r1{};
  DlSubframe sf;
  for (int it = 0; it < iterations; ++it) {
    demod.set_timing(t);
    // Subframes wholly inside iq.
    const double samples_per_frame = 0.010 * t.sample_rate_hz / t.clock_scale;
    const auto f_lo = static_cast<std::int64_t>(std::floor(-t.frame_start_sample / samples_per_frame)) - 1;
    const auto f_hi = static_cast<std::int64_t>(std::ceil((static_cast<double>(iq.size()) - t.frame_start_sample) / samples_per_frame)) + 1;
    std::vector<std::pair<std::int64_t, int>> usable;
    for (std::int64_t f = f_lo; f <= f_hi; ++f)
      for (int s = 0; s < 10; ++s) {
        if (cell.tdd && s != 0 && s != 5) continue;   // downlink for every TDD configuration
        if (demod.useful_start(f, s, 0) - 50.0 < 0.0 || demod.useful_start(f, s, 2 * per_slot - 1) + demod.fft_size() + 50.0 > static_cast<double>(iq.size())) continue;
        usable.emplace_back(f, s);
      }
    if (usable.empty()) return coarse;
    const std::size_t count = std::min<std::size_t>(usable.size(), static_cast<std::size_t>(max_subframes));
    std::complex<double> slope{}, turn{};
    for (std::size_t i = 0; i < count; ++i) {
      const auto [f, s] = usable[i * usable.size() / count];
      if (!demod.execute(iq, f, s, sf)) continue;
      // Port 0's CRS in symbol 0 of slot 0 and slot 1 (same subcarriers, 36.211 6.10.1.2).
      crs_sequence(cell.pci, 2 * s, 0, cell.normal_cp, r0);
      crs_sequence(cell.pci, 2 * s + 1, 0, cell.normal_cp, r1);
      const int off = crs_k_offset(0, 2 * s, 0, cell.normal_cp, cell.pci);
      cf32 prev0{}, prev1{};
      for (int mm = 0; mm < 2 * cell.n_prb; ++mm) {
        const int k = 6 * mm + off;
        const cf32 h0 = sf.at(0, k) * std::conj(r0[static_cast<std::size_t>(mm + kMaxRb - cell.n_prb)]);
        const cf32 h1 = sf.at(per_slot, k) * std::conj(r1[static_cast<std::size_t>(mm + kMaxRb - cell.n_prb)]);
        turn += std::complex<double>(h1 * std::conj(h0));
        // Adjacent pilots 6 subcarriers apart (the pair across DC is 7 apart: left out).
        if (mm > 0 && !(k >= nsc / 2 && k - 6 < nsc / 2)) {
          slope += std::complex<double>(h0 * std::conj(prev0)) + std::complex<double>(h1 * std::conj(prev1));
        }
        prev0 = h0;
        prev1 = h1;
      }
    }
    if (std::abs(slope) == 0.0) return coarse;
    // A signal d samples late turns subcarrier f by e^{-j 2 pi f d / N}, N = fs / 15 kHz.
    const double per_symbol = t.sample_rate_hz / kSubcarrierSpacing;
    const double d = -std::arg(slope) * per_symbol / (2.0 * kPi * 6.0);
    // Slot 1's symbol 0 is 0.5 ms (15360 Ts) after slot 0's.
    const double df = std::arg(turn) / (2.0 * kPi * 0.5e-3);
    if (!std::isfinite(d) || !std::isfinite(df)) return t;   // samples that are not numbers
    t.frame_start_sample += d;
    t.carrier_offset_hz += df;
  }
  return t;
}

}  // namespace tw::dsp::lte
