// L1: 2G/3G downgrade lure. The cell's reselection priorities (TS 36.331 SIB3 cellReselectionPriority of the
// serving frequency, SIB5 InterFreqCarrierFreqInfo of the other LTE frequencies; SIB6 CarrierFreqUTRA-FDD/TDD,
// SIB7 CarrierFreqsGERAN) put a UTRA or GERAN frequency above every LTE frequency. TS 36.304 5.2.4.5: a
// frequency of higher priority is reselected as soon as its cell's Srxlev exceeds Thresh_X,HighP, whatever
// the serving quality, so every idle phone leaves LTE for 2G/3G where a catcher can work (no mutual
// authentication in GSM). Rayhunter's priority_2g_downgrade (Shinjo Park et al., "Why We Cannot Win",
// heuristic T7). Judged only when SIB3 and the SIB6/SIB7 carrying the higher priority were decoded; SIB5
// carriers that are not decoded cannot lower the verdict (an LTE carrier announced with a priority above the
// lure would have to be in SIB5, which then must have been decoded when scheduled).
#include <algorithm>

#include "src/core/error.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
// CellReselectionPriority ::= INTEGER (0..7) (TS 36.331 6.3.5).
std::optional<long long> priority_of(const nlohmann::json& carrier, const std::string& where) {
  return scorer::int_member(carrier, "priority", 0, 7, where);
}

const nlohmann::json* list_member(const nlohmann::json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key) || obj[key].is_null()) return nullptr;
  if (!obj[key].is_array() || obj[key].size() > 64)
    throw InputError("cell record: field '" + where + "." + key + "' is not a list of at most 64 carriers");
  return &obj[key];
}
}  // namespace

std::vector<Reason> l1_downgrade_lure(const CellObservation& cell, const ScoringContext&, double weight) {
  if (cell.rat != "LTE") return {};
  const auto* sib3 = scorer::object_param(cell, "sib3");
  if (!sib3) return {};
  const auto serving = scorer::int_member(*sib3, "cell_reselection_priority", 0, 7, "sib3");
  if (!serving) return {};
  const auto schedule = scorer::lte_schedule(cell);
  long long lte_max = *serving;
  nlohmann::json lte_prio{{"serving", *serving}};
  if (const auto* sib5 = scorer::object_param(cell, "sib5")) {
    if (const auto* carriers = list_member(*sib5, "carriers", "sib5")) {
      nlohmann::json p = nlohmann::json::array();
      for (std::size_t i = 0; i < carriers->size(); ++i)
        if (auto v = priority_of((*carriers)[i], "sib5.carriers[" + std::to_string(i) + "]")) {
          lte_max = std::max(lte_max, *v);
          p.push_back({{"earfcn", (*carriers)[i].contains("earfcn") ? (*carriers)[i]["earfcn"] : nlohmann::json(nullptr)},
                       {"priority", *v}});
        }
      lte_prio["sib5"] = p;
    }
  } else if (schedule && scorer::lte_scheduled(*schedule, "SIB5")) {
    return {};   // LTE carriers announced but not decoded: their priorities are unknown
  }
  // The highest 2G/3G priority and where it is.
  long long lure = -1;
  std::string lure_where;
  nlohmann::json lure_ev;
  auto scan = [&](const char* sib, const char* list, const char* channel_key, const char* rat_name) {
    const auto* s = scorer::object_param(cell, sib);
    if (!s) return;
    const auto* carriers = list_member(*s, list, sib);
    if (!carriers) return;
    for (std::size_t i = 0; i < carriers->size(); ++i) {
      const std::string where = std::string(sib) + "." + list + "[" + std::to_string(i) + "]";
      const auto v = priority_of((*carriers)[i], where);
      if (!v || *v <= lure) continue;
      lure = *v;
      lure_where = rat_name;
      lure_ev = {{"sib", sib}, {"rat", rat_name}, {"priority", *v},
                 {channel_key, (*carriers)[i].contains(channel_key) ? (*carriers)[i][channel_key] : nlohmann::json(nullptr)},
                 {"thresh_x_high_db", (*carriers)[i].contains("thresh_x_high") ? (*carriers)[i]["thresh_x_high"]
                                                                               : nlohmann::json(nullptr)}};
    }
  };
  scan("sib6", "utra_fdd", "uarfcn", "UTRA-FDD");
  scan("sib6", "utra_tdd", "uarfcn", "UTRA-TDD");
  scan("sib7", "carrier_sets", "starting_arfcn", "GERAN");
  if (lure <= lte_max) return {};
  return {scorer::make_reason(weight,
                              lure_where + " reselection priority " + std::to_string(lure) +
                                  " is above every LTE priority of the cell (highest " + std::to_string(lte_max) +
                                  "): idle phones are sent to " + lure_where,
                              {{"lure", lure_ev}, {"lte_priorities", lte_prio}, {"lte_max_priority", lte_max}})};
}

}  // namespace tw::rules
