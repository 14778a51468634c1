// MAC-LTE framing (Wireshark's packet-mac-lte.h "UDP framing" and the mac-lte-framed link type): an optional
// start string "mac-lte" (present inside UDP, absent in link type 147 = USER0, as srsRAN and LTESniffer
// write it), three fixed octets (radio type FDD 1 / TDD 2, direction UL 0 / DL 1, RNTI type), optional tags
// (RNTI, UE id, SFN/subframe, predefined data, retx, CRC status, extended BSR sizes, send preamble, carrier
// id, PHY info, simultaneous PUCCH/PUSCH, CE mode, NB mode, UL RBs, SR list), then the payload tag 0x01 and
// the MAC PDU to the end of the frame. Read here: downlink PDUs addressed to SI-RNTI (BCCH-DL-SCH) and
// P-RNTI (PCCH), which the MAC carries transparently (TS 36.321 6.1.1: no MAC header for BCCH and PCCH),
// and the BCH (no RNTI: the MIB). PDUs whose CRC status tag says the transport block failed, and NB-IoT PDUs
// (NB mode tag 1), are skipped.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <variant>

#include "src/capture/captured_message.hpp"

namespace tw::capture {

inline constexpr char kMacLteStartString[] = "mac-lte";

// The message or the skip reason ("mac_lte_truncated", "mac_lte_bad_radio_type", "mac_lte_uplink",
// "mac_lte_bad_direction", "mac_lte_bad_tag", "mac_lte_crc_failed", "mac_lte_nb_iot", "mac_lte_rnti_other",
// "mac_lte_empty").
using MacLteResult = std::variant<CapturedLteRrc, std::string>;

// `with_start_string`: the frame begins with "mac-lte" (UDP framing); link type 147 frames do not.
MacLteResult read_mac_lte(std::span<const std::uint8_t> frame, bool with_start_string);
// The UDP payload starts with the "mac-lte" start string.
bool has_mac_lte_start_string(std::span<const std::uint8_t> payload);

}  // namespace tw::capture
