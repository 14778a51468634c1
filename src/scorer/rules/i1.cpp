// I1: non-hopping Immediate Assignments where the same operator's other cells hop. The record's
// "immediate_assignment": {"count", "hopping"} counts the assignments (44.018 9.1.18, channel description
// H bit) seen on the cell's CCCH. Needs at least kMinCount assignments on this cell, none hopping, and
// at least kMinCount on the operator's other cells together, at least half of them hopping.
#include "src/core/error.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr long long kMinCount = 3;

bool assignments(const CellObservation& c, long long& count, long long& hopping) {
  if (!c.params.is_object() || !c.params.contains("immediate_assignment")) return false;
  const auto& ia = c.params["immediate_assignment"];
  if (!ia.is_object()) throw InputError("cell record: field 'immediate_assignment' is not an object");
  auto get = [&](const char* key) {
    if (!ia.contains(key)) return 0LL;
    const auto& v = ia[key];
    if (!v.is_number_integer() && !v.is_number_unsigned())
      throw InputError(std::string("cell record: field 'immediate_assignment.") + key + "' is not an integer");
    const long long x = v.get<long long>();
    if (x < 0) throw InputError(std::string("cell record: field 'immediate_assignment.") + key + "' is negative");
    return x;
  };
  count = get("count");
  hopping = get("hopping");
  if (hopping > count) throw InputError("cell record: 'immediate_assignment.hopping' exceeds its count");
  return true;
}
}  // namespace

std::vector<Reason> i1_non_hopping(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  long long count = 0, hopping = 0;
  if (!assignments(cell, count, hopping) || count < kMinCount || hopping != 0) return {};
  long long op_count = 0, op_hopping = 0;
  for (const auto* o : scorer::same_operator_others(cell, ctx.sweep)) {
    long long c = 0, h = 0;
    if (assignments(*o, c, h)) {
      op_count += c;
      op_hopping += h;
    }
  }
  if (op_count < kMinCount || 2 * op_hopping < op_count) return {};
  return {scorer::make_reason(weight,
                              "none of its " + std::to_string(count) + " Immediate Assignments hops while " +
                                  std::to_string(op_hopping) + " of " + std::to_string(op_count) +
                                  " on the operator's other cells do",
                              {{"count", count}, {"hopping", hopping}, {"operator_count", op_count},
                               {"operator_hopping", op_hopping}})};
}

}  // namespace tw::rules
