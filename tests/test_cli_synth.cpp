// `towerwatch synth` end to end: files written (IQ of the right size and format, SigMF metadata, truth),
// rendered power, determinism for a seed, and exit code 2 with the field named on bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstring>
#include <filesystem>
#include <regex>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace {
using tw::test::run_towerwatch;

bool have_binary() { return std::filesystem::exists(tw::test::towerwatch_binary()); }
}  // namespace

TEST(SynthCli, WritesIqMetaAndTruth) {
  ASSERT_TRUE(have_binary()) << "build the towerwatch binary first: " << tw::test::towerwatch_binary();
  tw::test::TempDir dir;
  const auto out = (dir / "single.cu8").string();
  const auto r = run_towerwatch({"synth", "single", "--rate", "1M", "--duration", "0.3", "-o", out, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::filesystem::file_size(out), 300000u * 2u);
  const auto meta = nlohmann::json::parse(tw::test::read_file(dir / "single.sigmf-meta"));
  EXPECT_EQ(meta["global"]["core:datatype"], "cu8");
  EXPECT_DOUBLE_EQ(meta["global"]["core:sample_rate"].get<double>(), 1e6);
  EXPECT_DOUBLE_EQ(meta["captures"][0]["core:frequency"].get<double>(), 947.4e6);   // the middle of the cells
  const auto truth = nlohmann::json::parse(tw::test::read_file(dir / "single.truth.json"));
  ASSERT_EQ(truth["cells"].size(), 1u);
  EXPECT_DOUBLE_EQ(truth["cells"][0]["frequency_hz"].get<double>(), 947.4e6);
  EXPECT_EQ(truth["cells"][0]["bsic"], 23);
  EXPECT_EQ(truth["scene"]["name"], "single");
  const std::regex hex("([0-9a-f]{2} ){22}[0-9a-f]{2}");
  ASSERT_GT(truth["blocks"].size(), 10u);
  for (const auto& b : truth["blocks"]) {
    EXPECT_TRUE(std::regex_match(b["hex"].get<std::string>(), hex)) << b.dump();
    EXPECT_EQ(b["tn"], 0);
    EXPECT_EQ(b["arfcn"], 62);
    const auto ch = b["channel"].get<std::string>();
    EXPECT_TRUE(ch == "BCCH" || ch == "CCCH") << ch;
    EXPECT_LE(b["t_s"].get<double>(), 0.3);
  }
  // 0.3 s = 65 frames: 6 or 7 SCH.
  EXPECT_GE(truth["sch"].size(), 6u);
  for (const auto& s : truth["sch"]) EXPECT_EQ(s["bsic"], 23);
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["type"], "synth");
  EXPECT_EQ(summary["samples"], 300000);
}

TEST(SynthCli, PowerAndDeterminism) {
  ASSERT_TRUE(have_binary());
  tw::test::TempDir dir;
  auto run = [&](const std::string& name, const std::string& seed) {
    const auto r = run_towerwatch({"synth", "single", "--rate", "2.4M", "--duration", "0.2", "--freq", "947.2M",
                                   "--format", "cf32", "--seed", seed, "-o", (dir / name).string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return tw::test::read_file(dir / name);
  };
  const auto a = run("a.raw", "5"), b = run("b.raw", "5"), c = run("c.raw", "6");
  ASSERT_EQ(a.size(), 480000u * 8u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  // single: the cell at -30 dBFS, noise at -70 dBFS.
  double p = 0.0;
  const std::size_t n = a.size() / 8;
  for (std::size_t i = 0; i < n; ++i) {
    float iq[2];
    std::memcpy(iq, a.data() + 8 * i, 8);
    p += double(iq[0]) * iq[0] + double(iq[1]) * iq[1];
  }
  EXPECT_NEAR(10.0 * std::log10(p / static_cast<double>(n)), 10.0 * std::log10(1e-3 + 1e-7), 0.3);
}

TEST(SynthCli, BadInputExitsTwoNamingTheField) {
  ASSERT_TRUE(have_binary());
  tw::test::TempDir dir;
  tw::test::write_file(dir / "bad.json", R"({"cells":[{"arfcn":62,"bsic":64}]})");
  auto r = run_towerwatch({"synth", (dir / "bad.json").string(), "-o", (dir / "x.cf32").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.json: cells[0].bsic: 64 is out of range 0..63"), std::string::npos) << r.err;
  r = run_towerwatch({"synth", "single", "-o", (dir / "x.bin").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
  r = run_towerwatch({"synth", "nowhere", "-o", (dir / "x.cf32").string()});
  EXPECT_EQ(r.exit_code, 2);
  r = run_towerwatch({"synth", "single", "--rate", "-1", "-o", (dir / "x.cf32").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.cf32"));
  r = run_towerwatch({"synth", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("towerwatch synth city-with-rogue"), std::string::npos);
}
