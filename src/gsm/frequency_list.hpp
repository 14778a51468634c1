// Frequency list decoders of TS 44.018 10.5.2.13 (also used by 10.5.2.1b cell channel description and
// 10.5.2.22 / 10.5.2.22a neighbour cell descriptions): bit map 0, range 1024, 512, 256, 128 and
// variable bit map. Written from the spec (W(k) inverse recursion of 10.5.2.13.3-6 / Annex J).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tw::gsm {

enum class FrequencyListFormat { bit_map_0, range_1024, range_512, range_256, range_128, variable_bit_map };
const char* frequency_list_format_name(FrequencyListFormat format);

struct FrequencyListResult {
  bool ok = false;
  std::string error;                 // set when !ok
  FrequencyListFormat format = FrequencyListFormat::bit_map_0;
  std::vector<std::uint16_t> arfcns;  // sorted, unique, each 0..1023
};

// Which bits of the first octet carry the format identifier:
//  - 10.5.2.1b / 10.5.2.13: bits 8,7 and 4,3,2 (bits 6,5 spare)          -> kFormatBitsDefault (0xce)
//  - 10.5.2.22 (SI2/SI2bis): same, bits 6,5 are EXT-IND / BA-IND        -> kFormatBitsDefault
//  - 10.5.2.22a (SI2ter): bit 8 and 4,3,2 (bits 7,6 multiband reporting) -> kFormatBitsNcd2 (0x8e)
inline constexpr std::uint8_t kFormatBitsDefault = 0xce;
inline constexpr std::uint8_t kFormatBitsNcd2 = 0x8e;

// Decodes the value part of a frequency list (the octets from the one holding the format identifier).
// Range formats decode every W(k) that lies completely inside `field`; F(k) is in the set when
// W(k) != 0. Never reads outside `field`; a reserved format identifier or a too short field gives !ok.
FrequencyListResult decode_frequency_list(std::span<const std::uint8_t> field,
                                          std::uint8_t format_bits = kFormatBitsDefault);

}  // namespace tw::gsm
