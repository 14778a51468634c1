// B2: ARFCN outside the operator's observed plan. The plan is what the baseline learned of the operator in
// the cell's band: the BCCH carriers of its cells and every ARFCN their BA lists announce (TS 44.018
// 10.5.2.22: the BA list names the neighbours' BCCH carriers). An operator plans its carriers (TS 45.005
// clause 2 channel raster, licensed blocks); a catcher picks a free channel. LTE: the EARFCNs of the
// operator's learned LTE cells (every band: SIB5 lists carriers of any band) and every carrier their SIB5 announces (TS 36.331 6.3.1
// InterFreqCarrierFreqList: an operator lists its own LTE layers for reselection, TS 36.304 5.2.4); a cell of
// the operator on an EARFCN outside both is on spectrum its network neither uses nor points phones to. Needs kMinCells learned cells of
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
  if (!ctx.baseline || (cell.rat != "GSM" && cell.rat != "LTE") || cell.arfcn < 0 || !cell.mcc || !cell.mnc)
    return {};
  // LTE: one plan over every band (SIB5 lists carriers of any band: the operator's layers are one plan).
  const std::string band = cell.rat == "LTE" ? std::string() : cell.band;
  const OperatorPlan plan = ctx.baseline->operator_plan_of(cell.rat, *cell.mcc, *cell.mnc, band);
  if (plan.cells < kMinCells || plan.sweeps < kMinSweeps) return {};
  if (std::binary_search(plan.arfcns.begin(), plan.arfcns.end(), cell.arfcn)) return {};
  return {scorer::make_reason(weight,
                              std::string(cell.rat == "LTE" ? "EARFCN " : "ARFCN ") + std::to_string(cell.arfcn) +
                                  " is outside the plan of operator " +
                                  std::to_string(*cell.mcc) + "-" + *cell.mnc + " learned from " +
                                  std::to_string(plan.cells) + " cells over " + std::to_string(plan.sweeps) +
                                  " sweeps" + (band.empty() ? "" : " of " + band),
                              {{"arfcn", cell.arfcn}, {"operator_arfcns", plan.arfcns}, {"operator_cells", plan.cells},
                               {"sweeps", plan.sweeps}, {"band", band}})};
}

}  // namespace tw::rules
