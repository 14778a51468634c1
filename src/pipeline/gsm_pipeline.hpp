// From a stream of IQ samples (any rate, any centre) to decoded GSM blocks of every BCCH carrier in the
// captured bandwidth. The channel plan is the ARFCN raster when the centre frequency is known (45.005
// clause 2), else 200 kHz steps around the centre. A power census over the first samples keeps receivers
// off empty channels when there are many; each channel gets a ChannelSelector + GsmCarrierReceiver.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dsp/gsm/carrier_receiver.hpp"
#include "hw/iq_source.hpp"

namespace tw {

struct GsmPipelineConfig {
  double sample_rate_hz = 0.0;
  double center_freq_hz = 0.0;
  bool center_freq_known = false;
  double census_seconds = 0.12;     // samples buffered for the power census before receivers start
  double census_margin_db = 6.0;    // a channel must stand this far above the estimated noise floor
  std::size_t census_min_channels = 2;  // with fewer channels than this (one), it gets a receiver
  bool all_channels = false;        // skip the census: a receiver on every channel
  bool wideband = true;             // one polyphase filterbank for all channels when the rate is a multiple
                                    // of 200 kHz (>= 8 channels) and 2+ carriers are received
  // Worker threads for the channel receivers: 1 runs every lane on the caller's thread (events delivered
  // as they happen); N > 1 runs the lanes of each input block on N threads (the caller's and N-1 workers)
  // and delivers the events after the block, lane by lane in channel order: the same events in the same
  // order as with 1 thread. 0: std::thread::hardware_concurrency().
  unsigned threads = 1;
};

struct GsmChannelInfo {
  double offset_hz = 0.0;           // channel centre minus capture centre
  std::optional<int> arfcn;         // when the centre frequency is known
  std::optional<double> freq_hz;
  std::string band;                 // "P-GSM900", ... ("" when unknown)
  double census_power_dbfs = -200.0;
  bool receiver = false;            // a receiver ran on it
};

// One decoded block with the channel it came from. `stats`: the channel receiver's statistics when the
// block was decoded (use these, not GsmPipeline::stats(), which with several threads is already ahead).
struct GsmChannelBlock {
  const GsmChannelInfo* channel = nullptr;
  gsm::DecodedBlock block;
  const gsm::CarrierStats* stats = nullptr;
};
struct GsmChannelSync {
  const GsmChannelInfo* channel = nullptr;
  gsm::SyncEvent sync;
  const gsm::CarrierStats* stats = nullptr;
};

class GsmPipeline {
 public:
  explicit GsmPipeline(const GsmPipelineConfig& cfg);
  ~GsmPipeline();
  GsmPipeline(const GsmPipeline&) = delete;
  GsmPipeline& operator=(const GsmPipeline&) = delete;

  void on_block(std::function<void(const GsmChannelBlock&)> f) { on_block_ = std::move(f); }
  void on_sync(std::function<void(const GsmChannelSync&)> f) { on_sync_ = std::move(f); }

  void execute(std::span<const cf32> in);
  // Which samples of the next execute() block of n samples it reads (numbered from the block's start; sorted,
  // disjoint ranges appended to `out`); false when it needs all of them. Only when every receiver takes the
  // input as it is (a capture at the working rate centred on its one carrier: no filter, no filterbank) and
  // is synchronised: then only the TS0 windows (GsmCarrierReceiver::needed_ranges).
  bool needed_ranges(std::size_t n, std::vector<SampleRange>& out) const;
  // End of the stream: runs the census on what was buffered if the stream was shorter than the census.
  void finish();

  const std::vector<GsmChannelInfo>& channels() const { return channels_; }
  // Receiver statistics of channel i (only for channels with a receiver).
  const gsm::CarrierStats* stats(std::size_t i) const;
  bool wideband() const;  // the filterbank path is in use
  unsigned threads() const { return threads_; }  // threads the lanes run on (after the census: <= lanes)

 private:
  struct Lane;
  struct Wideband;
  class LanePool;
  void plan_channels();
  void start_wideband(double grid_offset_hz);
  double grid_offset_hz() const;
  void run_census();
  void start_receivers();
  void feed(std::span<const cf32> in);
  void feed_census_buffer();
  void run_lane(Lane& lane, std::span<const cf32> in);
  void deliver(Lane& lane);

  GsmPipelineConfig cfg_;
  std::vector<GsmChannelInfo> channels_;
  std::vector<std::unique_ptr<Lane>> lanes_;   // one per channel (null where no receiver)
  std::unique_ptr<Wideband> wideband_;
  std::vector<Lane*> active_;                  // lanes with a receiver, channel order
  std::unique_ptr<LanePool> pool_;             // threads > 1
  unsigned threads_ = 1;
  std::vector<cf32> census_buf_;
  std::size_t census_samples_ = 0;
  std::uint64_t samples_in_ = 0;               // input samples given to execute()
  bool started_ = false;
  std::function<void(const GsmChannelBlock&)> on_block_;
  std::function<void(const GsmChannelSync&)> on_sync_;
};

}  // namespace tw
