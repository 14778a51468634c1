// UTF-8 decoding of attacker-controlled text (RFC 3629): what the markup writers (HTML report, KML) check
// before copying a multi-byte character through.
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

namespace tw {

struct Utf8Char {
  char32_t cp = 0;      // the code point
  std::size_t len = 0;  // its bytes, 1..4
};

// The character at s[i]: a valid sequence in its shortest form, no surrogate, at most U+10FFFF; nullopt for a
// stray continuation byte, an invalid lead byte, a truncated or overlong sequence.
std::optional<Utf8Char> utf8_at(std::string_view s, std::size_t i);

}  // namespace tw
