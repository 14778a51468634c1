// System Information scheduling against examples worked by hand from TS 36.331 5.2.1.2 (SIB1 in subframe 5
// of even frames), 5.2.3 (SI windows: x = (n - 1) w, subframe x mod 10 of the frame with SFN mod T =
// floor(x / 10); excluded subframes) and TS 36.321 5.3.1 (RV = ceil(3k/2) mod 4).
#include <gtest/gtest.h>

#include <string>

#include "dsp/lte/si_schedule.hpp"
#include "src/core/error.hpp"

namespace lte = tw::dsp::lte;

namespace {

void expect_at(const lte::SiSchedule& s, int sfn, int sf, int n, int i, int rv) {
  const auto o = lte::si_message_at(s, sfn, sf);
  ASSERT_TRUE(o.has_value()) << "SFN " << sfn << " subframe " << sf;
  EXPECT_EQ(o->n, n) << "SFN " << sfn << " subframe " << sf;
  EXPECT_EQ(o->i, i) << "SFN " << sfn << " subframe " << sf;
  EXPECT_EQ(o->rv, rv) << "SFN " << sfn << " subframe " << sf;
}

void expect_none(const lte::SiSchedule& s, int sfn, int sf) {
  EXPECT_FALSE(lte::si_message_at(s, sfn, sf).has_value()) << "SFN " << sfn << " subframe " << sf;
}

void expect_error(const lte::SiSchedule& s, const char* field) {
  try {
    lte::check_si_schedule(s);
    ADD_FAILURE() << "no error for " << field;
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(LteSiSchedule, Sib1SubframesAndRedundancyVersions) {
  EXPECT_TRUE(lte::is_sib1_subframe(952, 5));
  EXPECT_FALSE(lte::is_sib1_subframe(953, 5));
  EXPECT_FALSE(lte::is_sib1_subframe(952, 4));
  // k = (SFN / 2) mod 4: 952 -> 476 mod 4 = 0 -> RV 0; 954 -> 1 -> ceil(1.5) = 2; 956 -> 2 -> 3;
  // 958 -> 3 -> ceil(4.5) mod 4 = 1 (the recording's SIB1: RV 0, 2, 3, 1).
  EXPECT_EQ(lte::sib1_rv(952), 0);
  EXPECT_EQ(lte::sib1_rv(954), 2);
  EXPECT_EQ(lte::sib1_rv(956), 3);
  EXPECT_EQ(lte::sib1_rv(958), 1);
  EXPECT_EQ(lte::sib1_rv(960), 0);  // next 80 ms period
  EXPECT_EQ(lte::sib1_rv(0), 0);
  EXPECT_EQ(lte::sib1_rv(1022), 1);
}

TEST(LteSiSchedule, WindowsOfTwentyMilliseconds) {
  // Three messages, T = 16, 32, 64 frames, w = 20 ms: n = 1: x = 0 -> frames SFN mod 16 = 0, 1;
  // n = 2: x = 20 -> SFN mod 32 = 2, subframe 0, frames 2 and 3; n = 3: x = 40 -> SFN mod 64 = 4, 5.
  lte::SiSchedule s;
  s.periodicity_rf = {16, 32, 64};
  s.window_ms = 20;
  expect_at(s, 16, 0, 1, 0, 0);
  expect_at(s, 16, 1, 1, 1, 2);
  expect_at(s, 16, 2, 1, 2, 3);
  expect_at(s, 16, 3, 1, 3, 1);
  expect_at(s, 16, 4, 1, 4, 0);
  expect_none(s, 16, 5);         // SIB1 (SFN 16 even)
  expect_at(s, 17, 5, 1, 15, 1);  // odd frame: subframe 5 may carry SI; k = 15 mod 4 = 3
  expect_at(s, 17, 9, 1, 19, 1);
  expect_none(s, 18, 0);          // past message 1's window; SFN 18 mod 32 = 18: not message 2's
  expect_at(s, 34, 0, 2, 0, 0);
  expect_at(s, 35, 9, 2, 19, 1);
  expect_none(s, 36, 3);          // 36 mod 64 = 36
  expect_at(s, 68, 3, 3, 3, 1);
  expect_at(s, 4, 3, 3, 3, 1);
  expect_none(s, 6, 0);
  // SFN wrap-around: 1024 is a multiple of every period.
  expect_at(s, 1008, 0, 1, 0, 0);
  const auto w = lte::si_window_start(s, 2, 100);
  EXPECT_EQ(w.sfn, 130);
  EXPECT_EQ(w.subframe, 0);
}

TEST(LteSiSchedule, WindowsStartingMidFrame) {
  // w = 5 ms, T = 8: n = 2: x = 5 -> subframe 5 of SFN mod 8 = 0 (SIB1's subframe in an even frame: excluded,
  // but it counts for i); n = 3: x = 10 -> subframe 0 of SFN mod 8 = 1.
  lte::SiSchedule s;
  s.periodicity_rf = {8, 8, 8};
  s.window_ms = 5;
  expect_at(s, 0, 0, 1, 0, 0);
  expect_at(s, 0, 4, 1, 4, 0);
  expect_none(s, 0, 5);
  expect_at(s, 0, 6, 2, 1, 2);
  expect_at(s, 0, 9, 2, 4, 0);
  expect_at(s, 1, 0, 3, 0, 0);
  expect_at(s, 9, 4, 3, 4, 0);
  expect_none(s, 1, 5);
  const auto w = lte::si_window_start(s, 2, 3);
  EXPECT_EQ(w.sfn, 8);
  EXPECT_EQ(w.subframe, 5);
}

TEST(LteSiSchedule, TddUplinkAndMbsfnSubframesAreSkipped) {
  lte::SiSchedule s;
  s.periodicity_rf = {16};
  s.window_ms = 10;
  s.tdd = true;
  s.tdd_config = 1;  // D S U U D D S U U D
  expect_at(s, 0, 0, 1, 0, 0);
  expect_at(s, 0, 1, 1, 1, 2);  // special subframe (DwPTS) may carry it
  expect_none(s, 0, 2);
  expect_none(s, 0, 3);
  expect_at(s, 0, 4, 1, 4, 0);
  expect_none(s, 0, 5);  // SIB1
  expect_none(s, 0, 7);
  expect_at(s, 0, 9, 1, 9, 2);  // k = 9 mod 4 = 1
  lte::SiSchedule f;
  f.periodicity_rf = {16};
  f.window_ms = 10;
  f.mbsfn_subframe_mask = 1 << 3;
  expect_at(f, 16, 2, 1, 2, 3);
  expect_none(f, 16, 3);
}

TEST(LteSiSchedule, BadSchedulesAreInputErrors) {
  lte::SiSchedule s;
  s.periodicity_rf = {16};
  s.window_ms = 3;
  expect_error(s, "si-WindowLength");
  s.window_ms = 10;
  s.periodicity_rf = {10};
  expect_error(s, "si-Periodicity");
  s.periodicity_rf.assign(33, 512);
  expect_error(s, "schedulingInfoList");
  s.periodicity_rf = {8, 8, 8};
  s.window_ms = 40;  // 120 ms of windows in an 80 ms period
  expect_error(s, "si-WindowLength");
  s.periodicity_rf = {8};
  s.tdd = true;
  expect_error(s, "tdd_config");
  s.tdd = false;
  EXPECT_THROW(lte::si_message_at(s, 1024, 0), tw::InputError);
  EXPECT_THROW(lte::si_message_at(s, 0, 10), tw::InputError);
  EXPECT_THROW(lte::si_window_start(s, 2, 0), tw::InputError);
}
