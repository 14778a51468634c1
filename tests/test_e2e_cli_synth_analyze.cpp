// End to end through the CLI: `towerwatch synth` renders the built-in city-with-rogue scene to an 8-bit
// RTL-SDR-like capture (2.4 Msps cu8), `towerwatch analyze --json` decodes it, and every cell record must
// match the scene the synthesizer wrote into the truth file; BCCH blocks must equal the truth octets.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "support/test_support.hpp"

namespace {

using nlohmann::json;

using tw::test::json_lines;

std::string mnc_string(const json& cell) {
  std::string s = std::to_string(cell["mnc"].get<int>());
  while (s.size() < static_cast<std::size_t>(cell["mnc_digits"].get<int>())) s = "0" + s;
  return s;
}

TEST(E2eSynthAnalyze, CityWithRogueCellsMatchTheScene) {
  tw::test::TempDir dir;
  const auto iq = (dir / "city.cu8").string();
  auto s = tw::test::run_towerwatch({"synth", "city-with-rogue", "--rate", "2.4M", "--duration", "3", "-o", iq});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const json truth = json::parse(tw::test::read_file(dir / "city.truth.json"));

  auto a = tw::test::run_towerwatch({"analyze", (dir / "city.sigmf-meta").string(), "--json"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  std::map<int, json> cells;  // last record per ARFCN
  std::map<std::uint64_t, std::string> blocks;  // (arfcn << 32 | fn) -> hex
  for (const auto& e : json_lines(a.out)) {
    if (e["type"] == "cell") cells[e["arfcn"].get<int>()] = e;
    if (e["type"] == "gsm_block")
      blocks[(e["arfcn"].get<std::uint64_t>() << 32) | e["fn"].get<std::uint64_t>()] = e["hex"].get<std::string>();
  }

  std::set<int> scene_arfcns;
  int visible = 0;
  for (const auto& c : truth["cells"]) {
    scene_arfcns.insert(c["arfcn"].get<int>());
    if (!c["visible"].get<bool>()) continue;
    ++visible;
    const int arfcn = c["arfcn"];
    ASSERT_TRUE(cells.count(arfcn)) << "cell " << c["name"] << " on ARFCN " << arfcn << " not reported";
    const json& got = cells[arfcn];
    EXPECT_EQ(got["bsic"], c["bsic"]) << arfcn;
    EXPECT_EQ(got["mcc"], c["mcc"]) << arfcn;
    EXPECT_EQ(got["mnc"], mnc_string(c)) << arfcn;
    EXPECT_EQ(got["lac"], c["lac"]) << arfcn;
    EXPECT_EQ(got["ci"], c["ci"]) << arfcn;
    EXPECT_EQ(got["t3212"], c["t3212"]) << arfcn;
    EXPECT_EQ(got["cro"], c["cro"]) << arfcn;
    EXPECT_EQ(got["neighbors"], c["neighbors"]) << arfcn;
    EXPECT_NEAR(got["power_dbfs"].get<double>(), c["power_dbfs"].get<double>(), 2.5) << arfcn;
    EXPECT_NEAR(got["cfo_hz"].get<double>(), c["freq_offset_hz"].get<double>(), 60.0) << arfcn;
  }
  EXPECT_GE(visible, 3);
  for (const auto& [arfcn, cell] : cells)
    EXPECT_TRUE(scene_arfcns.count(arfcn)) << "ghost cell reported on ARFCN " << arfcn;

  // BCCH blocks: the octets the synthesizer sent (truth) are what the receiver reports.
  int bcch = 0, matched = 0;
  for (const auto& b : truth["blocks"]) {
    if (b["channel"] != "BCCH") continue;
    ++bcch;
    const auto key = (b["arfcn"].get<std::uint64_t>() << 32) | b["fn"].get<std::uint64_t>();
    auto it = blocks.find(key);
    if (it != blocks.end() && it->second == b["hex"]) ++matched;
  }
  ASSERT_GT(bcch, 40);
  EXPECT_GE(matched, bcch * 95 / 100) << matched << " of " << bcch << " BCCH blocks decoded with the truth octets";
}

}  // namespace
