// Rebuilding a BCCH/CCCH block from the bare RR message a phone's diag log gives (QCSuper's GSMTAP A-bis):
// the rebuilt block must equal the block the network sent, octet for octet. Truth: the real blocks of the
// shared GSM reference (gr-gsm's decode of a real network), real SI blocks published from live networks
// (cited at each), and the blocks worked out by hand from 44.018 in tests/test_gsm_l3_parse.cpp for the
// message types no real capture here holds. The pseudo length is the network's own, never re-derived here.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/gsm/l2_pseudo_length.hpp"
#include "src/gsm/l3_message.hpp"
#include "src/core/hex.hpp"
#include "support/test_support.hpp"

namespace {

using Octets = std::vector<std::uint8_t>;

// Both ways a diag can deliver the message: the block without its first octet, as QCSuper cuts it (rest
// octets kept), and the message alone (cut at the pseudo length: rest octets and padding gone). The first
// must give the original block back; the second the original up to the pseudo length, then 0x2b.
void expect_rebuilds(const Octets& air, const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(air.size(), 23u);
  const std::size_t pl = air[0] >> 2;
  const Octets as_qcsuper(air.begin() + 1, air.end());
  const auto n = tw::gsm::l2_pseudo_length(as_qcsuper);
  ASSERT_TRUE(std::holds_alternative<std::size_t>(n)) << std::get<std::string>(n);
  EXPECT_EQ(std::get<std::size_t>(n), pl);
  const auto b = tw::gsm::rebuild_ccch_block(as_qcsuper);
  ASSERT_TRUE((std::holds_alternative<std::array<std::uint8_t, 23>>(b))) << std::get<std::string>(b);
  EXPECT_EQ(Octets(std::get<0>(b).begin(), std::get<0>(b).end()), air);
  // SI13 and SI2quater: pseudo length 0 / 1, shorter than their 2 header octets: the message alone is 2 octets.
  const std::size_t l3 = std::max<std::size_t>(pl, 2);
  const Octets bare(air.begin() + 1, air.begin() + 1 + l3);
  const auto b2 = tw::gsm::rebuild_ccch_block(bare);
  ASSERT_TRUE((std::holds_alternative<std::array<std::uint8_t, 23>>(b2))) << std::get<std::string>(b2);
  const auto& r = std::get<0>(b2);
  for (std::size_t i = 0; i < 23; ++i) EXPECT_EQ(r[i], i <= l3 ? air[i] : 0x2b) << "octet " << i;
  // And the rebuilt block parses as the original does.
  const auto p0 = tw::gsm::parse_l3_block(air, {}), p1 = tw::gsm::parse_l3_block(std::get<0>(b), {});
  EXPECT_TRUE(p1.ok) << p1.error;
  EXPECT_EQ(p0.name, p1.name);
}

TEST(GsmL2PseudoLength, SharedReferenceBlocks) {
  TW_REQUIRE_SHARED(shared);
  std::ifstream in(shared / "captures" / "gsm" / "reference.json");
  ASSERT_TRUE(in) << "cannot open reference.json";
  const auto ref = nlohmann::json::parse(in);
  int n = 0;
  for (const auto& cap : ref["captures"])
    for (const auto& blk : cap["blocks"]) {
      expect_rebuilds(tw::octets_from_hex(blk["hex"].get<std::string>()), blk["message"].get<std::string>() + " fn " +
                                                               std::to_string(blk["fn"].get<int>()));
      ++n;
    }
  // The reference holds 4 real CCCH blocks (Paging Request Type 1, with 2, 1 and no mobile identity: the
  // optional mobile identity 2 IE of 9.1.22 both present and absent) and no System Information.
  EXPECT_EQ(n, 4);
}

TEST(GsmL2PseudoLength, PublishedRealSystemInformation) {
  // Blocks received from live networks, as published with the tools that decoded them:
  // gr-gsm (ptrkrysik/gr-gsm) python/qa_message_printer.py, a GSMTAP frame of its test recording: SI2;
  // gr-gsm tests/scripts/decode_airprobe.sh, the first line of its expected output from the recording: SI2;
  // IMSI-catcher (Oros42/IMSI-catcher) README, grgsm_livemon output on a live cell: SI3.
  expect_rebuilds(tw::octets_from_hex("59 06 1a 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff e5 04 00"), "SI2 gr-gsm qa");
  expect_rebuilds(tw::octets_from_hex("59 06 1a 8f 6d 18 10 80 00 00 00 00 00 00 00 00 00 00 00 78 b9 00 00"), "SI2 gr-gsm test");
  expect_rebuilds(tw::octets_from_hex("49 06 1b 95 cc 02 f8 02 01 9c c8 03 1e 57 a5 01 79 00 00 1c 13 2b 2b"), "SI3 IMSI-catcher");
}

TEST(GsmL2PseudoLength, SpecWorkedBlocksOfEveryOtherType) {
  // tests/test_gsm_l3_parse.cpp, each worked out from its 44.018 clause (pseudo length octet included): the
  // types without a real block above, and the optional IEs (SI4's CBCH description, IA's starting time,
  // Paging Request 2's mobile identity 3).
  const std::vector<std::pair<const char*, const char*>> blocks{
      {"SI1", "55 06 19 84 01 00 80 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 6b"},
      {"SI3", "49 06 1b 16 2e 62 f2 10 04 d2 48 03 0a 2f 45 48 f1 00 00 86 00 25 1b"},
      {"SI4 with CBCH", "41 06 1c 62 f2 10 04 d2 45 48 f1 00 00 64 50 e3 e8 ca 43 b5 2b 2b 2b"},
      {"SI13", "01 06 00 b5 10 98 60 ef 94 f2 91 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b"},
      {"SI2quater", "05 06 07 a0 00 25 53 4e 0a aa 10 9d 79 a2 cc 62 73 5c c9 34 03 2b 2b"},
      {"IA", "2d 06 3f 00 59 a0 3e 2a 53 28 05 00 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b"},
      {"IA starting time", "39 06 3f 10 0f 52 61 2a 53 28 05 00 7c 08 43 2b 2b 2b 2b 2b 2b 2b 2b"},
      {"IA Extended", "49 06 39 00 59 a0 3e 2a 53 28 05 0a 11 4c 77 00 00 3f 00 2b 2b 2b 2b"},
      {"IA Reject", "4d 06 3a 00 2a 53 28 0a 11 00 00 14 22 00 00 1e 33 00 00 ff 2b 2b 2b"},
      {"Paging 2 + identity 3", "55 06 22 00 11 22 33 44 55 66 77 88 17 08 29 26 10 21 43 65 87 09 2b"},
      {"Paging 3", "4d 06 24 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 2b 2b 2b"},
  };
  for (const auto& [what, h] : blocks) expect_rebuilds(tw::octets_from_hex(h), what);
}

std::string refusal(const Octets& l3) {
  const auto b = tw::gsm::rebuild_ccch_block(l3);
  return std::holds_alternative<std::string>(b) ? std::get<std::string>(b) : "rebuilt";
}

TEST(GsmL2PseudoLength, RefusesWhatIsNotABcchCcchRrMessage) {
  EXPECT_EQ(refusal({}), "empty");
  EXPECT_EQ(refusal({0x06}), "truncated");
  EXPECT_EQ(refusal({0x05, 0x08, 0x00}), "not_rr");              // MM Location Updating Request (24.008)
  EXPECT_EQ(refusal({0x16, 0x1b}), "not_rr");                    // skip indicator 1
  EXPECT_EQ(refusal({0x06, 0x1d, 0x00}), "rr_type_not_bcch_ccch");  // SI5: SACCH
  EXPECT_EQ(refusal({0x06, 0x2e, 0x00}), "rr_type_not_bcch_ccch");  // Assignment Command: DCCH
  EXPECT_EQ(refusal({0x06, 0x1b, 0x00, 0x01}), "truncated");     // SI3 cut short
  // Paging Request 1 whose mobile identity 1 length runs past the octets given.
  EXPECT_EQ(refusal({0x06, 0x21, 0x00, 0x08, 0x29, 0x26}), "truncated");
  // 23 octets of message: no room for the pseudo length octet.
  Octets long_si3 = tw::octets_from_hex("06 1b 95 cc 02 f8 02 01 9c c8 03 1e 57 a5 01 79 00 00 1c 13 2b 2b 2b");
  EXPECT_EQ(refusal(long_si3), "too_long");
  long_si3.pop_back();
  EXPECT_EQ(refusal(long_si3), "rebuilt");
}

}  // namespace
