#include "src/core/hex.hpp"

namespace tw {

namespace {
std::string hex(std::span<const std::uint8_t> octets, bool spaced) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(octets.size() * 3);
  for (std::size_t i = 0; i < octets.size(); ++i) {
    if (spaced && i) s += ' ';
    s += digits[octets[i] >> 4];
    s += digits[octets[i] & 15];
  }
  return s;
}
}  // namespace

std::string hex_octets(std::span<const std::uint8_t> octets) { return hex(octets, true); }
std::string hex_string(std::span<const std::uint8_t> octets) { return hex(octets, false); }

}  // namespace tw
