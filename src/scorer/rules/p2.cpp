// P2: paging burst. A cell's paging rate (Paging Request messages per second on its CCCH, TS 44.018 9.1.22-24)
// far above the operator's other cells: a catcher paging many identities, or mass IMSI paging. The time a
// carrier was watched comes from its SCH count while synchronised: 5 SCH per 51-multiframe (TS 45.002 clause
// 7 table 3), 51 frames of 60/13 ms. Fires when the rate exceeds max(kFactor x median, median + 4 sigma)
// (sigma = 1.4826 x MAD of the others' rates) and the count exceeds what the median rate would give over the
// same time by 4 Poisson standard deviations + kMinExcess. Needs kMinOthers same-operator cells watched at
// least kMinSeconds.
#include <algorithm>
#include <cmath>

#include "src/core/error.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr double kMinSeconds = 1.0;
constexpr std::size_t kMinOthers = 2;
constexpr double kFactor = 3.0;
constexpr double kMinExcess = 5.0;
constexpr double kMultiframeS = 51.0 * 60.0 / 13.0 / 1000.0;   // 235.4 ms

struct Paging {
  double messages = 0, imsi = 0, seconds = 0;
};

std::optional<Paging> paging_of(const CellObservation& c) {
  const auto& p = c.params;
  if (!p.is_object() || !p.contains("paging") || !p.contains("sync")) return std::nullopt;
  const auto& pg = p["paging"];
  const auto& sy = p["sync"];
  if (!pg.is_object() || !sy.is_object()) throw InputError("cell record: field 'paging' or 'sync' is not an object");
  auto count = [](const nlohmann::json& o, const char* key, const char* where) -> double {
    if (!o.contains(key)) return 0.0;
    const auto& v = o[key];
    if (!v.is_number_integer() && !v.is_number_unsigned())
      throw InputError(std::string("cell record: field '") + where + "." + key + "' is not an integer");
    const long long x = v.get<long long>();
    if (x < 0) throw InputError(std::string("cell record: field '") + where + "." + key + "' is negative");
    return static_cast<double>(x);
  };
  Paging r;
  r.messages = count(pg, "messages", "paging");
  r.imsi = count(pg, "imsi", "paging");
  r.seconds = (count(sy, "sch_ok", "sync") + count(sy, "sch_failed", "sync")) / 5.0 * kMultiframeS;
  if (r.seconds < kMinSeconds) return std::nullopt;
  return r;
}
}  // namespace

std::vector<Reason> p2_paging_burst(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  const auto mine = paging_of(cell);
  if (!mine) return {};
  std::vector<double> rates;
  for (const auto* o : scorer::same_operator_others(cell, ctx.sweep))
    if (auto p = paging_of(*o)) rates.push_back(p->messages / p->seconds);
  if (rates.size() < kMinOthers) return {};
  const double rate = mine->messages / mine->seconds;
  const double med = *scorer::median(rates);
  const double sigma = 1.4826 * scorer::mad(rates, med);
  const double limit = std::max(kFactor * med, med + 4.0 * sigma);
  const double expected = med * mine->seconds;
  if (rate <= limit || mine->messages <= expected + 4.0 * std::sqrt(expected) + kMinExcess) return {};
  return {scorer::make_reason(weight,
                              std::to_string(static_cast<long long>(mine->messages)) + " paging messages in " +
                                  scorer::fixed1(mine->seconds) + " s = " + scorer::fixed1(rate) +
                                  "/s, the operator's other cells page " + scorer::fixed1(med) + "/s (median of " +
                                  std::to_string(rates.size()) + ")",
                              {{"paging_messages", mine->messages}, {"paging_imsi", mine->imsi},
                               {"seconds", mine->seconds}, {"rate_per_s", rate}, {"operator_median_per_s", med},
                               {"limit_per_s", limit}})};
}

}  // namespace tw::rules
