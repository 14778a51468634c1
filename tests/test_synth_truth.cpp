// The truth file says what went on the air: blocks demodulated from the rendered samples (45.004 phase
// signs, 45.003 xCCH decoding by libosmocoding) equal the truth's octets; message names agree with the
// message type octet (44.018 table 10.4.1); SI types follow 45.002 6.3.1.3; CCCH traffic matches the scene's
// rates; hopping only where configured. Uses the L3 encoders (tools/synth/l3).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "tools/synth/l3_provider.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"
#include "tools/synth/truth.hpp"

extern "C" {
#include <osmocom/coding/gsm0503_coding.h>
}

using namespace tw::synth;
using tw::cf32;

namespace {
constexpr double kFsWork = 4.0 * 1625000.0 / 6.0;

// 44.018 table 10.4.1 (RR message types) for the messages a BTS sends on BCCH/CCCH.
int message_type(const std::string& name) {
  static const std::map<std::string, int> t = {
      {"SI1", 0x19}, {"SI2", 0x1a}, {"SI2bis", 0x02}, {"SI2ter", 0x03}, {"SI2quater", 0x07}, {"SI3", 0x1b},
      {"SI4", 0x1c}, {"SI13", 0x00}, {"Paging Request Type 1", 0x21}, {"Paging Request Type 2", 0x22},
      {"Paging Request Type 3", 0x24}, {"Immediate Assignment", 0x3f}, {"Immediate Assignment Reject", 0x3a}};
  auto it = t.find(name);
  return it == t.end() ? -1 : it->second;
}
}  // namespace

TEST(SynthTruth, DemodulatedBlocksEqualTheTruth) {
  Scene s = load_scene("single");
  s.noise_dbfs = -250.0;
  s.cells[0].traffic.paging_per_s = 8.0;
  s.cells[0].traffic.imm_ass_per_s = 4.0;
  s.cells[0].traffic.imm_ass_reject_per_s = 2.0;
  SceneRenderer r(s, downlink_hz(62, GsmBand::PGSM900), kFsWork);
  TruthRecorder truth;
  r.set_truth_sink(&truth);
  std::vector<cf32> x(static_cast<std::size_t>(kFsWork * 1.2));
  r.render(x);
  const std::uint32_t first_fn = r.scene().cells[0].first_fn;
  ASSERT_GT(truth.blocks().size(), 40u);
  std::map<std::string, int> seen;
  for (const auto& b : truth.blocks()) {
    const std::int64_t k0 = (static_cast<std::int64_t>(b.fn) - first_fn + 2715648) % 2715648;
    std::vector<sbit_t> soft;
    for (int f = 0; f < 4; ++f) {
      std::uint8_t prev = 1;   // guard bit before TS0
      std::vector<std::uint8_t> bits;
      for (int i = 0; i < 148; ++i) {
        const double w = (k0 + f) * 5000.0 + 4.0 * i;
        const auto a = x[static_cast<std::size_t>(std::lround(w))], c = x[static_cast<std::size_t>(std::lround(w + 4))];
        const double dphi = std::arg(std::complex<double>(c) * std::conj(std::complex<double>(a)));
        const std::uint8_t bit = static_cast<std::uint8_t>((dphi > 0 ? 0 : 1) ^ prev);
        bits.push_back(bit);
        prev = bit;
      }
      for (int i = 3; i < 61; ++i) soft.push_back(bits[static_cast<std::size_t>(i)] ? -127 : 127);
      for (int i = 87; i < 145; ++i) soft.push_back(bits[static_cast<std::size_t>(i)] ? -127 : 127);
    }
    std::uint8_t out[23];
    int ne = 0, nb = 0;
    ASSERT_EQ(gsm0503_xcch_decode(out, soft.data(), &ne, &nb), 0) << b.fn;
    EXPECT_EQ(ne, 0);
    L2Octets got;
    std::copy(out, out + 23, got.begin());
    EXPECT_EQ(hex_octets(got), hex_octets(b.octets)) << b.fn << " " << b.message;
    const std::string msg(b.message);
    ++seen[msg];
    if (msg == "L2 fill frame") {
      EXPECT_EQ(hex_octets(b.octets).substr(0, 8), "03 03 01");
    } else {
      EXPECT_EQ(b.octets[1], 0x06) << msg;   // RR protocol discriminator
      EXPECT_EQ(b.octets[2], message_type(msg)) << msg;
    }
    // BCCH Norm carries SI by TC = (FN div 51) mod 8 (45.002 6.3.1.3); single has no optional SI.
    if (b.channel == "BCCH") {
      const char* by_tc[8] = {"SI1", "SI2", "SI3", "SI4", "SI3", "SI4", "SI3", "SI4"};
      EXPECT_EQ(msg, by_tc[(b.fn / 51) % 8]);
    }
  }
  EXPECT_GT(seen["Paging Request Type 1"], 0);
  EXPECT_GT(seen["Immediate Assignment"], 0);
  EXPECT_GT(seen["SI3"], 0);
  EXPECT_EQ(truth.sch().size(), static_cast<std::size_t>(std::count_if(truth.sch().begin(), truth.sch().end(),
                                                                        [](const TruthSch& e) { return e.bsic == 23; })));
}

TEST(SynthTruth, CcchTrafficFollowsTheRates) {
  CellConfig c = load_scene("single").cells[0];
  c.traffic.paging_per_s = 6.0;
  c.traffic.paging_type2_fraction = 0.25;
  c.traffic.paging_type3_fraction = 0.15;
  c.traffic.imm_ass_per_s = 3.0;
  c.traffic.imm_ass_reject_per_s = 1.0;
  c.traffic.imm_ass_hopping_fraction = 0.5;
  c.cell_allocation = {10, 20, 62};
  L3BlockProvider p(c, 77);
  std::map<std::string, int> n;
  int hopping = 0, ia = 0;
  const int multiframes = 4000;
  for (int mf = 0; mf < multiframes; ++mf)
    for (int b = 0; b < 9; ++b) {
      static const int starts[9] = {6, 12, 16, 22, 26, 32, 36, 42, 46};
      const auto blk = p.ccch(b, static_cast<std::uint32_t>(mf * 51 + starts[b]));
      const std::string m(blk.message);
      ++n[m];
      if (b < c.bs_ag_blks_res) {
        EXPECT_EQ(m.find("Paging"), std::string::npos) << "AGCH-reserved block " << b;
      }
      if (m == "Immediate Assignment") {
        ++ia;
        // 44.018 10.5.2.5: Channel Description octet 3, bit 5 = H (hopping)
        hopping += (blk.octets[5] >> 4) & 1;
      }
    }
  const double seconds = multiframes * 51 * 1250 / (1625000.0 / 6.0);
  const double paging = n["Paging Request Type 1"] + n["Paging Request Type 2"] + n["Paging Request Type 3"];
  EXPECT_NEAR(paging / seconds, 6.0, 0.4);
  EXPECT_NEAR(n["Paging Request Type 2"] / paging, 0.25, 0.03);
  EXPECT_NEAR(n["Paging Request Type 3"] / paging, 0.15, 0.03);
  // Access grants go where paging leaves room: their rate is below the configured one by the paging share.
  EXPECT_NEAR(n["Immediate Assignment"] / seconds, 3.0, 0.6);
  EXPECT_NEAR(n["Immediate Assignment Reject"] / seconds, 1.0, 0.3);
  EXPECT_NEAR(static_cast<double>(hopping) / ia, 0.5, 0.05);
  // The same block for the same FN (the renderer may seek).
  EXPECT_EQ(hex_octets(p.ccch(3, 51 * 7 + 22).octets), hex_octets(p.ccch(3, 51 * 7 + 22).octets));
}

TEST(SynthTruth, RogueNeverHopsAndCityCellsDo) {
  const Scene s = load_scene("city-with-rogue");
  for (std::size_t i = 0; i < s.cells.size(); ++i) {
    L3BlockProvider p(s.cells[i], cell_seed(s.seed, static_cast<int>(i)));
    int ia = 0, hop = 0;
    for (std::uint32_t mf = 0; mf < 3000 && ia < 200; ++mf)
      for (std::uint32_t fn : {6u, 12u, 16u}) {
        const auto b = p.ccch(static_cast<int>(fn == 6 ? 0 : fn == 12 ? 1 : 2), mf * 51 + fn);
        if (std::string(b.message) == "Immediate Assignment") {
          ++ia;
          hop += (b.octets[5] >> 4) & 1;
        }
      }
    ASSERT_GT(ia, 20) << s.cells[i].name;
    if (s.cells[i].name == "rogue") {
      EXPECT_EQ(hop, 0);
    } else {
      EXPECT_GT(hop, ia / 2) << s.cells[i].name;
    }
  }
}

TEST(SynthTruth, HexFormatLikeTheReferenceFile) {
  L2Octets o{};
  o.fill(0x2b);
  o[0] = 0x15;
  o[1] = 0x06;
  o[2] = 0x21;
  EXPECT_EQ(hex_octets(o), "15 06 21 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b");
}
