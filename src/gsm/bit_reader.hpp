// Bounds-checked MSB-first bit reader for L3 octet strings and CSN.1 rest octets (TS 44.018 8.x, 10.5.2).
// Every read past the end throws tw::InputError naming the field, except CSN.1 L/H reads, which
// return L past the end (rest octets may be truncated, TS 44.018 8.9: missing bits are taken as L).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "src/core/error.hpp"

namespace tw::gsm {

class BitReader {
 public:
  // `data` must start on the octet boundary of the message (L/H bits depend on the position in the octet).
  explicit BitReader(std::span<const std::uint8_t> data) : data_(data), end_bit_(data.size() * 8) {}

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return end_bit_ - pos_; }
  bool at_end() const { return pos_ >= end_bit_; }

  // Reads n (0..32) bits as an unsigned number, first bit most significant.
  std::uint32_t bits(unsigned n, std::string_view field) {
    if (n > 32) throw tw::InputError(std::string(field) + ": field wider than 32 bits");
    if (remaining() < n) {
      throw tw::InputError(std::string(field) + ": truncated (needs " + std::to_string(n) + " bits, " +
                           std::to_string(remaining()) + " left)");
    }
    std::uint32_t v = 0;
    for (unsigned i = 0; i < n; ++i) v = (v << 1) | raw_bit(pos_++);
    return v;
  }
  bool bit(std::string_view field) { return bits(1, field) != 0; }

  // CSN.1 L/H (TS 44.018 10.5.2 / CSN.1 notation): L is the value of the spare padding 0x2b at this bit
  // position, H its complement. Returns true for H. Past the end: L (truncation, TS 44.018 8.9).
  bool high() {
    if (at_end()) return false;
    const bool padding = ((0x2b >> (7 - (pos_ % 8))) & 1) != 0;
    const bool value = raw_bit(pos_++) != 0;
    return value != padding;
  }

  void skip(std::size_t n, std::string_view field) {
    if (remaining() < n) {
      throw tw::InputError(std::string(field) + ": truncated (skips " + std::to_string(n) + " bits, " +
                           std::to_string(remaining()) + " left)");
    }
    pos_ += n;
  }

 private:
  unsigned raw_bit(std::size_t p) const { return (data_[p / 8] >> (7 - (p % 8))) & 1u; }

  std::span<const std::uint8_t> data_;
  std::size_t end_bit_;
  std::size_t pos_ = 0;
};

}  // namespace tw::gsm
