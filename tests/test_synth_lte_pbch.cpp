// The LTE synthesizer's PBCH chain (tools/synth/lte/pbch_encoder.hpp) against values worked out here from
// the specifications: the MIB of the reference capture (36.331), the CRC mask per port count (36.212
// 5.3.1.1), a tail-biting convolutional encoder (5.1.3.1) and the rate matching (5.1.4.2) written out in
// the test, the scrambling sequence from its two m-sequences (36.211 7.2), QPSK and the transmit-diversity
// precoding (36.211 7.1.2, 6.3.4.3).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "src/core/error.hpp"
#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/lte/pbch_encoder.hpp"

using namespace tw::synth::lte;

namespace {

// 36.212 5.1.3.1: K = 7, G0 = 133, G1 = 171, G2 = 165 (octal, leftmost bit = the current input bit),
// tail-biting: the register starts with the last 6 input bits. d[i][k].
std::array<std::vector<int>, 3> conv_encode(const std::vector<int>& c) {
  const int g[3] = {0133, 0171, 0165};
  const int n = static_cast<int>(c.size());
  std::array<std::vector<int>, 3> d;
  for (int i = 0; i < 3; ++i) {
    d[i].resize(c.size());
    for (int k = 0; k < n; ++k) {
      int acc = 0;
      for (int j = 0; j <= 6; ++j)
        if ((g[i] >> (6 - j)) & 1) acc ^= c[static_cast<std::size_t>(((k - j) % n + n) % n)];
      d[i][static_cast<std::size_t>(k)] = acc;
    }
  }
  return d;
}

// 36.212 5.1.4.2 with D = 40: 2 rows x 32 columns, 24 <NULL> first, column permutation of table 5.1.4-2,
// read column by column; w = v0 v1 v2; e_k = w_{j mod 192} skipping <NULL>.
std::vector<int> rate_match(const std::array<std::vector<int>, 3>& d, int e_bits) {
  const int perm[32] = {1, 17, 9, 25, 5, 21, 13, 29, 3, 19, 11, 27, 7, 23, 15, 31,
                        0, 16, 8, 24, 4, 20, 12, 28, 2, 18, 10, 26, 6, 22, 14, 30};
  std::vector<int> w;
  for (int i = 0; i < 3; ++i) {
    std::vector<int> y(64, -1);
    for (int k = 0; k < 40; ++k) y[static_cast<std::size_t>(24 + k)] = d[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)];
    for (int col = 0; col < 32; ++col)
      for (int row = 0; row < 2; ++row) w.push_back(y[static_cast<std::size_t>(row * 32 + perm[col])]);
  }
  std::vector<int> e;
  for (std::size_t j = 0; static_cast<int>(e.size()) < e_bits; ++j)
    if (w[j % w.size()] >= 0) e.push_back(w[j % w.size()]);
  return e;
}

// 36.211 7.2 from its two m-sequences: x1(0) = 1, x1(n+31) = x1(n+3) + x1(n); x2 from c_init,
// x2(n+31) = x2(n+3) + x2(n+2) + x2(n+1) + x2(n); c(n) = x1(n + 1600) + x2(n + 1600).
std::vector<int> gold(std::uint32_t c_init, int n) {
  const int total = 1600 + n + 31;
  std::vector<int> x1(static_cast<std::size_t>(total)), x2(static_cast<std::size_t>(total));
  x1[0] = 1;
  for (int i = 0; i < 31; ++i) x2[static_cast<std::size_t>(i)] = static_cast<int>((c_init >> i) & 1u);
  for (int i = 0; i + 31 < total; ++i) {
    const auto u = static_cast<std::size_t>(i);
    x1[u + 31] = (x1[u + 3] + x1[u]) % 2;
    x2[u + 31] = (x2[u + 3] + x2[u + 2] + x2[u + 1] + x2[u]) % 2;
  }
  std::vector<int> c(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) c[static_cast<std::size_t>(i)] = (x1[static_cast<std::size_t>(i + 1600)] + x2[static_cast<std::size_t>(i + 1600)]) % 2;
  return c;
}

// c(0..39) of a MIB: 24 bits, then the CRC-16 (gCRC16 = D^16 + D^12 + D^5 + 1, long division of a(D) D^16)
// XOR the port mask.
std::vector<int> crc_attached(const std::array<std::uint8_t, 3>& mib, const std::array<int, 16>& mask) {
  std::vector<int> a;
  for (int i = 0; i < 24; ++i) a.push_back((mib[static_cast<std::size_t>(i / 8)] >> (7 - i % 8)) & 1);
  std::vector<int> r(a);
  r.resize(40, 0);
  const int g[17] = {1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};   // D^16 .. D^0
  for (int i = 0; i < 24; ++i)
    if (r[static_cast<std::size_t>(i)])
      for (int j = 0; j < 17; ++j) r[static_cast<std::size_t>(i + j)] ^= g[j];
  std::vector<int> c(a);
  for (int i = 0; i < 16; ++i) c.push_back(r[static_cast<std::size_t>(24 + i)] ^ mask[static_cast<std::size_t>(i)]);
  return c;
}

std::vector<int> as_int(const std::vector<std::uint8_t>& v) { return std::vector<int>(v.begin(), v.end()); }

constexpr std::array<int, 16> kMask1{};
constexpr std::array<int, 16> kMask2{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
constexpr std::array<int, 16> kMask4{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1};

}  // namespace

TEST(SynthLtePbch, MibOfTheReferenceCell) {
  // /work/shared/captures/lte/reference.json: PCI 150, n50, PHICH normal / one, SFN 28 -> "681c00":
  // dl-Bandwidth n50 = 3 (011), phich-Duration 0, phich-Resource one = 2 (10), SFN MSBs 28/4 = 7.
  LteCellConfig c;
  c.bandwidth_prb = 50;
  c.phich_resource = "1";
  const auto m = mib_octets(c, 28);
  EXPECT_EQ(m[0], 0x68);
  EXPECT_EQ(m[1], 0x1c);
  EXPECT_EQ(m[2], 0x00);
  EXPECT_EQ(mib_octets(c, 29), m);   // the same MIB for the 4 frames of a 40 ms block
  EXPECT_NE(mib_octets(c, 32), m);
}

TEST(SynthLtePbch, RateMatchedLength) {
  const std::array<std::uint8_t, 3> mib{0x68, 0x1c, 0x00};
  EXPECT_EQ(bch_encode(mib, 1, true).size(), 1920u);   // 4 frames x 240 REs x 2 bits
  EXPECT_EQ(bch_encode(mib, 2, false).size(), 1728u);  // extended CP: 4 x 216 x 2
  EXPECT_THROW(bch_encode(mib, 3, true), tw::InputError);
}

TEST(SynthLtePbch, AllZeroMibOnePortIsAllZero) {
  // CRC of zeros is zero, the 1-port mask is zero, the code is linear: every coded bit is 0.
  const std::array<std::uint8_t, 3> zero{};
  for (auto b : bch_encode(zero, 1, true)) ASSERT_EQ(b, 0);
  // With the 2-port mask the parity bits are all ones: not all zero any more.
  const auto e2 = bch_encode(zero, 2, true);
  int ones = 0;
  for (auto b : e2) ones += b;
  EXPECT_GT(ones, 0);
}

TEST(SynthLtePbch, CodedBitsMatchTheSpecWorkedOutHere) {
  const std::array<std::uint8_t, 3> mib{0x68, 0x1c, 0x00};
  const std::array<std::uint8_t, 3> zero{};
  struct Case {
    std::array<std::uint8_t, 3> mib;
    int ports;
    const std::array<int, 16>* mask;
  };
  for (const Case& k : {Case{zero, 2, &kMask2}, Case{zero, 4, &kMask4}, Case{mib, 1, &kMask1}, Case{mib, 2, &kMask2},
                        Case{mib, 4, &kMask4}}) {
    const auto want = rate_match(conv_encode(crc_attached(k.mib, *k.mask)), 1920);
    EXPECT_EQ(as_int(bch_encode(k.mib, k.ports, true)), want) << "ports " << k.ports;
  }
  // The three port counts give three different codewords (that is how the receiver learns the count).
  EXPECT_NE(bch_encode(mib, 1, true), bch_encode(mib, 2, true));
  EXPECT_NE(bch_encode(mib, 2, true), bch_encode(mib, 4, true));
}

TEST(SynthLtePbch, ScramblingSequenceFromTheTwoMSequences) {
  // PCI 0: x2 starts (and stays) all zero, so c(n) = x1(n + 1600).
  std::vector<std::uint8_t> zeros(1920, 0);
  pbch_scramble(zeros, 0);
  const auto c0 = gold(0, 1920);
  EXPECT_EQ(as_int(zeros), c0);
  // The first bits of c(n) for c_init = 0 as a literal, worked out from x1 alone.
  std::vector<int> x1(1700 + 31);
  x1[0] = 1;
  for (std::size_t i = 0; i + 31 < x1.size(); ++i) x1[i + 31] = (x1[i + 3] + x1[i]) % 2;
  for (int n = 0; n < 64; ++n) EXPECT_EQ(zeros[static_cast<std::size_t>(n)], x1[static_cast<std::size_t>(1600 + n)]) << n;
  // PCI 150: both sequences matter.
  std::vector<std::uint8_t> z150(1920, 0);
  pbch_scramble(z150, 150);
  EXPECT_EQ(as_int(z150), gold(150, 1920));
  EXPECT_NE(as_int(z150), c0);
  EXPECT_THROW(pbch_scramble(z150, 504), tw::InputError);
}

TEST(SynthLtePbch, QpskAndTransmitDiversity) {
  std::vector<std::uint8_t> bits(1920);
  for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = static_cast<std::uint8_t>((i * 7 + i / 3) % 5 < 2);
  const float a = 1.0f / std::sqrt(2.0f);
  auto d = [&](std::size_t i) { return std::complex<float>(a * (1 - 2 * bits[2 * i]), a * (1 - 2 * bits[2 * i + 1])); };
  std::vector<std::vector<cf32>> y;
  pbch_precode(bits, 1, y);
  ASSERT_EQ(y.size(), 1u);
  ASSERT_EQ(y[0].size(), 960u);
  for (std::size_t i = 0; i < 960; ++i) ASSERT_EQ(y[0][i], d(i));
  // 2 ports (6.3.4.3): y0(2i) = x0, y1(2i) = -x1*, y0(2i+1) = x1, y1(2i+1) = x0*, over sqrt 2.
  pbch_precode(bits, 2, y);
  ASSERT_EQ(y.size(), 2u);
  for (std::size_t i = 0; i < 480; ++i) {
    const cf32 x0 = d(2 * i), x1 = d(2 * i + 1);
    EXPECT_NEAR(std::abs(y[0][2 * i] - a * x0), 0.0f, 1e-6f);
    EXPECT_NEAR(std::abs(y[1][2 * i] + a * std::conj(x1)), 0.0f, 1e-6f);
    EXPECT_NEAR(std::abs(y[0][2 * i + 1] - a * x1), 0.0f, 1e-6f);
    EXPECT_NEAR(std::abs(y[1][2 * i + 1] - a * std::conj(x0)), 0.0f, 1e-6f);
  }
  // 4 ports: SFBC on ports 0/2 for the first pair of each group of 4, ports 1/3 for the second.
  pbch_precode(bits, 4, y);
  ASSERT_EQ(y.size(), 4u);
  for (std::size_t i = 0; i < 240; ++i) {
    const cf32 x0 = d(4 * i), x1 = d(4 * i + 1), x2 = d(4 * i + 2), x3 = d(4 * i + 3);
    EXPECT_NEAR(std::abs(y[0][4 * i] - a * x0), 0.0f, 1e-6f);
    EXPECT_NEAR(std::abs(y[2][4 * i] + a * std::conj(x1)), 0.0f, 1e-6f);
    EXPECT_NEAR(std::abs(y[0][4 * i + 1] - a * x1), 0.0f, 1e-6f);
    EXPECT_NEAR(std::abs(y[2][4 * i + 1] - a * std::conj(x0)), 0.0f, 1e-6f);
    EXPECT_NEAR(std::abs(y[1][4 * i + 2] - a * x2), 0.0f, 1e-6f);
    EXPECT_NEAR(std::abs(y[3][4 * i + 2] + a * std::conj(x3)), 0.0f, 1e-6f);
    EXPECT_NEAR(std::abs(y[1][4 * i + 3] - a * x3), 0.0f, 1e-6f);
    EXPECT_NEAR(std::abs(y[3][4 * i + 3] - a * std::conj(x2)), 0.0f, 1e-6f);
    for (int p : {1, 3}) {
      EXPECT_EQ(y[static_cast<std::size_t>(p)][4 * i], cf32{});
      EXPECT_EQ(y[static_cast<std::size_t>(p)][4 * i + 1], cf32{});
    }
    for (int p : {0, 2}) {
      EXPECT_EQ(y[static_cast<std::size_t>(p)][4 * i + 2], cf32{});
      EXPECT_EQ(y[static_cast<std::size_t>(p)][4 * i + 3], cf32{});
    }
  }
}
