// F1: RF fingerprint. TS 45.010 clause 5.1 / 45.005 clause 6.1: a BTS carrier is within +-0.05 ppm
// (50 ppb). A cell whose carrier offset after calibration (cfo_residual_ppb, from a sweep) is beyond
// options.f1_max_residual_ppb (default 500 ppb: ten times the spec, room for the receiver's estimate)
// runs on its own poor oscillator. Without a residual: the cell's cfo_hz in ppb of its carrier against
// the median of the other cells of the sweep (which share the receiver's error), needs 2 other cells.
#include <algorithm>
#include <cmath>

#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
std::optional<double> offset_ppb(const CellObservation& c) {
  if (!c.freq_hz || *c.freq_hz <= 0 || !c.params.is_object() || !c.params.contains("cfo_hz")) return std::nullopt;
  if (!std::isfinite(c.cfo_hz)) return std::nullopt;
  return c.cfo_hz / *c.freq_hz * 1e9;
}
}  // namespace

std::vector<Reason> f1_rf_fingerprint(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  const double limit = ctx.options.f1_max_residual_ppb;
  if (cell.cfo_residual_ppb) {
    const double r = *cell.cfo_residual_ppb;
    if (!std::isfinite(r) || std::fabs(r) <= limit) return {};
    return {scorer::make_reason(weight,
                                "carrier offset after calibration " + std::to_string(std::lround(r)) +
                                    " ppb, beyond +-" + std::to_string(std::lround(limit)) +
                                    " ppb (base stations keep +-50 ppb)",
                                {{"cfo_residual_ppb", r}, {"limit_ppb", limit}})};
  }
  auto mine = offset_ppb(cell);
  if (!mine) return {};
  std::vector<double> others;
  for (const auto& o : ctx.sweep.cells)
    if (&o != &cell)
      if (auto p = offset_ppb(o)) others.push_back(*p);
  if (others.size() < 2) return {};
  std::sort(others.begin(), others.end());
  const std::size_t n = others.size();
  const double median = n % 2 ? others[n / 2] : 0.5 * (others[n / 2 - 1] + others[n / 2]);
  const double dev = *mine - median;
  if (std::fabs(dev) <= limit) return {};
  return {scorer::make_reason(weight,
                              "carrier offset " + std::to_string(std::lround(*mine)) + " ppb is " +
                                  std::to_string(std::lround(dev)) + " ppb from the median of the other " +
                                  std::to_string(n) + " cells, beyond +-" + std::to_string(std::lround(limit)) + " ppb",
                              {{"cfo_hz", cell.cfo_hz}, {"cfo_ppb", *mine}, {"sweep_median_ppb", median},
                               {"deviation_ppb", dev}, {"limit_ppb", limit}})};
}

}  // namespace tw::rules
