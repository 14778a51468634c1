#include "src/core/hex.hpp"

#include "src/core/error.hpp"

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

std::vector<std::uint8_t> octets_from_hex(std::string_view text) {
  const auto digit = [&](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw InputError("hex octets: '" + std::string(1, c) + "' is no hex digit in \"" + std::string(text) + "\"");
  };
  std::vector<std::uint8_t> out;
  int high = -1;
  for (const char c : text) {
    if (c == ' ') {
      if (high >= 0) throw InputError("hex octets: a lone digit in \"" + std::string(text) + "\"");
      continue;
    }
    const int d = digit(c);
    if (high < 0) {
      high = d;
    } else {
      out.push_back(static_cast<std::uint8_t>(high << 4 | d));
      high = -1;
    }
  }
  if (high >= 0) throw InputError("hex octets: an odd number of digits in \"" + std::string(text) + "\"");
  return out;
}

}  // namespace tw
