// GSMTAP (libosmocore include/osmocom/core/gsmtap.h, version 2; Wireshark's packet-gsmtap dissects the same):
// a header of hdr_len 32-bit words (at least 4: version, hdr_len, type, timeslot, ARFCN with the PCS and uplink
// flags, signal dBm, SNR dB, frame number, sub-type, antenna, sub-slot, reserved; octets beyond the 16 skipped)
// then the payload. Read here: type GSM Um (1) downlink with the sub-types BCCH, CCCH, AGCH, PCH carrying a
// 23-octet block, and type LTE RRC (0x0d) downlink with the sub-types BCCH-BCH, BCCH-DL-SCH and PCCH (SFN in the
// frame number, subframe in sub_slot, as SCAT writes them), and type A-bis (2) with the sub-types BCCH and CCCH
// as QCSuper writes a phone's GSM RR (the L3 message without its L2 pseudo length: the 23-octet block is rebuilt,
// src/gsm/l2_pseudo_length.hpp). SDCCH/SACCH are counted ("gsm_dedicated_channel", "gsm_abis_dedicated_channel"):
// one phone's signalling, for which towerwatch has no parser and no redaction yet. The other types and LTE RRC
// sub-types are counted by name from tables in the .cpp (uplink, NB-IoT, MBMS, LTE MAC, NAS, v3, ...),
// never read in part.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <variant>

#include "src/capture/captured_message.hpp"

namespace tw::capture {

// Either a message or the skip reason ("gsmtap_truncated", "gsmtap_bad_version", "gsmtap_v3_not_read",
// "gsmtap_bad_hdr_len", "gsmtap_type_other" or a named type's reason, "gsm_uplink", "gsm_subtype_other",
// "gsm_dedicated_channel", "gsm_bad_length", "gsm_abis_uplink", "gsm_abis_dedicated_channel",
// "gsm_abis_subtype_other", "gsm_abis_" + a reason of tw::gsm::rebuild_ccch_block, "lte_rrc_uplink", an LTE RRC sub-type's reason, "lte_rrc_empty").
using GsmtapResult = std::variant<CapturedGsmBlock, CapturedLteRrc, std::string>;

GsmtapResult read_gsmtap(std::span<const std::uint8_t> datagram);

}  // namespace tw::capture
