// Wireshark's "Export PDUs" link type (252, LINKTYPE_WIRESHARK_UPPER_PDU; Wireshark epan/exported_pdu.h):
// TLV tags (16-bit tag, 16-bit length, both big-endian; string values may end in NUL padding counted in the
// length) up to the end-of-options tag 0, then the PDU for the named dissector. Read here, by dissector name
// (tag 12) or dissector table (tag 14 "udp.port" with its value, tag 32, on the GSMTAP port): "gsmtap" (a
// GSMTAP datagram, read by gsmtap_reader), "mac-lte-framed" (MAC-LTE framing without the start string, read
// by mac_lte_reader), "lte_rrc.bcch_bch", "lte_rrc.bcch_dl_sch" and "lte_rrc.pcch" (the bare RRC message).
// Every other dissector is counted ("exported_pdu_dissector_other"), never guessed at.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <variant>

#include "src/capture/captured_message.hpp"

namespace tw::capture {

// The message or the skip reason ("exported_pdu_truncated", "exported_pdu_no_dissector",
// "exported_pdu_dissector_other", or a GSMTAP / MAC-LTE reader's reason).
using ExportedPduResult = std::variant<CapturedGsmBlock, CapturedLteRrc, std::string>;

ExportedPduResult read_exported_pdu(std::span<const std::uint8_t> frame, std::uint16_t gsmtap_port);

}  // namespace tw::capture
