// The outputs of one LTE RRC message, the same for the IQ path and the pcap path: the "lte_block" JSON event
// and the GSMTAP LTE RRC datagram.
#pragma once
#include <nlohmann/json.hpp>

#include "src/output/gsmtap.hpp"
#include "src/pipeline/lte_system_info.hpp"

namespace tw {

// {"type":"lte_block","pci","earfcn","sfn","subframe","channel","message","hex","fields"|"parse_error"};
// `with_octets` false leaves "hex" out (a paging message whose identities are not kept).
nlohmann::json lte_block_json(const LteRrcMessage& m, bool with_octets = true);
// Sends the MIB and BCCH-DL-SCH messages (other channels are not sent).
void send_lte_gsmtap(GsmtapSender& gsmtap, const LteRrcMessage& m);

}  // namespace tw
