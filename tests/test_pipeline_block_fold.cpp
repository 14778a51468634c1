// GsmBlockFold (src/pipeline/gsm_block_fold): a dedicated-channel block (SDCCH/4, SACCH/C4) is LAPDm
// (44.006 5.1: address, control, length indicator), not the CCCH's pseudo-length format. A LAPDm header whose
// octets read as a Paging Request Type 1 (44.018 9.1.22: PD 06, type 21) must not be taken for one: the
// identity of the phone on that SDCCH lies elsewhere and would leave unredacted. Its body is padding in every
// output unless --keep-identities; the same octets on the CCCH are parsed as the paging they are.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "src/pipeline/gsm_block_fold.hpp"

namespace {

using nlohmann::json;

// Octets 0..2 chosen so that a CCCH parser reads pseudo length 0x15, PD/skip 0x06 and
// type 0x21 (Paging Request Type 1); the rest an Identity Response (24.008 9.2.11) IMSI 262019876543210 at an
// offset a paging parse does not look at.
std::array<std::uint8_t, 23> lapdm_block() {
  std::array<std::uint8_t, 23> b{};
  b.fill(0x2b);
  const std::uint8_t head[] = {0x15, 0x06, 0x21, 0x00, 0x01, 0xf0, 0x2b, 0x2b, 0x05, 0x19,
                               0x08, 0x29, 0x26, 0x10, 0x89, 0x67, 0x45, 0x23, 0x01};
  std::copy(std::begin(head), std::end(head), b.begin());
  return b;
}

std::vector<json> run(const std::string& channel, bool keep) {
  std::vector<json> events;
  tw::GsmCellTracker tracker([](const json&) {});
  tw::GsmBlockFold fold(tracker, keep, true, std::nullopt, [&](const json& e) { events.push_back(e); });
  tw::GsmBlockIn in;
  in.key.arfcn = 10;
  in.channel = channel;
  in.octets = lapdm_block();
  fold.on_block(in);
  return events;
}

TEST(GsmBlockFold, DedicatedChannelBlocksAreNotParsedAndTheirBodyIsPadding) {
  for (const std::string ch : {"SDCCH/4", "SACCH/C4"}) {
    SCOPED_TRACE(ch);
    const auto ev = run(ch, false);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0]["message"], "Dedicated channel (not decoded)");
    EXPECT_EQ(ev[0]["hex"], "15 06 21 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b");
    const auto kept = run(ch, true);
    EXPECT_NE(kept[0]["hex"].get<std::string>().find("89 67 45 23 01"), std::string::npos);
  }
  // On the CCCH the same octets are a Paging Request Type 1 (whose own parse decides what is an identity).
  const auto ccch = run("CCCH", false);
  ASSERT_EQ(ccch.size(), 1u);
  EXPECT_NE(ccch[0]["message"].get<std::string>().find("Paging"), std::string::npos);
}

}  // namespace
