#include "dsp/pfb_channelizer.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <string>

#include "src/core/error.hpp"

namespace tw::dsp {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr std::size_t kChunk = 8192;   // new input samples per pass over buf_


double bessel_i0(double x) {
  double sum = 1.0, term = 1.0;
  const double q = x * x / 4.0;
  for (int k = 1; k < 200; ++k) {
    term *= q / (static_cast<double>(k) * k);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

// Kaiser window beta for a stop band attenuation in dB (Kaiser's formula).
double kaiser_beta(double as_db) {
  if (as_db > 50.0) return 0.1102 * (as_db - 8.7);
  if (as_db >= 21.0) return 0.5842 * std::pow(as_db - 21.0, 0.4) + 0.07886 * (as_db - 21.0);
  return 0.0;
}

}  // namespace

std::mutex& fftw_planner_mutex() {
  static std::mutex m;
  return m;
}

PfbChannelizer::PfbChannelizer(const PfbChannelizerConfig& cfg) {
  fs_ = cfg.input_rate_hz;
  spacing_ = cfg.channel_spacing_hz;
  if (!(spacing_ > 0.0) || !std::isfinite(spacing_)) {
    throw InputError("channel_spacing_hz: " + std::to_string(spacing_) + " Hz is not a usable spacing");
  }
  if (!(fs_ > 0.0) || !std::isfinite(fs_) || fs_ > 1e10) {
    throw InputError("input_rate_hz: " + std::to_string(fs_) + " Hz is not a usable sample rate");
  }
  const double ratio = fs_ / spacing_;
  const double m_round = std::round(ratio);
  if (m_round < 2.0 || std::fabs(ratio - m_round) > 1e-6 * m_round || m_round > 4096.0) {
    throw InputError("input_rate_hz: " + std::to_string(fs_) + " Hz is not a multiple of the " +
                     std::to_string(spacing_) + " Hz channel spacing (2..4096 channels): the polyphase "
                     "channelizer needs fs = M * spacing (e.g. 2.4, 10, 13 or 20 Msps)");
  }
  m_ = static_cast<unsigned>(m_round);

  if (cfg.output_decimation != 0) {
    d_ = cfg.output_decimation;
    if (d_ > m_ / 2) {
      throw InputError("output_decimation: " + std::to_string(d_) + " exceeds M/2 = " + std::to_string(m_ / 2) +
                       " (the output rate must be at least twice the channel spacing)");
    }
  } else {
    // 2 samples/symbol when fs is a multiple of 2 * 1625000/6 Hz (45.004 clause 2).
    const double two_sps = 2.0 * 1625000.0 / 6.0;
    const double dg = fs_ / two_sps;
    const double dgr = std::round(dg);
    if (dgr >= 1.0 && std::fabs(dg - dgr) < 1e-9 * dgr && dgr <= m_ / 2) {
      d_ = static_cast<unsigned>(dgr);
    } else {
      d_ = std::max(1u, m_ / 2);
    }
  }

  k_ = cfg.taps_per_branch;
  if (k_ < 2 || k_ > 256) {
    throw InputError("taps_per_branch: " + std::to_string(k_) + " is out of range 2..256");
  }
  if (!(cfg.cutoff_hz > 0.0) || cfg.cutoff_hz >= spacing_) {
    throw InputError("cutoff_hz: " + std::to_string(cfg.cutoff_hz) + " Hz must lie in (0, channel spacing)");
  }
  if (!(cfg.stopband_db >= 20.0) || cfg.stopband_db > 200.0) {
    throw InputError("stopband_db: " + std::to_string(cfg.stopband_db) + " dB is out of range 20..200");
  }

  // Prototype: Kaiser-windowed sinc, unit DC gain.
  const std::size_t len = prototype_length();
  proto_.resize(len);
  const double fc = cfg.cutoff_hz / fs_;   // cycles per sample (-6 dB point)
  const double beta = kaiser_beta(cfg.stopband_db);
  const double centre = (static_cast<double>(len) - 1.0) / 2.0;
  const double i0b = bessel_i0(beta);
  double sum = 0.0;
  std::vector<double> h(len);
  for (std::size_t i = 0; i < len; ++i) {
    const double t = static_cast<double>(i) - centre;
    const double x = 2.0 * fc * t;
    const double sinc = std::fabs(x) < 1e-12 ? 1.0 : std::sin(kPi * x) / (kPi * x);
    const double r = t / centre;
    const double w = bessel_i0(beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / i0b;
    h[i] = sinc * w;
    sum += h[i];
  }
  for (std::size_t i = 0; i < len; ++i) proto_[i] = static_cast<float>(h[i] / sum);

  // Branch rows, reversed within each row and duplicated for I and Q (contiguous MACs over 2M floats).
  taps_.resize(2 * len);
  for (unsigned r = 0; r < k_; ++r) {
    for (unsigned p = 0; p < m_; ++p) {
      const float v = proto_[static_cast<std::size_t>(r) * m_ + (m_ - 1 - p)];
      taps_[(static_cast<std::size_t>(r) * m_ + p) * 2] = v;
      taps_[(static_cast<std::size_t>(r) * m_ + p) * 2 + 1] = v;
    }
  }
  twiddle_.resize(m_);
  for (unsigned i = 0; i < m_; ++i) {
    const double a = -2.0 * kPi * static_cast<double>(i) / m_;
    twiddle_[i] = cf32(static_cast<float>(std::cos(a)), static_cast<float>(std::sin(a)));
  }
  set_channels({});

  buf_.assign(len - 1 + kChunk, cf32{});
  fill_ = len - 1;

  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    fft_in_ = static_cast<float*>(fftwf_malloc(sizeof(fftwf_complex) * m_));
    fft_out_ = static_cast<float*>(fftwf_malloc(sizeof(fftwf_complex) * m_));
    if (fft_in_ && fft_out_) {
      plan_ = fftwf_plan_dft_1d(static_cast<int>(m_), reinterpret_cast<fftwf_complex*>(fft_in_),
                                reinterpret_cast<fftwf_complex*>(fft_out_), FFTW_FORWARD, FFTW_ESTIMATE);
    }
  }
  if (!plan_) {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    if (fft_in_) fftwf_free(fft_in_);
    if (fft_out_) fftwf_free(fft_out_);
    throw RuntimeFailure("PfbChannelizer: FFTW could not allocate or plan a " + std::to_string(m_) +
                         "-point transform");
  }
}

PfbChannelizer::~PfbChannelizer() {
  std::lock_guard<std::mutex> lock(fftw_planner_mutex());
  if (plan_) fftwf_destroy_plan(static_cast<fftwf_plan>(plan_));
  if (fft_in_) fftwf_free(fft_in_);
  if (fft_out_) fftwf_free(fft_out_);
  plan_ = nullptr;
  fft_in_ = fft_out_ = nullptr;
}

void PfbChannelizer::reset() {
  std::fill(buf_.begin(), buf_.end(), cf32{});
  fill_ = prototype_length() - 1;
  n_in_ = n_out_ = next_n_ = 0;
}

void PfbChannelizer::set_channels(std::span<const int> rows) {
  std::vector<int> r;
  if (rows.empty()) {
    for (unsigned i = 0; i < m_; ++i) r.push_back(static_cast<int>(i));
  } else {
    for (int i : rows) {
      if (i < 0 || i >= static_cast<int>(m_)) {
        throw InputError("channel row " + std::to_string(i) + " is out of range 0.." + std::to_string(m_ - 1));
      }
      r.push_back(i);
    }
    std::sort(r.begin(), r.end());
    r.erase(std::unique(r.begin(), r.end()), r.end());
  }
  rows_ = std::move(r);
  row_bin_.resize(rows_.size());
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const int mm = static_cast<int>(m_);
    row_bin_[i] = static_cast<unsigned>(((channel_number(rows_[i]) % mm) + mm) % mm);
  }
}

int PfbChannelizer::row_of_offset(double offset_hz) const {
  if (!std::isfinite(offset_hz)) return -1;
  const double k = std::round(offset_hz / spacing_);
  if (std::fabs(offset_hz - k * spacing_) > spacing_ / 2.0) return -1;
  const double row = k + static_cast<double>(m_ / 2);
  if (row < 0.0 || row >= static_cast<double>(m_)) return -1;
  return static_cast<int>(row);
}

double PfbChannelizer::input_time_of_output(std::uint64_t m) const {
  return static_cast<double>(m) * d_ - (static_cast<double>(prototype_length()) - 1.0) / 2.0;
}

namespace {

// acc[j] = sum_{r<K} t[r*w + j] * x_r[j], x_r = x0 - r*stride (floats), the terms added in ascending r for
// every j (the plain loop's order: the same sums bit for bit whatever the vector width). Blocks of 8
// vectors stay in registers across the K rows; the AVX version (no FMA: separate multiply and add, as the
// plain loop) is chosen at run time where the CPU has it.
#if defined(__x86_64__) || defined(__i386__)
#define TW_PFB_X86 1
#include <immintrin.h>
__attribute__((target("avx"))) void pfb_mac_avx(const float* t, const float* x0, std::size_t w, std::size_t stride,
                                                unsigned k, float* acc) {
  std::size_t j = 0;
  for (; j + 64 <= w; j += 64) {
    __m256 a[8];
    for (int v = 0; v < 8; ++v) a[v] = _mm256_mul_ps(_mm256_loadu_ps(t + j + 8 * v), _mm256_loadu_ps(x0 + j + 8 * v));
    for (unsigned r = 1; r < k; ++r) {
      const float* tr = t + static_cast<std::size_t>(r) * w + j;
      const float* xr = x0 - static_cast<std::ptrdiff_t>(r * stride) + static_cast<std::ptrdiff_t>(j);
      for (int v = 0; v < 8; ++v) a[v] = _mm256_add_ps(a[v], _mm256_mul_ps(_mm256_loadu_ps(tr + 8 * v), _mm256_loadu_ps(xr + 8 * v)));
    }
    for (int v = 0; v < 8; ++v) _mm256_storeu_ps(acc + j + 8 * v, a[v]);
  }
  for (; j + 8 <= w; j += 8) {
    __m256 a = _mm256_mul_ps(_mm256_loadu_ps(t + j), _mm256_loadu_ps(x0 + j));
    for (unsigned r = 1; r < k; ++r)
      a = _mm256_add_ps(a, _mm256_mul_ps(_mm256_loadu_ps(t + static_cast<std::size_t>(r) * w + j),
                                         _mm256_loadu_ps(x0 - static_cast<std::ptrdiff_t>(r * stride) + static_cast<std::ptrdiff_t>(j))));
    _mm256_storeu_ps(acc + j, a);
  }
  for (; j < w; ++j) {
    float a = t[j] * x0[j];
    for (unsigned r = 1; r < k; ++r) a += t[static_cast<std::size_t>(r) * w + j] * x0[static_cast<std::ptrdiff_t>(j) - static_cast<std::ptrdiff_t>(r * stride)];
    acc[j] = a;
  }
}
#endif

void pfb_mac_sse(const float* t, const float* x0, std::size_t w, std::size_t stride, unsigned k, float* acc) {
  std::size_t j = 0;
#if defined(__SSE2__)
  for (; j + 32 <= w; j += 32) {
    __m128 a[8];
    for (int v = 0; v < 8; ++v) a[v] = _mm_mul_ps(_mm_loadu_ps(t + j + 4 * v), _mm_loadu_ps(x0 + j + 4 * v));
    for (unsigned r = 1; r < k; ++r) {
      const float* tr = t + static_cast<std::size_t>(r) * w + j;
      const float* xr = x0 - static_cast<std::ptrdiff_t>(r * stride) + static_cast<std::ptrdiff_t>(j);
      for (int v = 0; v < 8; ++v) a[v] = _mm_add_ps(a[v], _mm_mul_ps(_mm_loadu_ps(tr + 4 * v), _mm_loadu_ps(xr + 4 * v)));
    }
    for (int v = 0; v < 8; ++v) _mm_storeu_ps(acc + j + 4 * v, a[v]);
  }
#endif
  for (; j < w; ++j) {
    float a = t[j] * x0[j];
    for (unsigned r = 1; r < k; ++r) a += t[static_cast<std::size_t>(r) * w + j] * x0[static_cast<std::ptrdiff_t>(j) - static_cast<std::ptrdiff_t>(r * stride)];
    acc[j] = a;
  }
}

bool cpu_has_avx() {
#if defined(TW_PFB_X86)
  static const bool has = __builtin_cpu_supports("avx");
  return has;
#else
  return false;
#endif
}

}  // namespace

// a[p] = sum_r h[rM + M-1-p] x[n - rM - (M-1) + p]: K multiply-accumulates over 2M contiguous floats.
void PfbChannelizer::compute_output(const cf32* newest) {
  const std::size_t w = 2 * static_cast<std::size_t>(m_);
  const float* x0 = reinterpret_cast<const float*>(newest - (m_ - 1));
#if defined(TW_PFB_X86)
  if (cpu_has_avx()) {
    pfb_mac_avx(taps_.data(), x0, w, w, k_, fft_in_);
  } else
#endif
  {
    pfb_mac_sse(taps_.data(), x0, w, w, k_, fft_in_);
  }
  fftwf_execute(static_cast<fftwf_plan>(plan_));
}

// y_k = e^{-j2pi k (n-M+1)/M} * A[k mod M]; (n-M+1) mod M = (n+1) mod M. The phase index of bin b is
// b*s mod M, for the active rows' bins only.
void PfbChannelizer::emit(std::uint64_t n, std::size_t j, std::vector<std::vector<cf32>>& out) {
  const unsigned s = static_cast<unsigned>((n + 1) % m_);
  const cf32* a = reinterpret_cast<const cf32*>(fft_out_);
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const unsigned b = row_bin_[i];
    out[static_cast<std::size_t>(rows_[i])][j] = a[b] * twiddle_[(b * s) % m_];
  }
}

std::size_t PfbChannelizer::execute(std::span<const cf32> in, std::vector<std::vector<cf32>>& out) {
  const std::uint64_t end = n_in_ + in.size();
  const std::size_t count = end > next_n_ ? static_cast<std::size_t>((end - 1 - next_n_) / d_ + 1) : 0;
  out.resize(m_);
  {
    std::size_t r = 0;
    for (std::size_t i = 0; i < m_; ++i) {
      const bool active = r < rows_.size() && rows_[r] == static_cast<int>(i);
      out[i].resize(active ? count : 0);
      if (active) ++r;
    }
  }
  const std::size_t hist = prototype_length() - 1;
  std::size_t j = 0;
  std::size_t pos = 0;
  while (pos < in.size()) {
    const std::size_t take = std::min(kChunk, in.size() - pos);
    std::memcpy(buf_.data() + fill_, in.data() + pos, take * sizeof(cf32));
    fill_ += take;
    // buf_[i] holds input sample base + i (base may be "negative" before enough input: zeros).
    const std::int64_t base = static_cast<std::int64_t>(n_in_ + take) - static_cast<std::int64_t>(fill_);
    const std::uint64_t chunk_end = n_in_ + take;
    while (next_n_ < chunk_end) {
      compute_output(buf_.data() + (static_cast<std::int64_t>(next_n_) - base));
      emit(next_n_, j++, out);
      next_n_ += d_;
      ++n_out_;
    }
    n_in_ += take;
    pos += take;
    std::memmove(buf_.data(), buf_.data() + (fill_ - hist), hist * sizeof(cf32));
    fill_ = hist;
  }
  return count;
}

}  // namespace tw::dsp
