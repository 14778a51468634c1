#include "src/scorer/scorer.hpp"

#include <algorithm>
#include <cmath>

#include "src/cells/operator_names.hpp"

namespace tw {

std::vector<Reason> evaluate_cell(const CellObservation& cell, const ScoringContext& ctx) {
  std::vector<Reason> out;
  const bool band = is_band_observation(cell);
  for (const auto& rule : rule_table()) {
    if (ctx.options.disabled_rules.count(rule.id) || rule.band_scope != band) continue;
    for (auto& r : rule.fn(cell, ctx, rule.weight)) {
      r.rule = rule.id;
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::vector<Alert> score_sweep(const SweepObservations& sweep, const BaselineView* baseline,
                               const ScorerOptions& options) {
  const ScoringContext ctx{sweep, baseline, options};
  std::vector<Alert> alerts;
  auto judge = [&](const CellObservation& cell) {
    auto reasons = evaluate_cell(cell, ctx);
    double score = 0.0;
    for (const auto& r : reasons) score += r.weight;
    score = std::round(score * 1000.0) / 1000.0;   // sums of decimal weights: no 2.5999999
    if (score >= options.threshold) alerts.push_back(Alert{cell, score, std::move(reasons)});
  };
  // The cells by reference: rules tell a cell from the others of the sweep by its address.
  for (const auto& cell : sweep.cells) judge(cell);
  for (const auto& f : sweep.band_floors) judge(band_observation(f, sweep.time_unix_ms, sweep.sensor_id));
  std::stable_sort(alerts.begin(), alerts.end(), [](const Alert& a, const Alert& b) { return a.score > b.score; });
  return alerts;
}

nlohmann::json to_json(const Alert& a) {
  using nlohmann::json;
  const auto& c = a.cell;
  json cell{{"rat", c.rat}, {"arfcn", c.arfcn >= 0 ? json(c.arfcn) : json(nullptr)}};
  if (!c.band.empty()) cell["band"] = c.band;
  if (c.freq_hz) cell["freq_hz"] = *c.freq_hz;
  if (c.mcc) cell["mcc"] = *c.mcc;
  if (c.mnc) cell["mnc"] = *c.mnc;
  if (c.mcc && c.mnc) {   // the operator list's name, null when it does not know the PLMN
    const auto op = cells::lookup_operator(*c.mcc, *c.mnc);
    cell["operator"] = op ? nlohmann::json(op->name) : nlohmann::json(nullptr);
  }
  if (c.lac) cell["lac"] = *c.lac;
  if (c.ci) cell["ci"] = *c.ci;
  if (c.bsic) cell["bsic"] = *c.bsic;
  if (is_band_observation(c)) cell["noise_floor_dbfs_per_mhz"] = c.params["noise_floor_dbfs_per_mhz"];
  if (c.rat == "LTE") {   // the LTE names of the identity (lac/ci above carry the same values)
    if (c.lac) cell["tac"] = *c.lac;
    if (c.ci) cell["cell_identity"] = *c.ci;
    if (c.params.is_object() && c.params.contains("pci") && c.params["pci"].is_number_integer())
      cell["pci"] = c.params["pci"];
  }
  if (c.rat == "NR" && c.params.is_object()) {   // the NR identity: the PCI at the GSCN (arfcn holds the GSCN)
    cell["gscn"] = c.arfcn;
    if (c.params.contains("pci") && c.params["pci"].is_number_integer()) cell["pci"] = c.params["pci"];
  }
  cell["power_dbfs"] = c.power_dbfs;
  if (c.power_dbm) cell["power_dbm"] = *c.power_dbm;
  cell["snr_db"] = c.snr_db;
  cell["cfo_hz"] = c.cfo_hz;
  if (c.cfo_residual_ppb) cell["cfo_residual_ppb"] = *c.cfo_residual_ppb;
  if (c.lat && c.lon) cell["position"] = {{"lat", *c.lat}, {"lon", *c.lon}};
  // Where the transmitter stands (src/locate): the record's estimate as it was given.
  if (c.position_estimate && c.params.is_object() && c.params.contains("position_estimate"))
    cell["position_estimate"] = c.params["position_estimate"];
  json reasons = json::array();
  for (const auto& r : a.reasons) {
    const Rule* rule = find_rule(r.rule);
    reasons.push_back({{"rule", r.rule}, {"title", rule ? rule->title : ""}, {"weight", r.weight},
                       {"detail", r.detail}, {"evidence", r.evidence}});
  }
  return {{"type", "alert"}, {"score", a.score}, {"time_unix_ms", c.time_unix_ms}, {"sensor_id", c.sensor_id},
          {"cell", std::move(cell)}, {"reasons", std::move(reasons)}};
}

}  // namespace tw
