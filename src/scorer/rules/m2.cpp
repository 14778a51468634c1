// M2: lone PLMN. The cell is the only cell of its operator (MCC + MNC, TS 23.003 2.2) in a sweep that heard
// at least kMinOtherCells cells of other operators, whatever the RAT. A public operator covers an area with
// many cells on several carriers and RATs; a catcher that runs its own PLMN (the SDR stacks' defaults, or a
// made-up one to avoid clashing with the operator) is a network of one cell. Without a baseline this is the
// only sign that the PLMN is foreign to the place (M1 needs a region or a baseline), so it carries more
// weight than the per-cell checks. LTE cells count every PLMN of SIB1's PLMN-IdentityList (a shared cell
// belongs to each). Not for private networks that are legitimate: GSM-R in the R-GSM band (ARFCN 955..974,
// TS 45.005 clause 2; railway networks run their own PLMN along the tracks).
#include <set>
#include <utility>

#include "src/cells/operator_names.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr int kMinOtherCells = 3;
using Plmn = std::pair<int, std::string>;
nlohmann::json operator_json(int mcc, const std::string& mnc) {
  const auto op = cells::lookup_operator(mcc, mnc);
  return op ? nlohmann::json(op->name) : nlohmann::json(nullptr);
}
}  // namespace

std::vector<Reason> m2_lone_plmn(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!cell.mcc || !cell.mnc || scorer::in_railway_band(cell)) return {};
  const auto mine = scorer::cell_plmns(cell);
  int other_cells = 0;
  std::set<Plmn> other_plmns;
  for (const auto& o : ctx.sweep.cells) {
    if (&o == &cell) continue;
    const auto theirs = scorer::cell_plmns(o);
    if (theirs.empty()) continue;
    for (const auto& p : theirs)
      if (mine.count(p)) return {};   // another cell of (one of) its operator(s)
    ++other_cells;
    other_plmns.insert(theirs.begin(), theirs.end());
  }
  if (other_cells < kMinOtherCells) return {};
  nlohmann::json others = nlohmann::json::array();
  for (const auto& [mcc, mnc] : other_plmns) others.push_back(std::to_string(mcc) + "-" + mnc);
  return {scorer::make_reason(weight,
                              "the only cell of operator " + std::to_string(*cell.mcc) + "-" + *cell.mnc + " (" +
                                  cells::operator_label(*cell.mcc, *cell.mnc) + ")" +
                                  " among " + std::to_string(other_cells + 1) + " identified cells of this sweep (others: " +
                                  std::to_string(other_plmns.size()) + " operators)",
                              {{"mcc", *cell.mcc}, {"mnc", *cell.mnc}, {"operator", operator_json(*cell.mcc, *cell.mnc)},
                               {"rat", cell.rat}, {"other_cells", other_cells}, {"other_operators", others}})};
}

}  // namespace tw::rules
