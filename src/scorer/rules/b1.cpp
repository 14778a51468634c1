// B1: a cell of a known operator that the baseline (learned sweeps or imported OpenCellID) does not hold.
// Silent without a baseline or for an operator the baseline does not know (nothing to compare with). LTE
// cells are looked up as LTE rows (TAC + ECI; an ECI never matches a GSM CI) and need LTE cells of the
// operator in the baseline: a baseline that learned only the operator's GSM cells knows nothing of its LTE.
// NR cells (MIB only: no PLMN or cell identity, those are in SIB1) are keyed by their PCI at their GSCN: a PCI
// the baseline never learned at a GSCN where it learned NR cells (seen at least twice: the sensor covers it).
#include <set>

#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr std::int64_t kNrMinObservations = 2;

std::vector<Reason> nr_not_in_baseline(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  const auto pci = scorer::nr_pci(cell);
  if (!pci || cell.arfcn < 0) return {};
  std::set<int> known;
  for (const auto& k : ctx.baseline->learned_cells_of("NR", cell.arfcn)) {
    if (k.pci && *k.pci == *pci) return {};   // known here (however often seen)
    if (k.pci && k.n_observations >= kNrMinObservations) known.insert(*k.pci);
  }
  if (known.empty()) return {};
  return {scorer::make_reason(weight,
                              "NR PCI " + std::to_string(*pci) + " at GSCN " + std::to_string(cell.arfcn) +
                                  " is not in the baseline, which learned " + std::to_string(known.size()) +
                                  " other PCI(s) there",
                              {{"rat", "NR"}, {"gscn", cell.arfcn}, {"pci", *pci}, {"known_pcis", known}})};
}
}  // namespace

std::vector<Reason> b1_not_in_baseline(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (ctx.baseline && cell.rat == "NR") return nr_not_in_baseline(cell, ctx, weight);
  if (!ctx.baseline || (cell.rat != "GSM" && cell.rat != "LTE") || !cell.mcc || !cell.mnc || !cell.lac || !cell.ci)
    return {};
  if (!ctx.baseline->operator_known_of(cell.rat, *cell.mcc, *cell.mnc)) return {};
  if (ctx.baseline->find_cell_of(cell.rat, *cell.mcc, *cell.mnc, *cell.lac, *cell.ci)) return {};
  return {scorer::make_reason(weight, "cell " + scorer::describe(cell) + " is not in the baseline of its operator",
                              {{"rat", cell.rat}, {"mcc", *cell.mcc}, {"mnc", *cell.mnc}, {"lac", *cell.lac}, {"ci", *cell.ci}})};
}

}  // namespace tw::rules
