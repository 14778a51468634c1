// Wideband polyphase filterbank channelizer: splits a capture at fs into all M = fs / 200 kHz channels at
// once (13 Msps -> 65, 10 Msps -> 50, 20 Msps -> 100, 2.4 Msps -> 12), each channel decimated by D.
//
// Channels. Channel k (k = -floor(M/2) .. ceil(M/2)-1) is centred at k * fs/M = k * 200 kHz from the capture
// centre; row i of the output holds channel k = i - floor(M/2) (ascending frequency; FFT bin k mod M). For
// even M the last bin, at -fs/2, is channel -M/2 (half of it lies beyond the captured band).
//
// Output rate fs/D. Default D: when fs is a multiple of 541666.67 Hz (= 2 GSM samples/symbol,
// 45.004 clause 2: 1625000/6 symbols/s), D = fs/541666.67 (13 Msps -> D = 24, 6.5 Msps -> 12), so the GSM
// receiver's 4 samples/symbol is an exact 2/1 interpolation; otherwise D = floor(M/2), i.e. the output
// rate fs/floor(M/2) >= 400 ksps (10 Msps -> 400 ksps, 20 Msps -> 400 ksps, 2.4 Msps -> 400 ksps), which
// ChannelSelector resamples exactly to 1083333.33 Hz (e.g. 400000 -> 1083333.33 is 65/24).
// fs/200 kHz not an integer: tw::InputError naming input_rate_hz (no fallback; tune the radio to a rate
// that is a multiple of 200 kHz, or use ChannelSelector per channel).
//
// Prototype: Kaiser-windowed sinc of L = K*M taps (K = taps_per_branch, default 14), -6 dB at 140 kHz,
// ~70 dB stop band from ~171 kHz: flat (< 0.01 dB) to +-100 kHz, >= 60 dB at the adjacent channel's centre.
// Unit DC gain: a tone of amplitude A at a channel centre comes out with amplitude A.
//
// Algorithm (no per-sample rotation): for output time n (the newest input used),
//   y_k[n] = sum_{i<L} h[i] x[n-i] e^{-j2pi k (n-i)/M}
//          = e^{-j2pi k (n-M+1)/M} * DFT_M{ a }[k],  a[p] = sum_{r<K} h[rM + M-1-p] x[n - rM - (M-1) + p],
// i.e. K contiguous multiply-accumulates of length M (vectorisable), one M-point FFTW transform, one phase
// table look-up per channel. The mixing phase is referenced to the absolute input index, so each channel is
// exactly "shift by -k*200 kHz, low-pass, keep every D-th sample", phase-continuous across blocks.
//
// Sample bookkeeping: output m (counted from the first sample after construction/reset) of every channel
// is y_k[m*D]: its newest input is input sample m*D (inputs before sample 0 are zeros), and with the
// linear-phase prototype it represents the channel signal at input time m*D - (L-1)/2
// (input_time_of_output). Streaming in blocks of any size gives exactly the one-shot output.
//
// Threads: one instance is not shared between threads (execute mutates it); different instances may run
// concurrently (FFTW plans are created under a lock). The filter work is common to all channels, so the
// caller parallelises the per-channel receivers, not this. set_channels() limits which rows are written.
#pragma once
#include <complex>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

namespace tw::dsp {

using cf32 = std::complex<float>;

// The FFTW planner is not thread-safe (FFTW manual, "Thread safety"): hold this lock around every
// fftwf_plan_* / fftwf_destroy_plan (PfbChannelizer and PowerCensus do). fftwf_execute needs no lock.
std::mutex& fftw_planner_mutex();

struct PfbChannelizerConfig {
  double input_rate_hz = 0.0;           // fs: a multiple of channel_spacing_hz
  double channel_spacing_hz = 200e3;    // 45.005 clause 2: 200 kHz carrier spacing
  unsigned output_decimation = 0;       // D; 0: automatic (see above). 1 <= D <= M/2 otherwise.
  unsigned taps_per_branch = 14;        // K: prototype length K*M
  double cutoff_hz = 140e3;             // prototype -6 dB point
  double stopband_db = 70.0;            // Kaiser design attenuation
};

class PfbChannelizer {
 public:
  // Throws tw::InputError naming the field for a rate that is not a multiple of the spacing, a bad
  // decimation or filter parameter.
  explicit PfbChannelizer(const PfbChannelizerConfig& cfg);
  ~PfbChannelizer();
  PfbChannelizer(const PfbChannelizer&) = delete;
  PfbChannelizer& operator=(const PfbChannelizer&) = delete;

  // Consumes all of `in`. out is resized to num_channels() rows; each active row is resized to the number
  // of outputs this block completed (returned) and filled; inactive rows are emptied. Rows keep their
  // capacity between calls: no allocation once they have grown to the largest block.
  std::size_t execute(std::span<const cf32> in, std::vector<std::vector<cf32>>& out);
  // Back to the state after construction (zero history, counters at 0); the active set is kept.
  void reset();

  // Rows to compute (indices 0..M-1); empty: all. Throws tw::InputError for an index out of range.
  void set_channels(std::span<const int> rows);

  unsigned num_channels() const { return m_; }
  unsigned decimation() const { return d_; }
  unsigned taps_per_branch() const { return k_; }
  std::size_t prototype_length() const { return static_cast<std::size_t>(k_) * m_; }
  double input_rate_hz() const { return fs_; }
  double output_rate_hz() const { return fs_ / d_; }
  // Channel number k of row i (i - floor(M/2)), its offset from the capture centre, and back.
  int channel_number(int row) const { return row - static_cast<int>(m_ / 2); }
  double channel_offset_hz(int row) const { return channel_number(row) * spacing_; }
  // Row of the channel centred nearest `offset_hz`, or -1 when that is more than spacing/2 away from
  // every channel.
  int row_of_offset(double offset_hz) const;
  // Input time (in input samples, fractional) that output m represents: m*D - (L-1)/2.
  double input_time_of_output(std::uint64_t m) const;
  std::uint64_t inputs_consumed() const { return n_in_; }
  std::uint64_t outputs_produced() const { return n_out_; }
  const std::vector<float>& prototype() const { return proto_; }

 private:
  void compute_output(const cf32* newest);   // newest: pointer to x[n] in buf_
  void emit(std::uint64_t n, std::size_t j, std::vector<std::vector<cf32>>& out);

  double fs_ = 0.0, spacing_ = 200e3;
  unsigned m_ = 0, d_ = 0, k_ = 0;
  std::vector<float> proto_;       // h[0..L)
  std::vector<float> taps_;        // K rows of 2M floats: row r, lane 2p+{0,1} = h[rM + M-1-p]
  std::vector<cf32> twiddle_;      // e^{-j2pi i/M}
  std::vector<int> rows_;          // active rows (ascending)
  std::vector<unsigned> row_bin_;  // FFT bin of each active row
  std::vector<cf32> buf_;          // L-1 history + up to kChunk new samples
  std::size_t fill_ = 0;           // valid samples in buf_
  std::uint64_t n_in_ = 0, n_out_ = 0;
  std::uint64_t next_n_ = 0;       // input index of the next output (m*D)
  float* fft_in_ = nullptr;        // interleaved complex, M
  float* fft_out_ = nullptr;
  void* plan_ = nullptr;
};

}  // namespace tw::dsp
