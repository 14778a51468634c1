// BCCH-DL-SCH-Message (TS 36.331 6.2.1, 6.2.2): SystemInformationBlockType1, or SystemInformation carrying
// SIB2..SIB11 (decoded; SIB9..11 only as far as needed to step over them) and the extension alternatives
// SIB12... (open types: skipped and named in sibs_seen). UNALIGNED PER (X.691) via UperReader.
#pragma once
#include <cstdint>
#include <span>

#include "src/lte/lte_rrc.hpp"

namespace tw::lte {

// Decodes one message (the transport block's octets; padding after the message is ignored).
// Throws tw::InputError naming the ASN.1 field on anything malformed.
BcchDlSchMessage decode_bcch_dl_sch(std::span<const std::uint8_t> octets);
// The same on the first n_bits bits only (a transport block that is not a whole number of octets, tests).
BcchDlSchMessage decode_bcch_dl_sch(std::span<const std::uint8_t> octets, std::size_t n_bits);

// Merges a decoded message into a cell's System Information (each SIB present replaces the stored one).
void merge_system_info(LteSystemInfo& info, const BcchDlSchMessage& message);

}  // namespace tw::lte
