#include "dsp/gsm/carrier_receiver.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/channel_select.hpp"
#include "dsp/gsm/gsm0503_decode.hpp"
#include "dsp/gsm/sch.hpp"
#include "dsp/gsm/ts0_blocks.hpp"
#include "src/core/error.hpp"


namespace tw::gsm {

namespace {
constexpr double kTwoPi = 6.283185307179586476925286766559;
constexpr int kSchAcquireSearch = 40;   // samples: FCCH start estimate vs SCH timing
constexpr int kTrackSearch = 10;        // samples around the predicted burst start once synchronised
constexpr std::int64_t kNeed = kBurstBits * kSps + BurstDemodulator::kMargin + kSchAcquireSearch + 8;
// Samples a synchronised frame reads before its nominal start (burst window of the tracking search).
constexpr std::int64_t kWindowBefore = kTrackSearch + BurstDemodulator::kMargin;
// Samples of a new block appended to the buffer for the frames reaching back into it: a frame not done
// after them starts more than kStraddle - kNeed > kWindowBefore samples into the block.
constexpr std::int64_t kStraddle = kNeed + kWindowBefore + 64;
// Blocks at least this long are read in place once synchronised (the tail kept is 2 frames + kNeed).
constexpr std::int64_t kDirectMin = 4 * kSamplesPerFrame;

FcchConfig fcch_config(const ReceiverConfig& c) {
  FcchConfig f;
  f.sample_rate_hz = c.sample_rate_hz;
  f.max_cfo_hz = c.max_cfo_hz;
  f.max_abs_tone_hz = c.max_abs_tone_hz;
  return f;
}
}  // namespace

GsmCarrierReceiver::GsmCarrierReceiver(const ReceiverConfig& cfg)
    : cfg_(cfg), fcch_(fcch_config(cfg)), demod_(cfg.sample_rate_hz) {
  if (std::fabs(cfg.sample_rate_hz - kWorkingRate) > 1.0) {
    throw InputError("gsm receiver: sample_rate_hz must be the working rate 1083333.33 (4 samples/symbol)");
  }
  buf_.reserve(1 << 16);
  cands_.reserve(8);
}

void GsmCarrierReceiver::reset() {
  fcch_.reset();
  stats_ = CarrierStats{};
  buf_.clear();
  buf_first_ = 0;
  set_view(buf_, 0);
  cands_.clear();
  next_k_ = 0;
  sch_fail_run_ = 0;
  blk_first_ = -1;
  blk_count_ = 0;
}

std::int64_t GsmCarrierReceiver::frame_start(std::int64_t k) const {
  return static_cast<std::int64_t>(std::llround(ref_sample_ + static_cast<double>(k) * kSamplesPerFrame));
}

void GsmCarrierReceiver::execute(std::span<const cf32> in) {
  const std::int64_t end_before = buf_end();
  const std::int64_t end_all = end_before + static_cast<std::int64_t>(in.size());
  if (stats_.synced && static_cast<std::int64_t>(in.size()) >= kDirectMin) {
    // Synchronised: only the TS0 windows are read. The frames whose windows reach back into the buffer are
    // processed after appending the first samples of `in`; the following ones straight from `in` (no copy);
    // only the tail the next frames need is kept. The frames are the same, in the same order, with the same
    // samples as when everything is appended.
    buf_.insert(buf_.end(), in.begin(), in.begin() + kStraddle);
    set_view(buf_, buf_first_);
    process_frames();
    set_view(in, end_before);
    while (stats_.synced && frame_start(next_k_) + kNeed <= end_all && frame_start(next_k_) - kWindowBefore >= end_before) {
      process_frame(next_k_);
      ++next_k_;
    }
    // Still synchronised: the next frame reads from kWindowBefore before its start on (its start no longer
    // moves: only processing a frame moves the timing), so only that tail is kept; else 2 frames + kNeed.
    std::int64_t keep = end_all - 2 * kSamplesPerFrame - kNeed;
    if (stats_.synced) keep = std::min(frame_start(next_k_) - kWindowBefore, end_all);
    if (keep >= end_before && !(stats_.synced && frame_start(next_k_) + kNeed <= end_all)) {
      buf_.assign(in.begin() + (keep - end_before), in.end());
      buf_first_ = keep;
      set_view(buf_, buf_first_);
      return;
    }
    // Not expected (a window across the boundary): the rest goes through the buffer as below.
    buf_.insert(buf_.end(), in.begin() + kStraddle, in.end());
    set_view(buf_, buf_first_);
    if (stats_.synced) process_frames();
    trim();
    set_view(buf_, buf_first_);
    return;
  }
  buf_.insert(buf_.end(), in.begin(), in.end());
  set_view(buf_, buf_first_);
  // The wide FCCH search runs only while not synchronised; once synchronised the FCCH frames are known and
  // measured where they are (process_frame), so the detector skips the samples it was not given.
  if (!stats_.synced) {
    if (fcch_.samples_seen() != end_before) fcch_.skip_to(end_before);
    fcch_.execute(in);
    for (const auto& d : fcch_.detections()) {
      ++stats_.fcch_found;
      if (cands_.size() < 8) cands_.push_back(Candidate{d});
    }
    try_candidates();
  }
  if (stats_.synced) process_frames();
  trim();
  set_view(buf_, buf_first_);
}

// Residual frequency of the FCCH burst expected at `start` (45.002 clause 5.2.4: a tone at +1625000/24 Hz
// after cfo_): phase advance over 32 samples of the de-rotated burst. Updates cfo_ when the tone is clean.
void GsmCarrierReceiver::track_fcch(std::int64_t start) {
  constexpr int kLag = 32;
  constexpr int kEdge = 24;  // tolerance of the predicted burst edges
  const std::int64_t lo = start + kEdge, hi = start + kBurstBits * kSps - kEdge;
  if (lo < view_first_ || hi > view_end()) return;
  const double step = -kTwoPi * (kFcchToneHz + cfo_) / cfg_.sample_rate_hz;
  const cf32* x = view_.data() + (lo - view_first_);
  const int n = static_cast<int>(hi - lo);
  // z[i] = x[i] e^{j step i}; sum z[i] conj(z[i-lag]) = e^{j step lag} sum x[i] conj(x[i-lag]).
  cf32 acc{};
  float e = 0.f;
  for (int i = kLag; i < n; ++i) {
    acc += x[i] * std::conj(x[i - kLag]);
    e += std::norm(x[i]);
  }
  if (!(e > 0.f) || std::abs(acc) < 0.6f * e) return;  // not a clean tone (noise, fading notch)
  const double rot = step * kLag;
  const cf32 r = acc * cf32(static_cast<float>(std::cos(rot)), static_cast<float>(std::sin(rot)));
  const double df = std::arg(r) * cfg_.sample_rate_hz / (kTwoPi * kLag);
  cfo_ += 0.5 * df;
  stats_.cfo_hz = cfo_;
}

void GsmCarrierReceiver::try_candidates() {
  while (!cands_.empty() && !stats_.synced) {
    const Candidate c = cands_.front();
    const std::int64_t sch_start = c.fcch.start + kSamplesPerFrame;  // SCH: 8 timeslots after FCCH
    if (sch_start + kNeed > view_end()) return;  // wait for the samples
    cands_.erase(cands_.begin());
    if (!demod_.demodulate(view_, view_first_, sch_start, kSchAcquireSearch, c.fcch.cfo_hz, BurstKind::sch, 0, res_)) {
      continue;  // window no longer buffered
    }
    const auto info = decode_sch_burst(std::span<const std::int8_t, 148>(res_.soft));
    if (!info) {
      ++stats_.sch_failed;
      continue;
    }
    ++stats_.sch_ok;
    stats_.synced = true;
    stats_.bsic = info->bsic;
    stats_.cfo_hz = cfo_ = c.fcch.cfo_hz;
    stats_.snr_db = res_.snr_db;
    stats_.power_dbfs = res_.power_dbfs;
    ref_sample_ = res_.start;
    ref_fn_ = info->fn;
    next_k_ = 1;
    sch_fail_run_ = 0;
    blk_first_ = -1;
    blk_count_ = 0;
    cands_.clear();
    if (on_sync_) {
      on_sync_(SyncEvent{info->fn, info->bsic, cfo_, static_cast<std::uint64_t>(std::max(0.0, res_.start))});
    }
  }
}

bool GsmCarrierReceiver::needed_ranges(std::int64_t from, std::int64_t to,
                                       std::vector<std::pair<std::int64_t, std::int64_t>>& out) const {
  if (!stats_.synced || !cands_.empty() || from != buf_end() || to - from < kDirectMin) return false;
  // A processed frame moves the timing reference by at most half the tracking search plus the refinement
  // (SCH: 0.5 * (kTrackSearch + 2); a block: a quarter of that): frame next_k_ + j starts within
  // kDriftPerFrame * j samples of where it is predicted now. The rest of the margin is rounding slack.
  constexpr std::int64_t kDriftPerFrame = (kTrackSearch + 2 + 1) / 2;
  for (std::int64_t j = 0;; ++j) {
    const std::int64_t k = next_k_ + j;
    const std::int64_t margin = kDriftPerFrame * (j + 1) + 8;
    const std::int64_t start = frame_start(k);
    const std::int64_t lo = std::max(from, start - kWindowBefore - margin);
    const std::int64_t hi = std::min(to, start + kNeed + margin);
    if (start - kWindowBefore - margin >= to) break;
    const auto fn = static_cast<std::uint32_t>((ref_fn_ + static_cast<std::uint64_t>(k)) % kHyperframe);
    if (hi <= lo || ts0_position(fn).kind == Ts0FrameKind::idle) continue;   // an idle frame reads nothing
    if (!out.empty() && lo <= out.back().second) out.back().second = std::max(out.back().second, hi);
    else out.emplace_back(lo, hi);
  }
  return true;
}

void GsmCarrierReceiver::process_frames() {
  while (stats_.synced && frame_start(next_k_) + kNeed <= view_end()) {
    process_frame(next_k_);
    ++next_k_;
  }
}

void GsmCarrierReceiver::process_frame(std::int64_t k) {
  const std::uint32_t fn = static_cast<std::uint32_t>((ref_fn_ + static_cast<std::uint64_t>(k)) % kHyperframe);
  const Ts0Position pos = ts0_position(fn);
  const std::int64_t nominal = frame_start(k);
  if (pos.kind == Ts0FrameKind::fcch) {
    track_fcch(nominal);
    return;
  }
  if (pos.kind == Ts0FrameKind::sch) {
    bool ok = false;
    if (demod_.demodulate(view_, view_first_, nominal, kTrackSearch, cfo_, BurstKind::sch, 0, res_)) {
      const auto info = decode_sch_burst(std::span<const std::int8_t, 148>(res_.soft));
      ok = info && info->fn == fn && info->bsic == stats_.bsic;
    }
    if (ok) {
      ++stats_.sch_ok;
      sch_fail_run_ = 0;
      // 45.010 timing: follow the measured burst position (clock drift of the capture).
      ref_sample_ += 0.5 * (res_.start - static_cast<double>(nominal));
      stats_.snr_db = 0.8 * stats_.snr_db + 0.2 * res_.snr_db;
      stats_.power_dbfs = 0.8 * stats_.power_dbfs + 0.2 * res_.power_dbfs;
    } else {
      ++stats_.sch_failed;
      if (++sch_fail_run_ >= cfg_.sch_failures_to_lose_sync) {
        stats_.synced = false;
        stats_.bsic = -1;
        cands_.clear();
      }
    }
    return;
  }
  if (pos.kind != Ts0FrameKind::block) return;
  if (pos.burst_index == 0) {
    blk_first_ = pos.block_first;
    blk_fn_ = fn;
    blk_count_ = 0;
    blk_snr_ = blk_power_ = blk_timing_err_ = 0.0;
  }
  if (blk_first_ != pos.block_first || blk_count_ != pos.burst_index) return;  // joined mid-block
  if (!demod_.demodulate(view_, view_first_, nominal, kTrackSearch, cfo_, BurstKind::normal, stats_.bsic & 7, res_)) {
    blk_first_ = -1;
    return;
  }
  // 45.003 clause 4.1: the 116 coded bits of a burst are bits 3..60 and 87..144 (data + stealing flags).
  std::int8_t* dst = blk_soft_.data() + 116 * blk_count_;
  std::copy(res_.soft.begin() + 3, res_.soft.begin() + 61, dst);
  std::copy(res_.soft.begin() + 87, res_.soft.begin() + 145, dst + 58);
  blk_snr_ += res_.snr_db;
  blk_power_ += res_.power_dbfs;
  blk_timing_err_ += res_.start - static_cast<double>(nominal);
  if (++blk_count_ < 4) return;
  ++stats_.blocks_tried;
  DecodedBlock b;
  const bool ok = xcch_decode(b.octets.data(), blk_soft_.data());
  blk_first_ = -1;
  if (!ok) return;
  ++stats_.blocks_decoded;
  b.fn = blk_fn_;
  b.tn = 0;
  b.channel = ts0_channel_name(pos.block_first, cfg_.ccch_conf);
  b.snr_db = blk_snr_ / 4.0;
  b.power_dbfs = blk_power_ / 4.0;
  b.cfo_hz = cfo_;
  ref_sample_ += 0.25 * (blk_timing_err_ / 4.0);
  if (on_block_) on_block_(b);
}

void GsmCarrierReceiver::trim() {
  // Keep what a pending SCH attempt or the next frame may still need, and at least 2 frames.
  std::int64_t keep = buf_end() - 2 * kSamplesPerFrame - kNeed;
  if (stats_.synced) keep = std::min(keep, frame_start(next_k_) - kNeed);
  for (const auto& c : cands_) keep = std::min(keep, c.fcch.start + kSamplesPerFrame - kNeed);
  if (keep - buf_first_ > (1 << 15)) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(keep - buf_first_));
    buf_first_ = keep;
  }
}

std::vector<DecodedBlock> decode_capture(std::span<const cf32> iq, double rate, double channel_offset_hz,
                                         CarrierStats* stats) {
  dsp::ChannelSelectConfig sc;
  sc.input_rate_hz = rate;
  sc.channel_offset_hz = channel_offset_hz;
  // Wide enough for the FCCH tone at +67.7 kHz plus the frequency error; the receiver narrows to the
  // GMSK main lobe after frequency correction.
  sc.half_bandwidth_hz = 180e3;
  sc.skip_filter_at_unit_ratio = true;
  dsp::ChannelSelector sel(sc);
  ReceiverConfig rc;
  rc.max_abs_tone_hz = std::min(180e3, 0.45 * std::min(rate, kWorkingRate));
  GsmCarrierReceiver rx(rc);
  std::vector<DecodedBlock> blocks;
  rx.on_block([&](const DecodedBlock& b) { blocks.push_back(b); });
  std::vector<cf32> out;
  out.reserve(1 << 16);
  constexpr std::size_t kChunk = 8192;
  for (std::size_t i = 0; i < iq.size(); i += kChunk) {
    out.clear();
    sel.execute(iq.subspan(i, std::min(kChunk, iq.size() - i)), out);
    rx.execute(out);
  }
  if (stats) *stats = rx.stats();
  return blocks;
}

}  // namespace tw::gsm
