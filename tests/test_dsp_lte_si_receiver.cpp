// SiReceiver (dsp/lte/si_receiver): SIB1 and the SI messages of the live band-3 cell of
// ../shared/captures/lte/f1815.3_s19.2_bw20_0.08s_hackrf.bin from the coarse timing of the cell search. Truth:
// the reference decode's SIB1 octets (reference.json), and for SI message 1 (SIB2 + SIB3, its window at SFN 952)
// the octets whose every field Wireshark's lte-rrc dissector reads without a malformed field
// (tests/test_lte_bcch_dl_sch.cpp, RealSiMessageOfTheBand3Cell). The schedule is SIB1's: si-Periodicity rf8,
// rf32, rf64, si-WindowLength 20 ms (the hand decode of the reference SIB1 in the same suite).
#include <gtest/gtest.h>

#include "dsp/lte/si_receiver.hpp"
#include "support/lte_sib_capture.hpp"
#include "src/core/hex.hpp"
#include "support/test_support.hpp"

namespace {

namespace lte = tw::dsp::lte;

TEST(LteSiReceiver, Band3RecordingSib1AndSiMessage1) {
  TW_REQUIRE_SHARED(shared);
  const auto cap = tw::test::load_lte_sib_capture(shared);
  ASSERT_TRUE(cap.has_value());
  lte::SiReceiver rx(cap->cell, cap->coarse);
  std::string why;
  const auto sib1 = rx.decode_sib1(cap->iq, why);
  ASSERT_TRUE(sib1.has_value()) << why;
  EXPECT_EQ(tw::hex_string(sib1->octets), "48481803247c2bffd01810210081044c432523900000");
  EXPECT_EQ(sib1->tbs, 176);
  EXPECT_EQ(sib1->sfn % 2, 0);
  EXPECT_GE(rx.stats().dci_found, 4);  // the 4 SIB1 transmissions of frames 952..958

  lte::SiSchedule s;
  s.periodicity_rf = {8, 32, 64};
  s.window_ms = 20;
  std::vector<std::string> why_not;
  const auto si = rx.decode_si(cap->iq, s, &why_not);
  ASSERT_EQ(si.size(), 1u);
  EXPECT_EQ(si[0].si_index, 1);
  EXPECT_EQ(tw::hex_string(si[0].octets), "00805b29186fe0226035899062d0010601207bb16aa04406006be2340c2a106ff4a30884f0");
  EXPECT_EQ(si[0].sfn, 952);   // x = 0: subframe 0 of the frame with SFN mod 8 = 0
  ASSERT_EQ(why_not.size(), 3u);
  EXPECT_TRUE(why_not[0].empty());
  // SI-2 (T = 32) and SI-3 (T = 64) have their windows at SFN 960 + 2 and 960 + 4: after the 80 ms capture.
  EXPECT_NE(why_not[1].find("no subframe"), std::string::npos) << why_not[1];
  EXPECT_NE(why_not[2].find("no subframe"), std::string::npos) << why_not[2];
}

TEST(LteSiReceiver, NoSib1FromNoise) {
  // A cell "found" in noise: every subframe demodulates, nothing may decode, and the reason names the stage.
  lte::CellParams cell;
  cell.pci = 77;
  cell.n_prb = 25;
  cell.ports = 2;
  lte::DlTiming t;
  t.sample_rate_hz = 7.68e6;
  t.frame_start_sample = 1234.5;
  t.sfn0 = 100;
  std::vector<lte::cf32> noise(static_cast<std::size_t>(0.08 * t.sample_rate_hz));
  std::uint64_t x = 88172645463325252ULL;
  auto u = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<float>((x >> 11) * (1.0 / 9007199254740992.0)) - 0.5f;
  };
  for (auto& v : noise) v = {u(), u()};
  lte::SiReceiver rx(cell, t);
  std::string why;
  EXPECT_FALSE(rx.decode_sib1(noise, why).has_value());
  EXPECT_FALSE(why.empty());
  EXPECT_GE(rx.stats().subframes, 3);
  lte::SiSchedule s;
  s.periodicity_rf = {8};
  s.window_ms = 10;
  EXPECT_TRUE(rx.decode_si(noise, s).empty());
}

}  // namespace
