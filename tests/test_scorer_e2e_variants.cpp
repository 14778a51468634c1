// Acceptance of the rule set on synthesized radio: a legitimate network of 11 cells (two operators, three
// LACs, reciprocal neighbour lists, hopping, SI2quater, realistic levels and clocks) and nine rogue variants
// rendered by the synthesizer (tools/synth), decoded by the real receiver (run_gsm_analysis) at 2.4 Msps in
// two tunings of 2.5 s, merged as a sweep (merge_sweep_cells), scored. The truth is the scene written here:
// which cell is the rogue, and what it does wrong, hence which rule must name it.
//
// The site's history is twelve hourly sweeps, scored, stored and learned as `towerwatch monitor` does (score,
// store the sweep and its alerts, learn the cells that did not alert). They replay the legitimate network's
// decode of another seed (its noise and fading differ) at earlier times, with every cell's frame number
// advanced by the frames elapsed (TS 45.002 4.3.3: FN counts 60/13 ms frames), since rendering twelve more
// sweeps would cost CPU and teach nothing new. The transient rogue is in the history sweep 7 hours before and
// in the scored sweep. Every cell's frame counter follows one network clock: first_fn = phase + frames since the epoch.
//
// TW_SCORER_SEEDS=n runs n seeds (default 1, about 70 s of one core) and prints the detection / false-alarm table.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <unistd.h>
#include <set>

#include "src/core/error.hpp"
#include "src/pipeline/gsm_analysis.hpp"
#include "src/scorer/fn_clock.hpp"
#include "src/scorer/scorer.hpp"
#include "src/store/store.hpp"
#include "src/store/store_baseline_view.hpp"
#include "src/sweep/cell_merge.hpp"
#include "tools/synth/renderer.hpp"

namespace {

using nlohmann::json;
using tw::synth::CellConfig;
using tw::synth::Scene;

constexpr double kRate = 2.4e6;
constexpr double kCaptureS = 2.5;
constexpr std::int64_t kT0 = 1767225600000;   // 2026-01-01 00:00 UTC: the scored sweep starts here
constexpr int kRogueArfcn = 65;
// History: kHistory hourly sweeps; the transient rogue is in the one kTransientAt hours before. By then five
// sweeps are learned, so its first appearance alerts (B1 B2 R1) and is not learned; afterwards it has been
// seen in 1 of the 7 sweeps since, 2 of 8 with the scored one (S2: at most 25 %).
constexpr int kHistory = 12;
constexpr int kTransientAt = 7;

double carrier_hz(double arfcn) { return 935e6 + 200e3 * arfcn; }   // P-GSM900 downlink (45.005 2)
const double kTuning1 = carrier_hz(60.0);     // ARFCNs 55..65
const double kTuning2 = carrier_hz(76.0);     // ARFCNs 71..81

// The scene renderer as an IQ source: kCaptureS seconds at kRate around `centre`.
class RenderedSource : public tw::IqSource {
 public:
  RenderedSource(const Scene& scene, double centre)
      : r_(scene, centre, kRate), total_(static_cast<std::uint64_t>(kCaptureS * kRate)) {
    info_.sample_rate_hz = kRate;
    info_.center_freq_hz = centre;
    info_.center_freq_known = true;
    info_.description = "scene " + scene.name;
    info_.device_driver = "synth";
  }
  const tw::StreamInfo& info() const override { return info_; }
  tw::ReadResult read(std::span<tw::cf32> out) override {
    tw::ReadResult res;
    res.first_sample = n_;
    const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), total_ - n_));
    r_.render(out.first(k));
    n_ += k;
    res.count = k;
    res.end_of_stream = n_ >= total_;
    return res;
  }
  void retune(double) override { throw tw::InputError("fixed capture"); }
  const tw::GapStats& gap_stats() const override { return gaps_; }
  std::uint64_t sample_counter() const override { return n_; }

 private:
  tw::synth::SceneRenderer r_;
  std::uint64_t total_, n_ = 0;
  tw::StreamInfo info_;
  tw::GapStats gaps_;
};

// ---- the network ----
struct Site {
  int arfcn, bsic, mnc, lac, ci;
  double power;
  std::int64_t fn_phase;   // the cell's frame counter against the network clock
};
const std::vector<Site> kSites = {
    {55, 10, 1, 1234, 10011, -36.0, 100003}, {57, 33, 2, 3101, 21001, -38.0, 2200017},
    {59, 12, 1, 1234, 10012, -44.0, 733331}, {61, 35, 2, 3101, 21002, -46.0, 1500000},
    {63, 14, 1, 1234, 10013, -50.0, 50021},  {71, 36, 2, 3101, 21003, -41.0, 2600000},
    {73, 16, 1, 1234, 10014, -39.0, 1234567}, {75, 38, 2, 3101, 21004, -52.0, 999999},
    {77, 18, 1, 1234, 10015, -47.0, 402000},  {79, 20, 1, 1240, 10021, -53.0, 1800001},
    {81, 22, 1, 1240, 10022, -42.0, 2100000}};

std::vector<int> operator_arfcns(int mnc, int except) {
  std::vector<int> out;
  for (const auto& s : kSites)
    if (s.mnc == mnc && s.arfcn != except) out.push_back(s.arfcn);
  return out;
}

std::uint32_t first_fn(std::int64_t phase, std::int64_t start_unix_ms) {
  return static_cast<std::uint32_t>((phase + tw::fn_clock::frames_since_epoch(start_unix_ms)) % tw::fn_clock::kHyperframe);
}

CellConfig legit_cell(const Site& s, std::int64_t start_unix_ms) {
  CellConfig c;
  c.name = "legit-" + std::to_string(s.arfcn);
  c.arfcn = s.arfcn;
  c.band = tw::synth::default_band(s.arfcn);
  c.bsic = s.bsic;
  c.mcc = 262;
  c.mnc = s.mnc;
  c.mnc_digits = 2;
  c.lac = s.lac;
  c.ci = s.ci;
  c.neighbors = operator_arfcns(s.mnc, s.arfcn);   // every other cell of the operator: reciprocal
  c.t3212 = s.mnc == 1 ? 20 : 30;
  c.power_dbfs = s.power;
  c.freq_offset_hz = ((s.ci * 7) % 61) - 30.0;        // within +-30 Hz (~30 ppb, 45.010: +-50 ppb)
  c.cell_allocation = {s.arfcn, s.arfcn + 20, s.arfcn + 40};
  c.traffic.imm_ass_hopping_fraction = 0.8;
  c.traffic.paging_per_s = 3.0;
  c.traffic.imm_ass_per_s = 1.5;
  c.gprs = true;
  c.si2quater.present = true;
  c.si2quater.geran_priority = 2;
  c.si2quater.eutran = {tw::synth::EutranNeighbour{s.mnc == 1 ? 1300 : 6300, 6, 10, 5, 10}};
  c.bs_pa_mfrms = 4;
  if (s.arfcn == 63 || s.arfcn == 75) {
    c.multipath = "tu";
    c.doppler_hz = 3.0;
  }
  c.first_fn = first_fn(s.fn_phase, start_unix_ms);
  c.first_fn_set = true;
  return c;
}

Scene network(std::uint64_t seed, std::int64_t start_unix_ms) {
  Scene s;
  s.name = "town";
  s.seed = seed;
  s.noise_dbfs = -75.0;
  for (const auto& site : kSites) s.cells.push_back(legit_cell(site, start_unix_ms));
  return s;
}

const Site& site_on(int arfcn) {
  for (const auto& s : kSites)
    if (s.arfcn == arfcn) return s;
  throw std::runtime_error("no site");
}

// A rogue of operator 262-01 on the free ARFCN 65, near the sensor (-28 dBFS), its own clock.
CellConfig rogue_base(std::int64_t start_unix_ms, int ci) {
  Site r{kRogueArfcn, 24, 1, 1234, ci, -28.0, 1357911};
  CellConfig c = legit_cell(r, start_unix_ms);
  c.name = "rogue";
  c.neighbors = operator_arfcns(1, -1);
  c.cell_allocation = {kRogueArfcn};
  c.traffic.imm_ass_hopping_fraction = 0.0;
  return c;
}

struct Variant {
  std::string name;
  std::set<std::string> expected;   // rules that must name the rogue
  int rogue_arfcn = kRogueArfcn;
};

const std::vector<Variant> kVariants = {
    {"new LAC", {"A2"}},
    {"cloned CI on another ARFCN", {"A4", "F2"}},
    {"empty neighbours", {"K1"}},
    {"low T3212", {"T1"}},
    {"high CRO", {"K2"}},
    {"paging burst", {"P2"}},
    {"offset oscillator, every parameter cloned", {"F1", "F2", "A4"}},
    {"transient", {"S2"}},
    {"known cell changes LAC", {"C1"}, 63},
};

// The scene of a variant: the network plus (or, for the takeover, instead of one cell) the rogue.
Scene variant_scene(const std::string& name, std::uint64_t seed, std::int64_t start) {
  Scene s = network(seed, start);
  s.name = name;
  auto clone_of_59 = [&] {
    CellConfig c = legit_cell(site_on(59), start);
    c.name = "rogue";
    c.arfcn = kRogueArfcn;
    c.power_dbfs = -28.0;
    c.first_fn = first_fn(1357911, start);   // its own counter
    return c;
  };
  CellConfig r = rogue_base(start, 10099);
  if (name == "new LAC") {
    r.lac = 4711;
  } else if (name == "cloned CI on another ARFCN") {
    r = clone_of_59();
  } else if (name == "empty neighbours") {
    r.ci = 10098;
    r.neighbors = {};
  } else if (name == "low T3212") {
    r.ci = 10097;
    r.t3212 = 2;   // 12 minutes
  } else if (name == "high CRO") {
    r.ci = 10096;
    r.selection_parameters = true;
    r.cro = 40;    // 80 dB (45.008 9)
  } else if (name == "paging burst") {
    r.ci = 10095;
    r.traffic.paging_per_s = 25.0;
    r.traffic.paging_imsi_fraction = 0.9;
  } else if (name == "offset oscillator, every parameter cloned") {
    r = clone_of_59();
    r.freq_offset_hz = 2.5e-6 * carrier_hz(kRogueArfcn);   // a 2.5 ppm SDR clock
  } else if (name == "transient") {
    r.ci = 10094;
  } else if (name == "known cell changes LAC") {
    // The carrier of cell 63 (same ARFCN and BSIC) taken over with LAC 4712; the real cell is not heard.
    for (auto& c : s.cells)
      if (c.arfcn == 63) {
        c.lac = 4712;
        c.ci = 10093;
        c.power_dbfs = -28.0;
        c.name = "rogue";
        c.first_fn = first_fn(1357911, start);
      }
    return s;
  }
  s.cells.push_back(r);
  return s;
}

// A capture that starts at start_ms (scene time 0). As the sweep runner does, a record's SCH time in the
// stream ("sync_time_s", when the receiver gives it) becomes the wall clock of that SCH ("sync_unix_ms").
std::vector<json> decode(const Scene& scene, double centre, std::int64_t start_ms) {
  RenderedSource src(scene, centre);
  auto res = tw::run_gsm_analysis(src, tw::GsmAnalysisOptions{}, nullptr);
  for (auto& c : res.cells) {
    c["tuning_hz"] = centre;
    if (c.contains("sync_time_s") && c["sync_time_s"].is_number())
      c["sync_unix_ms"] = start_ms + std::llround(c["sync_time_s"].get<double>() * 1000.0);
  }
  return res.cells;
}

// One sweep: both tunings' records merged, stamped with the sweep's end time (as score_run does).
tw::SweepObservations sweep_of(const std::vector<json>& t1, const std::vector<json>& t2, std::int64_t end_ms) {
  std::vector<json> all = t1;
  all.insert(all.end(), t2.begin(), t2.end());
  auto merged = tw::sweep::merge_sweep_cells(all);
  tw::SweepObservations s;
  s.time_unix_ms = end_ms;
  s.sensor_id = "site-1";
  for (const auto& r : merged.cells) s.cells.push_back(tw::CellObservation::from_cell_record(r, end_ms, "site-1"));
  return s;
}

// The same records observed dt_ms later: every frame counter advanced by the frames elapsed.
std::vector<json> later(std::vector<json> records, std::int64_t dt_ms) {
  const std::int64_t frames = tw::fn_clock::frames_since_epoch(kT0 + dt_ms) - tw::fn_clock::frames_since_epoch(kT0);
  for (auto& r : records) {
    if (r.contains("sync_unix_ms") && r["sync_unix_ms"].is_number_integer())
      r["sync_unix_ms"] = r["sync_unix_ms"].get<std::int64_t>() + dt_ms;
    if (r.contains("sync_fn") && r["sync_fn"].is_number_integer())
      r["sync_fn"] = ((r["sync_fn"].get<std::int64_t>() + frames) % tw::fn_clock::kHyperframe + tw::fn_clock::kHyperframe) %
                     tw::fn_clock::kHyperframe;
  }
  return records;
}

struct Tally {
  int runs = 0, detected = 0, detected_no_baseline = 0, false_alarms = 0;
};

std::string rules_of(const tw::Alert& a) {
  std::string s;
  for (const auto& r : a.reasons) s += (s.empty() ? "" : " ") + r.rule;
  return s;
}

int seeds_to_run() {
  const char* e = std::getenv("TW_SCORER_SEEDS");
  const int n = e ? std::atoi(e) : 1;
  return n < 1 ? 1 : (n > 50 ? 50 : n);
}

TEST(ScorerVariantsE2E, LegitimateNetworkSilentEveryRogueVariantFlagged) {
  const int seeds = seeds_to_run();
  std::map<std::string, Tally> tally;
  Tally legit_tally;
  const std::int64_t sweep_ms = static_cast<std::int64_t>(2 * kCaptureS * 1000);
  for (int k = 0; k < seeds; ++k) {
    const std::uint64_t seed = 1000 + 17 * static_cast<std::uint64_t>(k);
    SCOPED_TRACE("seed " + std::to_string(seed));
    // The scored sweep starts at kT0: tuning 1, then tuning 2 (kCaptureS later).
    const auto legit1 = decode(network(seed, kT0), kTuning1, kT0);
    const auto legit2 = decode(network(seed, kT0 + sweep_ms / 2), kTuning2, kT0 + sweep_ms / 2);
    // The history: another seed's decode, replayed hourly before.
    const std::uint64_t hseed = seed + 500;
    const auto hist1 = decode(network(hseed, kT0), kTuning1, kT0);
    const auto hist2 = decode(network(hseed, kT0 + sweep_ms / 2), kTuning2, kT0 + sweep_ms / 2);
    const auto transient1 = decode(variant_scene("transient", hseed, kT0), kTuning1, kT0);

    const auto dir = std::filesystem::temp_directory_path() /
                     ("tw_variants_" + std::to_string(::getpid()) + "_" + std::to_string(seed));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    tw::store::Store db(dir / "site.db");
    tw::store::StoreBaselineView baseline(db);
    for (int h = kHistory; h >= 1; --h) {
      const std::int64_t dt = -3600000LL * h;
      const auto t1 = later(h == kTransientAt ? transient1 : hist1, dt);
      auto sweep = sweep_of(t1, later(hist2, dt), kT0 + dt + sweep_ms);
      const auto alerts = tw::score_sweep(sweep, &baseline);
      const auto id = db.store_sweep(sweep, "history");
      for (const auto& a : alerts) db.store_alert(id, tw::store::cell_key(a.cell), a.score, tw::to_json(a)["reasons"]);
      tw::store::learn_baseline(db);
      // Only the transient's first appearance may alert in the history.
      for (const auto& a : alerts) EXPECT_EQ(a.cell.arfcn, kRogueArfcn) << "history sweep -" << h << "h: " << rules_of(a);
    }

    // The legitimate network now: no alert, with and without the baseline.
    {
      auto sweep = sweep_of(legit1, legit2, kT0 + sweep_ms);
      EXPECT_EQ(sweep.cells.size(), kSites.size());
      const auto with = tw::score_sweep(sweep, &baseline);
      const auto without = tw::score_sweep(sweep, nullptr);
      for (const auto& a : with) ADD_FAILURE() << "legit: ARFCN " << a.cell.arfcn << " " << rules_of(a);
      for (const auto& a : without) ADD_FAILURE() << "legit (no baseline): ARFCN " << a.cell.arfcn << " " << rules_of(a);
      ++legit_tally.runs;
      legit_tally.false_alarms += static_cast<int>(with.size());
    }

    for (const auto& v : kVariants) {
      SCOPED_TRACE(v.name);
      const auto t1 = decode(variant_scene(v.name, seed, kT0), kTuning1, kT0);
      auto sweep = sweep_of(t1, legit2, kT0 + sweep_ms);
      const auto with = tw::score_sweep(sweep, &baseline);
      const auto without = tw::score_sweep(sweep, nullptr);
      Tally& t = tally[v.name];
      ++t.runs;
      bool found = false;
      for (const auto& a : with) {
        if (a.cell.arfcn != v.rogue_arfcn) {
          ++t.false_alarms;
          ADD_FAILURE() << "false alarm on ARFCN " << a.cell.arfcn << ": " << rules_of(a);
          continue;
        }
        std::set<std::string> ids;
        for (const auto& r : a.reasons) ids.insert(r.rule);
        bool all = true;
        for (const auto& e : v.expected) all = all && ids.count(e);
        EXPECT_TRUE(all) << "rogue alert without every expected rule: " << rules_of(a);
        if (all) {
          found = true;
          std::printf("  seed %llu %-42s score %4.1f  %s\n", static_cast<unsigned long long>(seed), v.name.c_str(),
                      a.score, rules_of(a).c_str());
        }
      }
      EXPECT_TRUE(found) << "rogue not flagged";
      if (found) ++t.detected;
      for (const auto& a : without)
        if (a.cell.arfcn == v.rogue_arfcn) ++t.detected_no_baseline;
    }
    std::filesystem::remove_all(dir);
  }
  std::printf("\n| variant | expected rules | detected (baseline) | detected (no baseline) | false alarms |\n");
  std::printf("|---|---|---|---|---|\n");
  std::printf("| legitimate network (11 cells) | none | - | - | %d / %d sweeps |\n", legit_tally.false_alarms,
              legit_tally.runs);
  for (const auto& v : kVariants) {
    const auto& t = tally[v.name];
    std::string rules;
    for (const auto& e : v.expected) rules += (rules.empty() ? "" : " ") + e;
    std::printf("| %s | %s | %d / %d | %d / %d | %d |\n", v.name.c_str(), rules.c_str(), t.detected, t.runs,
                t.detected_no_baseline, t.runs, t.false_alarms);
  }
}

}  // namespace
