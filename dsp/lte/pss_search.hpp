// LTE PSS search (TS 36.211 6.11.1) on a 1.92 Msps channel, over coarse carrier-offset hypotheses around one
// or several raster points ("slots") at once: the first stage of the cell search (cell_search.hpp).
//
// FFT (overlap-save, 1024 points) correlation of the input blocks with the three N_ID(2) replicas, each
// coarse CFO hypothesis a spectral shift of the blocks on a common grid of cfo_step_hz (rounded to 1875 Hz
// bins) around the channel centre; |.|^2 folded over the 5 ms half-frames (non-coherent) with the sampling
// clock assumed to share the carrier's crystal: a carrier `cfo` off its raster point stretches the
// half-frame to 9600 (1 - cfo / carrier_hz) samples. A slot (a raster point at offset_hz from the channel
// centre, searched +-max_cfo_hz) takes the shifts within its window and folds each with its own stretch, so
// slots whose windows overlap share the correlations (the costly part); each slot keeps its own maxima,
// thresholds and peaks, exactly as a search of that raster point alone would (CellSearch is the one-slot
// case). Peaks: above a threshold from the correlation's own mean (pss_false_alarms expected noise peaks per
// slot over its hypotheses), or above a relaxed one (pss_candidates; such a peak must prove coherent later),
// minus the shoulders of stronger peaks and cross-root leakage.
#pragma once
#include <complex>
#include <memory>
#include <span>
#include <vector>

namespace tw::dsp::lte {

struct PssPeak {
  int n_id_2 = 0;
  int bin = 0;          // sample index modulo the half-frame of the start of the PSS's useful part
  double cfo_hz = 0.0;  // coarse carrier offset from the slot's raster point
  double metric = 0.0;  // folded correlation over its mean
  bool strong = false;  // above the strict threshold: passed on whatever its coherence
  // The two thresholds the metric was held against (for its number of folded half-frames); 0: not known.
  double threshold = 0.0;
  double strict_threshold = 0.0;
  // After the cell search's refinement: coherence over the occurrences and the phase step between them.
  double coherence = 0.0;
  double step_rad = 0.0;
};

struct PssSlot {
  double offset_hz = 0.0;   // raster point, from the channel centre
  double max_cfo_hz = 0.0;  // searched +- this around it
};

struct PssSearchConfig {
  double carrier_hz = 0.0;          // > 0: the sampling clock drifts by cfo / carrier_hz (one crystal)
  double cfo_step_hz = 5625.0;
  int max_half_frames = 16;
  double pss_false_alarms = 0.1;    // per slot
  double pss_candidates = 30.0;     // per slot
  int max_cells = 8;                // per slot: peaks kept = max(4, 4 max_cells) + 2 pss_candidates
};

class PssSearch {
 public:
  explicit PssSearch(const PssSearchConfig& cfg);
  ~PssSearch();
  PssSearch(const PssSearch&) = delete;
  PssSearch& operator=(const PssSearch&) = delete;

  // Peaks of each slot (same order as `slots`), strongest first. x: 1.92 Msps.
  std::vector<std::vector<PssPeak>> execute(std::span<const std::complex<float>> x, std::span<const PssSlot> slots);
  void reset() {}

  // Hypotheses (coarse CFO shifts) tested by the last execute: what the correlations cost.
  int last_shifts() const { return last_shifts_; }
  const std::vector<std::complex<float>>& replica(int n_id_2) const;  // 128 samples, unit energy per sample

  struct Impl;

 private:
  PssSearchConfig cfg_;
  std::unique_ptr<Impl> impl_;
  int last_shifts_ = 0;
};

// Upper tail of a sum of K unit exponentials (Gamma(K,1)) and the threshold on their mean exceeded with
// probability p (the PSS fold's false-alarm thresholds).
double gamma_tail(int k, double x);
double mean_threshold(int k, double p);

}  // namespace tw::dsp::lte
