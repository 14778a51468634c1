// One GSM analysis run over an IqSource (file, device, simulated radio): the channel pipeline, parsing of
// every CRC-valid block, the cell tracker, optional GSMTAP; events go out as JSON objects. Shared by
// `analyze`, `demo` and (later) `scan`/`monitor`, so offline and live runs take the same path.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/iq_source.hpp"

namespace tw {

struct GsmAnalysisOptions {
  bool keep_identities = false;         // privacy: paging identities are only counted unless asked
  bool all_channels = false;            // skip the power census
  bool block_events = false;            // produce a "gsm_block" event per decoded block
  std::optional<std::string> gsmtap;    // destination "HOST:PORT" ("" for the default 127.0.0.1:4729)
  std::optional<double> max_seconds;    // stop after this much stream time (devices); files: to the end
  unsigned threads = 0;                 // channel receivers on this many threads (GsmPipelineConfig::threads;
                                        // 0: one per core); the results do not depend on it
  // Ends the run early (asked after every block read): e.g. a sweep's tuning once every carrier has its
  // System Information (GsmAnalysisProgress below).
  std::function<bool(const struct GsmAnalysisProgress&)> done;
};

// Where each channel of a run stands, for GsmAnalysisOptions::done.
struct GsmCarrierProgress {
  double offset_hz = 0.0;            // channel centre minus capture centre
  std::optional<int> arfcn;
  bool receiver = false;             // the pipeline's census gave it a receiver (false until the census ran)
  bool synced = false;               // an SCH was decoded (BSIC and FN known)
  double first_sync_s = -1.0;        // stream time of the first SCH
  // Bit TC set when a normal BCCH block (TS0 frames 2..5 of the 51-multiframe) with TC = (FN div 51) mod 8
  // was decoded: the 8 values cover every System Information message scheduled on the BCCH norm
  // (45.002 clause 6.3.1.3; 44.018 clause 3.2.2.1: SI1 TC 0, SI2 1, SI3 2 and 6, SI4 3 and 7, SI2bis/ter/
  // quater and SI13 4 and 5).
  std::uint8_t bcch_tc_seen = 0;
};
struct GsmAnalysisProgress {
  double seconds = 0.0;              // stream time so far
  bool started = false;              // the census ran and the receivers run (before: nothing is known)
  const std::vector<GsmCarrierProgress>* carriers = nullptr;   // one per pipeline channel
  const std::vector<nlohmann::json>* cells = nullptr;          // the cell records so far
};

struct GsmAnalysisResult {
  std::uint64_t samples = 0;
  double seconds = 0.0;
  std::size_t channels = 0;
  std::size_t channels_searched = 0;
  std::uint64_t blocks = 0;
  std::uint64_t gaps = 0;
  std::uint64_t lost_samples = 0;
  std::vector<nlohmann::json> cells;    // the last record of every cell, in order of first report; each
                                        // synchronised one has "sync_time_s": stream time (s from the run's
                                        // first sample) of the SCH whose frame number is "sync_fn"
  bool ended_early = false;             // options.done said so
  nlohmann::json summary_json(const StreamInfo& info) const;  // {"type":"summary",...}
};

// Runs to the end of the stream (or max_seconds). `on_event` receives every "cell" record when it is
// first known and when it changes, and every "gsm_block" when block_events is set. Throws what the
// source throws (tw::RuntimeFailure for a vanished device).
GsmAnalysisResult run_gsm_analysis(IqSource& source, const GsmAnalysisOptions& options,
                                   const std::function<void(const nlohmann::json&)>& on_event);

// The human table of cells ("ARFCN MHz BSIC MCC MNC LAC CI dBFS SNR CFO SI").
void print_cell_table(const std::vector<nlohmann::json>& cells);


}  // namespace tw
