// SCH fields and frame number (45.002 clause 3.3.2.2), SCH channel coding round trip through
// libosmocoding, and the TS0 multiframe map (45.002 clause 7 table 3).
#include <gtest/gtest.h>

extern "C" {
#include <osmocom/core/bits.h>
#include <osmocom/coding/gsm0503_coding.h>
}

#include <set>
#include <string>

#include "dsp/gsm/gsm_constants.hpp"
#include "dsp/gsm/sch.hpp"
#include "dsp/gsm/ts0_blocks.hpp"

namespace {

TEST(Sch, FrameNumberFromFieldsCoversTheHyperframe) {
  // For every SCH frame (FN mod 51 in 1,11,21,31,41) the fields T1 = FN div 1326, T2 = FN mod 26,
  // T3' = (FN mod 51 - 1)/10 give back FN (clause 3.3.2.2). Checked on a stride through the hyperframe.
  int checked = 0;
  for (std::uint32_t base = 0; base < tw::gsm::kHyperframe; base += 51 * 97) {
    for (std::uint32_t t3 : {1u, 11u, 21u, 31u, 41u}) {
      const std::uint32_t fn = base - base % 51 + t3;
      if (fn >= tw::gsm::kHyperframe) continue;
      const auto got = tw::gsm::fn_from_sch_fields(fn / 1326, fn % 26, (t3 - 1) / 10);
      ASSERT_TRUE(got.has_value());
      ASSERT_EQ(*got, fn);
      ++checked;
    }
  }
  EXPECT_GT(checked, 2000);
  EXPECT_FALSE(tw::gsm::fn_from_sch_fields(0, 26, 0).has_value());
  EXPECT_FALSE(tw::gsm::fn_from_sch_fields(0, 0, 5).has_value());
}

TEST(Sch, EncodeDecodeRoundTripThroughLibosmocoding) {
  // The 941 MHz capture's frame 675006 (an SCH frame: 675006 mod 51 = 21), BSIC 32.
  const std::uint32_t fn = 675006;
  const auto sb = tw::gsm::pack_sb_info(32, fn);
  // 44.018 clause 9.1.30a bit layout, computed by hand: T1 = 675006 div 1326 = 509, T2 = 675006 mod 26 = 20,
  // T3' = (21 - 1)/10 = 2.
  EXPECT_EQ(sb[0], (32 << 2) | (509 >> 9));
  EXPECT_EQ(sb[1], (509 >> 1) & 0xff);
  EXPECT_EQ(sb[2], ((509 & 1) << 7) | (20 << 2) | (2 >> 1));
  EXPECT_EQ(sb[3], 0);
  ubit_t coded[78];
  ASSERT_EQ(gsm0503_sch_encode(coded, sb.data()), 0);
  std::array<std::int8_t, 148> burst{};
  sbit_t s[78];
  osmo_ubit2sbit(s, coded, 78);
  std::copy(s, s + 39, burst.begin() + 3);
  std::copy(s + 39, s + 78, burst.begin() + 106);
  // A few weak wrong bits are corrected by the code.
  burst[10] = static_cast<std::int8_t>(-burst[10] / 4);
  burst[120] = static_cast<std::int8_t>(-burst[120] / 4);
  const auto info = tw::gsm::decode_sch_burst(burst);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->bsic, 32);
  EXPECT_EQ(info->fn, fn);
  // Inverted soft bits: CRC fails, nothing is reported.
  for (auto& v : burst) v = static_cast<std::int8_t>(-v);
  EXPECT_FALSE(tw::gsm::decode_sch_burst(burst).has_value());
}

TEST(Ts0, MultiframeMapMatches45002Table3) {
  std::set<int> fcch = {0, 10, 20, 30, 40}, sch = {1, 11, 21, 31, 41};
  std::set<int> starts = {2, 6, 12, 16, 22, 26, 32, 36, 42, 46};
  for (std::uint32_t fn = 51 * 1000; fn < 51 * 1002; ++fn) {
    const int t3 = static_cast<int>(fn % 51);
    const auto p = tw::gsm::ts0_position(fn);
    if (fcch.count(t3)) {
      EXPECT_EQ(p.kind, tw::gsm::Ts0FrameKind::fcch) << t3;
    } else if (sch.count(t3)) {
      EXPECT_EQ(p.kind, tw::gsm::Ts0FrameKind::sch) << t3;
    } else if (t3 == 50) {
      EXPECT_EQ(p.kind, tw::gsm::Ts0FrameKind::idle);
    } else {
      ASSERT_EQ(p.kind, tw::gsm::Ts0FrameKind::block) << t3;
      EXPECT_TRUE(starts.count(p.block_first)) << t3;
      EXPECT_EQ(p.block_first + p.burst_index, t3);
      EXPECT_GE(p.burst_index, 0);
      EXPECT_LE(p.burst_index, 3);
    }
  }
  EXPECT_STREQ(tw::gsm::ts0_channel_name(2, -1), "BCCH");
  for (int b : {6, 12, 16}) {
    EXPECT_STREQ(tw::gsm::ts0_channel_name(b, 0), "CCCH");
    EXPECT_STREQ(tw::gsm::ts0_channel_name(b, 1), "CCCH");
  }
  for (int b : {22, 26, 32, 36, 42, 46}) EXPECT_STREQ(tw::gsm::ts0_channel_name(b, 0), "CCCH");
  for (int b : {22, 26, 32, 36}) EXPECT_STREQ(tw::gsm::ts0_channel_name(b, 1), "SDCCH/4");
  for (int b : {42, 46}) EXPECT_STREQ(tw::gsm::ts0_channel_name(b, 1), "SACCH/C4");
}

}  // namespace
