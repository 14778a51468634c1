// A2: LAC differs from every same-operator cell of the sweep. For LTE cells the TAC (SIB1, TS 36.331 6.2.2)
// against the operator's other LTE cells: a new TAI triggers a tracking area update (TS 24.301 5.5.3.2),
// which a catcher answers with an identity request.
#include <set>

#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

std::vector<Reason> a2_lac_differs(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!cell.lac) return {};
  std::set<int> lacs;
  int with_lac = 0;
  for (const auto* o : scorer::same_operator_others(cell, ctx.sweep)) {
    if (!o->lac) continue;
    ++with_lac;
    lacs.insert(*o->lac);
  }
  // Needs more than 2 decoded same-operator cells: with one or two, a legitimate cell at a location-area
  // border looks the same.
  if (with_lac <= 2 || lacs.count(*cell.lac)) return {};
  const char* area = cell.rat == "LTE" ? "TAC " : "LAC ";
  return {scorer::make_reason(
      weight,
      area + std::to_string(*cell.lac) + " is used by none of the " + std::to_string(with_lac) +
          " other cells of operator " + std::to_string(*cell.mcc) + "-" + *cell.mnc + " in this sweep",
      {{"lac", *cell.lac}, {"operator_lacs", std::vector<int>(lacs.begin(), lacs.end())}, {"operator_cells", with_lac}})};
}

}  // namespace tw::rules
