// S2: transient cell (SeaGlass: cell-site simulators appear briefly, real cells are there sweep after sweep).
// From the stored history of this sensor before this sweep: the cell (its CGI on its ARFCN) was seen before,
// first within kRecentDays, and, counting this sweep, in at most kMaxFraction of the sweeps that covered its
// band since it first appeared, over at least kMinSweeps such sweeps.
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr std::int64_t kMinSweeps = 6;
constexpr double kMaxFraction = 0.25;
constexpr std::int64_t kRecentDays = 30;
}  // namespace

std::vector<Reason> s2_transient(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!ctx.baseline) return {};
  const auto h = ctx.baseline->cell_history(cell, cell.time_unix_ms);
  if (!h || h->sweeps_seen < 1 || !h->first_seen_unix_ms) return {};
  if (cell.time_unix_ms - *h->first_seen_unix_ms > kRecentDays * 86400000LL) return {};
  const std::int64_t seen = h->sweeps_seen + 1, covering = h->sweeps_covering + 1;
  if (covering < kMinSweeps) return {};
  const double fraction = static_cast<double>(seen) / static_cast<double>(covering);
  if (fraction > kMaxFraction) return {};
  return {scorer::make_reason(weight,
                              "seen in " + std::to_string(seen) + " of the " + std::to_string(covering) +
                                  " sweeps of its band since it first appeared (at most " +
                                  std::to_string(static_cast<int>(kMaxFraction * 100)) + " %)",
                              {{"sweeps_seen", seen}, {"sweeps_covering", covering}, {"fraction", fraction},
                               {"first_seen_unix_ms", *h->first_seen_unix_ms}})};
}

}  // namespace tw::rules
