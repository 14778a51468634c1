// R1: a cell announced by none of its decoded neighbours: its ARFCN is in no other same-operator cell's
// BA list. Needs at least 2 same-operator cells with a decoded, non-empty list (an empty list says
// nothing about who is announced).
#include <algorithm>

#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

std::vector<Reason> r1_unannounced(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (cell.arfcn < 0) return {};
  int lists = 0;
  for (const auto* o : scorer::same_operator_others(cell, ctx.sweep)) {
    auto n = scorer::neighbour_list(*o);
    if (!n || n->empty()) continue;
    ++lists;
    if (std::find(n->begin(), n->end(), cell.arfcn) != n->end()) return {};
  }
  if (lists < 2) return {};
  return {scorer::make_reason(weight,
                              "ARFCN " + std::to_string(cell.arfcn) + " is in none of the neighbour lists of the " +
                                  std::to_string(lists) + " other cells of the operator",
                              {{"arfcn", cell.arfcn}, {"neighbour_lists_checked", lists}})};
}

}  // namespace tw::rules
