#include "src/pipeline/gsm_block_fold.hpp"

#include "src/core/hex.hpp"
#include "src/gsm/l3_message.hpp"
#include "src/gsm/message_json.hpp"

namespace tw {

using nlohmann::json;

GsmBlockFold::GsmBlockFold(GsmCellTracker& tracker, bool keep_identities, bool block_events,
                           const std::optional<std::string>& gsmtap, std::function<void(const json&)> on_event)
    : tracker_(tracker), block_events_(block_events), on_event_(std::move(on_event)) {
  parse_opts_.keep_identities = keep_identities;
  if (gsmtap) gsmtap_ = std::make_unique<GsmtapSender>(*gsmtap);
}

void GsmBlockFold::on_block(const GsmBlockIn& b) {
  // Privacy: the one copy of the octets every output below sees, bystanders' identities overwritten
  // (unless --keep-identities); the parse counts them from the block as received.
  auto octets = b.octets;
  gsm::ParsedMessage msg;
  if (b.channel == "SDCCH/4" || b.channel == "SACCH/C4") {
    // Dedicated channels carry one phone's signalling in LAPDm frames (44.006: address, control, length),
    // not the CCCH's pseudo-length format: identities lie where no CCCH parser looks, and a LAPDm header can
    // even read as a Paging Request. Not parsed; the body is padding unless --keep-identities.
    msg.name = "Dedicated channel (not decoded)";
    msg.error = b.channel + ": dedicated signalling is not decoded";
    if (!parse_opts_.keep_identities)
      for (std::size_t i = 3; i < octets.size(); ++i) octets[i] = 0x2b;
  } else {
    msg = gsm::parse_l3_block_redacting(octets, parse_opts_);
  }
  if (block_events_ && on_event_) {
    json j{{"type", "gsm_block"},
           {"arfcn", b.key.arfcn ? json(*b.key.arfcn) : json(nullptr)},
           {"fn", b.fn},
           {"tn", b.tn},
           {"channel", b.channel},
           {"hex", hex_octets(octets)},
           {"message", msg.name}};
    if (msg.ok) j["fields"] = gsm::to_json(msg);
    else j["parse_error"] = msg.error;
    on_event_(j);
  }
  if (gsmtap_) {
    GsmtapBlock g;
    g.arfcn = b.key.arfcn;
    g.pcs1900 = b.key.band == "PCS1900";
    g.fn = b.fn;
    g.tn = b.tn;
    g.channel = b.channel;
    g.power_dbm = b.power;
    g.snr_db = b.snr_db;
    g.octets = octets;
    gsmtap_->send(g);
  }
  tracker_.on_message(b.key, msg, b.fn);
}

}  // namespace tw
