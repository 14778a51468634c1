#include "src/core/utf8.hpp"

namespace tw {

std::optional<Utf8Char> utf8_at(std::string_view s, std::size_t i) {
  if (i >= s.size()) return std::nullopt;
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return Utf8Char{c, 1};
  std::size_t len = 0;
  char32_t cp = 0;
  if (c >= 0xc2 && c <= 0xdf) len = 2, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef) len = 3, cp = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4) len = 4, cp = c & 0x07;
  if (len == 0 || i + len > s.size()) return std::nullopt;
  for (std::size_t k = 1; k < len; ++k) {
    const auto t = static_cast<unsigned char>(s[i + k]);
    if ((t & 0xc0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (t & 0x3f);
  }
  if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return std::nullopt;
  if (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) return std::nullopt;
  return Utf8Char{cp, len};
}

}  // namespace tw
