// FCCH detection (3GPP TS 45.002 clause 5.2.4: 148 zero bits = a pure tone at +1625000/24 Hz for
// 148 symbols) over a wide frequency range: the receiver's frequency error may be up to +-100 ppm
// (+-95 kHz at 947 MHz), so the tone is searched anywhere in [67.7 kHz - max_cfo, 67.7 kHz + max_cfo]
// inside the band the input carries.
//
// Method: 256-point FFTs hopping by 128 samples; a window "hits" when the strongest allowed bin (with its
// two neighbours) holds most of the window's energy inside the input's pass band (out-of-band FFT bins are
// not counted, so an unfiltered wide input works). A run of 2..7 hits on the same bin is a candidate
// (a longer run is a continuous carrier, not an FCCH). The candidate is refined in the time domain: the
// frequency from phase increments, the burst start from the best coherent 148-symbol sum, then the
// frequency again over the whole burst. A detection is `confirmed` when another one lies 10 or 11 frames
// earlier at the same frequency (FCCH repeats at frames 0,10,20,30,40 of the 51-multiframe).
#pragma once
#include <array>
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "dsp/gsm/gsm_constants.hpp"

namespace tw::gsm {

using cf32 = std::complex<float>;

struct FcchConfig {
  double sample_rate_hz = kWorkingRate;  // 4 samples per symbol expected
  double max_cfo_hz = 100e3;             // search half-width around the nominal tone
  double max_abs_tone_hz = 0.0;          // |tone| limit (the input's pass band); 0: 0.45 * rate
  float hit_ratio = 0.45f;               // share of window energy in the peak bins for a hit
  double min_snr_db = 3.0;               // refined burst SNR (tone over noise in ~270 kHz) below this: rejected
};

struct FcchDetection {
  std::int64_t start = 0;   // absolute sample index of the burst's first sample (start of TS0)
  double tone_hz = 0.0;     // measured tone frequency
  double cfo_hz = 0.0;      // tone_hz - 1625000/24
  double snr_db = 0.0;      // tone power over residual, across the burst
  bool confirmed = false;   // another FCCH 10 or 11 frames earlier at the same frequency
};

class FcchDetector {
 public:
  explicit FcchDetector(const FcchConfig& cfg = {});
  ~FcchDetector();
  FcchDetector(const FcchDetector&) = delete;
  FcchDetector& operator=(const FcchDetector&) = delete;

  // Samples continue the stream; the first ever sample has index 0. Detections found during this call
  // are in detections() until the next call.
  void execute(std::span<const cf32> in);
  std::span<const FcchDetection> detections() const { return found_; }
  void reset();
  // The stream continues at absolute sample `abs` (>= samples_seen()) without analysing what lies between
  // (a synchronised receiver does not need the wide search); history, runs and pending candidates are dropped.
  void skip_to(std::int64_t abs);
  std::int64_t samples_seen() const { return hist_first_ + static_cast<std::int64_t>(hist_.size()); }

  static constexpr int kFft = 256;
  static constexpr int kHop = 128;

 private:
  struct Run {
    std::int64_t first = 0, last = 0;  // window starts
    int bin = 0, best_bin = 0;
    float best_ratio = 0.f;
    std::int64_t best_win = 0;
    int count = 0;
  };
  void analyse_window(std::int64_t w);
  void end_run();
  bool refine(const Run& r, FcchDetection& d);
  const cf32* at(std::int64_t abs) const { return hist_.data() + (abs - hist_first_); }

  FcchConfig cfg_;
  void* plan_ = nullptr;           // fftwf_plan
  cf32* fft_in_ = nullptr;         // fftwf_malloc'd
  cf32* fft_out_ = nullptr;
  std::vector<char> allowed_;      // per bin: where the tone may be
  std::vector<int> inband_;        // bins with |f| <= max_abs_tone_hz: the energy a hit is measured against
  std::vector<cf32> hist_;
  std::int64_t hist_first_ = 0;
  std::int64_t next_win_ = 0;
  bool run_active_ = false;
  Run run_;
  std::vector<Run> pending_;
  std::vector<FcchDetection> found_;
  std::array<FcchDetection, 8> recent_{};
  int n_recent_ = 0;
  std::vector<cf32> prefix_;
};

}  // namespace tw::gsm
