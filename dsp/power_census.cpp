#include "dsp/power_census.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "dsp/pfb_channelizer.hpp"   // fftw_planner_mutex
#include "src/core/error.hpp"

namespace tw::dsp {

namespace {
constexpr double kPi = 3.14159265358979323846;
}

PowerCensus::PowerCensus(const PowerCensusConfig& cfg) : cfg_(cfg) {
  const double fs = cfg.sample_rate_hz;
  const double sp = cfg.channel_spacing_hz;
  if (!(fs > 0.0) || !std::isfinite(fs) || fs > 1e10) {
    throw InputError("sample_rate_hz: " + std::to_string(fs) + " Hz is not a usable sample rate");
  }
  if (!(sp > 0.0) || !std::isfinite(sp) || sp > fs) {
    throw InputError("channel_spacing_hz: " + std::to_string(sp) + " Hz must lie in (0, sample rate]");
  }
  if (!std::isfinite(cfg.grid_offset_hz) || std::fabs(cfg.grid_offset_hz) > sp / 2.0) {
    throw InputError("grid_offset_hz: " + std::to_string(cfg.grid_offset_hz) + " Hz is beyond +-spacing/2");
  }
  if (cfg.bins_per_channel < 2 || cfg.bins_per_channel > 4096) {
    throw InputError("bins_per_channel: " + std::to_string(cfg.bins_per_channel) + " is out of range 2..4096");
  }
  if (!(cfg.floor_quantile > 0.0 && cfg.floor_quantile < 1.0)) {
    throw InputError("floor_quantile: " + std::to_string(cfg.floor_quantile) + " must lie in (0, 1)");
  }
  if (!std::isfinite(cfg.margin_db) || !std::isfinite(cfg.adjacent_rejection_db) ||
      !std::isfinite(cfg.second_adjacent_rejection_db)) {
    throw InputError("margin_db / adjacent_rejection_db / second_adjacent_rejection_db: must be finite");
  }
  const double ratio = fs / sp;
  const double m = std::round(ratio);
  const double n = std::fabs(ratio - m) < 1e-6 * std::max(1.0, m) ? m * cfg.bins_per_channel
                                                                   : std::ceil(ratio * cfg.bins_per_channel);
  if (n > (1 << 22)) {
    throw InputError("bins_per_channel: " + std::to_string(cfg.bins_per_channel) + " makes a " +
                     std::to_string(n) + "-point FFT, too large");
  }
  nfft_ = static_cast<std::size_t>(n);
  hop_ = nfft_ / 2;

  // Periodic Hann window (50 % overlap sums to a constant).
  window_.resize(nfft_);
  window_power_ = 0.0;
  for (std::size_t i = 0; i < nfft_; ++i) {
    const double w = 0.5 - 0.5 * std::cos(2.0 * kPi * static_cast<double>(i) / static_cast<double>(nfft_));
    window_[i] = static_cast<float>(w);
    window_power_ += static_cast<double>(window_[i]) * window_[i];
  }

  // Channels whose whole band lies inside +-fs/2; their bins in signed index space.
  const double bin_hz = fs / static_cast<double>(nfft_);
  const long s_min = -static_cast<long>(nfft_ / 2);
  const long s_max = static_cast<long>(nfft_) - 1 + s_min;
  const long kmax = static_cast<long>(std::ceil(ratio / 2.0)) + 1;
  for (long k = -kmax; k <= kmax; ++k) {
    const double centre = cfg.grid_offset_hz + static_cast<double>(k) * sp;
    if (centre - sp / 2.0 < -fs / 2.0 - 1e-6 * bin_hz || centre + sp / 2.0 > fs / 2.0 + 1e-6 * bin_hz) continue;
    const long lo = static_cast<long>(std::ceil((centre - sp / 2.0) / bin_hz - 1e-9));
    const long hi = static_cast<long>(std::ceil((centre + sp / 2.0) / bin_hz - 1e-9)) - 1;
    const long a = std::max(lo, s_min), b = std::min(hi, s_max);
    if (b < a) continue;
    chan_k_.push_back(static_cast<int>(k));
    bin_first_.push_back(static_cast<std::size_t>((a % static_cast<long>(nfft_) + static_cast<long>(nfft_)) %
                                                  static_cast<long>(nfft_)));
    bin_count_.push_back(static_cast<std::size_t>(b - a + 1));
  }
  if (chan_k_.empty()) {
    throw InputError("sample_rate_hz: " + std::to_string(fs) + " Hz holds no whole " + std::to_string(sp) +
                     " Hz channel");
  }

  acc_.assign(nfft_, 0.0);
  pending_.assign(nfft_, cf32{});
  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    fft_in_ = static_cast<float*>(fftwf_malloc(sizeof(fftwf_complex) * nfft_));
    fft_out_ = static_cast<float*>(fftwf_malloc(sizeof(fftwf_complex) * nfft_));
    if (fft_in_ && fft_out_) {
      plan_ = fftwf_plan_dft_1d(static_cast<int>(nfft_), reinterpret_cast<fftwf_complex*>(fft_in_),
                                reinterpret_cast<fftwf_complex*>(fft_out_), FFTW_FORWARD, FFTW_ESTIMATE);
    }
    if (!plan_) {
      if (fft_in_) fftwf_free(fft_in_);
      if (fft_out_) fftwf_free(fft_out_);
    }
  }
  if (!plan_) {
    throw RuntimeFailure("PowerCensus: FFTW could not allocate or plan a " + std::to_string(nfft_) +
                         "-point transform");
  }
}

PowerCensus::~PowerCensus() {
  std::lock_guard<std::mutex> lock(fftw_planner_mutex());
  if (plan_) fftwf_destroy_plan(static_cast<fftwf_plan>(plan_));
  if (fft_in_) fftwf_free(fft_in_);
  if (fft_out_) fftwf_free(fft_out_);
}

void PowerCensus::reset() {
  std::fill(acc_.begin(), acc_.end(), 0.0);
  pending_fill_ = 0;
  frames_ = 0;
}

void PowerCensus::process_frame() {
  cf32* in = reinterpret_cast<cf32*>(fft_in_);
  for (std::size_t i = 0; i < nfft_; ++i) in[i] = pending_[i] * window_[i];
  fftwf_execute(static_cast<fftwf_plan>(plan_));
  const cf32* out = reinterpret_cast<const cf32*>(fft_out_);
  for (std::size_t i = 0; i < nfft_; ++i) acc_[i] += static_cast<double>(std::norm(out[i]));
  ++frames_;
}

void PowerCensus::execute(std::span<const cf32> in) {
  std::size_t pos = 0;
  while (pos < in.size()) {
    const std::size_t take = std::min(nfft_ - pending_fill_, in.size() - pos);
    std::copy(in.begin() + static_cast<std::ptrdiff_t>(pos), in.begin() + static_cast<std::ptrdiff_t>(pos + take),
              pending_.begin() + static_cast<std::ptrdiff_t>(pending_fill_));
    pending_fill_ += take;
    pos += take;
    if (pending_fill_ == nfft_) {
      process_frame();
      // 50 % overlap: the second half starts the next frame.
      std::copy(pending_.begin() + static_cast<std::ptrdiff_t>(nfft_ - hop_), pending_.end(), pending_.begin());
      pending_fill_ = hop_;
    }
  }
}

CensusResult PowerCensus::result() const {
  CensusResult r;
  r.frames = frames_;
  const std::size_t nc = chan_k_.size();
  r.channels.resize(nc);
  std::vector<double> lin(nc, 0.0);
  const double norm = static_cast<double>(frames_) * static_cast<double>(nfft_) * window_power_;
  for (std::size_t c = 0; c < nc; ++c) {
    double sum = 0.0;
    for (std::size_t b = 0; b < bin_count_[c]; ++b) sum += acc_[(bin_first_[c] + b) % nfft_];
    ChannelPower& cp = r.channels[c];
    cp.k = chan_k_[c];
    cp.offset_hz = cfg_.grid_offset_hz + chan_k_[c] * cfg_.channel_spacing_hz;
    cp.power_dbfs = frames_ > 0 ? std::max(-200.0, 10.0 * std::log10(sum / norm + 1e-30)) : -200.0;
  }
  if (frames_ == 0) return r;

  // Noise floor: the floor_quantile of the channel powers (dB), linearly interpolated.
  std::vector<double> sorted(nc);
  for (std::size_t c = 0; c < nc; ++c) sorted[c] = r.channels[c].power_dbfs;
  std::sort(sorted.begin(), sorted.end());
  const double pos = cfg_.floor_quantile * static_cast<double>(nc - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(nc - 1, lo + 1);
  r.noise_floor_dbfs = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));

  // Channels are consecutive k in ascending order: neighbours by index. Classified strongest first, so a
  // channel is leakage only when a neighbour that is itself a carrier explains it (a weak carrier two
  // channels from a strong one is not hidden by the strong one's leak into the channel between them).
  std::vector<std::size_t> order(nc);
  for (std::size_t c = 0; c < nc; ++c) order[c] = c;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return r.channels[a].power_dbfs > r.channels[b].power_dbfs; });
  for (std::size_t c : order) {
    ChannelPower& cp = r.channels[c];
    if (!(cp.power_dbfs > r.noise_floor_dbfs + cfg_.margin_db)) continue;
    bool leak = false;
    for (int d : {-2, -1, 1, 2}) {
      const long j = static_cast<long>(c) + d;
      if (j < 0 || j >= static_cast<long>(nc)) continue;
      const ChannelPower& n = r.channels[static_cast<std::size_t>(j)];
      if (!n.above_floor) continue;
      const double rej = (d == -1 || d == 1) ? cfg_.adjacent_rejection_db : cfg_.second_adjacent_rejection_db;
      if (cp.power_dbfs < n.power_dbfs - rej) leak = true;
    }
    cp.leakage = leak;
    cp.above_floor = !leak;
  }
  return r;
}

}  // namespace tw::dsp
