#include "src/pipeline/lte_rrc_output.hpp"

#include "src/core/hex.hpp"

namespace tw {

using json = nlohmann::json;

json lte_block_json(const LteRrcMessage& m, bool with_octets) {
  json e{{"type", "lte_block"}, {"pci", m.pci >= 0 ? json(m.pci) : json(nullptr)},
         {"earfcn", m.earfcn ? json(*m.earfcn) : json(nullptr)}, {"sfn", m.sfn}, {"subframe", m.subframe},
         {"channel", m.channel}, {"message", m.message}};
  if (with_octets) e["hex"] = hex_octets(m.octets);
  if (!m.parse_error.empty()) e["parse_error"] = m.parse_error;
  else e["fields"] = m.fields;
  return e;
}

void send_lte_gsmtap(GsmtapSender& gsmtap, const LteRrcMessage& m) {
  if (m.channel != "BCCH-BCH" && m.channel != "BCCH-DL-SCH") return;
  GsmtapLteRrc g;
  g.channel = m.channel == "BCCH-BCH" ? GsmtapLteRrc::Channel::bcch_bch : GsmtapLteRrc::Channel::bcch_dl_sch;
  g.earfcn = m.earfcn;
  g.sfn = m.sfn;
  g.subframe = m.subframe;
  g.power_dbm = m.rsrp_dbfs;
  g.snr_db = m.sinr_db;
  g.octets = m.octets;
  gsmtap.send(g);
}

}  // namespace tw
