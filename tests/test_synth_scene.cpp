// Scene JSON: strict parsing with errors naming the file and key path, the issue's example scene, MNC as
// digits, band checks (45.005 clause 2), JSON round trip, and the built-in scenes' promised properties.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "src/core/error.hpp"
#include "support/test_support.hpp"
#include "tools/synth/scene.hpp"

using namespace tw::synth;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_scene_text(text, "scene.json");
  } catch (const tw::InputError& e) {
    return e.what();
  }
  return "(no error)";
}
const char* kExample =
    R"({"seed":1, "noise_dbfs":-70, "receiver_ppm":0.0, "cells":[{"arfcn":62, "bsic":23, "mcc":262, "mnc":1,
    "lac":1234, "ci":5678, "power_dbfs":-30, "freq_offset_hz":0, "neighbors":[60,64], "cro":0, "t3212":10}]})";
}  // namespace

TEST(SynthScene, TheIssueExampleLoads) {
  tw::test::TempDir dir;
  tw::test::write_file(dir / "scene.json", kExample);
  const Scene s = load_scene((dir / "scene.json").string());
  EXPECT_EQ(s.name, "scene");
  EXPECT_EQ(s.seed, 1u);
  EXPECT_DOUBLE_EQ(s.noise_dbfs, -70.0);
  ASSERT_EQ(s.cells.size(), 1u);
  const auto& c = s.cells[0];
  EXPECT_EQ(c.arfcn, 62);
  EXPECT_EQ(c.band, GsmBand::PGSM900);
  EXPECT_EQ(c.bsic, 23);
  EXPECT_EQ(c.mcc, 262);
  EXPECT_EQ(c.mnc, 1);
  EXPECT_EQ(c.mnc_digits, 2);
  EXPECT_EQ(c.lac, 1234);
  EXPECT_EQ(c.ci, 5678);
  EXPECT_DOUBLE_EQ(c.power_dbfs, -30.0);
  EXPECT_EQ(c.neighbors, (std::vector<int>{60, 64}));
  EXPECT_EQ(c.cro, 0);
  EXPECT_TRUE(c.selection_parameters);   // giving cro turns the optional selection parameters on
  EXPECT_EQ(c.t3212, 10);
  EXPECT_FALSE(c.first_fn_set);
}

TEST(SynthScene, ErrorsNameFileAndKeyPath) {
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":62},{"arfcn":62,"bsic":64}]})"),
            "scene.json: cells[1].bsic: 64 is out of range 0..63");
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":62,"bsci":3}]})"), "scene.json: cells[0].bsci: unknown key");
  EXPECT_EQ(error_of(R"({"cells":[], "noise":-70})"), "scene.json: noise: unknown key");
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":62,"lac":"12"}]})"), "scene.json: cells[0].lac: \"12\" is not an integer");
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":62,"t3212":2.5}]})"), "scene.json: cells[0].t3212: 2.5 is not an integer");
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":300}]})"), "scene.json: cells[0].arfcn: 300 is not a GSM ARFCN (45.005 clause 2)");
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":900,"band":"PCS1900"}]})"), "scene.json: cells[0].arfcn: 900 is not in band PCS1900");
  EXPECT_EQ(error_of(R"({"cells":[{"bsic":1}]})"), "scene.json: cells[0].arfcn: missing (every cell needs an ARFCN)");
  EXPECT_EQ(error_of(R"({"seed":1})"), "scene.json: cells: missing (a scene needs a \"cells\" array)");
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":62,"neighbors":[60,2000]}]})"),
            "scene.json: cells[0].neighbors[1]: 2000 is out of range 0..1023");
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":62,"si2quater":{"eutran":[{"earfcn":1300,"prio":3}]}}]})"),
            "scene.json: cells[0].si2quater.eutran[0].prio: unknown key");
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":62,"traffic":{"paging_per_s":-1}}]})"),
            "scene.json: cells[0].traffic.paging_per_s: -1 is out of range 0..1000");
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":62,"mnc":"1"}]})"), "scene.json: cells[0].mnc: \"1\" is not 2 or 3 decimal digits");
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":62,"max_retrans":3}]})"), "scene.json: cells[0].max_retrans: 3 is not one of 1, 2, 4, 7");
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":62,"multipath":"rural"}]})"),
            "scene.json: cells[0].multipath: \"rural\" is not \"none\" or \"tu\"");
  EXPECT_EQ(error_of(R"({"cells":[{"arfcn":62,"on_s":2,"off_s":1}]})"), "scene.json: cells[0].off_s: must be after on_s");
  EXPECT_EQ(error_of("[1,2]"), "scene.json: (top level): must be a JSON object");
  EXPECT_NE(error_of("{\"cells\":[").find("scene.json: not valid JSON"), std::string::npos);
  // A number beyond a double (RFC 8259 allows it, nlohmann::json refuses it with out_of_range): an input error
  // too, not a crash (fuzz_scene's first finding, kept as corpus/scene/crash_number_overflow).
  EXPECT_NE(error_of("{\"cells\":[],\"dc_offset_dbfs\":-200.9E6463}").find("scene.json: not valid JSON"), std::string::npos);
}

TEST(SynthScene, MncDigitsAndBands) {
  auto s = parse_scene_text(R"({"cells":[{"arfcn":62,"mnc":"01"},{"arfcn":62,"mnc":"001"},{"arfcn":600,"band":"PCS1900"},
                                          {"arfcn":600},{"arfcn":62,"mnc":310}]})", "x.json");
  EXPECT_EQ(s.cells[0].mnc, 1);
  EXPECT_EQ(s.cells[0].mnc_digits, 2);
  EXPECT_EQ(s.cells[1].mnc, 1);
  EXPECT_EQ(s.cells[1].mnc_digits, 3);
  EXPECT_EQ(s.cells[2].band, GsmBand::PCS1900);
  EXPECT_EQ(s.cells[3].band, GsmBand::DCS1800);
  EXPECT_EQ(s.cells[4].mnc_digits, 3);
}

TEST(SynthScene, JsonRoundTrip) {
  for (const auto& name : builtin_scene_names()) {
    const Scene a = builtin_scene(name);
    const auto j = scene_to_json(a);
    const Scene b = parse_scene(j, name);
    EXPECT_EQ(scene_to_json(b), j) << name;
  }
}

TEST(SynthScene, UnknownSceneNameOrMissingFile) {
  EXPECT_THROW(builtin_scene("town"), tw::InputError);
  try {
    load_scene("/nonexistent/scene.json");
    FAIL();
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/scene.json"), std::string::npos);
  }
}

TEST(SynthScene, BuiltinScenesHaveWhatTheyPromise) {
  const Scene single = load_scene("single");
  ASSERT_EQ(single.cells.size(), 1u);
  EXPECT_EQ(single.cells[0].arfcn, 62);
  EXPECT_EQ(single.cells[0].band, GsmBand::PGSM900);

  const Scene city = load_scene("city");
  ASSERT_GE(city.cells.size(), 4u);
  ASSERT_LE(city.cells.size(), 6u);
  std::set<int> arfcns;
  std::set<std::pair<int, int>> operators;
  for (const auto& c : city.cells) {
    arfcns.insert(c.arfcn);
    operators.insert({c.mcc, c.mnc});
    EXPECT_NEAR(downlink_hz(c.arfcn, c.band), 947e6, 5e6);
    EXPECT_GE(c.t3212, 10);
    EXPECT_LE(c.t3212, 30);
  }
  EXPECT_EQ(operators.size(), 2u);
  for (const auto& c : city.cells) {
    EXPECT_FALSE(c.neighbors.empty()) << c.name;
    for (int n : c.neighbors) EXPECT_TRUE(arfcns.count(n)) << c.name << " lists " << n;
  }

  const Scene rogue_scene = load_scene("city-with-rogue");
  ASSERT_EQ(rogue_scene.cells.size(), city.cells.size() + 1);
  const auto& r = rogue_scene.cells.back();
  std::set<int> legit_lacs;
  bool cloned = false;
  for (const auto& c : city.cells) {
    legit_lacs.insert(c.lac);
    cloned |= c.mcc == r.mcc && c.mnc == r.mnc;
  }
  EXPECT_TRUE(cloned);
  EXPECT_FALSE(legit_lacs.count(r.lac));
  EXPECT_TRUE(r.neighbors.empty());
  EXPECT_TRUE(r.selection_parameters);
  EXPECT_GE(r.cro, 40);
  EXPECT_LE(r.t3212, 2);
  for (const auto& c : city.cells) EXPECT_GT(r.power_dbfs, c.power_dbfs);
  EXPECT_NEAR(r.freq_offset_hz / downlink_hz(r.arfcn, r.band) * 1e6, 2.5, 0.01);
  EXPECT_EQ(r.traffic.imm_ass_hopping_fraction, 0.0);
  EXPECT_FALSE(r.si2quater.present);

  const Scene mb = load_scene("multiband");
  std::set<GsmBand> bands;
  for (const auto& c : mb.cells) bands.insert(c.band);
  EXPECT_TRUE(bands.count(GsmBand::PGSM900));
  EXPECT_TRUE(bands.count(GsmBand::DCS1800));
}
