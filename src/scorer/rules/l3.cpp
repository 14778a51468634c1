// L3: empty neighbour information where the operator's other cells have it. An LTE cell announces its
// intra-frequency neighbours in SIB4 (TS 36.331 6.3.1 IntraFreqNeighCellList) and the other LTE carriers to
// measure in SIB5 (InterFreqCarrierFreqList, TS 36.304 5.2.4.2): a catcher announces nothing so that phones
// have nowhere to reselect to (the LTE side of SnoopSnitch K1). SIB4 lists are optional in LTE (phones find
// intra-frequency neighbours themselves), so the cell is compared with its operator: it fires when the cell
// announces neither a SIB4 neighbour nor a SIB5 carrier while at least two other LTE cells of its operator
// in the sweep announce some. "Announces nothing" needs SIB1 decoded and every scheduled SIB4/SIB5 decoded
// (a SIB that is scheduled but was not received is unknown, not empty).
#include "src/core/error.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr int kMinOperatorCells = 2;

// Entries of a list member of a SIB object; 0 when the SIB has none.
std::size_t entries(const nlohmann::json& sib, const char* key, const std::string& where) {
  if (!sib.contains(key) || sib[key].is_null()) return 0;
  if (!sib[key].is_array()) throw InputError("cell record: field '" + where + "." + key + "' is not an array");
  return sib[key].size();
}

// SIB4 neighbours + SIB5 carriers the cell announces; nullopt when not known.
std::optional<std::size_t> announced(const CellObservation& c) {
  if (c.rat != "LTE") return std::nullopt;
  const auto schedule = scorer::lte_schedule(c);
  if (!schedule) return std::nullopt;
  std::size_t n = 0;
  const auto* sib4 = scorer::object_param(c, "sib4");
  const auto* sib5 = scorer::object_param(c, "sib5");
  if (sib4) n += entries(*sib4, "neighbours", "sib4");
  if (sib5) n += entries(*sib5, "carriers", "sib5");
  if (n > 0) return n;
  if ((!sib4 && scorer::lte_scheduled(*schedule, "SIB4")) || (!sib5 && scorer::lte_scheduled(*schedule, "SIB5")))
    return std::nullopt;
  return 0;
}
}  // namespace

std::vector<Reason> l3_empty_lte_neighbours(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  const auto mine = announced(cell);
  if (!mine || *mine > 0) return {};
  int with = 0, known = 0;
  for (const auto* o : scorer::same_operator_others(cell, ctx.sweep)) {
    const auto n = announced(*o);
    if (!n) continue;
    ++known;
    if (*n > 0) ++with;
  }
  if (with < kMinOperatorCells) return {};
  return {scorer::make_reason(weight,
                              "no SIB4 neighbour and no SIB5 carrier announced, while " + std::to_string(with) + " of " +
                                  std::to_string(known) + " other LTE cells of operator " + std::to_string(*cell.mcc) +
                                  "-" + *cell.mnc + " in this sweep announce some",
                              {{"announced", 0}, {"operator_cells_announcing", with}, {"operator_cells_known", known}})};
}

}  // namespace tw::rules
