// Burst bit layouts (3GPP TS 45.002 clause 5.2, checked against ../shared/reference/gsm-facts.md, whose
// sequences are repeated here as the independent truth), SCH and xCCH coding round trips through
// libosmocoding's decoders (45.003), frame timing T1/T2/T3' (45.002 clause 3.3.2.2).
#include <gtest/gtest.h>

#include <string>

#include "tools/synth/bursts.hpp"

extern "C" {
#include <osmocom/coding/gsm0503_coding.h>
}

using namespace tw::synth;

namespace {
std::string str(const std::uint8_t* b, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += b[i] ? '1' : '0';
  return s;
}
// Hard bits -> libosmocoding soft bits (0 -> +127, 1 -> -127).
std::vector<sbit_t> soft(const std::uint8_t* b, std::size_t n) {
  std::vector<sbit_t> s(n);
  for (std::size_t i = 0; i < n; ++i) s[i] = b[i] ? -127 : 127;
  return s;
}
const char* kTscFacts[8] = {"00100101110000100010010111", "00101101110111100010110111", "01000011101110100100001110",
                            "01000111101101000100011110", "00011010111001000001101011", "01001110101100000100111010",
                            "10100111110110001010011111", "11101111000100101110111100"};
}  // namespace

TEST(SynthBursts, TrainingSequencesMatchTheSpec) {
  for (int tsc = 0; tsc < 8; ++tsc) EXPECT_EQ(str(training_sequence(tsc).data(), 26), kTscFacts[tsc]) << tsc;
  EXPECT_THROW(training_sequence(8), std::out_of_range);
  EXPECT_EQ(str(sch_training_sequence().data(), 64),
            "1011100101100010000001000000111100101101010001010111011000011011");
}

TEST(SynthBursts, FcchIsAllZeroAndDummyBurstIsTheSpecs) {
  const auto f = fcch_burst();
  EXPECT_EQ(str(f.data(), 148), std::string(148, '0'));
  const auto d = dummy_burst();
  EXPECT_EQ(str(d.data(), 148),
            "000"
            "1111101101110110000010100100111000001001000100000001111100011100010111000101110001010111"
            "010010100011001100111001111010011111000100101111101010"
            "000");
}

TEST(SynthBursts, TimeslotsMakeA1250SymbolFrame) {
  int sum = 0;
  for (int s : kTimeslotSymbols) sum += s;
  EXPECT_EQ(sum, 1250);
  EXPECT_EQ(timeslot_start(1), 157);
  EXPECT_EQ(timeslot_start(4), 157 + 3 * 156);
  EXPECT_EQ(timeslot_start(5), 2 * 157 + 3 * 156);
}

TEST(SynthBursts, FrameTimeOfSampleFrameNumbers) {
  // FN 0
  auto t = frame_time(0);
  EXPECT_EQ(t.t1, 0);
  EXPECT_EQ(t.t2, 0);
  EXPECT_EQ(t.t3, 0);
  // FN 123451 = 93 * 1326 + 133: T1 93, T2 123451 mod 26 = 3, T3 123451 mod 51 = 31, T3' = 3
  t = frame_time(123451);
  EXPECT_EQ(t.t1, 93);
  EXPECT_EQ(t.t2, 3);
  EXPECT_EQ(t.t3, 31);
  EXPECT_EQ(t.t3p, 3);
  // FN 2715638 (near the end of the hyperframe): T1 2047, T2 16, T3 41, T3' 4
  t = frame_time(2715638);
  EXPECT_EQ(t.t1, 2047);
  EXPECT_EQ(t.t2, 16);
  EXPECT_EQ(t.t3, 41);
  EXPECT_EQ(t.t3p, 4);
  // Wraps at the hyperframe
  EXPECT_EQ(frame_time(2715648 + 11).t3, 11);
  EXPECT_EQ(frame_time(2715648 + 11).t1, 0);
}

TEST(SynthBursts, SchInfoPacksBsicT1T2T3p) {
  // bsic 23, FN 2715638: T1 = 2047 = 0b11111111111, T2 = 16, T3' = 4 (45.003 4.7: BSIC, T1, T2, T3').
  const auto sb = sch_info(23, 2715638);
  EXPECT_EQ(sb[0], (23 << 2) | 3);
  EXPECT_EQ(sb[1], 0xff);
  EXPECT_EQ(sb[2], (1 << 7) | (16 << 2) | (4 >> 1));
  EXPECT_EQ(sb[3], 0);
  EXPECT_THROW(sch_info(64, 0), std::out_of_range);
}

TEST(SynthBursts, SchBurstLayoutAndDecodeRoundTrip) {
  for (std::uint32_t fn : {1u, 123451u, 2715638u, 1000011u}) {
    for (int bsic : {0, 23, 63}) {
      const auto b = sch_burst(bsic, fn);
      EXPECT_EQ(str(b.data(), 3), "000");
      EXPECT_EQ(str(b.data() + 145, 3), "000");
      EXPECT_EQ(str(b.data() + 42, 64), str(sch_training_sequence().data(), 64));
      // Reassemble the 78 coded bits around the extended training sequence and decode them.
      std::vector<std::uint8_t> coded(b.begin() + 3, b.begin() + 42);
      coded.insert(coded.end(), b.begin() + 106, b.begin() + 145);
      auto s = soft(coded.data(), 78);
      std::uint8_t info[4] = {};
      ASSERT_EQ(gsm0503_sch_decode(info, s.data()), 0);
      const int dec_bsic = info[0] >> 2;
      const int t1 = ((info[0] & 3) << 9) | (info[1] << 1) | (info[2] >> 7);
      const int t2 = (info[2] >> 2) & 0x1f;
      const int t3p = ((info[2] & 3) << 1) | (info[3] & 1);
      EXPECT_EQ(dec_bsic, bsic);
      EXPECT_EQ(t1, static_cast<int>((fn / 1326) % 2048));
      EXPECT_EQ(t2, static_cast<int>(fn % 26));
      EXPECT_EQ(t3p, static_cast<int>((fn % 51 - 1) / 10));
    }
  }
}

TEST(SynthBursts, NormalBurstLayoutAndXcchRoundTrip) {
  L2Octets block{};
  for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<std::uint8_t>(0x2b ^ (i * 37));
  block[0] = 0x49;
  for (int tsc = 0; tsc < 8; ++tsc) {
    const auto bursts = normal_bursts(block, tsc);
    std::vector<std::uint8_t> coded;
    for (const auto& b : bursts) {
      EXPECT_EQ(str(b.data(), 3), "000");
      EXPECT_EQ(str(b.data() + 145, 3), "000");
      EXPECT_EQ(str(b.data() + 61, 26), kTscFacts[tsc]);
      // 45.003 4.1.5: the stealing flags of a control channel block are 1.
      EXPECT_EQ(b[60], 1);
      EXPECT_EQ(b[87], 1);
      coded.insert(coded.end(), b.begin() + 3, b.begin() + 61);
      coded.insert(coded.end(), b.begin() + 87, b.begin() + 145);
    }
    auto s = soft(coded.data(), coded.size());
    std::uint8_t out[23] = {};
    int n_errors = -1, n_bits = -1;
    ASSERT_EQ(gsm0503_xcch_decode(out, s.data(), &n_errors, &n_bits), 0);
    EXPECT_EQ(n_errors, 0);
    for (std::size_t i = 0; i < 23; ++i) EXPECT_EQ(out[i], block[i]) << i;
  }
}
