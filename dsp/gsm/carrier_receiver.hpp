// One GSM carrier, from baseband samples at the working rate (4 samples/symbol, centred on the carrier
// within the receiver's frequency error) to CRC-valid 23-octet blocks of TS0 (BCCH/CCCH):
//   FcchDetector (wide search) -> SCH one frame later (BSIC, FN; 45.002 clause 3.3.2.2) -> synchronised:
//   every TS0 burst demodulated (LS channel + soft MLSE), four bursts per block to xcch_decode (45.003 4.1),
//   SCH re-read at frames 1,11,21,31,41 to keep timing, the FCCH bursts measured where the multiframe puts
//   them to keep the frequency (the wide FCCH search runs only while not synchronised). Sync is lost after
//   `sch_failures_to_lose_sync` SCH failures in a row; then the search starts again.
// Only blocks whose CRC holds are reported.
#pragma once
#include <array>
#include <complex>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "dsp/gsm/burst_demod.hpp"
#include "dsp/gsm/fcch_detector.hpp"

namespace tw::gsm {

struct DecodedBlock {
  std::uint32_t fn = 0;      // frame number of the block's first burst
  int tn = 0;
  std::string channel;       // "BCCH", "CCCH", "SDCCH/4", "SACCH/C4" (dsp/gsm/ts0_blocks.hpp)
  std::array<std::uint8_t, 23> octets{};
  double snr_db = 0.0;
  double power_dbfs = 0.0;
  double cfo_hz = 0.0;
};

struct SyncEvent {
  std::uint32_t fn = 0;      // frame number of the SCH that gave sync
  int bsic = -1;
  double cfo_hz = 0.0;
  std::uint64_t sample = 0;  // working-rate sample index of that SCH burst's start
};

struct CarrierStats {
  std::uint64_t fcch_found = 0, sch_ok = 0, sch_failed = 0, blocks_tried = 0, blocks_decoded = 0;
  double power_dbfs = -200.0, snr_db = 0.0, cfo_hz = 0.0;
  bool synced = false;
  int bsic = -1;
};

struct ReceiverConfig {
  double sample_rate_hz = kWorkingRate;
  double max_cfo_hz = 100e3;         // FCCH search half-width (+-100 ppm at 947 MHz is +-95 kHz)
  double max_abs_tone_hz = 0.0;      // pass band of the input; 0: 0.45 * rate
  int sch_failures_to_lose_sync = 5;
  int ccch_conf = -1;                // from SI3 when known (names of blocks 22..49)
};

class GsmCarrierReceiver {
 public:
  explicit GsmCarrierReceiver(const ReceiverConfig& cfg = {});

  void on_block(std::function<void(const DecodedBlock&)> f) { on_block_ = std::move(f); }
  void on_sync(std::function<void(const SyncEvent&)> f) { on_sync_ = std::move(f); }
  void set_ccch_conf(int ccch_conf) { cfg_.ccch_conf = ccch_conf; }

  void execute(std::span<const cf32> in);
  void reset();

  // Which of the samples [from, to) the next execute() reads when given exactly them: sorted, disjoint
  // half-open ranges of sample numbers appended to `out`. Only while synchronised (then only the TS0 windows
  // of the coming frames are read, each widened by the most its timing can move before it is reached) and for
  // a block read in place; false when every sample is needed. The other samples of the block may hold
  // anything: blocks, events and statistics are the same (tests/test_gsm_sparse_read.cpp). A file reader uses
  // it to read only what is needed (src/pipeline/gsm_analysis.cpp).
  bool needed_ranges(std::int64_t from, std::int64_t to, std::vector<std::pair<std::int64_t, std::int64_t>>& out) const;
  const CarrierStats& stats() const { return stats_; }

 private:
  struct Candidate {
    FcchDetection fcch;
  };
  void try_candidates();
  void process_frames();
  void process_frame(std::int64_t k);
  void track_fcch(std::int64_t start);
  void trim();
  std::span<const cf32> buf() const { return buf_; }
  std::int64_t buf_end() const { return buf_first_ + static_cast<std::int64_t>(buf_.size()); }
  std::int64_t frame_start(std::int64_t k) const;

  ReceiverConfig cfg_;
  FcchDetector fcch_;
  BurstDemodulator demod_;
  BurstResult res_;
  CarrierStats stats_;
  std::function<void(const DecodedBlock&)> on_block_;
  std::function<void(const SyncEvent&)> on_sync_;

  void set_view(std::span<const cf32> v, std::int64_t first) {
    view_ = v;
    view_first_ = first;
  }
  std::int64_t view_end() const { return view_first_ + static_cast<std::int64_t>(view_.size()); }

  std::vector<cf32> buf_;
  std::int64_t buf_first_ = 0;
  // The samples the frame processing reads: the buffer, or (synchronised) the caller's block in place.
  std::span<const cf32> view_;
  std::int64_t view_first_ = 0;
  std::vector<Candidate> cands_;

  // Synchronised state: frame k (counted from the SCH that gave sync) starts at ref_sample_ + k*5000.
  double ref_sample_ = 0.0;
  std::uint32_t ref_fn_ = 0;
  std::int64_t next_k_ = 0;
  double cfo_ = 0.0;
  int sch_fail_run_ = 0;

  // Block being collected.
  int blk_first_ = -1, blk_count_ = 0;
  std::uint32_t blk_fn_ = 0;
  std::array<std::int8_t, 4 * 116> blk_soft_{};
  double blk_snr_ = 0.0, blk_power_ = 0.0, blk_timing_err_ = 0.0;
};

// Whole-capture convenience: channel selection at `channel_offset_hz` from the capture centre, any input
// rate, then one receiver; returns the CRC-valid blocks in order. Throws tw::InputError on a bad rate or
// offset. If `stats` is given, it receives the receiver's statistics at the end.
std::vector<DecodedBlock> decode_capture(std::span<const cf32> iq, double rate, double channel_offset_hz,
                                         CarrierStats* stats = nullptr);

}  // namespace tw::gsm
