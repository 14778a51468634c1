// MasterInformationBlock (TS 36.331 6.2.2): 24 bits, unaligned PER.
//   dl-Bandwidth ENUMERATED {n6, n15, n25, n50, n75, n100} (3 bits), phich-Config { phich-Duration
//   ENUMERATED {normal, extended} (1 bit), phich-Resource ENUMERATED {oneSixth, half, one, two} (2 bits) },
//   systemFrameNumber BIT STRING (8: the 8 MSBs of the SFN), spare BIT STRING (10).
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace tw::dsp::lte {

struct Mib {
  int bandwidth_prb = 6;            // 6 15 25 50 75 100
  bool phich_extended = false;
  std::string phich_resource = "1"; // "1/6", "1/2", "1", "2"
  int sfn = 0;                      // 0..1023 (pack_mib sends sfn / 4)
};

// Throws tw::InputError naming the field for a bandwidth, resource or SFN outside the enumerations.
std::array<std::uint8_t, 3> pack_mib(const Mib& mib);
// frame_in_40ms_block (0..3): the SFN's two LSBs, found while decoding the PBCH. Throws tw::InputError
// naming dl-Bandwidth for the codes 6, 7 (and for a block offset outside 0..3).
Mib unpack_mib(std::span<const std::uint8_t, 3> octets, int frame_in_40ms_block);

}  // namespace tw::dsp::lte
