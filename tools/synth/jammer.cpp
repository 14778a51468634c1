#include "tools/synth/jammer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <random>
#include <vector>

#include <fftw3.h>

#include "dsp/pfb_channelizer.hpp"   // fftw_planner_mutex
#include "tools/synth/splitmix.hpp"

namespace tw::synth {

struct NoiseJammer::Fft {
  fftwf_complex* in = nullptr;
  fftwf_complex* out = nullptr;
  fftwf_plan plan = nullptr;
  Fft() {
    in = fftwf_alloc_complex(kBlock);
    out = fftwf_alloc_complex(kBlock);
    std::lock_guard<std::mutex> lock(tw::dsp::fftw_planner_mutex());
    plan = fftwf_plan_dft_1d(static_cast<int>(kBlock), in, out, FFTW_BACKWARD, FFTW_ESTIMATE);
  }
  ~Fft() {
    {
      std::lock_guard<std::mutex> lock(tw::dsp::fftw_planner_mutex());
      fftwf_destroy_plan(plan);
    }
    fftwf_free(in);
    fftwf_free(out);
  }
};

NoiseJammer::NoiseJammer(const JammerConfig& cfg, std::uint64_t seed)
    : cfg_(cfg), seed_(seed), fft_(std::make_unique<Fft>()) {}

NoiseJammer::~NoiseJammer() = default;

void NoiseJammer::reset() { block_ = -1; }

void NoiseJammer::make_block(std::int64_t b, double fc, double fs) {
  if (b == block_ && fc == block_fc_ && fs == block_fs_) return;
  const double lo = cfg_.center_hz - cfg_.bandwidth_hz / 2.0, hi = cfg_.center_hz + cfg_.bandwidth_hz / 2.0;
  const double bin_hz = fs / static_cast<double>(kBlock);
  // Per-bin variance P (fs/N) / B, split over the two components; fftw's backward transform does not divide.
  const double p = std::pow(10.0, cfg_.power_dbfs / 10.0);
  // E|x[n]|^2 = sum over the K bins in band of E|X_k|^2 = K P bin_hz / B: the band's density P / B.
  const float sigma = static_cast<float>(std::sqrt(p * bin_hz / cfg_.bandwidth_hz / 2.0));
  std::mt19937_64 rng(splitmix64(seed_ ^ splitmix64(static_cast<std::uint64_t>(b))));
  std::normal_distribution<float> normal(0.0f, sigma);
  for (std::int64_t k = 0; k < kBlock; ++k) {
    const std::int64_t signed_k = k < kBlock / 2 ? k : k - kBlock;
    const double f = fc + static_cast<double>(signed_k) * bin_hz;
    if (f >= lo && f < hi) {
      const float re = normal(rng);
      fft_->in[k][0] = re;
      fft_->in[k][1] = normal(rng);
    } else {
      fft_->in[k][0] = 0.0f;
      fft_->in[k][1] = 0.0f;
    }
  }
  fftwf_execute(fft_->plan);
  block_ = b;
  block_fc_ = fc;
  block_fs_ = fs;
}

void NoiseJammer::execute(std::span<cf32> out, std::int64_t first_index, double fc, double fs) {
  if (out.empty() || !(fs > 0.0)) return;
  // Nothing of the band inside the capture: nothing to add.
  const double lo = cfg_.center_hz - cfg_.bandwidth_hz / 2.0, hi = cfg_.center_hz + cfg_.bandwidth_hz / 2.0;
  if (hi <= fc - fs / 2.0 || lo >= fc + fs / 2.0) return;
  std::int64_t n = first_index;
  for (std::size_t i = 0; i < out.size();) {
    const std::int64_t b = n >= 0 ? n / kBlock : -((-n - 1) / kBlock) - 1;
    const std::size_t off = static_cast<std::size_t>(n - b * kBlock);
    const std::size_t take = std::min(out.size() - i, static_cast<std::size_t>(kBlock) - off);
    const double t_first = static_cast<double>(n) / fs, t_last = static_cast<double>(n + static_cast<std::int64_t>(take)) / fs;
    const bool on = t_last > cfg_.on_s && (!cfg_.off_s || t_first < *cfg_.off_s);
    if (on) {
      make_block(b, fc, fs);
      for (std::size_t j = 0; j < take; ++j) {
        const double t = static_cast<double>(n + static_cast<std::int64_t>(j)) / fs;
        if (t < cfg_.on_s || (cfg_.off_s && t >= *cfg_.off_s)) continue;
        const auto& v = fft_->out[off + j];
        out[i + j] += cf32(v[0], v[1]);
      }
    }
    i += take;
    n += static_cast<std::int64_t>(take);
  }
}

}  // namespace tw::synth
