// T1: short periodic location-update timer. T3212 is in decihours (44.018 10.5.2.11: 6-minute units);
// below 5 (30 min) the table weight, below 9 (54 min) 0.7. T3212 = 0 means no periodic updating at all:
// not short, not flagged.
#include "src/core/error.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr double kModerateWeight = 0.7;
}

std::vector<Reason> t1_short_t3212(const CellObservation& cell, const ScoringContext&, double weight) {
  auto t = scorer::int_param(cell, "t3212");
  if (!t || *t == 0 || *t >= 9) return {};
  if (*t < 0 || *t > 255) throw InputError("cell record: field 't3212' is out of range 0..255");
  const double w = *t < 5 ? weight : kModerateWeight;
  return {scorer::make_reason(w,
                              "T3212 " + std::to_string(*t) + " = periodic location update every " +
                                  std::to_string(*t * 6) + " min (" + (*t < 5 ? "under 30" : "under 54") + " min)",
                              {{"t3212", *t}, {"minutes", *t * 6}})};
}

}  // namespace tw::rules
