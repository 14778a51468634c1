// NR SS/PBCH block search at one synchronization raster point (TS 38.211 7.4.2-7.4.3, 38.213 4.1, 38.215):
//   1. PSS (3 N_ID(2)) correlation at 128 samples per symbol (1.92 Msps at 15 kHz, 3.84 at 30 kHz) cut out of
//      the capture's spectrum around SS_REF, over carrier-offset hypotheses spaced SCS/2 up to +-max_cfo
//      (100 ppm of SS_REF by default): each hypothesis is a shift of the cut, the correlation an FFT product.
//      Metric: |corr|^2 over the replica's and the window's energies (noise: 128 x metric ~ Exp(1)); peaks
//      above a false-alarm threshold over all hypotheses, several per N_ID(2).
//   2. Fine timing (parabola over the peak), fine CFO (phase between the PSS's halves), the PSS and SSS
//      symbols' 127 subcarriers; SSS (1008 PCIs) with the PSS as channel reference (SssDetector).
//   2b. Combining over SSB periods (combine_period_ms): the per-hypothesis metric folded over the occasions
//      (noise: a sum of K Exp(1), threshold from the Gamma(K) tail at the same expected noise peak count), the
//      SSS over the occasions' channel-referenced products (noise score^2 still ~ Exp(1)); one detection per
//      occasion. The single-occasion peaks are searched too (periods other than 20 ms, cells in one occasion).
//   3. SS-RSRP (SSS RE power), SS-SINR (SSS against PSS channel estimates), CFO in Hz and ppm.
// Every SSB occurrence found is returned (a cell sends several per burst and one burst per period);
// extract_grid() gives an occurrence's 4 x 240 resource grid when the capture's band holds the whole SSB.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "dsp/nr/capture_spectrum.hpp"
#include "dsp/nr/pbch_dmrs.hpp"
#include "dsp/nr/ssb_grid.hpp"

namespace tw::dsp::nr {

struct SsbSearchConfig {
  double max_cfo_hz = -1.0;        // < 0: ppm x SS_REF (or 50 kHz when SS_REF is not known)
  double ppm = 100.0;
  int max_candidates = 24;         // PSS peaks per N_ID(2) passed to the SSS
  double pss_candidates = 30.0;    // expected noise peaks per search above the PSS threshold
  double sss_min_score = 4.5;      // SSS score (noise: score^2 ~ Exp(1), 336 hypotheses per peak)
  // SSB period assumed for combining (38.213 4.1: 20 ms for initial cell search); 0 (default, for now: a false
  // cell in test_sweep_nr_e2e_sim's n28 sweep with 20): every occasion searched on its own (single-SSB search). When the capture holds >= 2 periods, the PSS metric is also summed
  // non-coherently over the occasions t + k x period (per CFO hypothesis), and the SSS of a combined peak is
  // correlated coherently over its occasions (each referenced to its own PSS).
  double combine_period_ms = 0.0;
};

struct SsbTarget {
  double offset_hz = 0.0;          // SS_REF minus the capture's centre
  double ss_ref_hz = 0.0;          // absolute SS_REF (0: unknown; then ppm is not reported)
  int scs_khz = 15;                // 15 or 30
};

struct SsbDetection {
  int pci = -1, n_id_1 = -1, n_id_2 = -1;
  double pss_metric = 0.0;         // 128 x normalised correlation (noise ~ Exp(1))
  double sss_score = 0.0;
  int combined_occasions = 1;      // SSB occasions whose PSS/SSS gave this detection together
  double cfo_hz = 0.0;             // the SSB sits at SS_REF + cfo_hz
  double cfo_ppm = 0.0;
  double rsrp_dbfs = 0.0;          // SS-RSRP: power of one SSS RE relative to |x| = 1
  double sinr_db = 0.0;            // SS-SINR
  double ssb_start_sample = 0.0;   // capture sample of symbol 0's cyclic prefix start
  double pss_time_s = 0.0;         // start of the PSS's useful part
  bool pbch_band = false;          // the capture's band holds all 240 subcarriers (PBCH decodable)
};

class SsbSearch {
 public:
  SsbSearch(const CaptureSpectrum& spectrum, const SsbSearchConfig& cfg);
  ~SsbSearch();
  SsbSearch(const SsbSearch&) = delete;
  SsbSearch& operator=(const SsbSearch&) = delete;

  // Every SSB occurrence at this raster point, strongest first.
  std::vector<SsbDetection> execute(const SsbTarget& target);
  // The occurrence's resource grid (FFT at 256 samples per symbol), nullopt-like false when the SSB's
  // band or time span is not inside the capture.
  bool extract_grid(const SsbTarget& target, const SsbDetection& det, SsbGrid& grid) const;
  void reset() {}

  struct Impl;

 private:
  const CaptureSpectrum& spec_;
  SsbSearchConfig cfg_;
  std::unique_ptr<Impl> impl_;
};

// Whether the SSB's 240 subcarriers fit in a capture of this rate at this offset (with 2 % guard).
bool ssb_fits(double sample_rate_hz, double offset_hz, int scs_khz);

}  // namespace tw::dsp::nr
