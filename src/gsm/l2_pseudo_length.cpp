// TS 44.018 10.5.2.19 L2 Pseudo Length per message type, from the message definitions of 44.018 clause 9.1.
// `l3` starts at the protocol discriminator octet: l3[0] skip indicator + PD, l3[1] message type.
// Limit: an optional IE is recognised by its IEI right after the mandatory part (SI4 0x64/0x72, Paging Request
// 1/2 0x17, Immediate Assignment (Extended) 0x7c). Rest octets whose first octet equals that IEI would be read as
// the IE: only the pseudo length the diag cut off could tell them apart. The block parser then checks the IE.
#include "src/gsm/l2_pseudo_length.hpp"

#include <optional>

namespace tw::gsm {
namespace {

constexpr std::size_t kBlockOctets = 23;   // 45.003 4.1: 184 bits
constexpr std::uint8_t kPadding = 0x2b;    // 44.006 5.2: fill octet

// A cursor over the message: the IE walk fails ("truncated") when an IE runs past the octets given.
struct Walk {
  std::span<const std::uint8_t> m;
  std::size_t at;
  bool ok = true;
  void skip(std::size_t n) {
    if (at + n > m.size()) ok = false;
    at += n;
  }
  void lv() {   // length octet + value (24.007 11.2.1.1.4: LV)
    if (at >= m.size()) { ok = false; return; }
    const std::size_t len = m[at];
    skip(1 + len);
  }
  bool next_is(std::uint8_t iei) const { return ok && at < m.size() && m[at] == iei; }
};

std::optional<std::size_t> walk(std::uint8_t message_type, std::span<const std::uint8_t> m, bool& truncated) {
  Walk w{m, 2};   // after the PD/skip and message type octets
  switch (message_type) {
    case 0x19: w.skip(16 + 3); break;           // 9.1.31 SI1: cell channel description, RACH control
    case 0x1a: w.skip(16 + 1 + 3); break;       // 9.1.32 SI2: neighbour cells, NCC permitted, RACH control
    case 0x02: w.skip(16 + 3); break;           // 9.1.33 SI2bis: ext. neighbour cells, RACH control
    case 0x03: w.skip(16); break;               // 9.1.34 SI2ter: ext. neighbour cells 2
    case 0x07: return 1;                        // 9.1.34a SI2quater: L2 pseudo length 1 (rest octets follow the message type)
    case 0x00: return 0;                        // 9.1.43a SI13: L2 pseudo length 0
    case 0x1b: w.skip(2 + 5 + 3 + 1 + 2 + 3); break;   // 9.1.35 SI3: CI, LAI, control channel desc., options, selection, RACH
    case 0x1c:                                  // 9.1.36 SI4: LAI, cell selection, RACH control,
      w.skip(5 + 2 + 3);
      if (w.next_is(0x64)) {                    // CBCH channel description (TV 4, optional)
        w.skip(4);
        if (w.next_is(0x72)) { w.skip(1); w.lv(); }   // CBCH mobile allocation (TLV, conditional on the CBCH)
      }
      break;
    case 0x21:                                  // 9.1.22 Paging Request Type 1: page mode/channels needed,
      w.skip(1);
      w.lv();                                   // mobile identity 1 (LV)
      if (w.next_is(0x17)) { w.skip(1); w.lv(); }   // mobile identity 2 (TLV 0x17, optional)
      break;
    case 0x22:                                  // 9.1.23 Paging Request Type 2: page mode, 2 TMSIs,
      w.skip(1 + 4 + 4);
      if (w.next_is(0x17)) { w.skip(1); w.lv(); }   // mobile identity 3 (TLV 0x17, optional)
      break;
    case 0x24: w.skip(1 + 4 * 4); break;        // 9.1.24 Paging Request Type 3: page mode, 4 TMSIs
    case 0x3f:                                  // 9.1.18 Immediate Assignment: page mode, channel desc.,
      w.skip(1 + 3 + 3 + 1);                    // request reference, timing advance,
      w.lv();                                   // mobile allocation (LV)
      if (w.next_is(0x7c)) w.skip(3);           // starting time (TV 3, optional)
      break;
    case 0x39:                                  // 9.1.19 Immediate Assignment Extended: page mode,
      w.skip(1 + 2 * (3 + 3 + 1));              // 2 x (channel desc., request reference, timing advance),
      w.lv();                                   // mobile allocation (LV)
      if (w.next_is(0x7c)) w.skip(3);           // starting time (TV 3, optional)
      break;
    case 0x3a: w.skip(1 + 4 * (3 + 1)); break;  // 9.1.20 Immediate Assignment Reject: page mode, 4 x (ref, wait)
    default: return std::nullopt;
  }
  if (!w.ok) {
    truncated = true;
    return std::nullopt;
  }
  return w.at;
}

}  // namespace

std::variant<std::size_t, std::string> l2_pseudo_length(std::span<const std::uint8_t> l3) {
  if (l3.size() < 2) return std::string(l3.empty() ? "empty" : "truncated");
  if (l3[0] != 0x06) return std::string("not_rr");   // 24.007 11.2.3.1: skip indicator 0, PD RR (0110)
  bool truncated = false;
  const auto n = walk(l3[1], l3, truncated);
  if (truncated) return std::string("truncated");
  if (!n) return std::string("rr_type_not_bcch_ccch");
  return *n;
}

std::variant<std::array<std::uint8_t, 23>, std::string> rebuild_ccch_block(std::span<const std::uint8_t> l3) {
  const auto pl = l2_pseudo_length(l3);
  if (const auto* why = std::get_if<std::string>(&pl)) return *why;
  if (1 + l3.size() > kBlockOctets) return std::string("too_long");
  std::array<std::uint8_t, 23> block;
  block.fill(kPadding);
  // 10.5.2.19: bits 8..3 the length, bits 2..1 "01".
  block[0] = static_cast<std::uint8_t>(std::get<std::size_t>(pl) << 2 | 0x01);
  for (std::size_t i = 0; i < l3.size(); ++i) block[1 + i] = l3[i];
  return block;
}

}  // namespace tw::gsm
