// The table of RR message parsers for BCCH/CCCH blocks and the common header checks (TS 44.018).
// Adding a message = one parser file + one line in kDecoders.
#include <array>

#include "src/gsm/ie_common.hpp"

namespace tw::gsm {
namespace {

struct DecoderEntry {
  std::uint8_t message_type;  // TS 44.018 10.4
  MessageKind kind;
  detail::ParseFn parse;
};

constexpr std::array kDecoders{
    DecoderEntry{0x19, MessageKind::si1, detail::parse_si1},
    DecoderEntry{0x1a, MessageKind::si2, detail::parse_si2},
    DecoderEntry{0x02, MessageKind::si2bis, detail::parse_si2bis},
    DecoderEntry{0x03, MessageKind::si2ter, detail::parse_si2ter},
    DecoderEntry{0x07, MessageKind::si2quater, detail::parse_si2quater},
    DecoderEntry{0x1b, MessageKind::si3, detail::parse_si3},
    DecoderEntry{0x1c, MessageKind::si4, detail::parse_si4},
    DecoderEntry{0x00, MessageKind::si13, detail::parse_si13},
    DecoderEntry{0x21, MessageKind::paging_request_1, detail::parse_paging_request_1},
    DecoderEntry{0x22, MessageKind::paging_request_2, detail::parse_paging_request_2},
    DecoderEntry{0x24, MessageKind::paging_request_3, detail::parse_paging_request_3},
    DecoderEntry{0x3f, MessageKind::immediate_assignment, detail::parse_immediate_assignment},
    DecoderEntry{0x39, MessageKind::immediate_assignment_extended, detail::parse_immediate_assignment_extended},
    DecoderEntry{0x3a, MessageKind::immediate_assignment_reject, detail::parse_immediate_assignment_reject},
};

// LAPDm fill frame on CCCH/BCCH (44.006): address 0x03, UI control 0x03, length octet 0x01, then 0x2b.
bool is_l2_fill(std::span<const std::uint8_t> block) {
  if (block.size() < 3 || block[0] != 0x03 || block[1] != 0x03 || block[2] != 0x01) return false;
  for (std::size_t i = 3; i < block.size(); ++i) {
    if (block[i] != 0x2b) return false;
  }
  return true;
}

}  // namespace

ParsedMessage parse_l3_block(std::span<const std::uint8_t> block, const ParseOptions& opts) {
  ParsedMessage m;
  auto fail = [&m](std::string why) {
    m.ok = false;
    m.error = std::move(why);
    return m;
  };
  m.kind = MessageKind::unknown;
  m.name = message_kind_name(m.kind);
  if (is_l2_fill(block)) {
    m.kind = MessageKind::l2_fill;
    m.name = message_kind_name(m.kind);
    m.ok = true;
    return m;
  }
  if (block.size() < 3) {
    return fail("block too short: " + std::to_string(block.size()) + " octets, needs at least 3");
  }
  // 10.5.2.19 L2 Pseudo Length: bits 8..3 = length, bits 2,1 = "0 1".
  if ((block[0] & 0x03) != 0x01) {
    return fail("L2 pseudo length: bits 2,1 are not 01 (octet " + detail::hex8(block[0]) + ")");
  }
  m.l2_pseudo_length = static_cast<std::uint8_t>(block[0] >> 2);
  if (1u + m.l2_pseudo_length > block.size()) {
    return fail("L2 pseudo length " + std::to_string(m.l2_pseudo_length) +
                                  " points past the end of the " + std::to_string(block.size()) + "-octet block");
  }
  // 24.007 11.2.3.1: skip indicator (bits 8..5) and protocol discriminator (bits 4..1, RR = 0110).
  if ((block[1] & 0x0f) != 0x06) {
    return fail("protocol discriminator " + std::to_string(block[1] & 0x0f) + " is not RR (6)");
  }
  if ((block[1] >> 4) != 0) {
    return fail("skip indicator " + std::to_string(block[1] >> 4) + " is not 0 (message ignored)");
  }
  m.message_type = block[2];
  const DecoderEntry* entry = nullptr;
  for (const auto& e : kDecoders) {
    if (e.message_type == m.message_type) entry = &e;
  }
  if (entry == nullptr) {
    return fail("RR message type " + detail::hex8(m.message_type) + " is not decoded");
  }
  m.kind = entry->kind;
  m.name = message_kind_name(m.kind);
  detail::L3Context ctx{block, 1u + m.l2_pseudo_length, &opts};
  try {
    entry->parse(ctx, m);
    m.ok = true;
  } catch (const tw::InputError& e) {
    m.content = std::monostate{};
    std::string why = m.name + ": " + e.what();
    return fail(std::move(why));
  }
  return m;
}

}  // namespace tw::gsm
