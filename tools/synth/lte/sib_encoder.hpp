// The System Information of a synthesized LTE cell as the eNodeB sends it on BCCH-DL-SCH (TS 36.331 5.2.1,
// 6.2.1 BCCH-DL-SCH-Message): SIB1 and one SystemInformation message per schedulingInfoList entry, each a
// whole BCCH-DL-SCH-Message (c1 CHOICE) in UNALIGNED PER (36.331 8.1, X.691), padded with 0 bits to octets.
// Written from the ASN.1 of 36.331 independently of the receiver's decoder (src/lte/), whose truth it is.
// Bad configuration: tw::InputError naming the field.
#pragma once
#include <cstdint>
#include <vector>

#include "tools/synth/lte/sib_config.hpp"

namespace tw::synth::lte {

// The largest transport block that can carry a BCCH message (36.331 5.2.1.2 note: 2216 bits with DCI
// format 1A), in octets. Longer messages are an InputError.
inline constexpr std::size_t kMaxSiOctets = 277;

// The schedulingInfoList SIB1 sends: cfg.scheduling when given, else SIB3 in the first SI message every 16
// frames, SIB4 and SIB5 every 32, SIB6, SIB7 and SIB8 every 64 (only the SIBs present; empty mapping for
// the first when there is no SIB3). Throws InputError when a scheduled SIB has no content, a SIB with
// content is not scheduled, or a SIB is scheduled twice.
std::vector<SchedulingEntry> effective_scheduling(const LteSystemInfoConfig& cfg);

// BCCH-DL-SCH-Message carrying systemInformationBlockType1.
std::vector<std::uint8_t> encode_sib1(const LteSystemInfoConfig& cfg);

// One BCCH-DL-SCH-Message (systemInformation, criticalExtensions systemInformation-r8) per entry of
// effective_scheduling(cfg), in that order: SIB2 first in the first one, then the entry's SIBs in order.
std::vector<std::vector<std::uint8_t>> encode_si_messages(const LteSystemInfoConfig& cfg);

}  // namespace tw::synth::lte
