// A5: a LAC with a single CI in the sweep while the operator has another LAC with several cells (LTE: a TAC
// with a single ECI while another TAC of the operator has several).
#include <map>
#include <set>

#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

std::vector<Reason> a5_lone_lac(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!cell.lac || !cell.ci) return {};
  std::map<int, std::set<int>> cis_by_lac;   // the operator's LACs and their distinct CIs
  cis_by_lac[*cell.lac].insert(*cell.ci);
  for (const auto* o : scorer::same_operator_others(cell, ctx.sweep))
    if (o->lac && o->ci) cis_by_lac[*o->lac].insert(*o->ci);
  if (cis_by_lac[*cell.lac].size() != 1) return {};
  int populous_lac = -1;
  std::size_t most = 0;
  for (const auto& [lac, cis] : cis_by_lac)
    if (lac != *cell.lac && cis.size() >= 2 && cis.size() > most) {
      most = cis.size();
      populous_lac = lac;
    }
  if (populous_lac < 0) return {};
  const std::string area = cell.rat == "LTE" ? "TAC " : "LAC ";
  return {scorer::make_reason(weight,
                              area + std::to_string(*cell.lac) + " has this single cell while " + area +
                                  std::to_string(populous_lac) + " of the same operator has " +
                                  std::to_string(most) + " cells in this sweep",
                              {{"lac", *cell.lac}, {"cells_in_lac", 1}, {"other_lac", populous_lac},
                               {"cells_in_other_lac", most}})};
}

}  // namespace tw::rules
