// Power census of a wideband capture: averaged power per 200 kHz channel (Welch: Hann window, 50 %
// overlap, FFTW), a robust noise floor, and which channels carry a signal worth a receiver.
//
// Channels: centred at grid_offset_hz + k * spacing from the capture centre, for every k whose whole band
// (centre +- spacing/2) lies inside +-fs/2. Any sample rate works; when fs/spacing = M is an integer the
// FFT has M * bins_per_channel points and each channel is exactly bins_per_channel bins, otherwise the FFT
// has ceil(fs * bins_per_channel / spacing) points and a channel is the bins whose centre falls in
// [centre - spacing/2, centre + spacing/2).
//
// Normalisation (Parseval): channel power = sum over its bins of |X|^2 / (nfft * sum w^2), averaged over
// frames, in dBFS (full scale: |x| = 1). A tone of amplitude A inside a channel reads 20 log10(A) dBFS;
// complex white noise of total power P reads P * (channel bandwidth / fs).
//
// Noise floor: the floor_quantile (default 0.25, linear interpolation) of the channel powers in dB. Up to
// three quarters of the channels may be occupied (or leak) without moving it, and it ignores the strong
// ones completely; the Welch average over >= 16 bins and many frames makes an empty channel's estimate
// steady to a fraction of a dB.
//
// above_floor: power > floor + margin_db, and the channel is not explained by a stronger neighbour's
// spectrum. A C0 carrier (GMSK, mostly dummy bursts, whose fixed pattern makes the spectrum lopsided)
// puts about -14 dBc into the adjacent 200 kHz channel above it and -19 dBc into the one below, and
// under -50 dBc into the second-adjacent ones (measured on the scene synthesizer's cells). A channel more
// than adjacent_rejection_db below an adjacent channel, or more than second_adjacent_rejection_db below a
// second-adjacent one, is flagged `leakage` instead. The defaults (11 dB, 40 dB) still keep a carrier that
// a receiver could decode next to a stronger one at the reference interference ratios of 45.005
// clause 6.3 (C/Ia1 = -9 dB, C/Ia2 = -41 dB, the latter to within 1 dB).
#pragma once
#include <complex>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tw::dsp {

using cf32 = std::complex<float>;

struct PowerCensusConfig {
  double sample_rate_hz = 0.0;
  double channel_spacing_hz = 200e3;
  double grid_offset_hz = 0.0;          // |grid_offset_hz| <= spacing/2: channel centres off the capture centre
  unsigned bins_per_channel = 16;       // FFT resolution: spacing / bins_per_channel (12.5 kHz)
  double floor_quantile = 0.25;         // 0 < q < 1
  double margin_db = 6.0;
  double adjacent_rejection_db = 11.0;
  double second_adjacent_rejection_db = 40.0;
};

struct ChannelPower {
  int k = 0;                  // channel number: centre at grid_offset + k * spacing
  double offset_hz = 0.0;     // channel centre minus capture centre
  double power_dbfs = -200.0;
  bool above_floor = false;   // a signal: above floor + margin and not leakage
  bool leakage = false;       // above floor + margin, but explained by a stronger neighbour
};

struct CensusResult {
  std::vector<ChannelPower> channels;   // ascending offset
  double noise_floor_dbfs = -200.0;
  std::size_t frames = 0;               // Welch frames averaged (0: too few samples, all powers -200)
};

class PowerCensus {
 public:
  // Throws tw::InputError naming the field for a bad rate, spacing, quantile or resolution.
  explicit PowerCensus(const PowerCensusConfig& cfg);
  ~PowerCensus();
  PowerCensus(const PowerCensus&) = delete;
  PowerCensus& operator=(const PowerCensus&) = delete;

  // Adds the Welch frames `in` completes (streaming: any block sizes give the same result as one block).
  void execute(std::span<const cf32> in);
  CensusResult result() const;
  void reset();

  std::size_t fft_size() const { return nfft_; }
  std::size_t frames() const { return frames_; }
  std::size_t num_channels() const { return chan_k_.size(); }

 private:
  void process_frame();

  PowerCensusConfig cfg_;
  std::size_t nfft_ = 0, hop_ = 0;
  std::vector<float> window_;
  double window_power_ = 0.0;              // sum w^2
  std::vector<int> chan_k_;                // channel numbers
  std::vector<std::size_t> bin_first_;     // per channel: [first, first+count) in bin index space (mod nfft)
  std::vector<std::size_t> bin_count_;
  std::vector<double> acc_;                // sum of |X|^2 per bin over frames
  std::vector<cf32> pending_;              // nfft samples: the frame being filled
  std::size_t pending_fill_ = 0;
  std::size_t frames_ = 0;
  float* fft_in_ = nullptr;
  float* fft_out_ = nullptr;
  void* plan_ = nullptr;
};

}  // namespace tw::dsp
