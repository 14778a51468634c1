#include "src/pipeline/gsm_pipeline.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>

#include "dsp/channel_select.hpp"
#include "dsp/gsm/gsm_constants.hpp"
#include "src/core/error.hpp"
#include "src/core/gsm_bands.hpp"
#include "src/core/log.hpp"

namespace tw {

namespace {
constexpr double kChannelSpacing = 200e3;
// The FCCH search needs the tone (+67.7 kHz) plus the frequency error inside the selected band.
constexpr double kSelectHalfBandwidth = 180e3;
constexpr double kEdgeGuard = 100e3;   // a channel's centre must be this far inside the captured band
}  // namespace

struct GsmPipeline::Lane {
  dsp::ChannelSelector select;
  gsm::GsmCarrierReceiver rx;
  std::vector<cf32> out;
  Lane(const dsp::ChannelSelectConfig& sc, const gsm::ReceiverConfig& rc) : select(sc), rx(rc) { out.reserve(1 << 15); }
};

GsmPipeline::GsmPipeline(const GsmPipelineConfig& cfg) : cfg_(cfg) {
  if (!(cfg_.sample_rate_hz > 0)) throw InputError("GSM receiver: the sample rate must be positive");
  plan_channels();
  const double n = std::ceil(cfg_.census_seconds * cfg_.sample_rate_hz);
  census_samples_ = cfg_.all_channels || channels_.size() < cfg_.census_min_channels
                        ? 0
                        : static_cast<std::size_t>(std::min(n, 8.0e6));
  if (census_samples_ == 0) {
    for (auto& c : channels_) c.receiver = true;
    start_receivers();
  } else {
    census_buf_.reserve(census_samples_);
  }
}

GsmPipeline::~GsmPipeline() = default;

void GsmPipeline::plan_channels() {
  const double half = cfg_.sample_rate_hz / 2.0 - kEdgeGuard;
  if (half < 0) {
    // A narrow capture (e.g. 1 sample/symbol): only the channel at the centre.
    channels_.push_back(GsmChannelInfo{});
  } else if (cfg_.center_freq_known) {
    for (const auto& ch : gsm_channels_between(cfg_.center_freq_hz - half, cfg_.center_freq_hz + half)) {
      GsmChannelInfo c;
      c.offset_hz = ch.downlink_hz - cfg_.center_freq_hz;
      c.arfcn = ch.arfcn;
      c.freq_hz = ch.downlink_hz;
      c.band = gsm_band_name(ch.band);
      channels_.push_back(c);
    }
  }
  if (channels_.empty()) {
    // Unknown centre (or no GSM raster inside it): 200 kHz steps around the centre.
    const int k = half > 0 ? static_cast<int>(std::floor(half / kChannelSpacing)) : 0;
    for (int i = -k; i <= k; ++i) {
      GsmChannelInfo c;
      c.offset_hz = i * kChannelSpacing;
      if (cfg_.center_freq_known) c.freq_hz = cfg_.center_freq_hz + c.offset_hz;
      channels_.push_back(c);
    }
  }
}

// Power per 200 kHz channel from an averaged periodogram (FFTW), noise floor as a low percentile of the
// channel powers (most channels of a band are empty or weak); receivers only where the power stands out.
void GsmPipeline::run_census() {
  const std::size_t nfft = 4096;
  std::vector<double> psd(nfft, 0.0);
  if (census_buf_.size() >= nfft) {
    auto* in = fftwf_alloc_complex(nfft);
    auto* out = fftwf_alloc_complex(nfft);
    fftwf_plan plan = fftwf_plan_dft_1d(static_cast<int>(nfft), in, out, FFTW_FORWARD, FFTW_ESTIMATE);
    std::vector<float> window(nfft);
    for (std::size_t i = 0; i < nfft; ++i)
      window[i] = static_cast<float>(0.5 - 0.5 * std::cos(2 * M_PI * static_cast<double>(i) / nfft));
    std::size_t frames = 0;
    for (std::size_t start = 0; start + nfft <= census_buf_.size(); start += nfft / 2, ++frames) {
      for (std::size_t i = 0; i < nfft; ++i) {
        const cf32 v = census_buf_[start + i] * window[i];
        in[i][0] = v.real();
        in[i][1] = v.imag();
      }
      fftwf_execute(plan);
      for (std::size_t i = 0; i < nfft; ++i) psd[i] += double(out[i][0]) * out[i][0] + double(out[i][1]) * out[i][1];
    }
    fftwf_destroy_plan(plan);
    fftwf_free(in);
    fftwf_free(out);
    const double bin_hz = cfg_.sample_rate_hz / nfft;
    std::vector<double> powers;
    for (auto& c : channels_) {
      double sum = 0.0;
      for (std::size_t i = 0; i < nfft; ++i) {
        double f = (i < nfft / 2 ? double(i) : double(i) - double(nfft)) * bin_hz;
        if (std::fabs(f - c.offset_hz) <= 90e3) sum += psd[i];
      }
      const double norm = double(frames) * nfft * 0.375 * nfft;  // Hann window power gain
      c.census_power_dbfs = 10.0 * std::log10(sum / norm + 1e-30);
      powers.push_back(c.census_power_dbfs);
    }
    std::sort(powers.begin(), powers.end());
    const double floor_db = powers[powers.size() / 5];
    for (auto& c : channels_) c.receiver = c.census_power_dbfs > floor_db + cfg_.census_margin_db;
    log::debug("census: noise floor " + std::to_string(floor_db) + " dBFS over " + std::to_string(channels_.size()) +
               " channels");
  } else {
    for (auto& c : channels_) c.receiver = true;
  }
  start_receivers();
}

void GsmPipeline::start_receivers() {
  lanes_.clear();
  lanes_.resize(channels_.size());
  for (std::size_t i = 0; i < channels_.size(); ++i) {
    if (!channels_[i].receiver) continue;
    dsp::ChannelSelectConfig sc;
    sc.input_rate_hz = cfg_.sample_rate_hz;
    sc.channel_offset_hz = channels_[i].offset_hz;
    sc.half_bandwidth_hz = std::min(kSelectHalfBandwidth, 0.45 * cfg_.sample_rate_hz);
    gsm::ReceiverConfig rc;
    rc.max_abs_tone_hz = std::min(kSelectHalfBandwidth, 0.45 * std::min(cfg_.sample_rate_hz, gsm::kWorkingRate));
    auto lane = std::make_unique<Lane>(sc, rc);
    const GsmChannelInfo* info = &channels_[i];
    lane->rx.on_block([this, info](const gsm::DecodedBlock& b) {
      if (on_block_) on_block_(GsmChannelBlock{info, b});
    });
    lane->rx.on_sync([this, info](const gsm::SyncEvent& s) {
      if (on_sync_) on_sync_(GsmChannelSync{info, s});
    });
    lanes_[i] = std::move(lane);
  }
  started_ = true;
}

void GsmPipeline::feed(std::span<const cf32> in) {
  for (auto& lane : lanes_) {
    if (!lane) continue;
    lane->out.clear();
    lane->select.execute(in, lane->out);
    lane->rx.execute(lane->out);
  }
}

void GsmPipeline::execute(std::span<const cf32> in) {
  if (started_) {
    feed(in);
    return;
  }
  const std::size_t take = std::min(in.size(), census_samples_ - census_buf_.size());
  census_buf_.insert(census_buf_.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(take));
  if (census_buf_.size() < census_samples_) return;
  run_census();
  feed(census_buf_);
  std::vector<cf32>().swap(census_buf_);
  if (take < in.size()) feed(in.subspan(take));
}

void GsmPipeline::finish() {
  if (started_) return;
  run_census();
  feed(census_buf_);
  std::vector<cf32>().swap(census_buf_);
}

const gsm::CarrierStats* GsmPipeline::stats(std::size_t i) const {
  if (i >= lanes_.size() || !lanes_[i]) return nullptr;
  return &lanes_[i]->rx.stats();
}

}  // namespace tw
