// One LTE analysis run over an IqSource (file, device, simulated radio): the first `seconds` of signal are
// brought to 1.92 Msps around each searched offset (dsp/channel_select) and searched for cells
// (dsp/lte/cell_search: PSS/SSS, PBCH/MIB, measurements). Shared by `analyze` and the LTE sweeps, so offline
// and live runs take the same path. 1.92 Msps holds the central 6 PRB of any LTE cell (TS 36.211 6.6, 6.11):
// what PSS, SSS and PBCH need, whatever the cell's bandwidth.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/iq_source.hpp"
#include "src/pipeline/lte_system_info.hpp"

namespace tw {

struct LteAnalysisOptions {
  double seconds = 0.08;                // signal searched: 8 radio frames (PBCH spans 4; combining uses more)
  // System Information (lte_system_info.hpp) of every cell with a MIB whose bandwidth the capture holds, from
  // up to si_seconds of signal (SIB1 repeats every 80 ms; SI messages every 80..5120 ms, 160 ms commonly).
  bool system_information = true;
  double si_seconds = 0.32;
  std::optional<double> max_cfo_hz;     // default: 100 ppm of the carrier (270 kHz when it is unknown)
  std::vector<double> offsets_hz{0.0};  // carrier offsets from the capture centre searched (each a channel)
  // Several offsets: one PSS search per group of neighbouring offsets sharing the correlations, the rest of
  // the search only where PSS peaks are (false: each offset searched alone, the way before; the benchmark's
  // baseline).
  bool shared_search = true;
};

struct LteAnalysisResult {
  std::uint64_t samples = 0;            // samples read
  double seconds = 0.0;
  std::uint64_t gaps = 0;
  std::vector<nlohmann::json> cells;    // {"type":"cell","rat":"LTE",...} strongest first per offset
  std::vector<LteRrcMessage> messages;  // MIBs and System Information messages as received (GSMTAP, --blocks)
  // What the search narrowed or skipped ({"type":"lte_search_note","note":...}): a window wider than the
  // 1.92 Msps search holds, an offset outside the captured band. Also logged as warnings.
  std::vector<nlohmann::json> search_notes;
  nlohmann::json summary_json(const StreamInfo& info) const;  // {"type":"summary","rat":"LTE",...}
};

// Reads up to options.seconds of the stream and searches each offset (search_lte_block); what the search
// narrowed or skipped goes to search_notes. Throws what the source throws.
LteAnalysisResult run_lte_analysis(IqSource& source, const LteAnalysisOptions& options);

// Searches each of options.offsets_hz in a block of contiguous samples at sample_rate_hz (the sweeps read
// the block themselves). center_hz: the capture centre (0: unknown). A cell record gets "offset_hz",
// "frame_start_s" (seconds from the block's first sample to the start of the radio frame whose SFN is
// "sfn", filter delay removed; may lie past the block's end), "apparent_carrier_hz" (centre + offset +
// carrier offset: where the receiver sees the carrier, null when the centre is unknown), "freq_hz" (that
// frequency on the 100 kHz raster), "carrier_offset_ppm" (the apparent carrier's offset from freq_hz) and,
// when the frequency lies in an LTE band of TS 36.101 table 5.7.3-1, "earfcn" and "band". The search window
// is options.max_cfo_hz either side of each offset; the channel filter's pass band widens with it (at most
// 0.45 x 1.92 MHz: max_cfo_hz up to 324 kHz keeps the central 6 PRB inside it). A wider window is narrowed
// to 324 kHz and an offset outside the block's band skipped, each with a note in `notes` (nothing throws
// for them; a non-positive window is a tw::InputError).
// The search runs on the first options.seconds of the block; System Information (options.system_information)
// uses all of it, and its messages go to `messages` when given.
std::vector<nlohmann::json> search_lte_block(std::span<const cf32> iq, double sample_rate_hz, double center_hz,
                                             const LteAnalysisOptions& options,
                                             std::vector<LteRrcMessage>* messages = nullptr,
                                             std::vector<nlohmann::json>* notes = nullptr);

// Widest search window (carrier offset either side of a searched offset) the 1.92 Msps search holds with
// the central 6 PRB (+-540 kHz, TS 36.211 6.6) inside the channel filter's pass band (0.45 x 1.92 MHz).
inline constexpr double kLteMaxSearchCfoHz = 0.45 * 1.92e6 - 540e3;

// The human table of LTE cells ("EARFCN MHz PCI duplex CP ports PRB PHICH SFN RSRP SINR CFO").
void print_lte_cell_table(const std::vector<nlohmann::json>& cells);

}  // namespace tw
