// Cancellation of a detected cell's synchronisation signals (36.211 6.11: PSS and SSS) and of the cell-specific
// reference signals of its central 6 PRB (6.10.1: CRS, when its ports are known) from a 1.92 Msps
// capture, so that the rest of the cell search sees what that cell's sync signals hide.
//
// A strong cell's PSS correlates with the other roots' replicas and at other lags and carrier offsets
// (Zadoff-Chu cross-correlation and time/frequency ambiguity), and so does its SSS; the pattern repeats every
// half-frame, so the non-coherent fold over the capture turns it into dozens of PSS peaks above the noise
// thresholds near the cell's timing, each of which costs a timing refinement, an SSS and a PBCH attempt, and
// its SSS, several times stronger than a weak co-timed cell's, takes that cell's SSS detection. Per PSS
// occurrence the cell's channel is estimated from its PSS (least squares on the 62 subcarriers, smoothed over
// the delay profile: dsp/lte/delay_smoother), the PSS and the SSS are rebuilt through it (the SSS with its
// own least-squares gain: 36.211 leaves the SSS/PSS power ratio to the eNodeB) and subtracted over their CP
// and useful part. The CRS, 10 ms periodic too (their correlation with the PSS replicas at the subframes'
// first symbols passes the relaxed threshold and the coherence test), are rebuilt per subframe and port from
// that port's pilots of the subframe (smoothed likewise: 24 or 48 pilots for 15 taps) and subtracted. What is left of them is the estimate's error. Another cell's PSS leaks into the estimate
// only as much as the smoother's 15 taps let it (15/62 of its projection onto the cancelled cell's PSS
// times a low-delay channel): a co-timed cell of another root keeps nearly all of its sync signals.
//
// Object shape as the other DSP blocks: create, execute (in place on a span), reset (no state).
#pragma once
#include <array>
#include <complex>
#include <memory>
#include <span>
#include <vector>

namespace tw::dsp::lte {

// Where a cell's sync signals are in a capture (what the cell search measured).
struct SyncTrace {
  int n_id_1 = -1;
  int n_id_2 = -1;
  bool tdd = false;
  bool normal_cp = true;
  int pss_sample = 0;         // start of a PSS's useful part, modulo 9600 (the first occurrence is there)
  double pss_period = 9600.0; // samples between PSS occurrences (the capture's clock against the cell's)
  int sss_parity = 0;         // PSS occurrence h (0 at pss_sample) is in subframe 0 (its SSS that of
                              // subframe 0) when (h + sss_parity) is even
  double cfo_hz = 0.0;        // the cell's carrier in the capture's baseband
  int ports = 0;              // CRS antenna ports (from the MIB's CRC mask): their CRS are cancelled too; 0: not
  bool valid() const { return n_id_1 >= 0 && n_id_2 >= 0 && pss_period > 0.0; }
};

class SyncCanceller {
 public:
  SyncCanceller();
  ~SyncCanceller();
  SyncCanceller(const SyncCanceller&) = delete;
  SyncCanceller& operator=(const SyncCanceller&) = delete;

  // Subtracts the cell's PSS and SSS from y (1.92 Msps) in place; an invalid trace changes nothing.
  void execute(std::span<std::complex<float>> y, const SyncTrace& cell);
  void reset() {}

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw::dsp::lte
