// Privacy: the identities of bystanders (IMSI, IMEI, TMSI/P-TMSI, TLLI) are overwritten in the block itself
// before any output sees it (l3_message.hpp, redact_identities). The parsers record where each identity lies
// (IdentityField); this file only overwrites.
#include <algorithm>

#include "src/gsm/l3_message.hpp"

namespace tw::gsm {
namespace {

// 44.018 table 10.4.1: the System Information message types (SI1..SI22, SI13alt, SI2n; SACCH SI5/SI6 too).
// None carries an identity; a block of one of them is left whole even when towerwatch cannot parse it.
bool is_system_information_type(std::uint8_t t) {
  return t <= 0x07 || (t >= 0x18 && t <= 0x1f) || t == 0x3d || t == 0x3e || (t >= 0x40 && t <= 0x47);
}

// 24.008 10.5.1.4: octet 1 = identity digit 1 (bits 8..5), odd/even indicator (bit 4), type (bits 3..1).
void fill_mobile_identity(std::span<std::uint8_t> v) {
  if (v.empty()) return;
  const unsigned type = v[0] & 0x07;
  const bool odd = (v[0] & 0x08) != 0;
  if (type == 4) {  // TMSI/P-TMSI: bits 8..5 of octet 1 are 1111; the 4 value octets follow
    for (std::size_t i = 1; i < v.size(); ++i) v[i] = 0xff;
    return;
  }
  if (type != 0) v[0] = static_cast<std::uint8_t>(v[0] & 0x0f);  // digit 1 -> 0 ("No Identity": its 1111 filler kept)
  for (std::size_t i = 1; i < v.size(); ++i) v[i] = 0x00;
  const bool bcd = type == 1 || type == 2 || type == 3;
  if (bcd && !odd && v.size() >= 2) v.back() = 0xf0;  // an even digit count ends with the filler 1111
}

void fill_bits_with_ones(std::span<std::uint8_t> block, std::size_t bit_offset, std::size_t bits) {
  for (std::size_t b = bit_offset; b < bit_offset + bits && b / 8 < block.size(); ++b)
    block[b / 8] = static_cast<std::uint8_t>(block[b / 8] | (0x80u >> (b % 8)));
}

}  // namespace

int redact_identities(std::span<std::uint8_t> block, const ParsedMessage& parsed) {
  if (parsed.kind == MessageKind::l2_fill) return 0;
  const bool header_ok = block.size() >= 3 && (block[0] & 0x03) == 0x01 && (block[1] & 0x0f) == 0x06;
  if (!parsed.ok) {
    // Where no parser looked, an identity may lie anywhere: keep the header (the message type stays visible)
    // and pad the rest, unless the message is System Information. A block too short or without the RR header
    // is padded whole after its first octets.
    if (header_ok && is_system_information_type(block[2])) return 0;
    const std::size_t keep = std::min<std::size_t>(3, block.size());
    bool changed = false;
    for (std::size_t i = keep; i < block.size(); ++i) {
      changed = changed || block[i] != 0x2b;
      block[i] = 0x2b;
    }
    return changed ? 1 : 0;
  }
  int n = 0;
  for (const auto& f : parsed.identity_fields) {
    switch (f.coding) {
      case IdentityField::Coding::mobile_identity:
        if (f.offset < block.size()) fill_mobile_identity(block.subspan(f.offset, std::min(f.length, block.size() - f.offset)));
        break;
      case IdentityField::Coding::tmsi:
        for (std::size_t i = f.offset; i < f.offset + f.length && i < block.size(); ++i) block[i] = 0xff;
        break;
      case IdentityField::Coding::tlli_bits:
        fill_bits_with_ones(block, f.offset, f.length);
        break;
    }
    ++n;
  }
  return n;
}

ParsedMessage parse_l3_block_redacting(std::span<std::uint8_t> block, const ParseOptions& opts) {
  ParsedMessage m = parse_l3_block(block, opts);
  if (!opts.keep_identities) redact_identities(block, m);
  return m;
}

}  // namespace tw::gsm
