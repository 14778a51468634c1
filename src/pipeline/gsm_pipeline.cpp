#include "src/pipeline/gsm_pipeline.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include "dsp/channel_select.hpp"
#include "dsp/pfb_channelizer.hpp"
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
  // An event of a lane running on a worker thread, kept until the block is done.
  struct Event {
    bool is_block = false;
    gsm::DecodedBlock block;
    gsm::SyncEvent sync;
    gsm::CarrierStats stats;
  };
  dsp::ChannelSelector select;
  gsm::GsmCarrierReceiver rx;
  std::vector<cf32> out;
  int pfb_row = -1;  // wideband mode: the channelizer row this lane reads
  const GsmChannelInfo* info = nullptr;
  bool defer = false;          // threads > 1: events go to `events`, delivered after the block
  std::vector<Event> events;   // keeps its capacity from block to block
  Lane(const dsp::ChannelSelectConfig& sc, const gsm::ReceiverConfig& rc) : select(sc), rx(rc) { out.reserve(1 << 15); }
};

// N-1 worker threads plus the caller run one job per lane for each input block (fork/join per block: no
// synchronisation per sample). Lanes are taken from a shared counter, so a busy lane (a synchronised
// carrier) does not hold up the others; which thread runs a lane does not matter, each lane's state is its
// own and the events are delivered in channel order after the join.
class GsmPipeline::LanePool {
 public:
  using Job = void (*)(void* ctx, std::size_t index);
  explicit LanePool(unsigned workers) {
    threads_.reserve(workers);
    for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { loop(); });
  }
  ~LanePool() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      quit_ = true;
    }
    start_cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  LanePool(const LanePool&) = delete;
  LanePool& operator=(const LanePool&) = delete;

  // Runs job(ctx, i) for every i in [0, n) and returns when all are done; rethrows the first exception.
  void run(std::size_t n, Job job, void* ctx) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      job_ = job;
      ctx_ = ctx;
      n_ = n;
      next_.store(0);
      pending_ = threads_.size();
      error_ = nullptr;
      ++generation_;
    }
    start_cv_.notify_all();
    work();
    std::unique_lock<std::mutex> lk(mu_);
    done_cv_.wait(lk, [&] { return pending_ == 0; });
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void work() {
    for (;;) {
      const std::size_t i = next_.fetch_add(1);
      if (i >= n_) return;
      try {
        job_(ctx_, i);
      } catch (...) {
        std::lock_guard<std::mutex> lk(mu_);
        if (!error_) error_ = std::current_exception();
      }
    }
  }
  void loop() {
    std::uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lk(mu_);
        start_cv_.wait(lk, [&] { return quit_ || generation_ != seen; });
        if (quit_) return;
        seen = generation_;
      }
      work();
      std::lock_guard<std::mutex> lk(mu_);
      if (--pending_ == 0) done_cv_.notify_one();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable start_cv_, done_cv_;
  bool quit_ = false;
  std::uint64_t generation_ = 0;
  std::size_t pending_ = 0;
  Job job_ = nullptr;
  void* ctx_ = nullptr;
  std::size_t n_ = 0;
  std::atomic<std::size_t> next_{0};
  std::exception_ptr error_;
};

// Wideband mode: one polyphase filterbank splits the capture into all 200 kHz channels at once; each lane
// then only resamples its channel from the filterbank's low rate. The grid of the filterbank is the capture
// centre; when the ARFCN raster sits off it (a sweep tunes between two carriers, away from the DC spike), the
// input is first shifted by that offset.
struct GsmPipeline::Wideband {
  dsp::PfbChannelizer pfb;
  std::vector<std::vector<cf32>> rows;
  std::vector<cf32> shifted;
  std::complex<double> rot{1.0, 0.0}, rot_step{1.0, 0.0};
  bool shift = false;
  Wideband(const dsp::PfbChannelizerConfig& c, double grid_offset_hz) : pfb(c) {
    shift = grid_offset_hz != 0.0;
    rot_step = std::polar(1.0, -2.0 * M_PI * grid_offset_hz / c.input_rate_hz);
  }
  std::span<const cf32> shifted_input(std::span<const cf32> in) {
    if (!shift) return in;
    shifted.resize(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
      shifted[i] = in[i] * cf32(static_cast<float>(rot.real()), static_cast<float>(rot.imag()));
      rot *= rot_step;
    }
    rot /= std::abs(rot);  // keep |rot| = 1 over hours of samples
    return shifted;
  }
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

// The pool's threads are joined before the lanes they run go.
GsmPipeline::~GsmPipeline() { pool_.reset(); }

// Where the 200 kHz channel grid sits relative to the capture centre (in -100..100 kHz): 0 when the centre is
// on the ARFCN raster, 100 kHz when a sweep tuned between two carriers.
double GsmPipeline::grid_offset_hz() const {
  double grid = std::fmod(channels_.front().offset_hz, kChannelSpacing);
  if (grid > kChannelSpacing / 2) grid -= kChannelSpacing;
  if (grid < -kChannelSpacing / 2) grid += kChannelSpacing;
  return grid;
}

bool GsmPipeline::wideband() const { return wideband_ != nullptr; }

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
  const double grid = grid_offset_hz();
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

void GsmPipeline::start_wideband(double grid_offset_hz) {
  std::size_t active = 0;
  for (const auto& c : channels_) active += c.receiver ? 1 : 0;
  const double m = cfg_.sample_rate_hz / kChannelSpacing;
  if (!cfg_.wideband || active < 2 || std::fabs(m - std::round(m)) > 1e-9 || m < 8) return;
  dsp::PfbChannelizerConfig pc;
  pc.input_rate_hz = cfg_.sample_rate_hz;
  // Output at >= 800 kHz with the -6 dB edge at 190 kHz (flat to ~150 kHz): the FCCH tone (+67.7 kHz) plus
  // most of a +-100 kHz frequency error stays in the pass band; the lanes' own filters do the selectivity.
  pc.output_decimation = static_cast<unsigned>(std::llround(m)) / 4;
  pc.cutoff_hz = 190e3;
  try {
    wideband_ = std::make_unique<Wideband>(pc, grid_offset_hz);
  } catch (const InputError& e) {
    log::debug(std::string("wideband channelizer not used: ") + e.what());
    wideband_.reset();
  }
}

void GsmPipeline::start_receivers() {
  pool_.reset();
  lanes_.clear();
  lanes_.resize(channels_.size());
  active_.clear();
  const double grid = grid_offset_hz();
  start_wideband(grid);
  std::vector<int> rows;
  for (std::size_t i = 0; i < channels_.size(); ++i) {
    if (!channels_[i].receiver) continue;
    dsp::ChannelSelectConfig sc;
    int row = -1;
    // The channelizer's rows span [-rate/2, rate/2 - spacing] around the grid; a channel at the upper edge of
    // the captured band (within kEdgeGuard of it, the grid shifted by a receiver correction) can fall beyond
    // the last row: that lane selects its channel from the input itself.
    if (wideband_) row = wideband_->pfb.row_of_offset(channels_[i].offset_hz - grid);
    if (row >= 0) {
      sc.input_rate_hz = wideband_->pfb.output_rate_hz();
      sc.channel_offset_hz = channels_[i].offset_hz - grid - wideband_->pfb.channel_offset_hz(row);
      rows.push_back(row);
    } else {
      sc.input_rate_hz = cfg_.sample_rate_hz;
      sc.channel_offset_hz = channels_[i].offset_hz;
    }
    sc.half_bandwidth_hz = std::min(kSelectHalfBandwidth, 0.45 * sc.input_rate_hz);
    // A capture already at the working rate and centred on the carrier needs no filter: the receiver
    // selects the GMSK band per burst after frequency correction.
    sc.skip_filter_at_unit_ratio = true;
    gsm::ReceiverConfig rc;
    rc.max_abs_tone_hz = std::min(kSelectHalfBandwidth, 0.45 * std::min(cfg_.sample_rate_hz, gsm::kWorkingRate));
    auto lane = std::make_unique<Lane>(sc, rc);
    lane->pfb_row = row;
    lane->info = &channels_[i];
    Lane* l = lane.get();
    lane->rx.on_block([this, l](const gsm::DecodedBlock& b) {
      if (l->defer) {
        auto& e = l->events.emplace_back();
        e.is_block = true;
        e.block = b;
        e.stats = l->rx.stats();
      } else if (on_block_) {
        on_block_(GsmChannelBlock{l->info, b, &l->rx.stats()});
      }
    });
    lane->rx.on_sync([this, l](const gsm::SyncEvent& s) {
      if (l->defer) {
        auto& e = l->events.emplace_back();
        e.sync = s;
        e.stats = l->rx.stats();
      } else if (on_sync_) {
        on_sync_(GsmChannelSync{l->info, s, &l->rx.stats()});
      }
    });
    active_.push_back(lane.get());
    lanes_[i] = std::move(lane);
  }
  if (wideband_) wideband_->pfb.set_channels(rows);
  unsigned t = cfg_.threads ? cfg_.threads : std::max(1u, std::thread::hardware_concurrency());
  t = static_cast<unsigned>(std::min<std::size_t>(t, active_.size()));
  threads_ = std::max(1u, t);
  if (threads_ > 1) {
    for (Lane* l : active_) l->defer = true;
    pool_ = std::make_unique<LanePool>(threads_ - 1);
  }
  started_ = true;
}

void GsmPipeline::run_lane(Lane& lane, std::span<const cf32> in) {
  if (lane.pfb_row >= 0) lane.rx.execute(lane.select.select(wideband_->rows[static_cast<std::size_t>(lane.pfb_row)], lane.out));
  else lane.rx.execute(lane.select.select(in, lane.out));
}

void GsmPipeline::deliver(Lane& lane) {
  for (const auto& e : lane.events) {
    if (e.is_block) {
      if (on_block_) on_block_(GsmChannelBlock{lane.info, e.block, &e.stats});
    } else if (on_sync_) {
      on_sync_(GsmChannelSync{lane.info, e.sync, &e.stats});
    }
  }
  lane.events.clear();
}

void GsmPipeline::feed(std::span<const cf32> in) {
  if (wideband_) wideband_->pfb.execute(wideband_->shifted_input(in), wideband_->rows);
  if (!pool_) {
    for (Lane* lane : active_) run_lane(*lane, in);
    return;
  }
  struct Ctx {
    GsmPipeline* self;
    std::span<const cf32> in;
  } ctx{this, in};
  pool_->run(active_.size(), [](void* c, std::size_t i) {
    auto* x = static_cast<Ctx*>(c);
    x->self->run_lane(*x->self->active_[i], x->in);
  }, &ctx);
  for (Lane* lane : active_) deliver(*lane);
}

bool GsmPipeline::needed_ranges(std::size_t n, std::vector<SampleRange>& out) const {
  if (!started_ || wideband_ || active_.empty()) return false;
  const auto from = static_cast<std::int64_t>(samples_in_);
  std::vector<std::pair<std::int64_t, std::int64_t>> all, lane_ranges;
  for (const Lane* lane : active_) {
    // Receiver sample i is input sample i only when the selector passes the input through.
    if (lane->pfb_row >= 0 || !lane->select.passes_through()) return false;
    lane_ranges.clear();
    if (!lane->rx.needed_ranges(from, from + static_cast<std::int64_t>(n), lane_ranges)) return false;
    all.insert(all.end(), lane_ranges.begin(), lane_ranges.end());
  }
  std::sort(all.begin(), all.end());
  const std::size_t first = out.size();
  for (const auto& [lo, hi] : all) {
    const SampleRange r{static_cast<std::size_t>(lo - from), static_cast<std::size_t>(hi - from)};
    if (out.size() > first && r.first <= out.back().last) out.back().last = std::max(out.back().last, r.last);
    else out.push_back(r);
  }
  return true;
}

// The census span goes to the receivers in blocks of the size a stream brings: fed whole (up to 8 M samples)
// every lane's output and every filterbank row grew to the span (a 20 Msps tuning with 50 channels above the
// floor, an LTE carrier in DCS1800: 280 MB resident for a moment, 78 MB in blocks).
void GsmPipeline::feed_census_buffer() {
  constexpr std::size_t kBlock = 1 << 16;
  const std::span<const cf32> all(census_buf_);
  for (std::size_t i = 0; i < all.size(); i += kBlock) feed(all.subspan(i, std::min(kBlock, all.size() - i)));
  std::vector<cf32>().swap(census_buf_);
}

void GsmPipeline::execute(std::span<const cf32> in) {
  samples_in_ += in.size();
  if (started_) {
    feed(in);
    return;
  }
  const std::size_t take = std::min(in.size(), census_samples_ - census_buf_.size());
  census_buf_.insert(census_buf_.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(take));
  if (census_buf_.size() < census_samples_) return;
  run_census();
  feed_census_buffer();
  if (take < in.size()) feed(in.subspan(take));
}

void GsmPipeline::finish() {
  if (started_) return;
  run_census();
  feed_census_buffer();
}

const gsm::CarrierStats* GsmPipeline::stats(std::size_t i) const {
  if (i >= lanes_.size() || !lanes_[i]) return nullptr;
  return &lanes_[i]->rx.stats();
}

}  // namespace tw
