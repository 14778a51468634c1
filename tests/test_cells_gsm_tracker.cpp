// The cell tracker folds parsed blocks into one record per carrier. Blocks come from the synthesizer's
// L3 encoders (tools/synth/l3, written from 44.018 independently of the parsers in src/gsm).
#include <gtest/gtest.h>

#include "src/cells/gsm_cell_tracker.hpp"
#include "src/gsm/l3_message.hpp"
#include "tools/synth/l3/encode.hpp"

namespace {

using nlohmann::json;

tw::gsm::ParsedMessage parse(const tw::synth::l3::L2Block& b) { return tw::gsm::parse_l3_block(b); }

// The cell the tracker tests encode: 262-01, LAC 1234, CI 5678 on ARFCN 62.
tw::synth::CellConfig cell_262_01() {
  tw::synth::CellConfig cell;
  cell.arfcn = 62;
  cell.mcc = 262;
  cell.mnc = 1;
  cell.lac = 1234;
  cell.ci = 5678;
  return cell;
}

TEST(GsmCellTracker, ReportsOnceIdentityIsKnownAndAgainOnlyWhenAParameterChanges) {
  std::vector<json> out;
  tw::GsmCellTracker tracker([&](const json& c) { out.push_back(c); });
  const tw::GsmCarrierKey key{0.0, 62, 947.4e6, "P-GSM900"};
  tw::synth::CellConfig cell = cell_262_01();
  cell.t3212 = 10;
  cell.neighbors = {60, 64};
  tracker.on_sync(key, 23, 1000, 0);
  tracker.on_message(key, parse(tw::synth::l3::encode_si2(cell)), 1002);
  EXPECT_TRUE(out.empty()) << "no identity yet: no cell record";
  tracker.on_message(key, parse(tw::synth::l3::encode_si3(cell)), 1104);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["type"], "cell");
  EXPECT_EQ(out[0]["bsic"], 23);
  EXPECT_EQ(out[0]["mcc"], 262);
  EXPECT_EQ(out[0]["mnc"], "01");
  EXPECT_EQ(out[0]["lac"], 1234);
  EXPECT_EQ(out[0]["ci"], 5678);
  EXPECT_EQ(out[0]["t3212"], 10);
  EXPECT_EQ(out[0]["neighbors"], json::array({60, 64}));

  // The same SI3 again, and paging: counted, no new record.
  tracker.on_message(key, parse(tw::synth::l3::encode_si3(cell)), 1512);
  tw::synth::l3::MobileIdentity tmsi;
  tmsi.tmsi = 0x2402810b;
  tracker.on_message(key, parse(tw::synth::l3::encode_paging_request_1({tmsi})), 1520);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(tracker.cell_json(key)["paging"]["tmsi"], 1);
  EXPECT_EQ(tracker.cell_json(key).dump().find("2402810b"), std::string::npos) << "identity values are not kept";

  // T3212 changes (a cell shortening its location-update timer): a new record.
  cell.t3212 = 1;
  tracker.on_message(key, parse(tw::synth::l3::encode_si3(cell)), 1920);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1]["t3212"], 1);
}

TEST(GsmCellTracker, FrameNumberContinuityAcrossReacquisitions) {
  tw::GsmCellTracker tracker(nullptr);
  const tw::GsmCarrierKey key{200e3, 63, 947.6e6, "P-GSM900"};
  tracker.on_sync(key, 5, 2715640, 0);            // near the end of the hyperframe (26*51*2048 = 2715648)
  tracker.on_sync(key, 5, 2, 10 * 5000);          // 10 frames later: wrapped to 2, consistent
  EXPECT_EQ(tracker.cell_json(key)["sync"]["fn_jumps"], 0);
  tracker.on_sync(key, 5, 777, 20 * 5000);        // should be 12
  EXPECT_EQ(tracker.cell_json(key)["sync"]["fn_jumps"], 1);
  EXPECT_EQ(tracker.cell_json(key)["sync"]["acquisitions"], 3);
}

}  // namespace

namespace {

// A hostile cell changes its SI3 in every block (here T3212, 44.018 10.5.2.11, cycling through its 8 bits):
// the tracker reports the first kMaxChangeRecords changes, then only counts them; finish() still reports the
// final state with the count of what was dropped.
TEST(GsmCellTracker, NeverEndingSystemInformationChangesAreCappedAndCounted) {
  std::vector<json> out;
  tw::GsmCellTracker tracker([&](const json& c) { out.push_back(c); });
  const tw::GsmCarrierKey key{0.0, 62, 947.4e6, "P-GSM900"};
  tw::synth::CellConfig cell = cell_262_01();
  tracker.on_sync(key, 23, 1000, 0);
  constexpr int kBlocks = 1000;
  for (int i = 0; i < kBlocks; ++i) {
    cell.t3212 = i % 256;
    tracker.on_message(key, parse(tw::synth::l3::encode_si3(cell)), 1000 + 51u * static_cast<std::uint32_t>(i));
  }
  const auto cap = tw::GsmCellTracker::kMaxChangeRecords;
  ASSERT_EQ(out.size(), 1 + cap) << "the first record and kMaxChangeRecords changes";
  EXPECT_EQ(out.back()["t3212"], static_cast<int>(cap)) << "changes are reported in order up to the cap";
  const std::uint64_t dropped = kBlocks - 1 - cap;
  EXPECT_EQ(tracker.cell_json(key)["dropped"]["si_variants"], dropped);
  EXPECT_EQ(tracker.cell_json(key)["si_changes"], kBlocks - 1);
  EXPECT_EQ(tracker.cell_json(key)["t3212"], (kBlocks - 1) % 256) << "the record holds the latest state";
  tracker.finish();
  ASSERT_EQ(out.size(), 2 + cap) << "finish() reports the final state of a capped cell";
  EXPECT_EQ(out.back()["t3212"], (kBlocks - 1) % 256);
  EXPECT_EQ(out.back()["dropped"]["si_variants"], dropped);
  EXPECT_EQ(out.back()["dropped"]["identities"], 0);
}

// Thousands of distinct paging identities (Paging Request Type 1 with one TMSI, 44.018 9.1.22): counted by
// type always; remembered for the distinct count only when identities are kept, at most
// kMaxDistinctIdentities of them, the rest counted as dropped.
TEST(GsmCellTracker, DistinctIdentitiesAreCappedAndCounted) {
  tw::GsmCellTracker tracker(nullptr);
  tw::GsmCellTracker private_tracker(nullptr);
  const tw::GsmCarrierKey key{0.0, 62, 947.4e6, "P-GSM900"};
  tw::gsm::ParseOptions keep;
  keep.keep_identities = true;
  const std::size_t cap = tw::GsmCellTracker::kMaxDistinctIdentities;
  const std::size_t n = cap + 904;
  for (std::size_t i = 0; i < n; ++i) {
    tw::synth::l3::MobileIdentity id;
    id.tmsi = 0x10000000u + static_cast<std::uint32_t>(i);
    const auto block = tw::synth::l3::encode_paging_request_1({id});
    tracker.on_message(key, tw::gsm::parse_l3_block(block, keep), static_cast<std::uint32_t>(i));
    private_tracker.on_message(key, tw::gsm::parse_l3_block(block), static_cast<std::uint32_t>(i));
  }
  // An identity seen before the cap is not new: neither remembered again nor dropped.
  tw::synth::l3::MobileIdentity again;
  again.tmsi = 0x10000000u;
  tracker.on_message(key, tw::gsm::parse_l3_block(tw::synth::l3::encode_paging_request_1({again}), keep), 0);
  const json c = tracker.cell_json(key);
  EXPECT_EQ(c["paging"]["tmsi"], n + 1);
  EXPECT_EQ(c["paging"]["distinct"], cap);
  EXPECT_EQ(c["dropped"]["identities"], n - cap);
  const json p = private_tracker.cell_json(key);
  EXPECT_EQ(p["paging"]["tmsi"], n);
  EXPECT_FALSE(p["paging"].contains("distinct")) << "without kept identities there is nothing to count";
  EXPECT_EQ(p["dropped"]["identities"], 0);
}

}  // namespace
