// TS0 mapping of C0 and System Information scheduling against 3GPP TS 45.002 clause 7 table 3 (the
// 51-frame multiframe of combinations iv and v) and clause 6.3.1.3; frame bits of the C0 frame builder
// checked by decoding them back with libosmocoding.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tools/synth/c0_schedule.hpp"

extern "C" {
#include <osmocom/coding/gsm0503_coding.h>
}

using namespace tw::synth;

namespace {

// 45.002 table 3, written out frame by frame: F FCCH, S SCH, B BCCH, C CCCH, D SDCCH/4, A SACCH/C4, - idle.
const std::string kNonCombined = "FSBBBBCCCCFSCCCCCCCCFSCCCCCCCCFSCCCCCCCCFSCCCCCCCC-";
const std::string kCombined = "FSBBBBCCCCFSCCCCCCCCFSDDDDDDDDFSDDDDDDDDFSAAAAAAAA-";

char code(Ts0Kind k) {
  switch (k) {
    case Ts0Kind::fcch: return 'F';
    case Ts0Kind::sch: return 'S';
    case Ts0Kind::bcch: return 'B';
    case Ts0Kind::ccch: return 'C';
    case Ts0Kind::sdcch: return 'D';
    case Ts0Kind::sacch: return 'A';
    case Ts0Kind::idle: return '-';
  }
  return '?';
}

struct FakeProvider : BlockProvider {
  std::vector<std::pair<std::string, std::uint32_t>> calls;
  L2Octets tagged(std::uint8_t tag, std::uint32_t fn) {
    L2Octets o{};
    o.fill(0x2b);
    o[0] = tag;
    o[1] = static_cast<std::uint8_t>(fn >> 16);
    o[2] = static_cast<std::uint8_t>(fn >> 8);
    o[3] = static_cast<std::uint8_t>(fn);
    return o;
  }
  BlockContent bcch(SiType t, std::uint32_t fn) override {
    calls.emplace_back(si_name(t), fn);
    return {tagged(static_cast<std::uint8_t>(0x10 + static_cast<int>(t)), fn), "SI"};
  }
  BlockContent ccch(int block, std::uint32_t fn) override {
    calls.emplace_back("CCCH" + std::to_string(block), fn);
    return {tagged(static_cast<std::uint8_t>(0x40 + block), fn), "CCCH"};
  }
  BlockContent sdcch(int sub, std::uint32_t fn) override {
    calls.emplace_back("SDCCH" + std::to_string(sub), fn);
    return {tagged(static_cast<std::uint8_t>(0x80 + sub), fn), "SDCCH"};
  }
};

std::string bits_str(const std::uint8_t* b, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += b[i] ? '1' : '0';
  return s;
}

}  // namespace

TEST(SynthC0Schedule, NonCombinedMultiframe) {
  for (std::uint32_t base : {0u, 51u * 1000u}) {
    std::string got;
    for (std::uint32_t i = 0; i < 51; ++i) got += code(ts0_slot(0, base + i).kind);
    EXPECT_EQ(got, kNonCombined);
  }
  // CCCH blocks 0..8 start at 6, 12, 16, 22, 26, 32, 36, 42, 46
  const int starts[9] = {6, 12, 16, 22, 26, 32, 36, 42, 46};
  for (int b = 0; b < 9; ++b)
    for (int k = 0; k < 4; ++k) {
      const auto s = ts0_slot(0, static_cast<std::uint32_t>(starts[b] + k));
      EXPECT_EQ(s.block, b);
      EXPECT_EQ(s.burst, k);
    }
  EXPECT_EQ(ts0_slot(0, 4).burst, 2);
  EXPECT_EQ(ccch_blocks_per_multiframe(0), 9);
}

TEST(SynthC0Schedule, CombinedMultiframe) {
  std::string got;
  for (std::uint32_t i = 0; i < 51; ++i) got += code(ts0_slot(1, i).kind);
  EXPECT_EQ(got, kCombined);
  EXPECT_EQ(ts0_slot(1, 12).block, 1);
  EXPECT_EQ(ts0_slot(1, 16).block, 2);
  EXPECT_EQ(ts0_slot(1, 22).block, 0);   // D0
  EXPECT_EQ(ts0_slot(1, 27).block, 1);   // D1
  EXPECT_EQ(ts0_slot(1, 32).block, 2);   // D2
  EXPECT_EQ(ts0_slot(1, 39).block, 3);   // D3
  // SACCH/C4: 42-45 carry sub-channel 0 then 2, 46-49 sub-channel 1 then 3, over 102 frames.
  EXPECT_EQ(ts0_slot(1, 42).block, 0);
  EXPECT_EQ(ts0_slot(1, 46).block, 1);
  EXPECT_EQ(ts0_slot(1, 51 + 42).block, 2);
  EXPECT_EQ(ts0_slot(1, 51 + 46).block, 3);
  EXPECT_EQ(ccch_blocks_per_multiframe(1), 3);
}

TEST(SynthC0Schedule, SystemInformationByTc) {
  // TC = (FN div 51) mod 8 (45.002 6.3.1.3); FN of the BCCH Norm block = 51 * mf + 2.
  auto type = [](int mf, SiSet set) { return std::string(si_name(bcch_si_type(static_cast<std::uint32_t>(51 * mf + 2), set))); };
  const SiSet none{};
  const char* base[8] = {"SI1", "SI2", "SI3", "SI4", "SI3", "SI4", "SI3", "SI4"};
  for (int tc = 0; tc < 8; ++tc) EXPECT_EQ(type(tc, none), base[tc]) << tc;
  // SI13 on TC 4; SI2quater alone goes to TC 5.
  SiSet s13q{false, false, true, true};
  EXPECT_EQ(type(4, s13q), "SI13");
  EXPECT_EQ(type(12, s13q), "SI13");
  EXPECT_EQ(type(5, s13q), "SI2quater");
  // SI2ter takes TC 5; SI2quater then shares TC 4 with SI13, alternating.
  SiSet ter_q_13{false, true, true, true};
  EXPECT_EQ(type(5, ter_q_13), "SI2ter");
  EXPECT_EQ(type(4, ter_q_13), "SI13");
  EXPECT_EQ(type(12, ter_q_13), "SI2quater");
  // SI2bis and SI2ter alternate on TC 5.
  SiSet bis_ter{true, true, false, false};
  EXPECT_EQ(type(5, bis_ter), "SI2bis");
  EXPECT_EQ(type(13, bis_ter), "SI2ter");
  EXPECT_EQ(type(4, bis_ter), "SI3");
  // The block's type does not depend on which of its 4 frames is asked.
  EXPECT_EQ(bcch_si_type(51 * 4 + 2, s13q), bcch_si_type(51 * 4 + 5, s13q));
}

TEST(SynthC0Schedule, FrameBitsDecodeBack) {
  FakeProvider p;
  const int bsic = 23;   // BCC 7
  C0FrameBuilder builder(bsic, 0, SiSet{}, p);
  std::array<std::uint8_t, kSymbolsPerFrame> bits{};
  const std::uint32_t first = 51 * 100;   // TC 4
  std::map<std::uint32_t, std::vector<std::uint8_t>> coded;   // block fn -> 464 coded bits
  const std::string dummy = bits_str(dummy_burst().data(), 148);
  int blocks = 0, sch = 0;
  for (std::uint32_t fn = first; fn < first + 51; ++fn) {
    const auto ev = builder.build(fn, bits);
    // TS1..7 carry dummy bursts, guards are 1.
    for (int tn = 1; tn < 8; ++tn) EXPECT_EQ(bits_str(bits.data() + timeslot_start(tn), 148), dummy) << fn << " " << tn;
    EXPECT_EQ(bits_str(bits.data() + 148, 9), "111111111");
    const auto slot = ts0_slot(0, fn);
    if (slot.kind == Ts0Kind::fcch) {
      EXPECT_EQ(bits_str(bits.data(), 148), std::string(148, '0'));
    }
    if (slot.kind == Ts0Kind::idle) {
      EXPECT_EQ(bits_str(bits.data(), 148), dummy);
    }
    if (slot.kind == Ts0Kind::sch) {
      ++sch;
      EXPECT_TRUE(ev.sch);
      EXPECT_EQ(bits_str(bits.data(), 148), bits_str(sch_burst(bsic, fn).data(), 148));
    }
    if (slot.kind == Ts0Kind::bcch || slot.kind == Ts0Kind::ccch) {
      const std::uint32_t bfn = fn - static_cast<std::uint32_t>(slot.burst);
      EXPECT_EQ(ev.block.has_value(), slot.burst == 0);
      if (ev.block) {
        ++blocks;
        EXPECT_EQ(ev.block->fn, fn);
      }
      EXPECT_EQ(bits_str(bits.data() + 61, 26), bits_str(training_sequence(7).data(), 26));
      auto& c = coded[bfn];
      c.insert(c.end(), bits.begin() + 3, bits.begin() + 61);
      c.insert(c.end(), bits.begin() + 87, bits.begin() + 145);
    }
  }
  EXPECT_EQ(sch, 5);
  EXPECT_EQ(blocks, 10);
  ASSERT_EQ(coded.size(), 10u);
  for (auto& [bfn, c] : coded) {
    ASSERT_EQ(c.size(), 464u);
    std::vector<sbit_t> s(c.size());
    for (std::size_t i = 0; i < c.size(); ++i) s[i] = c[i] ? -127 : 127;
    std::uint8_t out[23];
    int ne = 0, nb = 0;
    ASSERT_EQ(gsm0503_xcch_decode(out, s.data(), &ne, &nb), 0);
    const std::uint32_t got_fn = (static_cast<std::uint32_t>(out[1]) << 16) | (out[2] << 8) | out[3];
    EXPECT_EQ(got_fn, bfn);
    if (bfn % 51 == 2) {
      EXPECT_EQ(out[0], 0x10 + static_cast<int>(SiType::si3));   // TC 4 without SI13/SI2quater
    } else {
      EXPECT_EQ(out[0], 0x40 + ts0_slot(0, bfn).block);
    }
  }
  // One provider call per block.
  EXPECT_EQ(p.calls.size(), 10u);
}

TEST(SynthC0Schedule, StartingMidBlockSendsTheSameBurstsButReportsNoBlock) {
  FakeProvider p1, p2;
  C0FrameBuilder a(5, 0, SiSet{}, p1), b(5, 0, SiSet{}, p2);
  std::array<std::uint8_t, kSymbolsPerFrame> x{}, y{};
  for (std::uint32_t fn = 6; fn <= 9; ++fn) a.build(fn, x);
  const auto ev = b.build(9, y);   // joins CCCH block 0 at its last burst
  EXPECT_FALSE(ev.block.has_value());
  EXPECT_EQ(bits_str(x.data(), 1250), bits_str(y.data(), 1250));
}
