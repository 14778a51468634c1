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
};

struct GsmAnalysisResult {
  std::uint64_t samples = 0;
  double seconds = 0.0;
  std::size_t channels = 0;
  std::size_t channels_searched = 0;
  std::uint64_t blocks = 0;
  std::uint64_t gaps = 0;
  std::uint64_t lost_samples = 0;
  std::vector<nlohmann::json> cells;    // the last record of every cell, in order of first report
  nlohmann::json summary_json(const StreamInfo& info) const;  // {"type":"summary",...}
};

// Runs to the end of the stream (or max_seconds). `on_event` receives every "cell" record when it is
// first known and when it changes, and every "gsm_block" when block_events is set. Throws what the
// source throws (tw::RuntimeFailure for a vanished device).
GsmAnalysisResult run_gsm_analysis(IqSource& source, const GsmAnalysisOptions& options,
                                   const std::function<void(const nlohmann::json&)>& on_event);

// The human table of cells ("ARFCN MHz BSIC MCC MNC LAC CI dBFS SNR CFO SI").
void print_cell_table(const std::vector<nlohmann::json>& cells);

// "41 06 21 ..." as in gr-gsm's and the truth files' hex.
std::string hex_octets(const std::uint8_t* octets, std::size_t n);

}  // namespace tw
