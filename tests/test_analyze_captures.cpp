// `towerwatch analyze` on the real GSMSP recordings in ../shared/captures/gsm: every block gr-gsm decoded
// (reference.json) is reported with the same frame number and octets; nothing is reported from captures
// too short to hold a block; every reported block is CRC-valid by construction, so extra blocks are allowed
// only where the reference notes say a decoder may find more.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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
                                       std::to_string(cap["center_freq"].get<double>()), "--json",
                                       "--keep-identities"});  // the octets as received, as gr-gsm shows them
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
  // Nor in the blocks' octets: the TMSI fields are 0xffffffff, the rest as received (gr-gsm's fn 675007).
  for (const char* hex : {"24 02 81 0b", "18 00 03 12", "2e 02 0e 94"})
    EXPECT_EQ(r.out.find(hex), std::string::npos) << hex << " in a block without --keep-identities";
  EXPECT_NE(r.out.find("41 06 21 a0 05 f4 ff ff ff ff 17 05 f4 ff ff ff ff 2b 2b 2b 2b 2b 2b"), std::string::npos);
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

// `towerwatch analyze --rat lte` on every LTE recording of ../shared/captures/lte (reference.json: srsRAN and
// LTE-Cell-Scanner decodes): the format and header come from the reference entry, as a user would give them.
// The TDD recording's reference places subframe 0 half a frame earlier than the CRC-checked PBCH does (see
// tests/test_dsp_lte_captures.cpp); there the SFN compared is that of the frame holding the named sample.
TEST(AnalyzeCaptures, LteRecordingsGiveTheReferenceCells) {
  TW_REQUIRE_SHARED(shared);
  const auto dir = shared / "captures" / "lte";
  const json ref = json::parse(tw::test::read_file(dir / "reference.json"));
  ASSERT_GE(ref["captures"].size(), 5u);
  for (const auto& cap : ref["captures"]) {
    const std::string file = cap["file"];
    std::string format = cap["format"];
    std::vector<std::string> args{"analyze", (dir / file).string(), "--rat", "lte", "--json", "--rate", rate_arg(cap)};
    if (format == "cu8_hdr128") {
      format = "cu8";
      args.insert(args.end(), {"--skip-bytes", "128"});
    }
    args.insert(args.end(), {"--format", format});
    if (!cap["center_freq"].is_null()) args.insert(args.end(), {"--freq", std::to_string(cap["center_freq"].get<double>())});
    auto r = tw::test::run_towerwatch(args);
    ASSERT_EQ(r.exit_code, 0) << file << "\n" << r.err;
    std::vector<json> cells;
    for (const auto& j : json_lines(r.out))
      if (j.value("type", "") == "cell") cells.push_back(j);
    // Every reference cell; beyond them only another sector of a reference cell's eNodeB (same N_ID(1),
    // frame-synchronous, the same MIB fields and SFN), which the search finds once it cancels the strong
    // sector's sync signals (tests/test_dsp_lte_captures.cpp). No cell where the reference has none.
    if (cap["cells"].empty()) ASSERT_TRUE(cells.empty()) << file << "\n" << r.out;
    ASSERT_GE(cells.size(), cap["cells"].size()) << file << "\n" << r.out;
    for (const auto& c : cells) {
      auto listed = [&](const json& x) {
        return std::any_of(cap["cells"].begin(), cap["cells"].end(), [&](const json& w) { return w["pci"] == x["pci"]; });
      };
      if (listed(c)) continue;
      const auto site = std::find_if(cells.begin(), cells.end(), [&](const json& o) {
        return listed(o) && o["n_id_1"] == c["n_id_1"] && o["mib"].is_string();
      });
      ASSERT_NE(site, cells.end()) << file << ": PCI " << c["pci"] << " is neither in the reference nor a sector of a reference cell";
      ASSERT_TRUE(c["mib"].is_string()) << file;
      EXPECT_NEAR(c["frame_start_sample"].get<double>(), (*site)["frame_start_sample"].get<double>(), 2.0) << file;
      for (const char* k : {"bandwidth_prb", "phich", "sfn"}) EXPECT_EQ(c[k], (*site)[k]) << file << " " << k;
    }
    for (const auto& want : cap["cells"]) {
      const auto it = std::find_if(cells.begin(), cells.end(), [&](const json& c) { return c["pci"] == want["pci"]; });
      ASSERT_NE(it, cells.end()) << file << ": PCI " << want["pci"];
      const json& c = *it;
      EXPECT_EQ(c["rat"], "LTE");
      for (const char* k : {"duplex", "cp", "ports", "bandwidth_prb", "phich"}) EXPECT_EQ(c[k], want[k]) << file << " " << k;
      int sfn = c["sfn"].get<int>();
      const std::string notes = cap.value("notes", "");
      if (const auto at = notes.find("subframe 0 near sample "); at != std::string::npos) {
        const long long n = std::stoll(notes.substr(at + 23));
        const long long start = c["frame_start_sample"].get<long long>();
        const long long k = (n - start) >= 0 ? (n - start) / 19200 : -((start - n + 19199) / 19200);
        sfn = static_cast<int>(((sfn + k) % 1024 + 1024) % 1024);
      }
      EXPECT_EQ(sfn, want["sfn"].get<int>()) << file;
      // System Information (issue: LTE SI from the air): where the capture holds the whole cell, SIB1's octets
      // and identity as the reference decoders read them; where it does not, a null SIB1 that says why.
      ASSERT_TRUE(c.contains("sib1")) << file;
      if (want.contains("sib1")) {
        const json& s = want["sib1"];
        EXPECT_EQ(c["sib1"], s["hex"]) << file << ": " << c.value("sib1_error", json()).dump();
        for (const char* k : {"mcc", "mnc", "tac", "cell_identity", "freq_band_indicator"}) EXPECT_EQ(c[k], s[k]) << file << " " << k;
        EXPECT_EQ(c["enb_id"], s["cell_identity"].get<int>() >> 8) << file;
        EXPECT_EQ(c["sector"], s["cell_identity"].get<int>() & 0xff) << file;
        EXPECT_NE(std::find(c["sibs_seen"].begin(), c["sibs_seen"].end(), "SIB1"), c["sibs_seen"].end()) << file;
      } else if (c["sib1"].is_null()) {
        ASSERT_TRUE(c["sib1_error"].is_string()) << file;
        const double captured_hz = cap["sample_rate"].get<double>();
        if (want["bandwidth_prb"].get<int>() * 180e3 > captured_hz) {
          EXPECT_NE(c["sib1_error"].get<std::string>().find("bandwidth not captured"), std::string::npos) << file;
        }
      }
      if (want.contains("cfo_hz")) {
        EXPECT_NEAR(c["cfo_hz"].get<double>(), want["cfo_hz"].get<double>(), 500.0) << file;
      }
      if (!cap["center_freq"].is_null()) {
        // The carrier on the 100 kHz raster and its EARFCN (TS 36.101 table 5.7.3-1: F = F_DL_low + 0.1 (N - N_offs)).
        const double f = cap["center_freq"].get<double>();
        EXPECT_NEAR(c["freq_hz"].get<double>(), std::round(f / 1e5) * 1e5, 1.0) << file;
        EXPECT_TRUE(c["earfcn"].is_number()) << file;
        if (want.contains("cfo_hz")) {
          // The reference's carrier offset, in ppm of the raster frequency (the capture's centre sits within
          // 50 kHz of it): to within the 500 Hz the CFO check allows.
          const double raster = c["freq_hz"].get<double>();
          const double want_ppm = (f + want["cfo_hz"].get<double>() - raster) / raster * 1e6;
          EXPECT_NEAR(c["carrier_offset_ppm"].get<double>(), want_ppm, 500.0 / raster * 1e6) << file;
        }
      }
    }
  }
}
