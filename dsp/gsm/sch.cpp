#include "dsp/gsm/sch.hpp"

#include <algorithm>

#include "dsp/gsm/gsm0503_decode.hpp"

namespace tw::gsm {

std::optional<std::uint32_t> fn_from_sch_fields(std::uint32_t t1, std::uint32_t t2, std::uint32_t t3p) {
  if (t1 > 2047 || t2 > 25 || t3p > 4) return std::nullopt;
  const std::uint32_t t3 = 10 * t3p + 1;
  const std::uint32_t d = (t3 + 26 - t2) % 26;
  return 51 * d + t3 + 51 * 26 * t1;
}

std::array<std::uint8_t, 4> pack_sb_info(int bsic, std::uint32_t fn) {
  const std::uint32_t t1 = (fn / 1326) % 2048, t2 = fn % 26, t3 = fn % 51;
  const std::uint32_t t3p = t3 >= 1 ? (t3 - 1) / 10 : 0;
  std::array<std::uint8_t, 4> sb{};
  sb[0] = static_cast<std::uint8_t>(((bsic & 0x3f) << 2) | (t1 >> 9));
  sb[1] = static_cast<std::uint8_t>((t1 >> 1) & 0xff);
  sb[2] = static_cast<std::uint8_t>(((t1 & 1) << 7) | (t2 << 2) | (t3p >> 1));
  sb[3] = static_cast<std::uint8_t>(t3p & 1);
  return sb;
}

std::optional<SchInfo> unpack_sb_info(std::span<const std::uint8_t, 4> sb) {
  SchInfo s;
  s.bsic = sb[0] >> 2;
  s.t1 = (static_cast<std::uint32_t>(sb[0] & 3) << 9) | (static_cast<std::uint32_t>(sb[1]) << 1) |
         (static_cast<std::uint32_t>(sb[2]) >> 7);
  s.t2 = (sb[2] >> 2) & 0x1f;
  s.t3p = ((sb[2] & 3u) << 1) | (sb[3] & 1u);
  const auto fn = fn_from_sch_fields(s.t1, s.t2, s.t3p);
  if (!fn) return std::nullopt;
  s.fn = *fn;
  return s;
}

std::optional<SchInfo> decode_sch_burst(std::span<const std::int8_t, 148> soft) {
  std::int8_t coded[78];
  std::copy(soft.begin() + 3, soft.begin() + 42, coded);
  std::copy(soft.begin() + 106, soft.begin() + 145, coded + 39);
  std::uint8_t sb[4] = {0, 0, 0, 0};
  if (!sch_decode(sb, coded)) return std::nullopt;
  return unpack_sb_info(std::span<const std::uint8_t, 4>(sb, 4));
}

}  // namespace tw::gsm
