// A4: the same global identity (MCC/MNC/LAC/CI) on another ARFCN in the same sweep. Both cells get the
// reason: one sweep cannot tell the original from the clone; the weight stays below the threshold so the
// original does not alert from it alone while the clone's other anomalies carry it over.
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

std::vector<Reason> a4_cloned_identity(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!cell.lac || !cell.ci || cell.arfcn < 0) return {};
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
