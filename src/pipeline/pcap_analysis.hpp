// One analysis run over a pcap/pcapng file (hw/pcap_source): every frame decoded to a GSM block or an LTE
// RRC message (src/capture/packet_decoder) and folded into cell records by the same code as the IQ path:
// GSM blocks through GsmBlockFold (parse, redaction, events, GSMTAP, the cell tracker), LTE messages through
// LteMessageFold (the System Information fold of lte_system_info). Time is the packets' timestamps.
//
// GSM cells are keyed by their GSMTAP ARFCN (with the PCS flag): the header has no BSIC and no frequency
// error, so these records carry "bsic": null and "cfo_hz": null; their level is the mean GSMTAP signal
// field ("power_dbfs": towerwatch writes dBFS there, other writers dBm) and SNR field. Uplink blocks are not
// read (a cell record describes what the cell broadcasts). A carrier whose SI3 or SI4 never came has no
// identity and gives no record (its blocks still go out as events).
//
// The whole file is one sweep, or with sweep_seconds one sweep per that many seconds of packet time from the
// first packet (a packet whose time goes backwards stays in the current sweep): each sweep gets its own
// cell records and is scored and stored as a sweep.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/pcap_source.hpp"
#include "src/capture/packet_decoder.hpp"

namespace tw {

struct PcapAnalysisOptions {
  bool keep_identities = false;
  bool block_events = false;               // "gsm_block" / "lte_block" events
  std::optional<std::string> gsmtap;       // re-send every block ("HOST:PORT", "" for the default)
  std::uint16_t gsmtap_port = capture::kGsmtapPort;
  std::optional<double> sweep_seconds;
};

struct PcapSweep {
  int index = 0;
  // With sweep_seconds: the start of the sweep's window on the grid of sweep_seconds from the first packet;
  // without: the first packet's time. end_s: the time of its last decoded packet.
  double start_s = 0.0, end_s = 0.0;
  std::vector<nlohmann::json> cells;       // GSM then LTE records
  nlohmann::json lte_counters;
};

struct PcapAnalysisResult {
  int link_type = -1;
  capture::PacketCounters counters;
  std::size_t sweeps = 0;
  double first_s = 0.0, last_s = 0.0;
  nlohmann::json summary_json(const std::string& path) const;   // {"type":"summary","pcap":...}
};

// on_event: "cell" records when first known / changed, "gsm_block" and "lte_block" events (block_events);
// on_sweep: every completed sweep with its final records. Throws tw::InputError for a damaged file.
PcapAnalysisResult run_pcap_analysis(PcapSource& source, const PcapAnalysisOptions& options,
                                     const std::function<void(const nlohmann::json&)>& on_event,
                                     const std::function<void(const PcapSweep&)>& on_sweep);

}  // namespace tw
