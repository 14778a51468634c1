// L5: capture thresholds. TS 36.304 5.2.3.2 (cell selection criterion S): Srxlev = Qrxlevmeas -
// (Qrxlevmin + Qrxlevminoffset) - Pcompensation. SIB1's q-RxLevMin at the bottom of its range (-70 x 2 =
// -140 dBm, TS 36.331 Q-RxLevMin -70..-22) makes Srxlev >= 0 at every RSRP a phone can measure (36.133
// 9.1.4: -140 dBm is the bottom of the RSRP report range): the cell stays suitable wherever it is heard.
// With SIB3's cellReselectionPriority at the top (7) and above every SIB5 carrier, 36.304 5.2.4.5 lets a
// phone leave for a lower-priority frequency only when the serving Srxlev falls below Thresh_Serving,LowP,
// which it never does: camped phones are kept (and 5.2.4.2 lets them skip measuring lower-priority
// frequencies while Srxlev > S_nonIntraSearchP). Operators give the top priority to capacity layers with a
// q-RxLevMin well above the floor (the live band-3 cell: -132 dBm); the floor is for coverage layers of low
// priority. Judged when SIB1 and SIB3 were decoded and every scheduled SIB5 too.
#include <algorithm>

#include "src/core/error.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr long long kQRxLevMinFloorDbm = -140;   // Q-RxLevMin -70 x 2 dB
constexpr long long kTopPriority = 7;            // CellReselectionPriority 0..7
}  // namespace

std::vector<Reason> l5_capture_thresholds(const CellObservation& cell, const ScoringContext&, double weight) {
  if (cell.rat != "LTE" || !cell.params.is_object()) return {};
  const auto q_rx_lev_min = scorer::int_member(cell.params, "q_rx_lev_min_dbm", -140, -44, "cell");
  const auto* sib3 = scorer::object_param(cell, "sib3");
  if (!q_rx_lev_min || !sib3 || *q_rx_lev_min > kQRxLevMinFloorDbm) return {};
  const auto priority = scorer::int_member(*sib3, "cell_reselection_priority", 0, 7, "sib3");
  if (!priority || *priority < kTopPriority) return {};
  long long others_max = -1;
  if (const auto* sib5 = scorer::object_param(cell, "sib5")) {
    if (sib5->contains("carriers") && !(*sib5)["carriers"].is_null()) {
      const auto& carriers = (*sib5)["carriers"];
      if (!carriers.is_array()) throw InputError("cell record: field 'sib5.carriers' is not an array");
      for (std::size_t i = 0; i < carriers.size(); ++i)
        if (auto p = scorer::int_member(carriers[i], "priority", 0, 7, "sib5.carriers[" + std::to_string(i) + "]"))
          others_max = std::max(others_max, *p);
    }
  } else {
    const auto schedule = scorer::lte_schedule(cell);
    if (schedule && scorer::lte_scheduled(*schedule, "SIB5")) return {};   // other carriers not known
  }
  if (others_max >= *priority) return {};
  nlohmann::json ev{{"q_rx_lev_min_dbm", *q_rx_lev_min}, {"cell_reselection_priority", *priority},
                    {"sib5_max_priority", others_max >= 0 ? nlohmann::json(others_max) : nlohmann::json(nullptr)}};
  if (auto t = scorer::int_member(*sib3, "thresh_serving_low", 0, 62, "sib3")) ev["thresh_serving_low_db"] = *t;
  if (auto s = scorer::int_member(*sib3, "s_non_intra_search", 0, 62, "sib3")) ev["s_non_intra_search_db"] = *s;
  return {scorer::make_reason(weight,
                              "q-RxLevMin " + std::to_string(*q_rx_lev_min) +
                                  " dBm (the floor) with the top reselection priority " + std::to_string(*priority) +
                                  (others_max >= 0 ? " above every SIB5 carrier (highest " + std::to_string(others_max) + ")"
                                                   : std::string(" and no other LTE carrier")) +
                                  ": camped phones are never released",
                              ev)};
}

}  // namespace tw::rules
