// Channel selection: mix one channel at `channel_offset_hz` from the capture centre down to baseband,
// low-pass it, and resample it from any input rate to the GSM receiver's working rate (4 samples per
// symbol, 1625000*4/6 = 1083333.33 Hz; see dsp/gsm/gsm_constants.hpp for why 4 sps).
//
// The rate change is an exact rational P/Q (a polyphase filter bank): output sample k lies at input time
// k*Q/P - delay, so sample counts can be mapped back to the input without drift. Streaming: blocks of any
// size in, the outputs they complete out.
#pragma once
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

namespace tw::dsp {

using cf32 = std::complex<float>;

struct ChannelSelectConfig {
  double input_rate_hz = 0.0;       // > 0: any rate the source delivers (270833.33 .. 20 MHz)
  double channel_offset_hz = 0.0;   // channel centre minus capture centre, |offset| < input_rate/2
  double half_bandwidth_hz = 100e3; // pass band edge of the low-pass (one side)
  double output_rate_hz = 1625000.0 * 4.0 / 6.0;  // the GSM working rate unless told otherwise
  double stopband_db = 60.0;
  // When the rate does not change (input already at the output rate), only mix: no low-pass. The GSM
  // receiver selects the channel itself (FCCH search over in-band FFT bins, burst low-pass), so nothing
  // folds and the filter's cost (~44 taps per sample) is saved.
  bool skip_filter_at_unit_ratio = false;
};

class ChannelSelector {
 public:
  // Throws tw::InputError on a rate or offset it cannot serve (naming the field).
  explicit ChannelSelector(const ChannelSelectConfig& cfg);

  // Consumes all of `in`; appends the completed output samples to `out` (out is resized, its capacity
  // reused: no allocation once it has grown). Returns the number of samples appended.
  std::size_t execute(std::span<const cf32> in, std::vector<cf32>& out);
  // The same, returning the selected samples: `in` itself when there is nothing to do (working rate, no
  // filter, channel at the centre: no copy), else `out` cleared and filled by execute().
  std::span<const cf32> select(std::span<const cf32> in, std::vector<cf32>& out);
  void reset();

  // Exact rate: output/input = interp()/decim().
  unsigned interp() const { return p_; }
  unsigned decim() const { return q_; }
  double output_rate_hz() const { return out_rate_; }
  // Input sample time (fractional input index) that output sample `k` represents (filter delay included).
  double input_time_of_output(std::uint64_t k) const;
  std::uint64_t inputs_consumed() const { return n_in_; }
  std::uint64_t outputs_produced() const { return n_out_; }
  std::size_t taps_per_phase() const { return k_; }
  bool bypassed() const { return bypass_; }
  // select() hands its input through unchanged (output sample i is input sample i).
  bool passes_through() const { return bypass_ && cfg_.channel_offset_hz == 0.0; }

 private:
  ChannelSelectConfig cfg_;
  unsigned p_ = 1, q_ = 1;
  bool bypass_ = false;
  double out_rate_ = 0.0;
  std::size_t k_ = 1;                 // taps per polyphase branch
  std::vector<float> bank_;           // p_ branches of k_ taps, each reversed (oldest sample first)
  std::vector<float> bank2_;          // the same with every tap twice (for the re and im of a sample)
  std::vector<cf32> hist_;            // last k_-1 mixed input samples followed by the current block
  std::uint64_t n_in_ = 0, n_out_ = 0;
  std::uint64_t acc_ = 0;             // (n_out_ * q_) relative bookkeeping: next output at input acc_/p_
  double mix_step_ = 0.0;             // radians per input sample
  cf32 rot_{1.f, 0.f}, rot_step_{1.f, 0.f};
};

}  // namespace tw::dsp
