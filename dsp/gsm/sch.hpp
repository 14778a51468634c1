// SCH contents (3GPP TS 45.002 clause 3.3.2.2, 44.018 clause 9.1.30a; channel coding 45.003 clause 4.7).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace tw::gsm {

struct SchInfo {
  int bsic = 0;            // 6 bits: NCC (3) BCC (3)
  std::uint32_t t1 = 0;    // FN div 1326, 11 bits
  std::uint32_t t2 = 0;    // FN mod 26
  std::uint32_t t3p = 0;   // (FN mod 51 - 1) / 10, 0..4
  std::uint32_t fn = 0;    // the SCH burst's frame number
};

// 45.002 clause 3.3.2.2: T3 = 10 T3' + 1, FN = 51 ((T3 - T2) mod 26) + T3 + 51*26*T1.
// nullopt when the fields are out of range (T2 > 25, T3' > 4).
std::optional<std::uint32_t> fn_from_sch_fields(std::uint32_t t1, std::uint32_t t2, std::uint32_t t3p);

// libosmocoding's 4-octet sb_info (BSIC, T1, T2, T3' in the order of 44.018 clause 9.1.30a).
std::array<std::uint8_t, 4> pack_sb_info(int bsic, std::uint32_t fn);
std::optional<SchInfo> unpack_sb_info(std::span<const std::uint8_t, 4> sb);

// Decodes the 78 coded bits of an SCH burst (burst bits 3..41 and 106..144 of `soft`, osmocom sbit_t)
// with sch_decode (dsp/gsm/gsm0503_decode.hpp, libosmocoding's gsm0503_sch_decode bit for bit). nullopt on CRC failure or out-of-range fields.
std::optional<SchInfo> decode_sch_burst(std::span<const std::int8_t, 148> soft);

}  // namespace tw::gsm
