// LTE RRC messages that arrive already decoded from the air (a pcap: GSMTAP LTE RRC, MAC-LTE SI-RNTI /
// P-RNTI / BCH PDUs) folded into LTE cell records with the same System Information fold as the IQ path
// (fold_bcch_dl_sch, put_lte_system_info in lte_system_info.hpp) and the same outputs ("lte_block" events,
// GSMTAP re-send: lte_rrc_output.hpp).
//
// Which cell a message belongs to: the framing gives no PCI (GSMTAP has no field for it, MAC-LTE neither)
// and an EARFCN only in GSMTAP's ARFCN field, so messages are grouped in streams of the same (EARFCN, PCI,
// MAC-LTE carrier id), each unknown part null. In a stream the cell is the one whose SIB1 came last: a cell
// record is keyed by its stream and SIB1's identity (first PLMN, TAC, 28-bit cell identity, TS 36.331
// 6.2.2 CellAccessRelatedInfo), and the MIB and SI messages that follow a SIB1 are that cell's until a SIB1
// with another identity arrives; messages before a stream's first SIB1 wait for it (at most 64). A stream
// that never sends a SIB1 gives no record (it has no identity to score), only counters.
//
// Privacy: a PCCH message (Paging) carries bystanders' S-TMSIs and IMSIs. Its records are counted per cell by
// identity type (src/lte/pcch) and the message is never output (no "hex" in its lte_block event, never re-sent over GSMTAP) unless keep_identities.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/capture/captured_message.hpp"
#include "src/lte/lte_rrc.hpp"
#include "src/output/gsmtap.hpp"

namespace tw {

class LteMessageFold {
 public:
  static constexpr std::size_t kMaxWaiting = 64;   // messages of a stream waiting for its first SIB1
  static constexpr std::size_t kMaxCells = 4096;   // cell records kept (a hostile capture: more are counted)

  LteMessageFold(bool keep_identities, bool block_events, const std::optional<std::string>& gsmtap,
                 std::function<void(const nlohmann::json&)> on_event);
  void on_message(const capture::CapturedLteRrc& m, double time_s);
  // The cell records, in order of first SIB1.
  std::vector<nlohmann::json> cells() const;
  nlohmann::json counters_json() const;   // {"messages","sib1_errors","si_errors","without_sib1","paging",...}

 private:
  struct Cell {
    nlohmann::json base;                  // rat, earfcn, band, freq_hz, pci, duplex, framing
    lte::LteSystemInfo info;
    std::string sib1_hex, mib_hex;
    nlohmann::json mib_fields;
    nlohmann::json si_messages = nlohmann::json::array();
    std::uint64_t messages = 0, paging = 0, si_errors = 0;
    std::uint64_t paging_imsi = 0, paging_tmsi = 0, paging_other = 0, paging_malformed = 0;
    double level_sum = 0.0, snr_sum = 0.0;
    std::uint64_t level_n = 0;
    double first_s = 0.0, last_s = 0.0;
  };
  struct Waiting {
    capture::CapturedLteRrc m;
    double time_s = 0.0;
    nlohmann::json mib_fields;                        // a MIB
    std::optional<lte::BcchDlSchMessage> parsed;      // a SystemInformation message
  };
  struct Stream {
    std::optional<std::size_t> cell;      // index into cells_
    std::deque<Waiting> waiting;
  };
  void apply(Cell& c, const capture::CapturedLteRrc& m, double time_s, const lte::BcchDlSchMessage* parsed);
  void output(const capture::CapturedLteRrc& m, double time_s, const std::string& message, const nlohmann::json& fields,
              const std::string& error);
  nlohmann::json record(const Cell& c) const;

  bool keep_identities_, block_events_;
  std::unique_ptr<GsmtapSender> gsmtap_;
  std::function<void(const nlohmann::json&)> on_event_;
  std::map<std::string, Stream> streams_;
  std::vector<Cell> cells_;
  std::map<std::string, std::size_t> cell_index_;
  std::uint64_t messages_ = 0, sib1_errors_ = 0, dropped_waiting_ = 0, dropped_cells_ = 0, mib_errors_ = 0;
};

}  // namespace tw
