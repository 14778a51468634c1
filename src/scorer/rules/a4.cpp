// A4: the same global identity on another channel in the same sweep. GSM: MCC/MNC/LAC/CI on another ARFCN
// (one BCCH carrier per cell, TS 45.002 6.3). LTE: the same MCC/MNC and 28-bit cell identity (unique in the
// PLMN, TS 36.300 8.2 / TS 23.003 19.6) on another EARFCN or with another PCI: one cell has one carrier and
// one physical cell id (TS 36.211 6.11), whatever its TAC. Both cells get the reason: one sweep cannot tell
// the original from the clone; the weight stays below the threshold so the original does not alert from it
// alone while the clone's other anomalies carry it over.
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

std::vector<Reason> a4_cloned_identity(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!cell.ci || cell.arfcn < 0) return {};
  if (cell.rat == "LTE") {
    const auto pci = scorer::lte_pci(cell);
    nlohmann::json also = nlohmann::json::array();
    std::string list;
    for (const auto* o : scorer::same_operator_others(cell, ctx.sweep)) {
      if (o->ci != cell.ci || o->arfcn < 0) continue;
      const auto opci = scorer::lte_pci(*o);
      if (o->arfcn == cell.arfcn && (!pci || !opci || *pci == *opci)) continue;   // the same cell
      also.push_back({{"earfcn", o->arfcn}, {"pci", opci ? nlohmann::json(*opci) : nlohmann::json(nullptr)}});
      list += (list.empty() ? "" : ", ") + std::string("EARFCN ") + std::to_string(o->arfcn) +
              (opci ? " PCI " + std::to_string(*opci) : std::string());
    }
    if (also.empty()) return {};
    return {scorer::make_reason(weight, "cell identity " + scorer::describe(cell) + " is also broadcast on " + list,
                                {{"earfcn", cell.arfcn}, {"pci", pci ? nlohmann::json(*pci) : nlohmann::json(nullptr)},
                                 {"cell_identity", *cell.ci}, {"also_on", also}})};
  }
  if (!cell.lac) return {};
  std::vector<int> others;
  for (const auto* o : scorer::same_operator_others(cell, ctx.sweep))
    if (o->lac == cell.lac && o->ci == cell.ci && o->arfcn >= 0 && o->arfcn != cell.arfcn) others.push_back(o->arfcn);
  if (others.empty()) return {};
  std::string list;
  for (int a : others) list += (list.empty() ? "" : ", ") + std::to_string(a);
  return {scorer::make_reason(weight,
                              "identity " + scorer::describe(cell) + " is also broadcast on ARFCN " + list,
                              {{"arfcn", cell.arfcn}, {"lac", *cell.lac}, {"ci", *cell.ci}, {"also_on_arfcns", others}})};
}

}  // namespace tw::rules
