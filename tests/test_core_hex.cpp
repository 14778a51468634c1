// src/core/hex: the two forms towerwatch writes, and back.
#include <gtest/gtest.h>


#include "src/core/error.hpp"
#include "src/core/hex.hpp"

TEST(CoreHex, BothFormsRoundTripEveryOctet) {
  std::vector<std::uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(tw::octets_from_hex(tw::hex_octets(all)), all);
  EXPECT_EQ(tw::octets_from_hex(tw::hex_string(all)), all);
  EXPECT_EQ(tw::hex_octets(std::vector<std::uint8_t>{0x49, 0x06, 0x1b}), "49 06 1b");
  EXPECT_EQ(tw::octets_from_hex("49 06 1B"), (std::vector<std::uint8_t>{0x49, 0x06, 0x1b}));
  EXPECT_TRUE(tw::octets_from_hex("").empty());
}

TEST(CoreHex, MalformedTextIsAnErrorNamingIt) {
  for (const char* bad : {"4", "49 0", "4 9", "4g", "49,06"}) {
    try {
      tw::octets_from_hex(bad);
      ADD_FAILURE() << bad;
    } catch (const tw::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}
