// L2: incomplete System Information scheduling. SIB1's schedulingInfoList (TS 36.331 6.2.2) lists the SI
// messages; SIB2 always rides in the first (5.2.1.2). An operator's cell schedules SIB3 (cell reselection,
// TS 36.304 5.2.4) and, with more than one LTE carrier, SIB5 (inter-frequency reselection): at least two SI
// messages. A catcher wants phones to stay and has nothing to announce: it sends SIB2 alone (srsRAN's default
// sib.conf schedules one SI message with SIB2 only). Rayhunter's
// incomplete_sib (fewer than two SI messages). Full weight: fewer than two SI messages or no SIB3; half
// weight: SIB3 but no SIB5 (a single-carrier network looks the same).
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

std::vector<Reason> l2_incomplete_sibs(const CellObservation& cell, const ScoringContext&, double weight) {
  const auto schedule = scorer::lte_schedule(cell);
  if (!schedule) return {};
  const bool sib3 = scorer::lte_scheduled(*schedule, "SIB3");
  const bool sib5 = scorer::lte_scheduled(*schedule, "SIB5");
  const std::size_t n = schedule->size();
  if (n >= 2 && sib3 && sib5) return {};
  std::vector<std::string> why;
  if (n < 2) why.push_back(std::to_string(n) + " SI message" + (n == 1 ? "" : "s") + " scheduled (fewer than 2)");
  if (!sib3) why.push_back("no SIB3 (cell reselection)");
  if (!sib5) why.push_back("no SIB5 (inter-frequency carriers)");
  std::string detail = "SIB1 schedules ";
  for (std::size_t i = 0; i < why.size(); ++i) detail += (i ? "; " : "") + why[i];
  nlohmann::json sibs = nlohmann::json::array();
  for (const auto& si : *schedule) sibs.push_back(si);
  const double w = (n < 2 || !sib3) ? weight : 0.5 * weight;
  return {scorer::make_reason(w, detail,
                              {{"si_messages", n}, {"sib3", sib3}, {"sib5", sib5}, {"scheduled_sibs", sibs}})};
}

}  // namespace tw::rules
