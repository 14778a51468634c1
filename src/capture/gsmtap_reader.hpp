// GSMTAP (libosmocore include/osmocom/core/gsmtap.h, version 2; Wireshark's packet-gsmtap dissects the same):
// a 16-octet header (version, hdr_len in 32-bit words, type, timeslot, ARFCN with the PCS and uplink flags,
// signal dBm, SNR dB, frame number, sub-type, antenna, sub-slot, reserved) then the payload. Read here:
// type GSM Um (1) downlink with the sub-types BCCH, CCCH, AGCH, PCH carrying a 23-octet block, and type LTE
// RRC (0x0d) with the sub-types BCCH-BCH, BCCH-DL-SCH and PCCH. SDCCH, SDCCH/4, SDCCH/8 and their SACCH are
// recognised and counted ("gsm_dedicated_channel"), not read: one phone's signalling, for which towerwatch has
// no parser and no redaction yet. Everything else is a counted skip with its reason, never a partial message.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <variant>

#include "src/capture/captured_message.hpp"

namespace tw::capture {

// Either a message or the skip reason ("gsmtap_truncated", "gsmtap_bad_version", "gsmtap_bad_hdr_len",
// "gsmtap_type_other", "gsm_uplink", "gsm_subtype_other", "gsm_dedicated_channel", "gsm_bad_length", "lte_rrc_subtype_other",
// "lte_rrc_empty").
using GsmtapResult = std::variant<CapturedGsmBlock, CapturedLteRrc, std::string>;

GsmtapResult read_gsmtap(std::span<const std::uint8_t> datagram);

}  // namespace tw::capture
