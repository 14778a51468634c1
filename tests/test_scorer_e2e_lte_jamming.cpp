// Rule J1 (an LTE band jammed) end to end: the real sweep runner (run_sweep, its LTE power census and cell
// search, its GSM census and analysis) over a retunable source that renders a scene with the synthesizer
// (tools/synth SceneRenderer, the simulated radio's signal), records merged as a sweep, stored, learned and
// scored as `towerwatch monitor` does.
//
// The site: three LTE cells in band 20 (6 PRB, EARFCNs 6200, 6300 and 6400) and one legitimate GSM cell. Three
// sweeps of it make the baseline (the B20 floor and the three known cells). Then, each against that baseline:
//  - jammed: a wideband noise jammer over the whole B20 downlink (791..821 MHz, TS 36.101 table 5.5-1) at a
//    level 40 dB above the cells' own density, and a 2G catcher (empty neighbour list, T3212 of 6 minutes,
//    CRO 126 dB) on a free GSM900 channel: J1 alerts on LTE-B20 naming the floors and the three missing
//    cells, and the catcher alerts with its GSM reasons;
//  - one cell switched off, no jammer: the floor stays, no J1 reason at all;
//  - interference: a jammer 20 dB above the receiver noise but 20 dB below the cells: the floor rises, every
//    cell is still received: J1's weak finding (1.0, "interference"), no alert.
// Truth: the scenes written here (what transmits, and the jammer's level relative to the noise and the cells).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>
#include <vector>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "src/core/error.hpp"
#include "src/scorer/score_records.hpp"
#include "src/scorer/scorer.hpp"
#include "src/store/store.hpp"
#include "src/store/store_baseline_view.hpp"
#include "src/sweep/band_plan.hpp"
#include "src/sweep/cell_merge.hpp"
#include "src/sweep/sweep_runner.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

namespace {

using nlohmann::json;

constexpr double kRate = 2.4e6;
constexpr double kNoiseDbfs = -95.0;            // receiver noise over the 2.4 MHz: -98.8 dBFS/MHz
constexpr std::int64_t kT0 = 1767225600000;
const std::vector<int> kEarfcns = {6200, 6300, 6400};   // B20: 791 + 0.1 (N - 6150) MHz
constexpr int kCatcherArfcn = 70;                         // P-GSM900, free

// The scene renderer as a retunable device stream.
class SceneSource : public tw::IqSource {
 public:
  SceneSource(const tw::synth::SceneWithLte& scene, double centre) : r_(scene, centre, kRate) {
    info_.sample_rate_hz = kRate;
    info_.center_freq_hz = centre;
    info_.center_freq_known = true;
    info_.description = "scene";
    info_.device_driver = "synth";
  }
  const tw::StreamInfo& info() const override { return info_; }
  tw::ReadResult read(std::span<tw::cf32> out) override {
    tw::ReadResult res;
    res.first_sample = n_;
    r_.render(out);
    n_ += out.size();
    res.count = out.size();
    return res;
  }
  void retune(double f) override {
    r_.retune(f);
    info_.center_freq_hz = f;
  }
  const tw::GapStats& gap_stats() const override { return gaps_; }
  std::uint64_t sample_counter() const override { return n_; }

 private:
  tw::synth::SceneRenderer r_;
  std::uint64_t n_ = 0;
  tw::StreamInfo info_;
  tw::GapStats gaps_;
};

json gsm_cell(const std::string& name, int arfcn, int bsic, int lac, int ci, double power, std::vector<int> neighbours,
              int t3212, int cro) {
  return {{"name", name}, {"arfcn", arfcn}, {"bsic", bsic}, {"mcc", 262}, {"mnc", "01"}, {"lac", lac}, {"ci", ci},
          {"power_dbfs", power}, {"neighbors", neighbours}, {"t3212", t3212}, {"cro", cro}};
}

// on: which of the LTE cells transmit; jammer_dbfs_per_mhz: the jammer's density over B20 (none: nullopt).
json scene(std::uint64_t seed, const std::vector<bool>& on, std::optional<double> jammer_dbfs_per_mhz, bool catcher) {
  json lte = json::array();
  for (std::size_t i = 0; i < kEarfcns.size(); ++i) {
    if (!on[i]) continue;
    lte.push_back({{"name", "B20-" + std::to_string(kEarfcns[i])}, {"earfcn", kEarfcns[i]}, {"pci", 100 + 7 * static_cast<int>(i)},
                   {"ports", 2}, {"bandwidth_prb", 6}, {"power_dbfs", -62.0 - 2.0 * static_cast<double>(i)},
                   {"first_sfn", 128 * static_cast<int>(i)}, {"mcc", 262}, {"mnc", "01"}, {"tac", 4101},
                   {"cell_identity", 0x0123400 + static_cast<int>(i)}});
  }
  json gsm = json::array({gsm_cell("legit", 60, 21, 1234, 30001, -45.0, {60, 62, 64}, 20, 0)});
  if (catcher) gsm.push_back(gsm_cell("catcher", kCatcherArfcn, 13, 4711, 10099, -40.0, {}, 1, 63));
  json s = {{"name", "jamming"}, {"seed", seed}, {"noise_dbfs", kNoiseDbfs}, {"cells", gsm}, {"lte_cells", lte}};
  if (jammer_dbfs_per_mhz)
    s["jammers"] = json::array({{{"center_hz", 806e6}, {"bandwidth_hz", 30e6},
                                 {"power_dbfs", *jammer_dbfs_per_mhz + 10.0 * std::log10(30.0)}}});
  return s;
}

// The tunings of B20 and P-GSM900 that hold the scene's carriers (a whole band would only add empty tunings).
tw::sweep::SweepPlan plan() {
  tw::sweep::SweepPlanOptions o;
  o.sample_rate_hz = kRate;
  o.mode = tw::sweep::ScanMode::full;
  auto p = tw::sweep::plan_sweep({tw::sweep::make_lte_band(20), tw::sweep::make_band(tw::GsmBandId::pgsm900)}, o);
  std::vector<tw::sweep::Tuning> keep;
  for (const auto& t : p.tunings) {
    bool wanted = false;
    for (const auto& c : t.lte_channels) wanted = wanted || std::count(kEarfcns.begin(), kEarfcns.end(), c.earfcn);
    for (const auto& c : t.channels) wanted = wanted || c.arfcn == 60 || c.arfcn == kCatcherArfcn;
    if (wanted) keep.push_back(t);
  }
  p.tunings = keep;
  return p;
}

struct Swept {
  tw::SweepObservations sweep;
  std::vector<tw::sweep::LteTuningFloor> floors;
};

Swept sweep_scene(const json& doc, std::int64_t t) {
  const auto s = tw::synth::parse_scene_with_lte(doc, "jamming scene");
  const auto p = plan();
  SceneSource src(s, p.tunings.front().center_hz);
  tw::sweep::SweepRunOptions ro;
  ro.threads = 1;
  const auto r = tw::sweep::run_sweep(src, p, ro, nullptr);
  const auto merged = tw::sweep::merge_sweep_cells(r.records);
  Swept out;
  out.sweep = tw::observations_from_records(merged.cells, t, "site-1");
  out.sweep.band_floors = tw::sweep::band_floors_of(r.lte_floors);
  out.floors = r.lte_floors;
  return out;
}

std::set<int> lte_earfcns(const tw::SweepObservations& s) {
  std::set<int> e;
  for (const auto& c : s.cells)
    if (c.rat == "LTE") e.insert(c.arfcn);
  return e;
}

const tw::Reason* j1_of(const std::vector<tw::Reason>& reasons) {
  for (const auto& r : reasons)
    if (r.rule == "J1") return &r;
  return nullptr;
}

// Every reason of the sweep's band observations (whatever the score).
std::vector<tw::Reason> band_reasons(const tw::SweepObservations& s, const tw::BaselineView& b, const tw::ScorerOptions& o) {
  const tw::ScoringContext ctx{s, &b, o};
  std::vector<tw::Reason> out;
  for (const auto& f : s.band_floors)
    for (auto& r : tw::evaluate_cell(tw::band_observation(f, s.time_unix_ms, s.sensor_id), ctx)) out.push_back(r);
  return out;
}

TEST(ScorerLteJammingE2E, JammedBandAlertsSwitchedOffCellAndInterferenceDoNot) {
  const auto dir = std::filesystem::temp_directory_path() / ("tw_lte_jam_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  tw::store::Store db(dir / "site.db");
  tw::store::StoreBaselineView baseline(db);
  tw::ScorerOptions options;
  options.region = "eu";

  // The baseline: three sweeps of the legitimate site (other seeds: other noise).
  std::vector<double> legit_floors;
  for (int h = 3; h >= 1; --h) {
    const auto s = sweep_scene(scene(40 + static_cast<std::uint64_t>(h), {true, true, true}, std::nullopt, false),
                               kT0 - 3600000LL * h);
    ASSERT_EQ(lte_earfcns(s.sweep), std::set<int>(kEarfcns.begin(), kEarfcns.end())) << "history sweep -" << h << "h";
    ASSERT_EQ(s.sweep.band_floors.size(), 1u);
    EXPECT_EQ(s.sweep.band_floors[0].band, "LTE-B20");
    legit_floors.push_back(s.sweep.band_floors[0].noise_floor_dbfs_per_mhz);
    for (const auto& a : tw::score_sweep(s.sweep, &baseline, options)) ADD_FAILURE() << "history alert: " << to_json(a).dump();
    db.store_sweep(s.sweep, "history");
    tw::store::learn_baseline(db);
  }
  // The census measures the receiver noise: -95 dBFS over 2.4 MHz is -98.8 dBFS/MHz (the cells are 6 PRB, the
  // tunings' low percentile is outside them).
  for (double f : legit_floors) {
    std::printf("learned B20 floor: %.1f dBFS/MHz\n", f);
    EXPECT_NEAR(f, kNoiseDbfs - 10.0 * std::log10(2.4), 1.0);
  }
  const auto learned = baseline.learned_band_floor("site-1", "LTE", "LTE-B20");
  ASSERT_TRUE(learned);
  EXPECT_EQ(learned->recent.size(), 3u);

  // Jammed: 40 dB above the cells' density (a 6 PRB cell at -62 dBFS: about -62 dBFS/MHz).
  {
    const auto s = sweep_scene(scene(7, {true, true, true}, -22.0, true), kT0);
    EXPECT_TRUE(lte_earfcns(s.sweep).empty()) << "the jammer must blind the cells for this test";
    ASSERT_EQ(s.sweep.band_floors.size(), 1u);
    const auto alerts = tw::score_sweep(s.sweep, &baseline, options);
    const tw::Alert* band = nullptr;
    const tw::Alert* catcher = nullptr;
    for (const auto& a : alerts) {
      if (tw::is_band_observation(a.cell)) band = &a;
      else if (a.cell.rat == "GSM" && a.cell.arfcn == kCatcherArfcn) catcher = &a;
      else ADD_FAILURE() << "false alarm: " << to_json(a).dump();
    }
    ASSERT_NE(band, nullptr) << "no jamming alert";
    const auto* j1 = j1_of(band->reasons);
    ASSERT_NE(j1, nullptr);
    EXPECT_DOUBLE_EQ(j1->weight, tw::find_rule("J1")->weight);
    EXPECT_EQ(j1->evidence["band"], "LTE-B20");
    EXPECT_GE(j1->evidence["rise_db"].get<double>(), 60.0);   // -22 + ... against -98.8
    EXPECT_EQ(j1->evidence["known_cells"], 3);
    std::set<int> missing;
    for (const auto& m : j1->evidence["missing_cells"]) missing.insert(m["earfcn"].get<int>());
    EXPECT_EQ(missing, std::set<int>(kEarfcns.begin(), kEarfcns.end()));
    const json aj = to_json(*band);
    EXPECT_EQ(aj["cell"]["band"], "LTE-B20");
    EXPECT_TRUE(aj["cell"].contains("noise_floor_dbfs_per_mhz"));
    std::printf("jammed: %s\n  catcher: score %.1f\n", j1->detail.c_str(), catcher ? catcher->score : 0.0);
    ASSERT_NE(catcher, nullptr) << "the 2G catcher must alert";
    std::set<std::string> rules;
    for (const auto& r : catcher->reasons) rules.insert(r.rule);
    for (const char* id : {"K1", "K2", "T1"}) EXPECT_TRUE(rules.count(id)) << id;
    // Stored, the jammed floor is not learned (its sweep's J1 alert names the band).
    const auto id = db.store_sweep(s.sweep, "jammed");
    for (const auto& a : alerts) db.store_alert(id, tw::store::cell_key(a.cell), a.score, to_json(a)["reasons"]);
    tw::store::learn_baseline(db);
    EXPECT_EQ(baseline.learned_band_floor("site-1", "LTE", "LTE-B20")->recent.size(), 3u);
    EXPECT_EQ(db.load_sweep(id).band_floors.size(), 1u);
  }

  // One cell switched off, no jammer: no J1 reason at all.
  {
    const auto s = sweep_scene(scene(8, {true, false, true}, std::nullopt, false), kT0 + 3600000LL);
    EXPECT_EQ(lte_earfcns(s.sweep), (std::set<int>{6200, 6400}));
    EXPECT_EQ(j1_of(band_reasons(s.sweep, baseline, options)), nullptr);
    for (const auto& a : tw::score_sweep(s.sweep, &baseline, options)) ADD_FAILURE() << "alert: " << to_json(a).dump();
  }

  // Interference: the floor 20 dB up, the cells (about -62 dBFS/MHz) still 17 dB and more above it.
  {
    const double density = kNoiseDbfs - 10.0 * std::log10(2.4) + 20.0;
    const auto s = sweep_scene(scene(9, {true, true, true}, density, false), kT0 + 2 * 3600000LL);
    EXPECT_EQ(lte_earfcns(s.sweep), std::set<int>(kEarfcns.begin(), kEarfcns.end()));
    const auto reasons = band_reasons(s.sweep, baseline, options);
    const auto* j1 = j1_of(reasons);
    ASSERT_NE(j1, nullptr) << "a 20 dB rise is reported";
    std::printf("interference: %s (weight %.1f)\n", j1->detail.c_str(), j1->weight);
    EXPECT_DOUBLE_EQ(j1->weight, 1.0);
    EXPECT_TRUE(j1->evidence["missing_cells"].empty());
    EXPECT_NEAR(j1->evidence["rise_db"].get<double>(), 20.0, 1.5);
    for (const auto& a : tw::score_sweep(s.sweep, &baseline, options)) ADD_FAILURE() << "alert: " << to_json(a).dump();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
