#include "dsp/gsm/fcch_detector.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>

#include "src/core/error.hpp"

namespace tw::gsm {

namespace {
constexpr double kTwoPi = 6.283185307179586476925286766559;
constexpr int kBurstSamples = kBurstBits * kSps;  // 592
constexpr std::int64_t kKeep = 16384;             // history kept behind the analysis point

// Sum over [first, first+n) of x[i] * conj(x[i-lag]) after removing a tone f (rad/sample): the phase of
// the result is lag * residual frequency.
cf32 lag_product(const cf32* x, int n, int lag) {
  cf32 acc{};
  for (int i = lag; i < n; ++i) acc += x[i] * std::conj(x[i - lag]);
  return acc;
}
}  // namespace

FcchDetector::FcchDetector(const FcchConfig& cfg) : cfg_(cfg) {
  if (!(cfg_.sample_rate_hz > 0) || !(cfg_.max_cfo_hz >= 0)) {
    throw InputError("fcch: sample_rate_hz must be > 0 and max_cfo_hz >= 0");
  }
  if (cfg_.max_abs_tone_hz <= 0) cfg_.max_abs_tone_hz = 0.45 * cfg_.sample_rate_hz;
  fft_in_ = static_cast<cf32*>(fftwf_malloc(sizeof(cf32) * kFft));
  fft_out_ = static_cast<cf32*>(fftwf_malloc(sizeof(cf32) * kFft));
  if (!fft_in_ || !fft_out_) throw RuntimeFailure("fcch: out of memory for the FFT buffers");
  plan_ = fftwf_plan_dft_1d(kFft, reinterpret_cast<fftwf_complex*>(fft_in_),
                            reinterpret_cast<fftwf_complex*>(fft_out_), FFTW_FORWARD, FFTW_ESTIMATE);
  allowed_.assign(kFft, 0);
  for (int k = 0; k < kFft; ++k) {
    const double f = (k < kFft / 2 ? k : k - kFft) * cfg_.sample_rate_hz / kFft;
    const double half_bin = 0.5 * cfg_.sample_rate_hz / kFft;
    allowed_[static_cast<std::size_t>(k)] =
        (std::fabs(f - kFcchToneHz) <= cfg_.max_cfo_hz + half_bin && std::fabs(f) <= cfg_.max_abs_tone_hz) ? 1 : 0;
    if (std::fabs(f) <= cfg_.max_abs_tone_hz + half_bin) inband_.push_back(k);
  }
  hist_.reserve(kKeep * 3);
  pending_.reserve(8);
  found_.reserve(8);
  prefix_.reserve(4096);
}

FcchDetector::~FcchDetector() {
  if (plan_) fftwf_destroy_plan(static_cast<fftwf_plan>(plan_));
  fftwf_free(fft_in_);
  fftwf_free(fft_out_);
}

void FcchDetector::reset() {
  hist_.clear();
  hist_first_ = 0;
  next_win_ = 0;
  run_active_ = false;
  pending_.clear();
  found_.clear();
  n_recent_ = 0;
}

void FcchDetector::skip_to(std::int64_t abs) {
  if (abs < samples_seen()) abs = samples_seen();
  hist_.clear();
  hist_first_ = abs;
  next_win_ = abs;
  run_active_ = false;
  pending_.clear();
  found_.clear();
}

void FcchDetector::execute(std::span<const cf32> in) {
  found_.clear();
  hist_.insert(hist_.end(), in.begin(), in.end());
  const std::int64_t end = samples_seen();
  while (next_win_ + kFft <= end) {
    analyse_window(next_win_);
    next_win_ += kHop;
    // Candidates are refined once the samples after them are in (start search reaches 600 past the run).
    while (!pending_.empty() && pending_.front().last + kFft + 600 <= end) {
      FcchDetection d;
      if (refine(pending_.front(), d)) {
        // One detection per burst; confirmation from the multiframe spacing.
        bool dup = false;
        for (int i = 0; i < n_recent_; ++i) {
          const auto& p = recent_[static_cast<std::size_t>(i)];
          const std::int64_t dt = d.start - p.start;
          if (std::llabs(dt) < 2000) dup = true;
          for (int frames : {10, 11}) {
            if (std::llabs(dt - frames * kSamplesPerFrame) <= 24 && std::fabs(d.tone_hz - p.tone_hz) < 1500.0) {
              d.confirmed = true;
            }
          }
        }
        if (!dup) {
          found_.push_back(d);
          if (n_recent_ < static_cast<int>(recent_.size())) {
            recent_[static_cast<std::size_t>(n_recent_++)] = d;
          } else {
            std::rotate(recent_.begin(), recent_.begin() + 1, recent_.end());
            recent_.back() = d;
          }
        }
      }
      pending_.erase(pending_.begin());
    }
  }
  // Drop history no longer needed.
  const std::int64_t keep_from = next_win_ - kKeep;
  if (keep_from > hist_first_ + kKeep) {
    const std::size_t drop = static_cast<std::size_t>(keep_from - hist_first_);
    hist_.erase(hist_.begin(), hist_.begin() + static_cast<std::ptrdiff_t>(drop));
    hist_first_ = keep_from;
  }
}

void FcchDetector::analyse_window(std::int64_t w) {
  const cf32* x = at(w);
  std::copy(x, x + kFft, fft_in_);
  bool hit = false;
  int bin = 0;
  float ratio = 0.f;
  fftwf_execute(static_cast<fftwf_plan>(plan_));
  // Energy inside the input's pass band only (Parseval per bin): energy of neighbouring channels outside
  // it (an unfiltered input) does not mask the tone.
  std::array<float, kFft> pw;
  for (int k = 0; k < kFft; ++k) pw[static_cast<std::size_t>(k)] = std::norm(fft_out_[k]);
  float e = 0.f;
  for (int k : inband_) e += pw[static_cast<std::size_t>(k)];
  if (e > 0.f) {
    float best = -1.f;
    for (int k = 0; k < kFft; ++k) {
      if (!allowed_[static_cast<std::size_t>(k)]) continue;
      const float p = pw[static_cast<std::size_t>((k + kFft - 1) & (kFft - 1))] + pw[static_cast<std::size_t>(k)] +
                      pw[static_cast<std::size_t>((k + 1) & (kFft - 1))];
      if (p > best) {
        best = p;
        bin = k;
      }
    }
    ratio = best / e;
    hit = ratio >= cfg_.hit_ratio;
  }
  auto near = [](int a, int b) {
    const int d = std::abs(a - b);
    return std::min(d, kFft - d) <= 2;
  };
  if (hit && run_active_ && near(bin, run_.bin)) {
    run_.last = w;
    ++run_.count;
    if (ratio > run_.best_ratio) {
      run_.best_ratio = ratio;
      run_.best_bin = bin;
      run_.best_win = w;
    }
    return;
  }
  if (run_active_) end_run();
  if (hit) {
    run_active_ = true;
    run_ = Run{w, w, bin, bin, ratio, w, 1};
  }
}

void FcchDetector::end_run() {
  run_active_ = false;
  // The 592-sample burst holds 3 full windows; partial overlaps may add up to 2 on each side.
  if (run_.count >= 2 && run_.count <= 7 && pending_.size() < 8) pending_.push_back(run_);
}

bool FcchDetector::refine(const Run& r, FcchDetection& d) {
  const double fs = cfg_.sample_rate_hz;
  const std::int64_t lo = std::max<std::int64_t>(r.first - 300, hist_first_);
  const std::int64_t hi = r.last + kFft + 300;  // exclusive end of the start search region + burst
  // 1. Frequency from the best window: coarse bin, then the phase advance over 8 samples.
  double f = (r.best_bin < kFft / 2 ? r.best_bin : r.best_bin - kFft) * fs / kFft;
  {
    const cf32* x = at(r.best_win);
    cf32 acc{};
    const double w = -kTwoPi * f / fs;
    for (int i = 8; i < kFft; ++i) {
      const cf32 a = x[i] * std::polar(1.0f, static_cast<float>(w * i));
      const cf32 b = x[i - 8] * std::polar(1.0f, static_cast<float>(w * (i - 8)));
      acc += a * std::conj(b);
    }
    f += std::arg(acc) * fs / (kTwoPi * 8.0);
  }
  // 2. Burst start: the 592-sample window with the largest coherent sum of the de-rotated tone.
  const std::int64_t last_start = std::min<std::int64_t>(hi - kBurstSamples + 300, samples_seen() - kBurstSamples);
  if (last_start < lo) return false;
  const std::size_t n = static_cast<std::size_t>(last_start + kBurstSamples - lo);
  prefix_.resize(n + 1);
  prefix_[0] = cf32{};
  const double w = -kTwoPi * f / fs;
  for (std::size_t i = 0; i < n; ++i) {
    const double ph = std::fmod(w * static_cast<double>(lo + static_cast<std::int64_t>(i)), kTwoPi);
    prefix_[i + 1] = prefix_[i] + *at(lo + static_cast<std::int64_t>(i)) * std::polar(1.0f, static_cast<float>(ph));
  }
  float best = -1.f;
  std::int64_t start = lo;
  for (std::int64_t s = lo; s <= last_start; ++s) {
    const std::size_t i = static_cast<std::size_t>(s - lo);
    const float v = std::norm(prefix_[i + kBurstSamples] - prefix_[i]);
    if (v > best) {
      best = v;
      start = s;
    }
  }
  // 3. Frequency over the burst (phase advance over 32 samples), then the SNR of the tone.
  const cf32* x = at(start);
  {
    std::array<cf32, kBurstSamples> z;
    const double w1 = -kTwoPi * f / fs;
    for (int i = 0; i < kBurstSamples; ++i) z[static_cast<std::size_t>(i)] = x[i] * std::polar(1.0f, static_cast<float>(w1 * i));
    const cf32 acc = lag_product(z.data() + 16, kBurstSamples - 32, 32);
    f += std::arg(acc) * fs / (kTwoPi * 32.0);
  }
  // SNR in the symbol-rate bandwidth: the de-rotated tone is averaged over 4 samples (one symbol, a
  // ~270 kHz boxcar at 4 samples/symbol) so the noise of an unfiltered wide input does not count.
  cf32 m{};
  float p = 0.f;
  const double w2 = -kTwoPi * f / fs;
  std::array<cf32, 4> last{};
  cf32 box{};
  int cnt_i = 0;
  for (int i = 16; i < kBurstSamples - 16; ++i) {
    const cf32 z = x[i] * std::polar(1.0f, static_cast<float>(w2 * i));
    box += z - last[static_cast<std::size_t>(i & 3)];
    last[static_cast<std::size_t>(i & 3)] = z;
    if (i < 16 + 3) continue;
    const cf32 y = box * 0.25f;
    m += y;
    p += std::norm(y);
    ++cnt_i;
  }
  const float cnt = static_cast<float>(cnt_i);
  m /= cnt;
  p /= cnt;
  const float noise = std::max(p - std::norm(m), 1e-12f * p + 1e-30f);
  d.snr_db = 10.0 * std::log10(std::max(std::norm(m), 1e-30f) / noise);
  d.start = start;
  d.tone_hz = f;
  d.cfo_hz = f - kFcchToneHz;
  d.confirmed = false;
  if (d.snr_db < cfg_.min_snr_db) return false;
  if (std::fabs(d.cfo_hz) > cfg_.max_cfo_hz + fs / kFft || std::fabs(f) > cfg_.max_abs_tone_hz + fs / kFft) return false;
  return true;
}

}  // namespace tw::gsm
