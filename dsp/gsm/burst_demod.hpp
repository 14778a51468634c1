// Burst demodulation on the working-rate stream (4 samples/symbol): frequency correction, channel
// low-pass, burst timing from the training sequence, least-squares channel estimate (5 taps) and soft
// MLSE (dsp/gsm/mlse). One object serves normal bursts (TSC 0..7, 45.002 clause 5.2.3) and SCH bursts
// (64-bit extended training sequence, clause 5.2.5). Work buffers are sized once: no allocation per burst.
#pragma once
#include <array>
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "dsp/gsm/gsm_constants.hpp"
#include "dsp/gsm/mlse.hpp"

namespace tw::gsm {

enum class BurstKind { normal, sch };

struct BurstResult {
  std::array<std::int8_t, kBurstBits> soft{};   // osmocom sbit_t per burst bit (> 0: bit 0)
  std::array<float, kBurstBits> llr{};
  std::array<cf32, kMlseTaps> channel{};
  double start = 0.0;        // absolute sample index of burst bit 0 (its main pulse tap)
  double snr_db = 0.0;       // channel energy over LS residual noise
  double power_dbfs = -200;  // mean |x|^2 over the burst, before filtering (0 dBFS = |x| of 1)
  double training_corr = 0;  // normalised training correlation 0..1 at the chosen timing
};

class BurstDemodulator {
 public:
  explicit BurstDemodulator(double sample_rate_hz = kWorkingRate);

  // buf holds absolute samples [buf_first, buf_first + buf.size()). The burst's bit 0 is expected at
  // `nominal_start` +- `search` samples. cfo_hz is removed first (phase referenced to the absolute index).
  // Returns false when the window is not inside the buffer.
  bool demodulate(std::span<const cf32> buf, std::int64_t buf_first, std::int64_t nominal_start,
                  int search, double cfo_hz, BurstKind kind, int tsc, BurstResult& out);

  // Samples needed on each side of [nominal_start - search, nominal_start + 148*4 + search).
  static constexpr int kMargin = 64;

 private:
  struct Training {
    int first = 0;                 // burst bit index of the first training bit
    std::vector<float> sym;        // a_n = 1 - 2 b_n
    std::vector<float> pinv;       // 5 x neq, LS pseudo-inverse, row-major
    int neq = 0;
    int corr_first = 0, corr_len = 0;  // part of the sequence used for the timing search
  };
  void build_training(Training& t, std::span<const std::uint8_t> bits, int first, int corr_first,
                      int corr_len);
  // Filtered samples of phase q (window index 4m+q) for m in [m_lo, m_hi) into filt_[q] (computed once).
  void filter_phase(int q, int m_lo, int m_hi);
  double fs_;
  std::vector<float> lpf_;
  // The window is kept split by sample phase (index mod 4, the symbol-spaced streams the receiver reads):
  // raw_[q][m] = corrected sample 4m+q; filt_[q] the channel-filtered ones,
  // de-rotated by j^-m (45.004 clause 2.3, the GMSK-as-linear view), valid over [done_lo_[q], done_hi_[q]).
  std::array<std::vector<cf32>, 4> raw_, filt_;
  std::array<int, 4> done_lo_{}, done_hi_{};
  int win_ = 0;                    // window length in samples
  std::array<Training, 9> train_;  // 0..7 normal TSC, 8 SCH
  Mlse mlse_;
  std::vector<cf32> obs_;
  std::vector<std::int8_t> known_;
  std::vector<float> llr_;
};

}  // namespace tw::gsm
