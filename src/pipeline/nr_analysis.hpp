// One NR analysis run over an IqSource (analyze, sweeps): the first `seconds` of signal searched at every
// synchronization raster point (GSCN, TS 38.104 5.4.3) whose PSS lies in the capture (dsp/nr/ssb_receiver:
// SSB search, PBCH, MIB), one {"type":"cell","rat":"NR",...} record per cell with the MIB's fields
// (src/nr/mib, TS 38.331) and k_SSB (38.213 4.1). The capture's centre must be known to place the raster;
// without it the centre itself is searched at 15 and 30 kHz (records without GSCN).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/iq_source.hpp"

namespace tw {

struct NrAnalysisOptions {
  double seconds = 0.045;               // an SSB burst every 20 ms (38.213 4.1): 45 ms holds >= 2, combined
  std::vector<int> bands;               // NR bands whose raster is searched (empty: every supported band)
  std::optional<double> max_cfo_hz;     // default: 100 ppm of the SSB's frequency
  // PSS/SSS combined over SSB occasions this far apart (dsp/nr/ssb_search.hpp 2b; 20 ms: the initial-access
  // period, 38.213 4.1); 0: each occasion alone. Needs >= 2 occasions in `seconds` to gain anything.
  double combine_period_ms = 20.0;
};

struct NrAnalysisResult {
  std::uint64_t samples = 0;
  double seconds = 0.0;
  int raster_points = 0;                // GSCN x SCS searched
  std::string pbch;                     // "decodable" (the SSB fits the rate) | "PCI only" | "" (nothing searched)
  std::vector<nlohmann::json> cells;
};

NrAnalysisResult run_nr_analysis(IqSource& source, const NrAnalysisOptions& options);
// The same on a block of samples; center_hz 0: unknown.
NrAnalysisResult search_nr_block(std::span<const cf32> iq, double sample_rate_hz, double center_hz,
                                 const NrAnalysisOptions& options);

// "GSCN NR-ARFCN MHz SCS PCI SSB SFN HF kSSB CORESET0 barred RSRP SINR CFO(ppm)".
void print_nr_cell_table(const std::vector<nlohmann::json>& cells);

}  // namespace tw
