// K1: empty or near-empty neighbour list (BA list of SI2 + SI2bis + SI2ter), judged only when SI2 was
// decoded. Empty: the table weight; a single neighbour: half of it.
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

std::vector<Reason> k1_empty_neighbours(const CellObservation& cell, const ScoringContext&, double weight) {
  auto n = scorer::neighbour_list(cell);
  if (!n || n->size() >= 2) return {};
  if (n->empty())
    return {scorer::make_reason(weight, "the neighbour list (SI2/SI2bis/SI2ter) is empty", {{"neighbors", *n}})};
  return {scorer::make_reason(weight / 2, "the neighbour list (SI2/SI2bis/SI2ter) names a single cell (ARFCN " +
                                              std::to_string(n->front()) + ")",
                              {{"neighbors", *n}})};
}

}  // namespace tw::rules
