// B1: a cell of a known operator that the baseline (learned sweeps or imported OpenCellID) does not hold.
// Silent without a baseline or for an operator the baseline does not know (nothing to compare with). LTE
// cells are looked up as LTE rows (TAC + ECI; an ECI never matches a GSM CI) and need LTE cells of the
// operator in the baseline: a baseline that learned only the operator's GSM cells knows nothing of its LTE.
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

std::vector<Reason> b1_not_in_baseline(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!ctx.baseline || (cell.rat != "GSM" && cell.rat != "LTE") || !cell.mcc || !cell.mnc || !cell.lac || !cell.ci)
    return {};
  if (!ctx.baseline->operator_known_of(cell.rat, *cell.mcc, *cell.mnc)) return {};
  if (ctx.baseline->find_cell_of(cell.rat, *cell.mcc, *cell.mnc, *cell.lac, *cell.ci)) return {};
  return {scorer::make_reason(weight, "cell " + scorer::describe(cell) + " is not in the baseline of its operator",
                              {{"rat", cell.rat}, {"mcc", *cell.mcc}, {"mnc", *cell.mnc}, {"lac", *cell.lac}, {"ci", *cell.ci}})};
}

}  // namespace tw::rules
