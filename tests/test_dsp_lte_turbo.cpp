// The LTE turbo code (dsp/lte/turbo_code.hpp) against TS 36.212 5.1.3.2: the QPP parameters of table 5.1.3-3,
// the constituent encoders written out here from figure 5.1.3-2 (shift registers, switch moved for the tail),
// the tail order of 5.1.3.2.2, and the decoder on signals whose truth the test wrote (noiseless, AWGN at a few
// Eb/N0, filler bits), the optimized decoder against the textbook one.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "dsp/lte/dlsch_coding.hpp"
#include "dsp/lte/turbo_code.hpp"
#include "support/test_support.hpp"

namespace lte = tw::dsp::lte;

namespace {

using Bits = std::vector<std::uint8_t>;

Bits random_bits(std::mt19937& rng, int n) {
  Bits b(static_cast<std::size_t>(n));
  for (auto& x : b) x = static_cast<std::uint8_t>(rng() & 1u);
  return b;
}

// Figure 5.1.3-2, one constituent encoder: three delay elements D1 D2 D3 (D1 the newest); the value entering
// D1 is the input plus the feedback g0 = 1 + D^2 + D^3 (the outputs of D2 and D3); the parity z is g1 = 1 + D +
// D^3: the value entering D1 plus the outputs of D1 and D3. During termination the switch feeds the feedback
// back as the input, and the systematic output x is that input.
struct Rsc {
  int reg[3] = {0, 0, 0};
  int push(int u) {   // returns z
    const int in = u ^ reg[1] ^ reg[2];
    const int z = in ^ reg[0] ^ reg[2];
    reg[2] = reg[1];
    reg[1] = reg[0];
    reg[0] = in;
    return z;
  }
  int tail_input() const { return reg[1] ^ reg[2]; }
  bool zero() const { return reg[0] == 0 && reg[1] == 0 && reg[2] == 0; }
};

float bipolar(std::uint8_t bit) { return bit ? -1.0f : 1.0f; }

// BPSK over AWGN at Eb/N0 for a rate-1/3 code: LLR = 2 y / sigma^2 (positive = 0).
struct Noisy {
  std::vector<float> d0, d1, d2;
};
Noisy awgn(const lte::TurboCodeword& cw, double ebn0_db, double rate, std::mt19937& rng) {
  const double esn0 = std::pow(10.0, ebn0_db / 10.0) * rate;
  const double sigma2 = 1.0 / (2.0 * esn0);
  std::normal_distribution<double> n(0.0, std::sqrt(sigma2));
  auto f = [&](const Bits& b) {
    std::vector<float> v(b.size());
    for (std::size_t i = 0; i < b.size(); ++i) v[i] = static_cast<float>(2.0 * (bipolar(b[i]) + n(rng)) / sigma2);
    return v;
  };
  return {f(cw.d0), f(cw.d1), f(cw.d2)};
}

}  // namespace

TEST(LteTurboQpp, TableHasTheSpecificationsRowsAndSpotValues) {
  const auto t = lte::qpp_table();
  ASSERT_EQ(t.size(), 188u);
  // Table 5.1.3-3: K = 40..512 step 8, 528..1024 step 16, 1056..2048 step 32, 2112..6144 step 64.
  std::vector<int> ks;
  for (int k = 40; k <= 512; k += 8) ks.push_back(k);
  for (int k = 528; k <= 1024; k += 16) ks.push_back(k);
  for (int k = 1056; k <= 2048; k += 32) ks.push_back(k);
  for (int k = 2112; k <= 6144; k += 64) ks.push_back(k);
  ASSERT_EQ(ks.size(), 188u);
  for (std::size_t i = 0; i < ks.size(); ++i) {
    EXPECT_EQ(t[i].k, ks[i]) << "row " << i + 1;
    EXPECT_EQ(lte::qpp_table_index(ks[i]), static_cast<int>(i));
  }
  EXPECT_EQ(lte::qpp_params(40).f1, 3);
  EXPECT_EQ(lte::qpp_params(40).f2, 10);
  EXPECT_EQ(lte::qpp_params(6144).f1, 263);
  EXPECT_EQ(lte::qpp_params(6144).f2, 480);
  // More rows read from the table (i = 18, 60, 94, 151).
  EXPECT_EQ(lte::qpp_params(176).f1, 21);
  EXPECT_EQ(lte::qpp_params(176).f2, 44);
  EXPECT_EQ(lte::qpp_params(512).f1, 31);
  EXPECT_EQ(lte::qpp_params(512).f2, 64);
  EXPECT_EQ(lte::qpp_params(1120).f1, 67);
  EXPECT_EQ(lte::qpp_params(1120).f2, 140);
  EXPECT_EQ(lte::qpp_params(4480).f1, 233);
  EXPECT_EQ(lte::qpp_params(4480).f2, 280);
  for (int bad : {-8, 0, 39, 41, 520, 1040, 2080, 6150, 6208, 1 << 30}) {
    EXPECT_FALSE(lte::is_turbo_block_size(bad)) << bad;
    EXPECT_THROW(lte::qpp_params(bad), tw::InputError) << bad;
    EXPECT_THROW(lte::qpp_interleaver(bad), tw::InputError) << bad;
  }
}

TEST(LteTurboQpp, EveryPermutationIsTheFormulaAndABijection) {
  for (const auto& p : lte::qpp_table()) {
    const auto pi = lte::qpp_interleaver(p.k);
    ASSERT_EQ(pi.size(), static_cast<std::size_t>(p.k));
    std::vector<char> seen(static_cast<std::size_t>(p.k), 0);
    for (int i = 0; i < p.k; ++i) {
      const long long direct = (static_cast<long long>(p.f1) * i + static_cast<long long>(p.f2) * i * i) % p.k;
      ASSERT_EQ(pi[static_cast<std::size_t>(i)], direct) << "K " << p.k << " i " << i;
      ASSERT_FALSE(seen[static_cast<std::size_t>(direct)]) << "K " << p.k << " maps twice to " << direct;
      seen[static_cast<std::size_t>(direct)] = 1;
    }
  }
}

TEST(LteTurboEncoder, StreamsAndTailAsFigureAndClauseOrderThem) {
  std::mt19937 rng(7);
  for (int k : {40, 48, 200, 1008, 6144}) {
    const Bits c = random_bits(rng, k);
    const auto cw = lte::turbo_encode(c);
    ASSERT_EQ(cw.d0.size(), static_cast<std::size_t>(k + 4));
    ASSERT_EQ(cw.d1.size(), static_cast<std::size_t>(k + 4));
    ASSERT_EQ(cw.d2.size(), static_cast<std::size_t>(k + 4));
    const auto p = lte::qpp_params(k);
    Rsc e1, e2;
    for (int i = 0; i < k; ++i) {
      const std::size_t iu = static_cast<std::size_t>(i);
      const long long pi = (static_cast<long long>(p.f1) * i + static_cast<long long>(p.f2) * i * i) % k;
      ASSERT_EQ(cw.d0[iu], c[iu]);
      ASSERT_EQ(cw.d1[iu], e1.push(c[iu])) << "K " << k << " z_" << i;
      ASSERT_EQ(cw.d2[iu], e2.push(c[static_cast<std::size_t>(pi)])) << "K " << k << " z'_" << i;
    }
    // 5.1.3.2.2: encoder 1 terminates first (x_K z_K x_K+1 z_K+1 x_K+2 z_K+2), then encoder 2.
    int x[3], z[3], xp[3], zp[3];
    for (int j = 0; j < 3; ++j) {
      x[j] = e1.tail_input();
      z[j] = e1.push(x[j]);
    }
    for (int j = 0; j < 3; ++j) {
      xp[j] = e2.tail_input();
      zp[j] = e2.push(xp[j]);
    }
    EXPECT_TRUE(e1.zero());
    EXPECT_TRUE(e2.zero());
    const std::size_t K = static_cast<std::size_t>(k);
    const int want0[4] = {x[0], z[1], xp[0], zp[1]};
    const int want1[4] = {z[0], x[2], zp[0], xp[2]};
    const int want2[4] = {x[1], z[2], xp[1], zp[2]};
    for (std::size_t j = 0; j < 4; ++j) {
      EXPECT_EQ(cw.d0[K + j], want0[j]) << "K " << k << " d0 tail " << j;
      EXPECT_EQ(cw.d1[K + j], want1[j]) << "K " << k << " d1 tail " << j;
      EXPECT_EQ(cw.d2[K + j], want2[j]) << "K " << k << " d2 tail " << j;
    }
  }
}

TEST(LteTurboEncoder, TailDrivesBothEncodersToStateZero) {
  // Feeding the encoder's own tail bits (read back from the streams in 5.1.3.2.2's order) to the registers
  // of figure 5.1.3-2 leaves both in the all-zero state and reproduces the tail parity bits.
  std::mt19937 rng(8);
  for (int trial = 0; trial < 20; ++trial) {
    const int k = lte::qpp_table()[static_cast<std::size_t>(rng() % 188)].k;
    const Bits c = random_bits(rng, k);
    const auto cw = lte::turbo_encode(c);
    const auto pi = lte::qpp_interleaver(k);
    Rsc e1, e2;
    for (int i = 0; i < k; ++i) {
      e1.push(c[static_cast<std::size_t>(i)]);
      e2.push(c[static_cast<std::size_t>(pi[static_cast<std::size_t>(i)])]);
    }
    const std::size_t K = static_cast<std::size_t>(k);
    const int x[3] = {cw.d0[K], cw.d2[K], cw.d1[K + 1]}, z[3] = {cw.d1[K], cw.d0[K + 1], cw.d2[K + 1]};
    const int xp[3] = {cw.d0[K + 2], cw.d2[K + 2], cw.d1[K + 3]}, zp[3] = {cw.d1[K + 2], cw.d0[K + 3], cw.d2[K + 3]};
    for (int j = 0; j < 3; ++j) {
      EXPECT_EQ(e1.push(x[j]), z[j]);
      EXPECT_EQ(e2.push(xp[j]), zp[j]);
    }
    EXPECT_TRUE(e1.zero()) << "K " << k;
    EXPECT_TRUE(e2.zero()) << "K " << k;
  }
}

TEST(LteTurboEncoder, RejectsBadInput) {
  EXPECT_THROW(lte::turbo_encode(Bits(41, 0)), tw::InputError);
  EXPECT_THROW(lte::turbo_encode(Bits{}), tw::InputError);
  Bits c(40, 0);
  c[5] = 2;
  EXPECT_THROW(lte::turbo_encode(c), tw::InputError);
}

TEST(LteTurboDecoder, NoiselessBlocksOfEverySizeClass) {
  std::mt19937 rng(11);
  for (int k : {40, 200, 512, 1024, 2048, 6144}) {
    const Bits c = random_bits(rng, k);
    const auto cw = lte::turbo_encode(c);
    std::vector<float> d0(cw.d0.size()), d1(cw.d1.size()), d2(cw.d2.size());
    for (std::size_t i = 0; i < d0.size(); ++i) {
      d0[i] = 4.0f * bipolar(cw.d0[i]);
      d1[i] = 4.0f * bipolar(cw.d1[i]);
      d2[i] = 4.0f * bipolar(cw.d2[i]);
    }
    lte::TurboDecoder dec(k);
    EXPECT_EQ(dec.k(), k);
    Bits out(static_cast<std::size_t>(k), 9);
    const auto r = dec.execute(d0, d1, d2, 0, lte::TurboCrc::none, 2, out);
    EXPECT_EQ(r.iterations, 2);
    EXPECT_FALSE(r.crc_ok);
    EXPECT_EQ(out, c) << "K " << k;
    Bits ref(static_cast<std::size_t>(k), 9);
    lte::turbo_decode_reference(d0, d1, d2, 0, lte::TurboCrc::none, 2, ref);
    EXPECT_EQ(ref, c) << "K " << k;
  }
}

TEST(LteTurboDecoder, BitErrorRateAtAFewEbN0) {
  // K = 6144, rate 1/3, BPSK/AWGN, 8 iterations, 3 blocks per point. Max-log-MAP with extrinsic scaling sits
  // within about 1 dB of the ~-0.5 dB rate-1/3 limit at this length: error-free by 1.5 dB, useless at -1.5 dB.
  std::mt19937 rng(12);
  const int k = 6144;
  lte::TurboDecoder dec(k);
  auto ber_at = [&](double ebn0) {
    long errors = 0, bits = 0;
    for (int t = 0; t < 3; ++t) {
      const Bits c = random_bits(rng, k);
      const auto n = awgn(lte::turbo_encode(c), ebn0, static_cast<double>(k) / (3 * k + 12), rng);
      Bits out(static_cast<std::size_t>(k));
      dec.execute(n.d0, n.d1, n.d2, 0, lte::TurboCrc::none, 8, out);
      for (int i = 0; i < k; ++i) errors += out[static_cast<std::size_t>(i)] != c[static_cast<std::size_t>(i)];
      bits += k;
    }
    return static_cast<double>(errors) / static_cast<double>(bits);
  };
  const double ber_hi = ber_at(1.5), ber_mid = ber_at(0.5), ber_lo = ber_at(-1.5);
  EXPECT_EQ(ber_hi, 0.0);
  EXPECT_LT(ber_mid, 0.05);
  EXPECT_GT(ber_lo, 0.05);   // below the limit nothing decodes: the channel is really noisy
  EXPECT_LT(ber_mid, ber_lo);
}

TEST(LteTurboDecoder, OptimizedAndTextbookDecodersAgree) {
  std::mt19937 rng(13);
  int blocks_ok = 0;
  for (int k : {40, 176, 1056, 3072}) {
    lte::TurboDecoder dec(k);
    for (int t = 0; t < 3; ++t) {
      const Bits c = random_bits(rng, k);
      const auto n = awgn(lte::turbo_encode(c), 1.0, 1.0 / 3.0, rng);
      Bits a(static_cast<std::size_t>(k)), b(static_cast<std::size_t>(k));
      const auto ra = dec.execute(n.d0, n.d1, n.d2, 0, lte::TurboCrc::none, 4, a);
      const auto rb = lte::turbo_decode_reference(n.d0, n.d1, n.d2, 0, lte::TurboCrc::none, 4, b);
      EXPECT_EQ(ra.iterations, rb.iterations);
      // Same arithmetic in another order: the decisions agree bit for bit but for float rounding at ties.
      int differ = 0;
      for (int i = 0; i < k; ++i) differ += a[static_cast<std::size_t>(i)] != b[static_cast<std::size_t>(i)];
      EXPECT_LE(differ, 2) << "K " << k << " trial " << t;
      blocks_ok += a == c;
    }
  }
  EXPECT_GE(blocks_ok, 8);   // at 1 dB most blocks decode
}

TEST(LteTurboDecoder, StopsEarlyWhenTheCrcChecksAndUsesFillerBits) {
  std::mt19937 rng(14);
  // A block as 5.1.2 builds it: F filler zeros, data, CRC24B; the filler positions sent as <NULL> (soft 0).
  const int k = 1024, f = 40;
  Bits c(static_cast<std::size_t>(f), 0);
  const Bits data = random_bits(rng, k - f - 24);
  c.insert(c.end(), data.begin(), data.end());
  const std::uint32_t p = lte::crc24b(c);
  for (int i = 0; i < 24; ++i) c.push_back(static_cast<std::uint8_t>((p >> (23 - i)) & 1u));
  ASSERT_EQ(lte::crc24b(c), 0u);
  const auto cw = lte::turbo_encode(c);
  auto n = awgn(cw, 3.0, 1.0 / 3.0, rng);
  for (int i = 0; i < f; ++i) n.d0[static_cast<std::size_t>(i)] = n.d1[static_cast<std::size_t>(i)] = 0.0f;
  lte::TurboDecoder dec(k);
  Bits out(static_cast<std::size_t>(k));
  auto r = dec.execute(n.d0, n.d1, n.d2, f, lte::TurboCrc::crc24b, 8, out);
  EXPECT_TRUE(r.crc_ok);
  EXPECT_LE(r.iterations, 2);
  EXPECT_EQ(out, c);
  r = dec.execute(n.d0, n.d1, n.d2, f, lte::TurboCrc::none, 5, out);
  EXPECT_FALSE(r.crc_ok);
  EXPECT_EQ(r.iterations, 5);
  // The CRC24A check does not pass on a block protected by CRC24B: all 8 iterations run, crc_ok false.
  r = dec.execute(n.d0, n.d1, n.d2, f, lte::TurboCrc::crc24a, 8, out);
  EXPECT_FALSE(r.crc_ok);
  EXPECT_EQ(r.iterations, 8);
}

TEST(LteTurboDecoder, RejectsBadArgumentsAndSurvivesHostileSoftValues) {
  EXPECT_THROW(lte::TurboDecoder(100), tw::InputError);
  lte::TurboDecoder dec(40);
  std::vector<float> d(44, 1.0f), shortd(43, 1.0f);
  Bits out(40), shorto(39);
  EXPECT_THROW(dec.execute(shortd, d, d, 0, lte::TurboCrc::none, 1, out), tw::InputError);
  EXPECT_THROW(dec.execute(d, d, d, 0, lte::TurboCrc::none, 1, shorto), tw::InputError);
  EXPECT_THROW(dec.execute(d, d, d, 40, lte::TurboCrc::none, 1, out), tw::InputError);
  EXPECT_THROW(dec.execute(d, d, d, -1, lte::TurboCrc::none, 1, out), tw::InputError);
  EXPECT_THROW(dec.execute(d, d, d, 0, lte::TurboCrc::none, 0, out), tw::InputError);
  EXPECT_THROW(dec.execute(d, d, d, 0, lte::TurboCrc::none, 65, out), tw::InputError);
  EXPECT_THROW(lte::turbo_decode_reference(shortd, d, d, 0, lte::TurboCrc::none, 1, out), tw::InputError);
  // NaN, infinities and huge values: clipped, never a crash, bits stay 0/1; a valid codeword among them still
  // decodes.
  std::mt19937 rng(15);
  const Bits c = random_bits(rng, 40);
  const auto cw = lte::turbo_encode(c);
  std::vector<float> d0(44), d1(44), d2(44);
  for (std::size_t i = 0; i < 44; ++i) {
    d0[i] = 1e38f * bipolar(cw.d0[i]);
    d1[i] = bipolar(cw.d1[i]);
    d2[i] = bipolar(cw.d2[i]);
  }
  d1[3] = std::nanf("");
  d2[7] = INFINITY * bipolar(cw.d2[7]);
  dec.execute(d0, d1, d2, 0, lte::TurboCrc::none, 4, out);
  EXPECT_EQ(out, c);
  std::fill(d0.begin(), d0.end(), std::nanf(""));
  dec.execute(d0, d0, d0, 0, lte::TurboCrc::none, 2, out);
  for (auto b : out) EXPECT_LE(b, 1);
}
