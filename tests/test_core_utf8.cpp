// utf8_at (src/core/utf8) against RFC 3629 section 3 and its table of well-formed byte sequences (also
// Unicode 15 table 3-7): shortest forms only, no surrogates D800..DFFF, nothing above U+10FFFF.
#include <gtest/gtest.h>

#include "src/core/utf8.hpp"

namespace {

using tw::utf8_at;

TEST(Utf8, WellFormedSequencesGiveTheirCodePoint) {
  struct Case { std::string_view bytes; char32_t cp; std::size_t len; };
  for (const Case& c : {Case{"A", 0x41, 1}, Case{"\xc3\xa9", 0xe9, 2}, Case{"\xc2\x80", 0x80, 2},
                        Case{"\xdf\xbf", 0x7ff, 2}, Case{"\xe0\xa0\x80", 0x800, 3}, Case{"\xe2\x82\xac", 0x20ac, 3},
                        Case{"\xed\x9f\xbf", 0xd7ff, 3}, Case{"\xee\x80\x80", 0xe000, 3}, Case{"\xef\xbf\xbf", 0xffff, 3},
                        Case{"\xf0\x90\x80\x80", 0x10000, 4}, Case{"\xf0\x9f\x98\x80", 0x1f600, 4},
                        Case{"\xf4\x8f\xbf\xbf", 0x10ffff, 4}}) {
    const auto u = utf8_at(c.bytes, 0);
    ASSERT_TRUE(u.has_value()) << std::hex << static_cast<unsigned>(c.cp);
    EXPECT_EQ(u->cp, c.cp);
    EXPECT_EQ(u->len, c.len);
  }
}

TEST(Utf8, IllFormedSequencesAreRefused) {
  for (const std::string_view bad : {std::string_view("\x80"), std::string_view("\xbf"),   // stray continuation
                                     std::string_view("\xc0\x80"), std::string_view("\xc1\xbf"),   // overlong 2-byte
                                     std::string_view("\xe0\x9f\xbf"),                    // overlong 3-byte
                                     std::string_view("\xf0\x8f\xbf\xbf"),                // overlong 4-byte
                                     std::string_view("\xed\xa0\x80"), std::string_view("\xed\xbf\xbf"),   // surrogates
                                     std::string_view("\xf4\x90\x80\x80"), std::string_view("\xf5\x80\x80\x80"),   // > U+10FFFF
                                     std::string_view("\xff"), std::string_view("\xc3"), std::string_view("\xe2\x82"),   // truncated
                                     std::string_view("\xe2\x28\xa1")})                   // bad continuation
    EXPECT_FALSE(utf8_at(bad, 0).has_value()) << static_cast<unsigned>(static_cast<unsigned char>(bad[0]));
  EXPECT_FALSE(utf8_at("abc", 3).has_value());   // past the end
  EXPECT_EQ(utf8_at("a\xc3\xa9", 1)->cp, 0xe9u);   // from an offset
}

}  // namespace
