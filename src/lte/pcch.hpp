// PCCH-Message (TS 36.331 6.2.1, 6.2.2 Paging): the paging records' identity types counted, never their values
// (bystanders' S-TMSIs and IMSIs; the caller keeps the octets out of every output unless identities are kept).
// UNALIGNED PER (X.691) via UperReader; the non-critical extensions after etws-Indication are not read.
#pragma once
#include <cstdint>
#include <span>

namespace tw::lte {

struct PagingCounts {
  int records = 0;
  int s_tmsi = 0, imsi = 0, other = 0;   // other: extension alternatives (ng-5G-S-TMSI, fullI-RNTI)
  bool system_info_modification = false;
  bool etws_indication = false;
};

// Throws tw::InputError naming the ASN.1 field on anything malformed.
PagingCounts decode_pcch(std::span<const std::uint8_t> octets);

}  // namespace tw::lte
