#include "tools/synth/truth.hpp"

#include <algorithm>

#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/lte/lte_si_scheduler.hpp"
#include "tools/synth/nr/nr_renderer.hpp"
#include "tools/synth/scene.hpp"

namespace tw::synth {

nlohmann::json TruthRecorder::to_json(const SceneRenderer& r, double duration_s) const {
  using nlohmann::json;
  const Scene& scene = r.scene();
  json cells = json::array();
  for (std::size_t i = 0; i < scene.cells.size(); ++i) {
    json c = cell_to_json(scene.cells[i], true);
    c["index"] = i;
    c["offset_hz"] = r.carrier_offset_hz(static_cast<int>(i));
    c["visible"] = r.cell_visible(static_cast<int>(i));
    cells.push_back(c);
  }
  auto blocks = blocks_;
  std::stable_sort(blocks.begin(), blocks.end(), [](const TruthBlock& a, const TruthBlock& b) {
    return a.t_start_s != b.t_start_s ? a.t_start_s < b.t_start_s : a.cell < b.cell;
  });
  auto sch = sch_;
  std::stable_sort(sch.begin(), sch.end(), [](const TruthSch& a, const TruthSch& b) {
    return a.t_start_s != b.t_start_s ? a.t_start_s < b.t_start_s : a.cell < b.cell;
  });
  json jb = json::array();
  for (const auto& b : blocks) {
    json jblock{{"cell", b.cell},
                {"arfcn", b.arfcn},
                {"fn", b.fn},
                {"tn", b.tn},
                {"channel", std::string(b.channel)},
                {"message", std::string(b.message)},
                {"hex", hex_octets(b.octets)},
                {"t_s", b.t_start_s}};
    if (!b.identities.empty()) {
      json ids = json::array();
      for (const auto& id : b.identities) ids.push_back({{"type", std::string(id.type)}, {"value", id.value}});
      jblock["identities"] = std::move(ids);
    }
    jb.push_back(std::move(jblock));
  }
  json js = json::array();
  for (const auto& s : sch)
    js.push_back({{"cell", s.cell}, {"arfcn", s.arfcn}, {"fn", s.fn}, {"bsic", s.bsic}, {"t_s", s.t_start_s}});
  // LTE cells: the SFN of the frame in progress at the first sample, and every frame that starts within the
  // render while the cell is on (SFN, receiver time, MIB as sent).
  const double t_end = r.time_s(), t_begin = t_end - duration_s;
  const double ppm = scene.receiver_ppm;
  json lte_cells = json::array();
  const auto& lcells = r.lte_cells();
  for (std::size_t i = 0; i < lcells.size(); ++i) {
    const auto& lc = lcells[i];
    json c = lte_cell_to_json(lc, true);
    c["index"] = i;
    c["offset_hz"] = r.lte_carrier_offset_hz(static_cast<int>(i));
    c["visible"] = r.lte_cell_visible(static_cast<int>(i));
    const std::int64_t f0 = lte::frame_index_at(lc, ppm, t_begin);
    c["sfn_at_start"] = lte::sfn_of_frame(lc, f0);
    c["frame_at_start_t_s"] = lte::frame_start_time_s(lc, ppm, f0);
    json frames = json::array();
    json si = json::array();
    const lte::LteSiPlan plan(lc, cell_seed(scene.seed, kLteSeedBase + static_cast<int>(i)));
    const double off = lc.off_s ? *lc.off_s : 1e300;
    for (std::int64_t f = f0; frames.size() < 100000; ++f) {
      const double t = lte::frame_start_time_s(lc, ppm, f);
      if (t >= t_end) break;
      const int sfn = lte::sfn_of_frame(lc, f);
      if (t >= t_begin && t >= lc.on_s && t < off) {
        L2Octets mib{};
        const auto m = lte::mib_octets(lc, sfn);
        std::copy(m.begin(), m.end(), mib.begin());
        std::string hex = hex_octets(mib).substr(0, 8);
        hex.erase(std::remove(hex.begin(), hex.end(), ' '), hex.end());
        frames.push_back({{"sfn", sfn}, {"t_s", t}, {"mib_hex", hex}});
      }
      // System Information sent in the frame's subframes that start within the render (lte_si_scheduler.hpp).
      for (int sf = 0; sf < 10 && plan.enabled(); ++sf) {
        const double ts = t + sf * 1e-3 / lte::clock_scale(lc, ppm);
        if (ts >= t_end || ts >= off) break;
        if (ts < t_begin || ts < lc.on_s) continue;
        const auto tx = plan.at(sfn, sf);
        if (!tx) continue;
        const auto& d = tx->dci;
        json prbs = tx->plan->alloc.prb_slot0;
        json jt{{"sfn", sfn},
                {"subframe", sf},
                {"t_s", ts},
                {"message", tx->message == 0 ? std::string("SIB1") : "SI-" + std::to_string(tx->message)},
                {"rv", tx->rv},
                {"tbs", tx->plan->alloc.tbs},
                {"dci_format", d.format == dsp::lte::DciFormat::f1a ? "1A" : "1C"},
                {"aggregation", d.aggregation},
                {"first_cce", d.first_cce},
                {"prbs", prbs}};
        if (tx->plan->alloc.prb_slot1 != tx->plan->alloc.prb_slot0) jt["prbs_slot1"] = tx->plan->alloc.prb_slot1;
        jt["hex"] = hex_string(tx->plan->octets);
        si.push_back(std::move(jt));
      }
    }
    c["frames"] = frames;
    if (plan.enabled()) c["si_transmissions"] = si;
    else if (!plan.disabled_reason().empty()) c["si_disabled"] = plan.disabled_reason();
    lte_cells.push_back(c);
  }
  // NR cells: every SSB that starts within the render (time, SSB index, SFN, half-frame, MIB bits).
  json nr_cells = json::array();
  const auto& ncells = r.nr_cells();
  for (std::size_t i = 0; i < ncells.size(); ++i) {
    json c = nr::nr_cell_to_json(ncells[i], true);
    c["index"] = i;
    c["offset_hz"] = r.nr_chain(static_cast<int>(i)).apparent_ss_ref_hz() - r.center_freq_hz();
    c["visible"] = r.nr_cell_visible(static_cast<int>(i));
    json ssbs = json::array();
    for (const auto& s : r.nr_chain(static_cast<int>(i)).ssbs_between(t_begin, t_end)) {
      if (ssbs.size() >= 100000) break;
      char hex[8];
      std::snprintf(hex, sizeof hex, "%06x", s.mib_bits);
      ssbs.push_back({{"t_s", s.t_s}, {"ssb_index", s.ssb_index}, {"sfn", s.sfn}, {"half_frame", s.half_frame},
                      {"mib_hex", hex}});
    }
    c["ssbs"] = ssbs;
    nr_cells.push_back(c);
  }
  SceneWithLte full{scene, lcells, ncells};
  json out = {{"generator", "towerwatch synth"},
          {"scene", lcells.empty() && ncells.empty() ? scene_to_json(scene) : scene_to_json(full)},
          {"center_freq_hz", r.center_freq_hz()},
          {"sample_rate_hz", r.sample_rate_hz()},
          {"duration_s", duration_s},
          {"cells", cells},
          {"blocks", jb},
          {"sch", js}};
  if (!lcells.empty()) out["lte_cells"] = lte_cells;
  if (!ncells.empty()) out["nr_cells"] = nr_cells;
  return out;
}

}  // namespace tw::synth
