// C1: identity change of a known cell. GSM: the baseline learned cells on this ARFCN with this BSIC; none of
// them had the MCC/MNC/LAC/CI the carrier broadcasts now. A base station keeps its CGI (TS 23.003 4.3.1);
// a catcher that takes over a known carrier (same ARFCN, same colour code so phones already measure it)
// with its own LAC forces location updates. LTE: the same with EARFCN + PCI (TS 36.211 6.11) in place of
// ARFCN + BSIC and TAC + 28-bit cell identity (SIB1, TS 36.331 6.2.2) in place of LAC + CI: Crocodile
// Hunter's "known cell, new TAC". Needs learned cells seen at least kMinObservations times there.
#include <set>

#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr std::int64_t kMinObservations = 2;
}

std::vector<Reason> c1_identity_change(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!ctx.baseline || cell.arfcn < 0 || !cell.mcc || !cell.mnc || !cell.lac || !cell.ci) return {};
  const bool lte = cell.rat == "LTE";
  if (!lte && cell.rat != "GSM") return {};
  // The colour of the carrier: BSIC (GSM) or PCI (LTE).
  const std::optional<int> colour = lte ? scorer::lte_pci(cell) : cell.bsic;
  if (!colour) return {};
  nlohmann::json known = nlohmann::json::array();
  std::set<int> lacs;
  for (const auto& k : ctx.baseline->learned_cells_of(cell.rat, cell.arfcn)) {
    const std::optional<int>& kc = lte ? k.pci : k.bsic;
    if (!kc || *kc != *colour || k.n_observations < kMinObservations) continue;
    if (k.mcc == *cell.mcc && k.mnc == *cell.mnc && k.lac == *cell.lac && k.ci == *cell.ci) return {};
    known.push_back({{"mcc", k.mcc}, {"mnc", k.mnc}, {"lac", k.lac}, {"ci", k.ci}, {"observations", k.n_observations}});
    lacs.insert(k.lac);
  }
  if (known.empty()) return {};
  const auto& first = known.front();
  const bool lac_changed = !lacs.count(*cell.lac);
  const char* channel = lte ? "EARFCN " : "ARFCN ";
  const char* colour_name = lte ? " PCI " : " BSIC ";
  const char* area = lte ? " TAC " : " LAC ";
  const char* id = lte ? " ECI " : " CI ";
  nlohmann::json ev{{"arfcn", cell.arfcn}, {lte ? "pci" : "bsic", *colour}, {"lac", *cell.lac}, {"ci", *cell.ci},
                    {"lac_changed", lac_changed}, {"known", known}};
  if (lte) ev["rat"] = "LTE";
  return {scorer::make_reason(
      weight,
      channel + std::to_string(cell.arfcn) + colour_name + std::to_string(*colour) + " was learned as " +
          std::to_string(first["mcc"].get<int>()) + "-" + first["mnc"].get<std::string>() + area +
          std::to_string(first["lac"].get<int>()) + id + std::to_string(first["ci"].get<int>()) +
          " and now broadcasts " + scorer::describe(cell) +
          (lac_changed ? (lte ? " (TAC changed)" : " (LAC changed)") : (lte ? " (ECI changed)" : " (CI changed)")),
      ev)};
}

}  // namespace tw::rules
