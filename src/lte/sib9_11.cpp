// TS 36.331 6.3.1 SystemInformationBlockType9 (HNB name), 10 (ETWS primary notification), 11 (ETWS
// secondary notification): they are root alternatives of sib-TypeAndInfo, not open types, so they are decoded
// as far as needed to find where the next SIB of the message starts.
#include "src/lte/sib_decoders.hpp"

namespace tw::lte::detail {

Sib9 decode_sib9(UperReader& r) {
  Sib9 sib;
  const auto p = r.preamble(true, 1, "");
  if (p.present(0)) sib.hnb_name = r.octet_string(1, 48, "hnb-Name");
  skip_additions_if(r, p);
  return sib;
}

Sib10 decode_sib10(UperReader& r) {
  Sib10 sib;
  const auto p = r.preamble(true, 1, "");  // dummy OPTIONAL
  sib.message_identifier = static_cast<std::uint16_t>(r.bits(16, "messageIdentifier"));
  sib.serial_number = static_cast<std::uint16_t>(r.bits(16, "serialNumber"));
  r.octet_string(2, "warningType");
  if (p.present(0)) r.octet_string(50, "dummy");
  skip_additions_if(r, p);
  return sib;
}

Sib11 decode_sib11(UperReader& r) {
  Sib11 sib;
  const auto p = r.preamble(true, 1, "");  // dataCodingScheme OPTIONAL
  sib.message_identifier = static_cast<std::uint16_t>(r.bits(16, "messageIdentifier"));
  sib.serial_number = static_cast<std::uint16_t>(r.bits(16, "serialNumber"));
  sib.last_segment = r.enumerated(2, "warningMessageSegmentType") == 1;
  sib.segment_number = static_cast<int>(r.constrained(0, 63, "warningMessageSegmentNumber"));
  sib.segment_octets = r.octet_string_unconstrained("warningMessageSegment").size();
  if (p.present(0)) r.octet_string(1, "dataCodingScheme");
  skip_additions_if(r, p);
  return sib;
}

}  // namespace tw::lte::detail
