// `towerwatch analyze` on the real GSMSP recordings in ../shared/captures/gsm: every block gr-gsm decoded
// (reference.json) is reported with the same frame number and octets; nothing is reported from captures
// too short to hold a block; every reported block is CRC-valid by construction, so extra blocks are allowed
// only where the reference notes say a decoder may find more.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace {

using nlohmann::json;

using tw::test::json_lines;

std::string rate_arg(const json& capture) {
  return std::to_string(capture["sample_rate"].get<double>());
}

TEST(AnalyzeCaptures, ReportsEveryReferenceBlockAndNothingFromShortCaptures) {
  TW_REQUIRE_SHARED(shared);
  const auto dir = shared / "captures" / "gsm";
  const json ref = json::parse(tw::test::read_file(dir / "reference.json"));
  ASSERT_GE(ref["captures"].size(), 4u);
  for (const auto& cap : ref["captures"]) {
    const std::string file = cap["file"];
    auto r = tw::test::run_towerwatch({"analyze", (dir / file).string(), "--rate", rate_arg(cap), "--freq",
                                       std::to_string(cap["center_freq"].get<double>()), "--json"});
    ASSERT_EQ(r.exit_code, 0) << file << "\n" << r.err;
    std::map<std::uint32_t, json> blocks;
    bool summary = false;
    for (const auto& j : json_lines(r.out)) {
      ASSERT_TRUE(j.contains("type")) << j.dump();
      if (j["type"] == "gsm_block") blocks[j["fn"].get<std::uint32_t>()] = j;
      if (j["type"] == "summary") summary = true;
    }
    EXPECT_TRUE(summary) << file;
    for (const auto& b : cap["blocks"]) {
      const auto fn = b["fn"].get<std::uint32_t>();
      ASSERT_TRUE(blocks.count(fn)) << file << ": reference block at fn " << fn << " not reported";
      EXPECT_EQ(blocks[fn]["hex"], b["hex"]) << file << " fn " << fn;
      EXPECT_EQ(blocks[fn]["channel"], b["channel"]) << file << " fn " << fn;
      EXPECT_EQ(blocks[fn]["message"], b["message"]) << file << " fn " << fn;
      EXPECT_EQ(blocks[fn]["arfcn"], 30) << file << ": 941.0 MHz is ARFCN 30 (45.005 clause 2)";
    }
    const std::string notes = cap.value("notes", "");
    if (notes.find("shorter than the FCCH period") != std::string::npos) {
      EXPECT_TRUE(blocks.empty()) << file << ": a 20 ms capture holds no whole multiframe block";
    }
  }
}

TEST(AnalyzeCaptures, PagingIdentitiesAreCountedNotPrinted) {
  TW_REQUIRE_SHARED(shared);
  const auto file = shared / "captures" / "gsm" / "GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile";
  auto r = tw::test::run_towerwatch({"analyze", file.string(), "--rate", "500k", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // TMSIs of the reference notes (Wireshark's reading of fn 675007 and 675011).
  for (const char* tmsi : {"2402810b", "18000312", "2e020e94"}) {
    EXPECT_EQ(r.out.find(std::string("0x") + tmsi), std::string::npos) << "identity printed without --keep-identities";
  }
  std::uint64_t tmsis = 0;
  for (const auto& j : json_lines(r.out))
    if (j["type"] == "cell") tmsis = j["paging"]["tmsi"].get<std::uint64_t>();
  EXPECT_GE(tmsis, 3u);
  auto kept = tw::test::run_towerwatch({"analyze", file.string(), "--rate", "500k", "--json", "--keep-identities"});
  ASSERT_EQ(kept.exit_code, 0);
  EXPECT_NE(kept.out.find("0x2402810b"), std::string::npos);
}

TEST(AnalyzeCaptures, BadInputIsExitCode2NamingTheFile) {
  auto r = tw::test::run_towerwatch({"analyze", "/nonexistent/capture_947M_1M.cu8"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/capture_947M_1M.cu8"), std::string::npos) << r.err;
  auto none = tw::test::run_towerwatch({"analyze"});
  EXPECT_EQ(none.exit_code, 2);
}

}  // namespace
