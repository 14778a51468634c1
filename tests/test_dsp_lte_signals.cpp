// The shared LTE sequences and PBCH coding pieces (dsp/lte/) against values worked out here from the
// specifications: TS 36.211 6.11 (PSS/SSS), 7.2 (gold), 6.10.1 (CRS), 6.6.4 (PBCH mapping); TS 36.212
// 5.1.1 (CRC), 5.1.3.1 (tail-biting code), 5.1.4.2 (rate matching), 5.3.1.1 (port masks); TS 36.331 (MIB).
#include <gtest/gtest.h>

extern "C" {
#include <osmocom/core/conv.h>
}

#include <cmath>
#include <complex>
#include <set>

#include "dsp/lte/lte_signals.hpp"
#include "dsp/lte/mib.hpp"
#include "dsp/lte/pbch_coding.hpp"
#include "support/test_support.hpp"

namespace lte = tw::dsp::lte;

namespace {

constexpr double kPi = 3.14159265358979323846;

// 36.211 7.2 written out as in the text: x1(n+31) = (x1(n+3) + x1(n)) mod 2, x2(n+31) = (x2(n+3) + x2(n+2) +
// x2(n+1) + x2(n)) mod 2, c(n) = (x1(n+Nc) + x2(n+Nc)) mod 2, Nc = 1600.
std::vector<int> gold_reference(std::uint32_t c_init, int len) {
  const int nc = 1600, total = nc + len + 31;
  std::vector<int> x1(static_cast<std::size_t>(total)), x2(static_cast<std::size_t>(total));
  x1[0] = 1;
  for (int i = 0; i < 31; ++i) x2[static_cast<std::size_t>(i)] = (c_init >> i) & 1;
  for (int n = 0; n + 31 < total; ++n) {
    x1[static_cast<std::size_t>(n + 31)] = (x1[static_cast<std::size_t>(n + 3)] + x1[static_cast<std::size_t>(n)]) % 2;
    x2[static_cast<std::size_t>(n + 31)] = (x2[static_cast<std::size_t>(n + 3)] + x2[static_cast<std::size_t>(n + 2)] +
                                            x2[static_cast<std::size_t>(n + 1)] + x2[static_cast<std::size_t>(n)]) % 2;
  }
  std::vector<int> c(static_cast<std::size_t>(len));
  for (int n = 0; n < len; ++n) c[static_cast<std::size_t>(n)] = (x1[static_cast<std::size_t>(n + nc)] + x2[static_cast<std::size_t>(n + nc)]) % 2;
  return c;
}

TEST(LteSignals, PssIsTheZadoffChuOfTheSpecRoots) {
  const int roots[3] = {25, 29, 34};  // table 6.11.1.1-1
  for (int n2 = 0; n2 < 3; ++n2) {
    const auto d = lte::pss_sequence(n2);
    EXPECT_EQ(lte::pss_root(n2), roots[n2]);
    const int u = roots[n2];
    for (int n = 0; n < 62; ++n) {
      const double e = n <= 30 ? u * n * (n + 1) : u * (n + 1) * (n + 2);
      const std::complex<double> want = std::polar(1.0, -kPi * e / 63.0);
      EXPECT_NEAR(d[static_cast<std::size_t>(n)].real(), want.real(), 1e-5) << n2 << " " << n;
      EXPECT_NEAR(d[static_cast<std::size_t>(n)].imag(), want.imag(), 1e-5) << n2 << " " << n;
    }
  }
  // Roots 29 and 34 add up to 63: complex conjugate sequences.
  const auto a = lte::pss_sequence(1), b = lte::pss_sequence(2);
  for (int n = 0; n < 62; ++n) EXPECT_NEAR(std::abs(a[static_cast<std::size_t>(n)] - std::conj(b[static_cast<std::size_t>(n)])), 0.0, 1e-5);
  tw::test::expect_input_error([] { lte::pss_sequence(3); }, {"N_ID(2)"});
}

TEST(LteSignals, SssIndicesFollowTable6_11_2_1_1) {
  // Rows of table 6.11.2.1-1.
  const int rows[][3] = {{0, 0, 1}, {1, 1, 2}, {29, 29, 30}, {30, 0, 2}, {31, 1, 3}, {58, 28, 30}, {59, 0, 3}, {60, 1, 4}};
  for (const auto& r : rows) {
    const auto m = lte::sss_indices(r[0]);
    EXPECT_EQ(m.m0, r[1]) << "N_ID(1) " << r[0];
    EXPECT_EQ(m.m1, r[2]) << "N_ID(1) " << r[0];
  }
  tw::test::expect_input_error([] { lte::sss_indices(168); }, {"N_ID(1)"});
}

TEST(LteSignals, SssEvenAndOddHalvesSwapBetweenSubframes0And5) {
  // s~(i) = 1 - 2 x(i), x(i+5) = (x(i+2) + x(i)) mod 2, x(0..4) = 0 0 0 0 1.
  std::vector<int> x(36);
  x[4] = 1;
  for (int i = 0; i + 5 < 36; ++i) x[static_cast<std::size_t>(i + 5)] = (x[static_cast<std::size_t>(i + 2)] + x[static_cast<std::size_t>(i)]) % 2;
  for (int n1 : {0, 50, 100, 167}) {
    const auto [m0, m1] = lte::sss_indices(n1);
    for (int n2 = 0; n2 < 3; ++n2) {
      const auto d0 = lte::sss_sequence(n1, n2, 0), d5 = lte::sss_sequence(n1, n2, 5);
      for (int n = 0; n < 31; ++n) {
        // d(2n) = s0(n) c0(n) in subframe 0 and s1(n) c0(n) in subframe 5: the product is s0 s1.
        const int s0 = 1 - 2 * x[static_cast<std::size_t>((n + m0) % 31)], s1 = 1 - 2 * x[static_cast<std::size_t>((n + m1) % 31)];
        EXPECT_EQ(d0[static_cast<std::size_t>(2 * n)] * d5[static_cast<std::size_t>(2 * n)], static_cast<float>(s0 * s1));
        EXPECT_EQ(std::fabs(d0[static_cast<std::size_t>(2 * n + 1)]), 1.0f);
      }
      EXPECT_NE(d0, d5);
    }
  }
}

TEST(LteSignals, GoldSequenceMatchesTheTwoMSequences) {
  for (std::uint32_t c_init : {0u, 1u, 150u, 0x12345u, 0x7FFFFFFFu}) {
    const auto want = gold_reference(c_init, 500);
    std::vector<std::uint8_t> got(500);
    lte::gold_sequence(c_init, got);
    for (int n = 0; n < 500; ++n) ASSERT_EQ(got[static_cast<std::size_t>(n)], want[static_cast<std::size_t>(n)]) << c_init << " n " << n;
  }
}

TEST(LteSignals, CrsSequenceIsQpskOfTheGoldBits) {
  const int pci = 150, ns = 1, l = 4;
  const std::uint32_t c_init = (1u << 10) * (7 * (ns + 1) + l + 1) * (2 * pci + 1) + 2 * pci + 1;  // 6.10.1.1, normal CP
  const auto c = gold_reference(c_init, 440);
  std::array<lte::cf32, 220> r{};
  lte::crs_sequence(pci, ns, l, true, r);
  for (int m = 0; m < 220; ++m) {
    EXPECT_NEAR(r[static_cast<std::size_t>(m)].real(), (1 - 2 * c[static_cast<std::size_t>(2 * m)]) / std::sqrt(2.0), 1e-6);
    EXPECT_NEAR(r[static_cast<std::size_t>(m)].imag(), (1 - 2 * c[static_cast<std::size_t>(2 * m + 1)]) / std::sqrt(2.0), 1e-6);
  }
  // 6.10.1.2: v = 0 / 3 for port 0 in l = 0 / l != 0, v_shift = N_ID mod 6; ports 2, 3: 3 (ns mod 2), 3 + 3 (ns mod 2).
  EXPECT_EQ(lte::crs_k_offset(0, 0, 0, true, 150), 0);
  EXPECT_EQ(lte::crs_k_offset(0, 0, 4, true, 151), 4);
  EXPECT_EQ(lte::crs_k_offset(1, 0, 0, true, 1), 4);
  EXPECT_EQ(lte::crs_k_offset(2, 1, 1, true, 0), 3);
  EXPECT_EQ(lte::crs_k_offset(3, 1, 1, true, 2), 2);
}

TEST(LteSignals, FrameTimingAndSyncPositions) {
  EXPECT_EQ(lte::cp_length(0, true, 128), 10);
  EXPECT_EQ(lte::cp_length(3, true, 128), 9);
  EXPECT_EQ(lte::cp_length(0, false, 256), 64);
  EXPECT_EQ(lte::symbol_start(7, true, 128), 960);      // slot 1
  EXPECT_EQ(lte::symbol_start(6, true, 128), 10 + 128 + 5 * 137);
  EXPECT_EQ(lte::symbol_start(5, false, 128), 5 * 160);
  EXPECT_EQ(lte::pss_symbol(false, true), 6);
  EXPECT_EQ(lte::sss_symbol(false, true), 5);
  EXPECT_EQ(lte::pss_symbol(true, true), 2);
  EXPECT_EQ(lte::sss_symbol(true, true), 13);
  EXPECT_EQ(lte::sss_symbol(true, false), 11);
  EXPECT_EQ(lte::pss_subframe(true), 1);
}

TEST(LteSignals, PbchResourceElementsSkipFourPortCrs) {
  for (bool ncp : {true, false}) {
    for (int pci : {0, 1, 2, 301}) {
      const auto res = lte::pbch_resource_elements(pci, ncp);
      ASSERT_EQ(res.size(), ncp ? 240u : 216u);
      const int first = lte::symbols_per_slot(ncp);
      std::set<std::pair<int, int>> seen;
      for (std::size_t i = 0; i < res.size(); ++i) {
        const auto& re = res[i];
        ASSERT_GE(re.symbol, first);
        ASSERT_LE(re.symbol, first + 3);
        const int l = re.symbol - first;
        const bool crs_symbol = l == 0 || l == 1 || l == lte::symbols_per_slot(ncp) - 3;
        if (crs_symbol) {
          EXPECT_NE(re.k72 % 3, pci % 3) << "PBCH on a CRS position";
        }
        EXPECT_TRUE(seen.insert({re.symbol, re.k72}).second);
        if (i > 0) {  // k first, then l
          const auto& p = res[i - 1];
          EXPECT_TRUE(re.symbol > p.symbol || (re.symbol == p.symbol && re.k72 > p.k72));
        }
      }
    }
  }
}

TEST(PbchCoding, Crc16IsTheCcittPolynomial) {
  // gCRC16 = D^16 + D^12 + D^5 + 1, zero initial state: the CRC-16/XMODEM check value of "123456789" is 0x31C3.
  std::vector<std::uint8_t> bits;
  for (char ch : std::string("123456789"))
    for (int b = 7; b >= 0; --b) bits.push_back(static_cast<std::uint8_t>((ch >> b) & 1));
  EXPECT_EQ(lte::crc16(bits), 0x31C3);
  // Appending the parity bits leaves a zero remainder (36.212 5.1.1).
  const auto p = lte::crc16(bits);
  for (int b = 15; b >= 0; --b) bits.push_back(static_cast<std::uint8_t>((p >> b) & 1));
  EXPECT_EQ(lte::crc16(bits), 0);
  EXPECT_EQ(lte::crc_mask_for_ports(1), 0x0000);
  EXPECT_EQ(lte::crc_mask_for_ports(2), 0xFFFF);
  EXPECT_EQ(lte::crc_mask_for_ports(4), 0x5555);
  tw::test::expect_input_error([] { lte::crc_mask_for_ports(3); }, {"ports"});
}

TEST(PbchCoding, TailBitingCodeMatchesTheShiftRegisterOf5_1_3_1) {
  // d(i)_k = sum_j g_i(j) c_(k-j) mod 2 with the register initialised by the last 6 input bits;
  // g0 = 133, g1 = 171, g2 = 165 (octal), the leftmost tap on the current bit.
  const unsigned g[3] = {0133, 0171, 0165};
  std::uint32_t lfsr = 0xACE1u;
  for (int trial = 0; trial < 20; ++trial) {
    std::array<ubit_t, 40> c{};
    for (auto& b : c) {
      lfsr = lfsr * 1103515245u + 12345u;
      b = static_cast<ubit_t>((lfsr >> 16) & 1);
    }
    std::array<ubit_t, 120> out{};
    osmo_conv_encode(&lte::pbch_conv_code(), c.data(), out.data());
    for (int k = 0; k < 40; ++k)
      for (int i = 0; i < 3; ++i) {
        int v = 0;
        for (int j = 0; j <= 6; ++j) v ^= ((g[i] >> (6 - j)) & 1) & c[static_cast<std::size_t>((k - j + 40) % 40)];
        ASSERT_EQ(out[static_cast<std::size_t>(3 * k + i)], v) << "k " << k << " stream " << i;
      }
    std::array<sbit_t, 120> soft{};
    for (int i = 0; i < 120; ++i) soft[static_cast<std::size_t>(i)] = out[static_cast<std::size_t>(i)] ? -100 : 100;
    soft[7] = static_cast<sbit_t>(-soft[7]);  // one wrong bit
    std::array<ubit_t, 40> dec{};
    osmo_conv_decode(&lte::pbch_conv_code(), soft.data(), dec.data());
    EXPECT_EQ(dec, c);
  }
}

TEST(PbchCoding, RateMatchMapSkipsTheDummyBits) {
  // D = 40: R = 2 rows of 32, 24 <NULL> at the head. Table 5.1.4-2 permutation <1, 17, 9, 25, ...>:
  // column 1 holds y1 (<NULL>) and y33 (bit 9), column 17 y17 (<NULL>) and y49 (bit 25), column 9 -> bit 17,
  // column 25 -> y25 (bit 1) and y57 (bit 33).
  const auto map = lte::conv_rate_match_map(40, 1920);
  ASSERT_EQ(map.size(), 1920u);
  EXPECT_EQ(map[0], 9);
  EXPECT_EQ(map[1], 25);
  EXPECT_EQ(map[2], 17);
  EXPECT_EQ(map[3], 1);
  EXPECT_EQ(map[4], 33);
  // The first 40 outputs are stream 0, then stream 1 (index 40 + ...), then stream 2; 120 is a period.
  std::set<int> first(map.begin(), map.begin() + 120);
  EXPECT_EQ(first.size(), 120u);
  for (int e = 0; e < 40; ++e) EXPECT_LT(map[static_cast<std::size_t>(e)], 40);
  for (int e = 40; e < 80; ++e) {
    EXPECT_GE(map[static_cast<std::size_t>(e)], 40);
    EXPECT_LT(map[static_cast<std::size_t>(e)], 80);
  }
  for (std::size_t e = 120; e < map.size(); ++e) EXPECT_EQ(map[e], map[e - 120]);
  tw::test::expect_input_error([] { lte::conv_rate_match_map(0, 10); }, {"D"});
  EXPECT_EQ(lte::pbch_bits_total(true), 1920);
  EXPECT_EQ(lte::pbch_bits_total(false), 1728);
}

TEST(Mib, ReferenceOctetsDecodeToTheirFields) {
  const std::array<std::uint8_t, 3> o{0x68, 0x1c, 0x00};  // srsRAN signal.1.92M.dat
  const auto m = lte::unpack_mib(std::span<const std::uint8_t, 3>(o), 0);
  EXPECT_EQ(m.bandwidth_prb, 50);
  EXPECT_FALSE(m.phich_extended);
  EXPECT_EQ(m.phich_resource, "1");
  EXPECT_EQ(m.sfn, 28);
  EXPECT_EQ(lte::unpack_mib(std::span<const std::uint8_t, 3>(o), 3).sfn, 31);
  EXPECT_EQ(lte::pack_mib(m), o);
  lte::Mib x{100, true, "1/6", 1023};
  const auto px = lte::pack_mib(x);
  const auto back = lte::unpack_mib(std::span<const std::uint8_t, 3>(px), 3);
  EXPECT_EQ(back.bandwidth_prb, 100);
  EXPECT_TRUE(back.phich_extended);
  EXPECT_EQ(back.phich_resource, "1/6");
  EXPECT_EQ(back.sfn, 1023);
  const std::array<std::uint8_t, 3> bad{0xE0, 0, 0};  // dl-Bandwidth code 7
  tw::test::expect_input_error([&] { lte::unpack_mib(std::span<const std::uint8_t, 3>(bad), 0); }, {"dl-Bandwidth"});
  tw::test::expect_input_error([] { lte::pack_mib(lte::Mib{7, false, "1", 0}); }, {"dl-Bandwidth"});
}

}  // namespace
