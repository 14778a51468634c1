// OFDM demodulation of one LTE downlink cell over its whole bandwidth (TS 36.211 6.12, inverted): for each
// OFDM symbol of a subframe the cyclic prefix is dropped, the useful part (2048 Ts) is taken at the cell's
// timing (fractional sample, the eNodeB's clock scale applied), the carrier offset is removed and an FFT
// gives the 15 kHz grid a_{k,l}, k = 0 .. 12 N_RB - 1 numbered as in dl_subframe.hpp (no DC subcarrier, no
// half-subcarrier shift on the downlink).
//
// Any sample rate from the cell's occupied bandwidth up to 30.72 Msps (and beyond) is served:
//   - fs / 15 kHz an integer N (1.92, 3.84, ..., 19.2, 30.72 Msps): an N-point FFT on the received samples,
//     the window starting at the nearest sample, the fractional rest and the window's advance into the CP
//     compensated by a phase ramp over the subcarriers (exact for a delay inside the CP);
//   - otherwise (20 Msps: 1333.3 samples per symbol): the useful part is resampled to N' = 128 ceil(fs /
//     15 kHz / 128) points at the exact (fractional, clock-scaled) instants with a Kaiser-windowed sinc
//     interpolator (48 taps, cut off at the input's Nyquist frequency), then an N'-point FFT.
// out.re is scaled by 1/N: a resource element sent with amplitude a arrives as (path gain) a.
#pragma once
#include <complex>
#include <cstdint>
#include <memory>
#include <span>

#include "dsp/lte/dl_subframe.hpp"

namespace tw::dsp::lte {

struct DlTiming {
  double sample_rate_hz = 1.92e6;
  double carrier_offset_hz = 0.0;    // cell carrier minus capture centre, CFO included
  double frame_start_sample = 0.0;   // fractional sample index (at sample_rate_hz) where the radio frame with
                                     // SFN sfn0 starts; may be negative or past the end
  int sfn0 = 0;
  double clock_scale = 1.0;          // the eNodeB's samples per receiver sample (1 + drift); one crystal:
                                     // 1 + carrier offset / carrier
};

class DlOfdmDemodulator {
 public:
  // Throws tw::InputError naming the field: a cell outside the specification (n_prb, pci, ports), a rate
  // below the cell's occupied bandwidth or above 250 Msps, a clock scale outside 1 +- 1e-3, sfn0 outside
  // 0..1023, a non-finite offset or start.
  DlOfdmDemodulator(const CellParams& cell, const DlTiming& timing);
  ~DlOfdmDemodulator();
  DlOfdmDemodulator(const DlOfdmDemodulator&) = delete;
  DlOfdmDemodulator& operator=(const DlOfdmDemodulator&) = delete;

  // Subframe `subframe` (0..9) of radio frame `frame` counted from sfn0 (out.sfn = (sfn0 + frame) mod 1024).
  // iq[0] is sample index 0 of the timing. Returns false (out untouched) when the subframe is not wholly
  // inside iq. Fills out.re, sfn, subframe, n_prb, n_symbols; leaves out.h and noise_var to the channel
  // estimator. Throws tw::InputError for a subframe outside 0..9.
  bool execute(std::span<const cf32> iq, std::int64_t frame, int subframe, DlSubframe& out);

  void set_timing(const DlTiming& timing);   // same checks as the constructor
  const DlTiming& timing() const;
  int fft_size() const;                      // N of the FFT actually run
  bool resampling() const;                   // true for a rate that is not a multiple of 15 kHz
  // Receiver sample index (fractional) where the useful part of symbol l of (frame, subframe) starts.
  double useful_start(std::int64_t frame, int subframe, int l) const;
  void reset() {}

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Fine timing from the cell's own reference signals (36.211 6.10.1, port 0): from every subframe of iq
// that the coarse timing places wholly inside it (at most max_subframes, spread over the capture), the
// phase slope of the CRS over frequency (delay: frame_start_sample) and the phase turn between the CRS of
// slot 0 and slot 1 (frequency: carrier_offset_hz); `iterations` rounds. The coarse timing must be within
// about +-50 samples at 19.2 Msps (+-2.6 us) and +-900 Hz. Returns the refined timing (the coarse one when
// no subframe is usable).
DlTiming refine_dl_timing(const CellParams& cell, const DlTiming& coarse, std::span<const cf32> iq,
                          int max_subframes = 20, int iterations = 3);

}  // namespace tw::dsp::lte
