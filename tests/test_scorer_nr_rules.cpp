// NR cells in the baseline and the NR rules against it: the synthesizer's built-in scene "nr" (two n78 gNodeBs,
// PCI 301 and 302 at GSCN 7880, tools/synth/scenes_builtin.cpp) is the truth. Each scene cell becomes the record
// the receiver gives for it (src/pipeline/nr_analysis.cpp): its MIB is the synthesizer's BCCH-BCH bits
// (nr_mib_bits) parsed by src/nr/mib. Three sweeps of the legitimate scene are stored and learned
// (src/store/baseline.cpp: the MIB's fields without the SFN); then
// - the legitimate scene again: no B1/N1, no alert (no false alarm);
// - PCI 301 cloned with another CORESET#0 or cellBarred (scene keys "coreset_zero", "cell_barred"): N1 with the
//   changed field and the learned value, and with a clone's oscillator offset the alert (N1 + F1);
// - a PCI the baseline never saw at GSCN 7880: B1 naming the learned PCIs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "src/nr/mib.hpp"
#include "src/scorer/scorer.hpp"
#include "src/store/store.hpp"
#include "src/store/store_baseline_view.hpp"
#include "tools/synth/scene.hpp"

namespace {
using nlohmann::json;
constexpr std::int64_t kT0 = 1790000000000;

// The scene's NR cells after a JSON round trip through the scene parser with `edit` applied to the cell list
// (the keys a user writes in a scene file).
std::vector<tw::synth::nr::NrCellConfig> scene_cells(const std::function<void(json&)>& edit = {}) {
  const auto builtin = tw::synth::builtin_scene_with_lte("nr");
  json doc = {{"name", "nr-test"}, {"seed", 5}, {"noise_dbfs", -80}, {"nr_cells", json::array()}};
  for (const auto& c : builtin.nr_cells) doc["nr_cells"].push_back(tw::synth::nr::nr_cell_to_json(c, false));
  if (edit) edit(doc["nr_cells"]);
  std::vector<tw::synth::nr::NrCellConfig> out;
  for (const auto& c : tw::synth::parse_scene_with_lte(doc, "nr-test").nr_cells)
    out.push_back(tw::synth::nr::resolve_nr_cell(c));
  return out;
}

// The cell record of one scene cell at frame `sfn`, as src/pipeline/nr_analysis.cpp writes it.
json record_of(const tw::synth::nr::NrCellConfig& c, int sfn) {
  std::string err;
  const auto mib = tw::nr::parse_mib(tw::synth::nr::nr_mib_bits(c, sfn), &err);
  EXPECT_TRUE(mib) << err;
  json m = tw::nr::to_json(*mib);
  m["sfn"] = sfn;
  const double ss_ref = tw::synth::nr::nr_ss_ref_hz(c);
  return {{"type", "cell"}, {"rat", "NR"}, {"gscn", c.gscn}, {"band", "NR-n" + std::to_string(c.band)},
          {"freq_hz", ss_ref + c.freq_offset_hz}, {"ss_ref_hz", ss_ref}, {"pci", c.pci},
          {"ssb_index", c.ssb_indices.front()}, {"half_frame", 0}, {"sfn", sfn}, {"pbch", "decoded"},
          {"mib", m}, {"k_ssb", c.k_ssb_msb * 16 + c.ssb_subcarrier_offset}, {"rsrp_dbfs", c.power_dbfs},
          {"sinr_db", 20.0}, {"cfo_hz", c.freq_offset_hz}, {"cfo_ppm", c.freq_offset_hz / ss_ref * 1e6}};
}

tw::SweepObservations sweep_of(const std::vector<tw::synth::nr::NrCellConfig>& cells, std::int64_t t, int sfn) {
  tw::SweepObservations s;
  s.time_unix_ms = t;
  s.sensor_id = "site-1";
  for (const auto& c : cells) s.cells.push_back(tw::CellObservation::from_cell_record(record_of(c, sfn), t, "site-1"));
  return s;
}

std::vector<tw::Reason> reasons(const tw::SweepObservations& s, int pci, const std::string& rule,
                                const tw::BaselineView& b) {
  tw::ScorerOptions o;
  const tw::ScoringContext ctx{s, &b, o};
  std::vector<tw::Reason> out;
  int judged = 0;
  for (const auto& c : s.cells)
    if (c.params.value("pci", -1) == pci) {
      ++judged;
      for (auto& r : tw::evaluate_cell(c, ctx))
        if (r.rule == rule) out.push_back(r);
    }
  if (judged == 0) ADD_FAILURE() << "no cell with PCI " << pci << " in the sweep: nothing was judged";
  return out;
}

class NrRules : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("tw_nr_rules_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    db = std::make_unique<tw::store::Store>(dir / "site.db");
    view = std::make_unique<tw::store::StoreBaselineView>(*db);
    // Three sweeps of the legitimate scene, an hour apart, other frames each time.
    for (int h = 0; h < 3; ++h) {
      const auto s = sweep_of(scene_cells(), kT0 + 3600000LL * h, 100 + 37 * h);
      db->store_sweep(s, "history");
      tw::store::learn_baseline(*db);
    }
  }
  void TearDown() override {
    view.reset();
    db.reset();
    std::filesystem::remove_all(dir);
  }
  std::filesystem::path dir;
  std::unique_ptr<tw::store::Store> db;
  std::unique_ptr<tw::store::StoreBaselineView> view;
  const std::int64_t now = kT0 + 4 * 3600000LL;
};

json& cell_with_pci(json& cells, int pci) {
  for (auto& c : cells)
    if (c["pci"] == pci) return c;
  ADD_FAILURE() << "no scene cell with PCI " << pci;
  return cells[0];
}
}  // namespace

TEST_F(NrRules, BaselineLearnsEachNrCellWithItsMibFieldsButNotTheSfn) {
  const auto truth = scene_cells();
  ASSERT_EQ(truth.size(), 2u);
  for (const auto& c : truth) {
    const auto known = view->learned_cells_of("NR", c.gscn);
    const tw::KnownCell* k = nullptr;
    for (const auto& x : known)
      if (x.pci == c.pci) k = &x;
    ASSERT_TRUE(k) << "PCI " << c.pci;
    EXPECT_EQ(k->n_observations, 3);
    EXPECT_EQ(k->params_seen["mib.pdcch_config_sib1"],
              json::array({{{"control_resource_set_zero", c.coreset_zero}, {"search_space_zero", c.search_space_zero}}}));
    EXPECT_EQ(k->params_seen["mib.cell_barred"], json::array({c.cell_barred}));
    EXPECT_EQ(k->params_seen["mib.scs_common_khz"], json::array({c.scs_common_khz}));
    EXPECT_EQ(k->params_seen["k_ssb"], json::array({c.k_ssb_msb * 16 + c.ssb_subcarrier_offset}));
    EXPECT_FALSE(k->params_seen.contains("mib.sfn"));
    EXPECT_FALSE(k->params_seen.contains("sfn"));
    EXPECT_FALSE(k->params_seen.contains("mib"));   // one entry per SFN otherwise
  }
}

TEST_F(NrRules, LegitimateSceneRaisesNothing) {
  const auto s = sweep_of(scene_cells(), now, 700);
  ASSERT_EQ(s.cells.size(), 2u);   // the scene's two gNodeBs
  for (int pci : {301, 302}) {
    EXPECT_TRUE(reasons(s, pci, "N1", *view).empty()) << pci;
    EXPECT_TRUE(reasons(s, pci, "B1", *view).empty()) << pci;
  }
  for (const auto& a : tw::score_sweep(s, view.get())) ADD_FAILURE() << "false alarm: " << tw::to_json(a).dump();
}

TEST_F(NrRules, ClonedPciWithAnotherCoresetZeroIsN1) {
  const auto cells = scene_cells([](json& c) { cell_with_pci(c, 301)["coreset_zero"] = 5; });
  const auto s = sweep_of(cells, now, 700);
  const auto r = reasons(s, 301, "N1", *view);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(r[0].weight, 1.5);
  EXPECT_EQ(r[0].evidence["gscn"], 7880);
  EXPECT_EQ(r[0].evidence["pci"], 301);
  ASSERT_EQ(r[0].evidence["changed"].size(), 1u) << r[0].evidence.dump();
  EXPECT_EQ(r[0].evidence["changed"][0]["field"], "pdcch_config_sib1.control_resource_set_zero");
  EXPECT_EQ(r[0].evidence["changed"][0]["now"], 5);
  EXPECT_EQ(r[0].evidence["changed"][0]["learned"], json::array({12}));   // the built-in scene's CORESET#0
  EXPECT_NE(r[0].detail.find("controlResourceSetZero 5 (learned 12)"), std::string::npos) << r[0].detail;
  // The PCI is known there: not B1; the untouched cell: nothing.
  EXPECT_TRUE(reasons(s, 301, "B1", *view).empty());
  EXPECT_TRUE(reasons(s, 302, "N1", *view).empty());
  // N1 alone (an operator's reconfiguration looks the same) does not alert.
  EXPECT_TRUE(tw::score_sweep(s, view.get()).empty());
}

TEST_F(NrRules, ClonedPciUnbarredAndOffsetAlerts) {
  // A baseline where the legitimate PCI 301 was always barred (e.g. an NSA anchor, 38.304 5.3.1).
  auto barred = [](json& c) { cell_with_pci(c, 301)["cell_barred"] = true; };
  {
    view.reset();
    db.reset();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    db = std::make_unique<tw::store::Store>(dir / "site.db");
    view = std::make_unique<tw::store::StoreBaselineView>(*db);
    for (int h = 0; h < 3; ++h) {
      db->store_sweep(sweep_of(scene_cells(barred), kT0 + 3600000LL * h, 100 + 37 * h), "history");
      tw::store::learn_baseline(*db);
    }
  }
  // A fake gNodeB with PCI 301 not barred, on an SDR oscillator 5 ppm off (17.5 kHz at 3.5 GHz); a third
  // legitimate cell so that F1 has a median of two others.
  const auto cells = scene_cells([](json& c) {
    json& clone = cell_with_pci(c, 301);
    clone["cell_barred"] = false;
    clone["freq_offset_hz"] = 17500.0;
    json extra = cell_with_pci(c, 302);
    extra["pci"] = 303;
    c.push_back(extra);
  });
  const auto s = sweep_of(cells, now, 700);
  const auto n1 = reasons(s, 301, "N1", *view);
  ASSERT_EQ(n1.size(), 1u);
  ASSERT_EQ(n1[0].evidence["changed"].size(), 1u) << n1[0].evidence.dump();
  EXPECT_EQ(n1[0].evidence["changed"][0]["field"], "cell_barred");
  EXPECT_EQ(n1[0].evidence["changed"][0]["now"], false);
  EXPECT_EQ(n1[0].evidence["changed"][0]["learned"], json::array({true}));
  const auto alerts = tw::score_sweep(s, view.get());
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].cell.params["pci"], 301);
  std::set<std::string> ids;
  for (const auto& r : alerts[0].reasons) ids.insert(r.rule);
  EXPECT_TRUE(ids.count("N1"));
  EXPECT_TRUE(ids.count("F1"));
  EXPECT_GE(alerts[0].score, 2.6);
}

TEST_F(NrRules, UnknownPciAtAKnownGscnIsB1) {
  const auto cells = scene_cells([](json& c) {
    json extra = cell_with_pci(c, 302);
    extra["pci"] = 303;
    c.push_back(extra);
  });
  const auto s = sweep_of(cells, now, 700);
  const auto b1 = reasons(s, 303, "B1", *view);
  ASSERT_EQ(b1.size(), 1u);
  EXPECT_EQ(b1[0].evidence["gscn"], 7880);
  EXPECT_EQ(b1[0].evidence["known_pcis"], json::array({301, 302}));
  EXPECT_TRUE(reasons(s, 303, "N1", *view).empty());   // nothing learned for it
  EXPECT_TRUE(reasons(s, 301, "B1", *view).empty());
  // At a GSCN the baseline never learned (another band's raster point) a new PCI is not judged.
  const auto elsewhere = scene_cells([](json& c) { cell_with_pci(c, 302)["gscn"] = 7900; cell_with_pci(c, 302)["pci"] = 999; });
  const auto s2 = sweep_of(elsewhere, now, 700);
  EXPECT_TRUE(reasons(s2, 999, "B1", *view).empty());
}
