#include "src/pipeline/gsm_pipeline.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/channel_select.hpp"
#include "dsp/power_census.hpp"
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

// Power per 200 kHz channel (dsp/power_census.hpp: Welch average, robust noise floor, leakage of a strong
// neighbour into the adjacent channels told apart from a carrier); receivers only where a carrier stands out.
void GsmPipeline::run_census() {
  dsp::PowerCensusConfig pc;
  pc.sample_rate_hz = cfg_.sample_rate_hz;
  pc.margin_db = cfg_.census_margin_db;
  // With few channels (an RTL-SDR's 2.4 Msps holds 11) a quarter of them may all be carriers or their
  // leakage: take the quietest channel as the floor there.
  if (channels_.size() < 20) pc.floor_quantile = 0.01;
  // The channel grid: the ARFCN raster (or 200 kHz steps) relative to the capture centre.
  double grid = std::fmod(channels_.front().offset_hz, kChannelSpacing);
  if (grid > kChannelSpacing / 2) grid -= kChannelSpacing;
  if (grid < -kChannelSpacing / 2) grid += kChannelSpacing;
  pc.grid_offset_hz = grid;
  dsp::PowerCensus census(pc);
  census.execute(census_buf_);
  const dsp::CensusResult r = census.result();
  if (r.frames == 0) {
    for (auto& c : channels_) c.receiver = true;
  } else {
    for (auto& c : channels_) {
      c.receiver = false;
      for (const auto& cp : r.channels) {
        if (std::fabs(cp.offset_hz - c.offset_hz) > 1.0) continue;
        c.census_power_dbfs = cp.power_dbfs;
        c.receiver = cp.above_floor;
      }
    }
    log::debug("census: noise floor " + std::to_string(r.noise_floor_dbfs) + " dBFS over " +
               std::to_string(r.channels.size()) + " channels");
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
    // A capture already at the working rate and centred on the carrier needs no filter: the receiver
    // selects the GMSK band per burst after frequency correction.
    sc.skip_filter_at_unit_ratio = true;
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
