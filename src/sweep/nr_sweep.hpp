// NR bands in a scan ("--band NR-n78,..."): the GSCN raster of each band (TS 38.104 table 5.4.3.3-1) covered
// by tunings (each holds every raster point within usable_fraction x rate / 2 minus the SSB's half-width: the
// whole SSB, so the PBCH, when the rate allows it, else the PSS/SSS), a dwell of `dwell_s` per tuning (30 ms:
// one 20 ms SSB period), and the NR receiver (src/pipeline/nr_analysis) on each. One record per (GSCN, PCI):
// the strongest SS-SINR among the tunings that saw it.
#pragma once
#include <atomic>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/sweep/scan_session.hpp"

namespace tw::sweep {

// Splits "--band": the NR names ("NR-n78", dsp/nr/nr_bands) out of `list` (returned), the rest left in `list`.
std::vector<int> take_nr_bands(std::string& list);

struct NrSweepResult {
  std::vector<nlohmann::json> cells;
  int tunings = 0;
  int raster_points = 0;
};

// The tunings' centres for the bands at a rate (usable_fraction of it flat).
std::vector<double> nr_tuning_centers(const std::vector<int>& bands, double sample_rate_hz, double usable_fraction);
NrSweepResult run_nr_sweep(ScanDevice& device, const std::vector<int>& bands, double usable_fraction, double dwell_s,
                           const std::atomic<bool>* stop);

}  // namespace tw::sweep
