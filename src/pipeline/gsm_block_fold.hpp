// One decoded GSM block into the outputs and the cell records: parsed once and redacted in place
// (bystanders' identities, unless keep_identities), then the "gsm_block" event, GSMTAP, and the cell tracker.
// The IQ path (gsm_analysis, the receiver's blocks) and the pcap path (pcap_analysis, GSMTAP blocks) both go
// through here, so a block gives the same record, the same redaction and the same outputs either way.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "src/cells/gsm_cell_tracker.hpp"
#include "src/output/gsmtap.hpp"

namespace tw {

struct GsmBlockIn {
  GsmCarrierKey key;               // the carrier (its ARFCN, band, frequency)
  std::uint32_t fn = 0;
  int tn = 0;
  std::string channel;             // "BCCH", "CCCH", "SDCCH/4", ...
  double power = 0.0;              // the block's level (dBFS from the receiver; GSMTAP's signal field)
  double snr_db = 0.0;
  std::array<std::uint8_t, 23> octets{};
};

class GsmBlockFold {
 public:
  // gsmtap: destination "HOST:PORT" ("" for the default) to re-send every block; on_event gets the
  // "gsm_block" events when block_events.
  GsmBlockFold(GsmCellTracker& tracker, bool keep_identities, bool block_events, const std::optional<std::string>& gsmtap,
               std::function<void(const nlohmann::json&)> on_event);
  void on_block(const GsmBlockIn& block);

 private:
  GsmCellTracker& tracker_;
  gsm::ParseOptions parse_opts_;
  bool block_events_;
  std::unique_ptr<GsmtapSender> gsmtap_;
  std::function<void(const nlohmann::json&)> on_event_;
};

}  // namespace tw
