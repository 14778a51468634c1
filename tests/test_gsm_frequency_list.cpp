// Frequency list decoders (TS 44.018 10.5.2.13) against hand-worked octets and against libosmogsm
// (an independent implementation, used only as a test oracle): its decoder on random octets and its
// range encoder (gsm48_arfcn_range_encode.h) on random ARFCN sets.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>
#include <set>
#include <vector>

extern "C" {
#include <osmocom/gsm/gsm48_arfcn_range_encode.h>
#include <osmocom/gsm/gsm48_ie.h>
}

#include "src/gsm/frequency_list.hpp"

using tw::gsm::decode_frequency_list;
using tw::gsm::FrequencyListFormat;

namespace {

std::vector<std::uint16_t> osmo_decode(const std::array<std::uint8_t, 16>& field, std::uint8_t mask, int& rc) {
  std::array<gsm_sysinfo_freq, 1024> f{};
  std::array<std::uint8_t, 16> copy = field;
  rc = gsm48_decode_freq_list(f.data(), copy.data(), 16, mask, 0x01);
  std::vector<std::uint16_t> out;
  for (int i = 0; i < 1024; ++i) {
    if (f[static_cast<std::size_t>(i)].mask & 0x01) out.push_back(static_cast<std::uint16_t>(i));
  }
  return out;
}

}  // namespace

// 10.5.2.1b.2 bit map 0: ARFCN n at bit ((n-1) mod 8) of octet 17 - (n-1) div 8.
// {1, 5} -> last octet 0x11; {10} -> octet 16 bit 2 (0x02); {124} -> octet 2 bit 4 (0x08).
TEST(GsmFrequencyList, BitMap0HandWorked) {
  std::array<std::uint8_t, 16> f{};
  f[0] = 0x08;
  f[14] = 0x02;
  f[15] = 0x11;
  auto r = decode_frequency_list(f);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.format, FrequencyListFormat::bit_map_0);
  EXPECT_EQ(r.arfcns, (std::vector<std::uint16_t>{1, 5, 10, 124}));
}

// 10.5.2.13.3 range 1024 worked by hand: octet 2 = 10 00 0 F0=1 W(1) high = 00 -> 0x84; W(1) = 1 (octet 3
// = 0x01); W(2) = 1 in 9 bits -> octet 4 = 0x00, octet 5 bit 8 = 1 (0x80).
// F(1) = W(1) = 1; F(2) = (W(1) - 512 + W(2) - 1) mod 1023 + 1 = (-511 mod 1023) + 1 = 513; F0 -> ARFCN 0.
TEST(GsmFrequencyList, Range1024HandWorked) {
  std::array<std::uint8_t, 16> f{};
  f[0] = 0x84;
  f[1] = 0x01;
  f[3] = 0x80;
  auto r = decode_frequency_list(f);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.format, FrequencyListFormat::range_1024);
  EXPECT_EQ(r.arfcns, (std::vector<std::uint16_t>{0, 1, 513}));
}

// 10.5.2.13.4 range 512 worked by hand: ORIG-ARFCN = 100 (0b0001100100), W(1) = 50 (9 bits), W(2) = 10 (8 bits).
// Octets: 0x88 (10 00 100, ORIG bit 10 = 0), 0x32 (ORIG bits 9..2), 0x0c (ORIG bit 1 = 0, W(1) bits 9..3),
// 0x82 (W(1) bits 2..1 = 10, W(2) bits 8..3 = 000010), 0x80 (W(2) bits 2..1 = 10). W(1) = 000110010.
// F(0) = 100; F(1) = 100 + 50 = 150; F(2) = 100 + ((50 - 256 + 10 - 1) mod 511 + 1) = 100 + 315 = 415.
TEST(GsmFrequencyList, Range512HandWorked) {
  std::array<std::uint8_t, 16> f{};
  f[0] = 0x88;
  f[1] = 0x32;
  f[2] = 0x0c;
  f[3] = 0x82;
  f[4] = 0x80;
  auto r = decode_frequency_list(f);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.format, FrequencyListFormat::range_512);
  EXPECT_EQ(r.arfcns, (std::vector<std::uint16_t>{100, 150, 415}));
}

// 10.5.2.13.7 variable bit map: ORIG-ARFCN = 1000, RRFCN 1 and RRFCN 30 set -> {1000, 1001, 1030 mod 1024 = 6}.
// Octets: 0x8f (10 00 111, ORIG bit 10 = 1), 0xf4 (ORIG bits 9..2 = 11110100), octet 4 = ORIG bit 1 = 0,
// RRFCN 1..7 = 1000000 -> 0x40; RRFCN 8..15 = 0; RRFCN 16..23 = 0; RRFCN 24..31: RRFCN 30 is bit 2 -> 0x02.
TEST(GsmFrequencyList, VariableBitMapHandWorked) {
  std::array<std::uint8_t, 16> f{};
  f[0] = 0x8f;
  f[1] = 0xf4;
  f[2] = 0x40;
  f[5] = 0x02;
  auto r = decode_frequency_list(f);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.format, FrequencyListFormat::variable_bit_map);
  EXPECT_EQ(r.arfcns, (std::vector<std::uint16_t>{6, 1000, 1001}));
}

TEST(GsmFrequencyList, ReservedFormatAndShortFieldsFail) {
  std::array<std::uint8_t, 16> f{};
  f[0] = 0x40;  // format identifier 01: reserved
  EXPECT_FALSE(decode_frequency_list(f).ok);
  f[0] = 0xc0;  // 11: reserved
  EXPECT_FALSE(decode_frequency_list(f).ok);
  f[0] = 0x00;
  EXPECT_FALSE(decode_frequency_list(std::span<const std::uint8_t>(f).first(15)).ok);  // bit map 0 needs 16
  f[0] = 0x88;
  EXPECT_FALSE(decode_frequency_list(std::span<const std::uint8_t>(f).first(2)).ok);   // ORIG-ARFCN cut
  EXPECT_FALSE(decode_frequency_list(std::span<const std::uint8_t>()).ok);
}

// libosmogsm's decoder on random 16-octet fields of every format identifier, both masks (10.5.2.22 and
// 10.5.2.22a). Where osmocom finds a reserved identifier it returns an empty set; we report an error.
TEST(GsmFrequencyList, MatchesLibosmogsmOnRandomFields) {
  std::mt19937 rng(12345);
  static constexpr std::uint8_t kHeads[] = {0x00, 0x80, 0x84, 0x88, 0x8a, 0x8c, 0x8e, 0x40, 0xc0};
  int compared = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::array<std::uint8_t, 16> f{};
    for (auto& b : f) b = static_cast<std::uint8_t>(rng());
    if (iter % 2 == 0) {  // force a format identifier, keep random low bits
      const std::uint8_t head = kHeads[rng() % std::size(kHeads)];
      f[0] = static_cast<std::uint8_t>((f[0] & 0x31) | head);
    }
    // Sparse W values, as real lists have (zero W(k) = no frequency).
    if (iter % 3 == 0) {
      for (std::size_t i = 4 + rng() % 12; i < 16; ++i) f[i] = 0;
    }
    for (std::uint8_t mask : {tw::gsm::kFormatBitsDefault, tw::gsm::kFormatBitsNcd2}) {
      int rc = 0;
      const auto expected = osmo_decode(f, mask, rc);
      ASSERT_EQ(rc, 0);
      const auto got = decode_frequency_list(f, mask);
      const std::uint8_t id = f[0] & mask;
      const bool reserved = (id & 0xc0) == 0x40 || (id & 0xc0) == 0xc0;
      if (reserved) {
        EXPECT_FALSE(got.ok);
        EXPECT_TRUE(expected.empty());
        continue;
      }
      ASSERT_TRUE(got.ok) << got.error;
      ASSERT_EQ(got.arfcns, expected) << "iteration " << iter << " first octet " << int(f[0]) << " mask " << int(mask);
      ++compared;
    }
  }
  EXPECT_GT(compared, 20000);
}

// Round trip through libosmogsm's range encoder (Annex J encoder): random ARFCN sets that fit a 16-octet
// range 1024/512/256/128 list must decode to exactly the same set.
TEST(GsmFrequencyList, DecodesLibosmogsmRangeEncodings) {
  std::mt19937 rng(777);
  int checked[4] = {0, 0, 0, 0};
  for (int iter = 0; iter < 4000; ++iter) {
    static constexpr int kSpans[] = {100, 200, 500, 1023};
    const int span = kSpans[iter % 4];
    const int base = static_cast<int>(rng() % 1024);
    const int n = 1 + static_cast<int>(rng() % 16);
    std::set<int> s;
    for (int i = 0; i < n; ++i) s.insert((base + static_cast<int>(rng() % static_cast<unsigned>(span + 1))) % 1024);
    std::vector<int> arfcns(s.begin(), s.end());
    int f0 = 0;
    const int range = osmo_gsm48_range_enc_determine_range(arfcns.data(), static_cast<int>(arfcns.size()), &f0);
    if (range == OSMO_GSM48_ARFCN_RANGE_INVALID) continue;
    // Capacity of a 16-octet list (10.5.2.13.3-6): W(1..16), W(1..17), W(1..21), W(1..28) besides F0.
    const std::size_t capacity = range == OSMO_GSM48_ARFCN_RANGE_1024 ? 16 : range == OSMO_GSM48_ARFCN_RANGE_512 ? 17
                                 : range == OSMO_GSM48_ARFCN_RANGE_256 ? 21 : 28;
    std::vector<int> work = arfcns;
    int f0_included = 0;
    const int used = osmo_gsm48_range_enc_filter_arfcns(work.data(), static_cast<int>(work.size()), f0, &f0_included);
    if (used < 0 || static_cast<std::size_t>(used) > capacity) continue;
    std::array<int, OSMO_GSM48_RANGE_ENC_MAX_ARFCNS> w{};
    ASSERT_EQ(osmo_gsm48_range_enc_arfcns(static_cast<osmo_gsm48_range>(range), work.data(), used, w.data(), 0), 0);
    std::array<std::uint8_t, 16> field{};
    int rc = -1;
    int slot = 0;
    switch (range) {
      case OSMO_GSM48_ARFCN_RANGE_128: rc = osmo_gsm48_range_enc_128(field.data(), f0, w.data()); slot = 3; break;
      case OSMO_GSM48_ARFCN_RANGE_256: rc = osmo_gsm48_range_enc_256(field.data(), f0, w.data()); slot = 2; break;
      case OSMO_GSM48_ARFCN_RANGE_512: rc = osmo_gsm48_range_enc_512(field.data(), f0, w.data()); slot = 1; break;
      default: rc = osmo_gsm48_range_enc_1024(field.data(), f0, f0_included, w.data()); slot = 0; break;
    }
    ASSERT_EQ(rc, 0);
    const auto got = decode_frequency_list(field);
    ASSERT_TRUE(got.ok) << got.error;
    std::vector<std::uint16_t> expected(arfcns.begin(), arfcns.end());
    ASSERT_EQ(got.arfcns, expected) << "iteration " << iter << " range " << range;
    ++checked[slot];
  }
  for (int c : checked) EXPECT_GT(c, 50);
}
