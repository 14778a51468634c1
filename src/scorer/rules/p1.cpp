// P1: SI2quater priorities that keep phones on GSM (44.018 10.5.2.33b, 45.008 6.6.6 priority-based
// reselection: a phone camped on GERAN reselects to an E-UTRAN frequency of higher priority when it is
// good enough, and to a lower-priority one only when the serving cell is poor). An E-UTRAN frequency
// announced below the serving GERAN priority holds phones on 2G: the GSM-side downgrade (Rayhunter's idea).
#include <algorithm>
#include <set>

#include "src/core/error.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
std::optional<long long> small_int(const nlohmann::json& j, const char* key, const char* where) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return std::nullopt;
  const auto& v = j[key];
  if (!v.is_number_integer() && !v.is_number_unsigned())
    throw InputError(std::string("cell record: field 'si2quater[].") + where + key + "' is not an integer");
  const long long x = v.get<long long>();
  if (x < 0 || x > 7) throw InputError(std::string("cell record: field 'si2quater[].") + where + key + "' is out of range 0..7");
  return x;
}
}  // namespace

std::vector<Reason> p1_lte_priority(const CellObservation& cell, const ScoringContext&, double weight) {
  if (!cell.params.is_object() || !cell.params.contains("si2quater")) return {};
  const auto& q = cell.params["si2quater"];
  if (!q.is_array()) throw InputError("cell record: field 'si2quater' is not an array");
  std::optional<long long> geran;
  for (const auto& inst : q)
    if (inst.is_object() && inst.contains("serving_priority"))
      if (auto g = small_int(inst["serving_priority"], "geran_priority", "serving_priority.")) geran = g;
  if (!geran) return {};
  nlohmann::json lower = nlohmann::json::array();
  long long lowest = 8;
  for (const auto& inst : q) {
    if (!inst.is_object() || !inst.contains("eutran")) continue;
    const auto& e = inst["eutran"];
    if (!e.is_object() || !e.contains("neighbours")) continue;
    if (!e["neighbours"].is_array()) throw InputError("cell record: field 'si2quater[].eutran.neighbours' is not an array");
    for (const auto& n : e["neighbours"]) {
      auto p = small_int(n, "eutran_priority", "eutran.neighbours[].");
      if (!p || *p >= *geran) continue;
      lowest = std::min(lowest, *p);
      lower.push_back({{"earfcns", n.value("earfcns", nlohmann::json::array())}, {"eutran_priority", *p}});
    }
  }
  if (lower.empty()) return {};
  return {scorer::make_reason(weight,
                              "SI2quater gives E-UTRAN priority " + std::to_string(lowest) +
                                  " below the serving GERAN priority " + std::to_string(*geran) +
                                  ": phones stay on 2G",
                              {{"geran_priority", *geran}, {"eutran_below", lower}})};
}

}  // namespace tw::rules
