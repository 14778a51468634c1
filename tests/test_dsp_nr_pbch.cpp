// NR PBCH channel coding (dsp/nr/pbch_coding) against TS 38.212 7.1 and TS 38.211 7.3.3.1: the payload
// bit order of 7.1.1 and the interleaver G (table 7.1.1-1), which bits 7.1.2 leaves unscrambled, the CRC24C
// polynomial of 5.1 (checked by a long division written out here), the 38.211 scrambling window v 864, the
// encode -> decode round trip over payloads, PCIs and L_max, decoding in AWGN and the rejection of noise.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "dsp/gold_sequence.hpp"
#include "dsp/nr/pbch_coding.hpp"
#include "src/core/error.hpp"
#include "tools/synth/nr/pbch_awgn.hpp"

namespace nr = tw::nr;

namespace {

using Bits = std::vector<std::uint8_t>;

// 5.1: the remainder of a(D) D^24 divided by gCRC24C(D), by long division over the exponent list of the clause.
std::uint32_t crc24c_long_division(const Bits& a) {
  const int exps[] = {24, 23, 21, 20, 17, 15, 13, 12, 8, 4, 2, 1, 0};
  Bits r(a);
  r.resize(a.size() + 24, 0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!r[i]) continue;
    for (int e : exps) r[i + 24 - static_cast<std::size_t>(e)] ^= 1;
  }
  std::uint32_t p = 0;
  for (std::size_t i = a.size(); i < r.size(); ++i) p = (p << 1) | r[i];
  return p;
}

nr::PbchPayload random_payload(std::mt19937& rng, int l_max) {
  nr::PbchPayload p{};
  p.sfn = static_cast<std::uint16_t>(rng() % 1024);
  // A BCCH-BCH-Message: choice 0 (mib), systemFrameNumber = the 6 SFN MSBs, the other 17 bits random.
  p.mib_bits = (static_cast<std::uint32_t>(p.sfn >> 4) << 17) | (rng() & 0x1FFFFu);
  p.half_frame = (rng() & 1u) != 0;
  p.ssb_index = static_cast<std::uint8_t>(rng() % static_cast<unsigned>(l_max));
  p.k_ssb_msb = l_max == 64 ? 0 : static_cast<std::uint8_t>(rng() & 1u);
  return p;
}

void expect_same(const nr::PbchPayload& got, const nr::PbchPayload& want) {
  EXPECT_EQ(got.mib_bits, want.mib_bits);
  EXPECT_EQ(got.sfn, want.sfn);
  EXPECT_EQ(got.half_frame, want.half_frame);
  EXPECT_EQ(got.ssb_index, want.ssb_index);
  EXPECT_EQ(got.k_ssb_msb, want.k_ssb_msb);
  EXPECT_EQ(got.reserved_bits, want.reserved_bits);
}

std::vector<float> to_llr(const std::array<std::uint8_t, 864>& f, float mag) {
  std::vector<float> l(864);
  for (int i = 0; i < 864; ++i) l[static_cast<std::size_t>(i)] = f[static_cast<std::size_t>(i)] ? -mag : mag;
  return l;
}

std::uint8_t lsbs(std::uint8_t ssb_index, int l_max) { return static_cast<std::uint8_t>(ssb_index & (l_max == 4 ? 3 : 7)); }

}  // namespace

TEST(NrPbch, Crc24cIsTheDivisionBy5_1Polynomial) {
  std::mt19937 rng(1);
  for (int t = 0; t < 50; ++t) {
    Bits a(static_cast<std::size_t>(1 + rng() % 80));
    for (auto& b : a) b = rng() & 1u;
    EXPECT_EQ(nr::crc24c(a), crc24c_long_division(a));
  }
  // A single 1 followed by 24 zeros leaves g(D) - D^24: the polynomial's low terms 0xB2B117.
  EXPECT_EQ(nr::crc24c(Bits{1}), 0xB2B117u);
}

TEST(NrPbch, PayloadBitsAndInterleaverOf7_1_1) {
  nr::PbchPayload p{};
  p.sfn = 0x2D5;          // 10 1101 0101
  p.mib_bits = (0x2Du << 17);  // choice 0, systemFrameNumber 101101
  p.half_frame = true;
  p.ssb_index = 0x28;     // 101 000
  p.k_ssb_msb = 1;
  const auto a64 = nr::pbch_payload_bits(p, 64);
  // ā_24..ā_27: SFN 4th, 3rd, 2nd, 1st LSB = 0 1 0 1; ā_28 half frame; ā_29..ā_31 SSB index bits 6, 5, 4.
  EXPECT_EQ((Bits{a64[24], a64[25], a64[26], a64[27], a64[28], a64[29], a64[30], a64[31]}), (Bits{0, 1, 0, 1, 1, 1, 0, 1}));
  p.ssb_index = 3;
  const auto a8 = nr::pbch_payload_bits(p, 8);  // k_SSB MSB, then 2 reserved zeros
  EXPECT_EQ((Bits{a8[29], a8[30], a8[31]}), (Bits{1, 0, 0}));
  // Table 7.1.1-1 is a permutation of 0..31, and the SFN bits land on G(0..9), the half frame on G(10) = 0.
  const auto& G = nr::pbch_payload_interleaver_pattern();
  Bits seen(32, 0);
  for (auto g : G) seen[g] = 1;
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), 32);
  std::array<std::uint8_t, 32> one{};
  one[28] = 1;  // half frame
  EXPECT_EQ(nr::pbch_payload_interleave(one)[0], 1);
  for (int i = 0; i < 32; ++i) {
    std::array<std::uint8_t, 32> x{};
    x[static_cast<std::size_t>(i)] = 1;
    const auto y = nr::pbch_payload_interleave(x);
    int j;
    if (i >= 1 && i <= 6) j = i - 1;            // SFN MSBs: j_SFN 0..5
    else if (i >= 24 && i <= 27) j = i - 18;    // SFN LSBs: j_SFN 6..9
    else if (i == 28) j = 10;
    else if (i >= 29) j = 11 + (i - 29);
    else if (i == 0) j = 14;
    else j = 15 + (i - 7);                      // j_other
    EXPECT_EQ(y[G[static_cast<std::size_t>(j)]], 1) << i;
  }
}

TEST(NrPbch, RoundTripOverPayloadsPcisAndLmax) {
  std::mt19937 rng(2026);
  for (int l_max : {4, 8, 64}) {
    for (int t = 0; t < 40; ++t) {
      const auto p = random_payload(rng, l_max);
      const auto pci = static_cast<std::uint16_t>(rng() % 1008);
      const auto f = nr::pbch_encode(p, pci, l_max);
      const auto d = nr::pbch_decode(to_llr(f, 3.0f), pci, lsbs(p.ssb_index, l_max), l_max);
      ASSERT_TRUE(d.has_value()) << l_max << " " << pci;
      expect_same(d->payload, p);
      EXPECT_NEAR(d->metric, 1.0, 1e-9);
      // The wrong PCI or the wrong SSB index LSBs: the CRC fails.
      EXPECT_FALSE(nr::pbch_decode(to_llr(f, 3.0f), static_cast<std::uint16_t>((pci + 1) % 1008), lsbs(p.ssb_index, l_max), l_max).has_value());
      EXPECT_FALSE(nr::pbch_decode(to_llr(f, 3.0f), pci, static_cast<std::uint8_t>(lsbs(p.ssb_index, l_max) ^ 1), l_max).has_value());
    }
  }
}

TEST(NrPbch, ScramblingWindowsOf38_211And38_212) {
  std::mt19937 rng(5);
  auto p = random_payload(rng, 8);
  p.ssb_index = 2;
  const std::uint16_t pci = 500;
  const auto f2 = nr::pbch_encode(p, pci, 8);
  p.ssb_index = 5;
  const auto f5 = nr::pbch_encode(p, pci, 8);
  // 38.211 7.3.3.1: the two blocks differ by c(i + 2*864) + c(i + 5*864), c_init = N_ID^cell.
  Bits c(6 * 864);
  tw::dsp::gold_sequence(pci, c);
  for (int i = 0; i < 864; ++i) {
    ASSERT_EQ(f2[static_cast<std::size_t>(i)] ^ f5[static_cast<std::size_t>(i)],
              c[static_cast<std::size_t>(i + 2 * 864)] ^ c[static_cast<std::size_t>(i + 5 * 864)]) << i;
  }
  // L_max 4 and 8 differ only in the width of v (M = A - 3 in both); L_max = 64 scrambles 6 bits fewer (M = A - 6)
  // and carries SSB index bits instead of k_SSB's MSB.
  p.ssb_index = 1;
  p.k_ssb_msb = 0;
  EXPECT_EQ(nr::pbch_encode(p, pci, 4), nr::pbch_encode(p, pci, 8));
  EXPECT_NE(nr::pbch_encode(p, pci, 8), nr::pbch_encode(p, pci, 64));
  // 7.1.2: the SFN's 2nd and 3rd LSBs and the half-frame bit are not scrambled, the others are (c_init = N_ID):
  // flipping the half-frame bit changes the block by the code word of one payload bit, the same for every PCI.
  auto q = p;
  q.half_frame = !p.half_frame;
  Bits diff_a(864), diff_b(864);
  for (std::uint16_t id : {std::uint16_t{17}, std::uint16_t{900}}) {
    const auto x = nr::pbch_encode(p, id, 8), y = nr::pbch_encode(q, id, 8);
    for (int i = 0; i < 864; ++i) (id == 17 ? diff_a : diff_b)[static_cast<std::size_t>(i)] = x[static_cast<std::size_t>(i)] ^ y[static_cast<std::size_t>(i)];
  }
  EXPECT_NE(std::count(diff_a.begin(), diff_a.end(), 1), 0);
  // The 38.211 scrambling is the same for both blocks of one PCI, so the difference is the polar code word of
  // a' changing in G(10) = bit 0 and its CRC: independent of the PCI.
  EXPECT_EQ(diff_a, diff_b);
}

TEST(NrPbch, RejectsBadArguments) {
  nr::PbchPayload p{};
  EXPECT_THROW(nr::pbch_encode(p, 1008, 8), tw::InputError);
  EXPECT_THROW(nr::pbch_encode(p, 1, 16), tw::InputError);
  p.ssb_index = 4;
  EXPECT_THROW(nr::pbch_encode(p, 1, 4), tw::InputError);
  p.ssb_index = 0;
  p.mib_bits = 1u << 24;
  EXPECT_THROW(nr::pbch_encode(p, 1, 4), tw::InputError);
  p.mib_bits = 0;
  p.sfn = 16;  // systemFrameNumber 0 in the MIB but SFN MSBs 000001
  EXPECT_THROW(nr::pbch_encode(p, 1, 4), tw::InputError);
  std::vector<float> l(863, 1.0f);
  EXPECT_THROW(nr::pbch_decode(l, 1, 0, 8), tw::InputError);
  l.resize(864);
  EXPECT_THROW(nr::pbch_decode(l, 1, 4, 4), tw::InputError);
  // No information: all zero, all NaN.
  std::fill(l.begin(), l.end(), 0.0f);
  EXPECT_FALSE(nr::pbch_decode(l, 1, 0, 8).has_value());
  std::fill(l.begin(), l.end(), std::nanf(""));
  EXPECT_FALSE(nr::pbch_decode(l, 1, 0, 8).has_value());
}

TEST(NrPbch, DecodesInAwgn) {
  // SCL-8 with the CRC: at Es/N0 = -6 dB per QPSK symbol (432 symbols for 56 bits) at least 99 % decode
  // (tools/bench/bench_nr_pbch: 100 % of 1000 at -6.5 dB, 90 % near -8.8 dB).
  std::mt19937 rng(77);
  const int trials = 400;
  int ok = 0, wrong = 0;
  for (int t = 0; t < trials; ++t) {
    const int l_max = (t % 3 == 0) ? 4 : (t % 3 == 1 ? 8 : 64);
    const auto p = random_payload(rng, l_max);
    const auto pci = static_cast<std::uint16_t>(rng() % 1008);
    const auto d = nr::pbch_decode(tw::synth::nr::qpsk_awgn_llr(nr::pbch_encode(p, pci, l_max), -6.0, rng), pci, lsbs(p.ssb_index, l_max), l_max);
    if (!d) continue;
    if (d->payload.mib_bits == p.mib_bits && d->payload.sfn == p.sfn && d->payload.half_frame == p.half_frame &&
        d->payload.ssb_index == p.ssb_index && d->payload.k_ssb_msb == p.k_ssb_msb) {
      ++ok;
    } else {
      ++wrong;
    }
  }
  EXPECT_GE(ok, trials * 99 / 100);
  EXPECT_EQ(wrong, 0);
}

TEST(NrPbch, NoiseIsRejectedByTheCrc) {
  // 10 000 blocks of pure noise LLRs (the scale of a -4 dB signal): 8 list paths checked against a 24-bit CRC
  // accept about 8 / 2^24 = 5e-7 per block, so none here.
  std::mt19937 rng(99);
  std::normal_distribution<float> noise(0.0f, 3.0f);
  int accepted = 0;
  std::vector<float> l(864);
  for (int t = 0; t < 10000; ++t) {
    for (auto& v : l) v = noise(rng);
    if (nr::pbch_decode(l, static_cast<std::uint16_t>(t % 1008), static_cast<std::uint8_t>(t % 8), 8)) ++accepted;
  }
  EXPECT_EQ(accepted, 0);
}
