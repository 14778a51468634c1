// dsp/gsm/gsm0503_decode (xCCH and SCH decoding of 45.003 clauses 4.1 and 4.7 on libosmocore) against the
// peer implementation it replaces, libosmocoding's gsm0503_xcch_decode and gsm0503_sch_decode: the same
// verdict and the same octets on every input, from clean codewords to noise far below decodability, and on
// plain random soft bits. Codewords come from libosmocoding's encoders.
#include <gtest/gtest.h>

extern "C" {
#include <osmocom/coding/gsm0503_coding.h>
}

#include <array>
#include <cmath>
#include <cstring>
#include <random>

#include "dsp/gsm/gsm0503_decode.hpp"

namespace {

std::int8_t soft_bit(ubit_t b, double noise, std::mt19937& rng) {
  std::normal_distribution<double> n(0.0, noise);
  const double v = (b ? -64.0 : 64.0) + n(rng);
  return static_cast<std::int8_t>(std::lround(std::clamp(v, -127.0, 127.0)));
}

TEST(Gsm0503Decode, XcchMatchesLibosmocodingOnNoisyCodewords) {
  std::mt19937 rng(4503);
  std::uniform_int_distribution<int> byte(0, 255);
  int ok = 0, failed = 0;
  for (double noise : {0.0, 40.0, 70.0, 90.0, 110.0, 140.0}) {
    for (int t = 0; t < 300; ++t) {
      std::array<std::uint8_t, 23> l2{};
      for (auto& o : l2) o = static_cast<std::uint8_t>(byte(rng));
      std::array<ubit_t, 4 * 116> coded{};
      ASSERT_EQ(gsm0503_xcch_encode(coded.data(), l2.data()), 0);
      std::array<sbit_t, 4 * 116> soft{};
      for (std::size_t i = 0; i < soft.size(); ++i) soft[i] = soft_bit(coded[i], noise, rng);
      std::array<std::uint8_t, 23> ref{}, got{};
      int n_err = 0, n_bits = 0;
      const bool ref_ok = gsm0503_xcch_decode(ref.data(), soft.data(), &n_err, &n_bits) == 0;
      const bool got_ok = tw::gsm::xcch_decode(got.data(), soft.data());
      ASSERT_EQ(got_ok, ref_ok) << "noise " << noise << " trial " << t;
      if (ref_ok) {
        ASSERT_EQ(got, ref) << "noise " << noise << " trial " << t;
        ++ok;
      } else {
        ++failed;
      }
      if (noise == 0.0) {
        EXPECT_EQ(got, l2);
      }
    }
  }
  // Both verdicts occur, so the comparison covered decodable and undecodable blocks.
  EXPECT_GT(ok, 500);
  EXPECT_GT(failed, 100);
}

TEST(Gsm0503Decode, XcchMatchesLibosmocodingOnRandomSoftBits) {
  std::mt19937 rng(77);
  std::uniform_int_distribution<int> sbit(-127, 127);
  for (int t = 0; t < 500; ++t) {
    std::array<sbit_t, 4 * 116> soft{};
    for (auto& s : soft) s = static_cast<sbit_t>(sbit(rng));
    std::array<std::uint8_t, 23> ref{}, got{};
    int n_err = 0, n_bits = 0;
    const bool ref_ok = gsm0503_xcch_decode(ref.data(), soft.data(), &n_err, &n_bits) == 0;
    ASSERT_EQ(tw::gsm::xcch_decode(got.data(), soft.data()), ref_ok);
    if (ref_ok) {
      ASSERT_EQ(got, ref);
    }
  }
}

TEST(Gsm0503Decode, SchMatchesLibosmocoding) {
  std::mt19937 rng(4507);
  std::uniform_int_distribution<int> byte(0, 255);
  int ok = 0, failed = 0;
  for (double noise : {0.0, 50.0, 80.0, 110.0, 150.0}) {
    for (int t = 0; t < 400; ++t) {
      std::array<std::uint8_t, 4> sb{};
      for (auto& o : sb) o = static_cast<std::uint8_t>(byte(rng));
      sb[3] &= 1;   // 25 information bits
      std::array<ubit_t, 78> coded{};
      ASSERT_EQ(gsm0503_sch_encode(coded.data(), sb.data()), 0);
      std::array<sbit_t, 78> soft{};
      for (std::size_t i = 0; i < soft.size(); ++i) soft[i] = soft_bit(coded[i], noise, rng);
      std::array<std::uint8_t, 4> ref{}, got{};
      const bool ref_ok = gsm0503_sch_decode(ref.data(), soft.data()) == 0;
      const bool got_ok = tw::gsm::sch_decode(got.data(), soft.data());
      ASSERT_EQ(got_ok, ref_ok) << "noise " << noise << " trial " << t;
      if (ref_ok) {
        ASSERT_EQ(got, ref);
        ++ok;
      } else {
        ++failed;
      }
      if (noise == 0.0) {
        EXPECT_EQ(got, sb);
      }
    }
  }
  EXPECT_GT(ok, 800);
  EXPECT_GT(failed, 50);
}

}  // namespace
