// B2: ARFCN outside the operator's observed plan. The plan is what the baseline learned of the operator in
// the cell's band: the BCCH carriers of its cells and every ARFCN their BA lists announce (TS 44.018
// 10.5.2.22: the BA list names the neighbours' BCCH carriers). An operator plans its carriers (TS 45.005
// clause 2 channel raster, licensed blocks); a catcher picks a free channel. Needs kMinCells learned cells of
// the operator in the band and kMinSweeps stored sweeps of the band, else the plan is not known well enough.
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

#include <algorithm>

namespace tw::rules {

namespace {
constexpr std::int64_t kMinCells = 3;
constexpr std::int64_t kMinSweeps = 3;
}

std::vector<Reason> b2_arfcn_outside_plan(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!ctx.baseline || cell.rat != "GSM" || cell.arfcn < 0 || !cell.mcc || !cell.mnc) return {};
  const OperatorPlan plan = ctx.baseline->operator_plan(*cell.mcc, *cell.mnc, cell.band);
  if (plan.cells < kMinCells || plan.sweeps < kMinSweeps) return {};
  if (std::binary_search(plan.arfcns.begin(), plan.arfcns.end(), cell.arfcn)) return {};
  return {scorer::make_reason(weight,
                              "ARFCN " + std::to_string(cell.arfcn) + " is outside the plan of operator " +
                                  std::to_string(*cell.mcc) + "-" + *cell.mnc + " learned from " +
                                  std::to_string(plan.cells) + " cells over " + std::to_string(plan.sweeps) +
                                  " sweeps" + (cell.band.empty() ? "" : " of " + cell.band),
                              {{"arfcn", cell.arfcn}, {"operator_arfcns", plan.arfcns}, {"operator_cells", plan.cells},
                               {"sweeps", plan.sweeps}, {"band", cell.band}})};
}

}  // namespace tw::rules
