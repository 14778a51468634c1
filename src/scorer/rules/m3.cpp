// M3: PLMN unknown to the operator list. The cell broadcasts an MCC for which Debian's
// mobile-broadband-provider-info names operators (src/cells/operator_names.hpp) and an MNC it does not name:
// an unassigned or private code, the kind a catcher running a PLMN of its own picks (262-99 beside 262-01/02).
// Alone it is weak (the list is community-kept and misses small and new networks: 1.0, below the threshold);
// with M2 (the only cell of that PLMN in the sweep, 1.6) it reaches the threshold without a baseline, which is
// the catcher on its own PLMN. Silent when the list is not loaded, for an MCC the list has no operator of (it
// cannot tell), for the reserved MCCs 001/999 (M1 judges those), for a PLMN the baseline has learned (the
// site knows that network: a campus or private network stops alarming once learned), and for GSM-R in the
// R-GSM band (railway PLMNs are not in the list). LTE: every PLMN of SIB1's list is judged.
#include "src/cells/operator_names.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

std::vector<Reason> m3_plmn_not_in_operator_list(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!cell.mcc || !cell.mnc || scorer::in_railway_band(cell) || !cells::operator_list_info().loaded) return {};
  std::vector<std::pair<int, std::string>> learned;
  if (ctx.baseline) learned = ctx.baseline->operators();
  nlohmann::json unknown = nlohmann::json::array();
  nlohmann::json listed = nlohmann::json::object();
  std::string first;
  for (const auto& [mcc, mnc] : scorer::cell_plmns(cell)) {
    if (cells::reserved_mcc(mcc) || !cells::mcc_has_operators(mcc) || cells::plmn_known(mcc, mnc)) continue;
    if (scorer::baseline_has_operator(learned, mcc, mnc)) continue;
    const std::string plmn = cells::mcc_string(mcc) + "-" + mnc;
    if (first.empty()) first = plmn;
    unknown.push_back(plmn);
    listed[cells::mcc_string(mcc)] = cells::operator_table().mncs_of(cells::mcc_string(mcc));
  }
  if (unknown.empty()) return {};
  const std::string mcc_of_first = first.substr(0, 3);
  return {scorer::make_reason(
      weight,
      "PLMN " + first + " is not in the operator list (" + cells::operator_list_info().path + " names " +
          std::to_string(listed[mcc_of_first].size()) + " other MNCs of MCC " + mcc_of_first + ")" +
          (ctx.baseline ? " nor among the baseline's operators" : ""),
      {{"unknown_plmns", unknown}, {"listed_mncs", listed}, {"operator_list", cells::operator_list_info().path}})};
}

}  // namespace tw::rules
