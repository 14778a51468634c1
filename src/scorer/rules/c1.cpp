// C1: identity change of a known cell. The baseline learned cells on this ARFCN with this BSIC; none of
// them had the MCC/MNC/LAC/CI the carrier broadcasts now. A base station keeps its CGI (TS 23.003 4.3.1);
// a catcher that takes over a known carrier (same ARFCN, same colour code so phones already measure it)
// with its own LAC forces location updates. Needs learned cells seen at least kMinObservations times there.
#include <set>

#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr std::int64_t kMinObservations = 2;
}

std::vector<Reason> c1_identity_change(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!ctx.baseline || cell.rat != "GSM" || cell.arfcn < 0 || !cell.bsic || !cell.mcc || !cell.mnc || !cell.lac ||
      !cell.ci)
    return {};
  nlohmann::json known = nlohmann::json::array();
  std::set<int> lacs;
  for (const auto& k : ctx.baseline->learned_cells_on(cell.arfcn)) {
    if (!k.bsic || *k.bsic != *cell.bsic || k.n_observations < kMinObservations) continue;
    if (k.mcc == *cell.mcc && k.mnc == *cell.mnc && k.lac == *cell.lac && k.ci == *cell.ci) return {};
    known.push_back({{"mcc", k.mcc}, {"mnc", k.mnc}, {"lac", k.lac}, {"ci", k.ci}, {"observations", k.n_observations}});
    lacs.insert(k.lac);
  }
  if (known.empty()) return {};
  const auto& first = known.front();
  const bool lac_changed = !lacs.count(*cell.lac);
  return {scorer::make_reason(
      weight,
      "ARFCN " + std::to_string(cell.arfcn) + " BSIC " + std::to_string(*cell.bsic) + " was learned as " +
          std::to_string(first["mcc"].get<int>()) + "-" + first["mnc"].get<std::string>() + " LAC " +
          std::to_string(first["lac"].get<int>()) + " CI " + std::to_string(first["ci"].get<int>()) +
          " and now broadcasts " + scorer::describe(cell) + (lac_changed ? " (LAC changed)" : " (CI changed)"),
      {{"arfcn", cell.arfcn}, {"bsic", *cell.bsic}, {"lac", *cell.lac}, {"ci", *cell.ci},
       {"lac_changed", lac_changed}, {"known", known}})};
}

}  // namespace tw::rules
