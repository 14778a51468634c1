// S1: signal outlier (robust statistics: median and MAD, sigma = 1.4826 x MAD with a floor).
//  - Against the cell's own baseline (same CGI on the same ARFCN, at least kMinHistory learned powers):
//    more than max(kOwnMinDb, 4 sigma) above the median: the table weight. A catcher cloning a cell stands
//    next to its targets, far stronger than the real site ever was here.
//  - Against the sweep (at least kMinOthers other cells with a measured power): above every other cell by
//    kAboveAllDb and more than 3 sigma (floor kSigmaFloorDb) above their median: half the weight (a legitimate
//    site next door looks the same; SeaGlass and Crocodile Hunter treat strength as a weak signal).
// Powers are dBFS: comparable while the receiver's gain is fixed (dBm when the level calibration is there).
#include <algorithm>
#include <cmath>

#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr std::size_t kMinHistory = 5;
constexpr double kOwnMinDb = 10.0;
constexpr std::size_t kMinOthers = 4;
constexpr double kAboveAllDb = 6.0;
constexpr double kSigmaFloorDb = 3.0;
constexpr double kOwnSigmaFloorDb = 2.0;

bool measured(double p) { return std::isfinite(p) && p > -200.0; }
}  // namespace

std::vector<Reason> s1_signal_outlier(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!measured(cell.power_dbfs)) return {};
  const double p = cell.power_dbfs;
  nlohmann::json ev{{"power_dbfs", p}};
  std::string detail;
  double w = 0.0;
  // Own baseline.
  if (ctx.baseline && (cell.rat == "GSM" || cell.rat == "LTE") && cell.arfcn >= 0 && cell.mcc && cell.mnc && cell.lac &&
      cell.ci) {
    for (const auto& k : ctx.baseline->learned_cells_of(cell.rat, cell.arfcn)) {
      if (k.mcc != *cell.mcc || k.mnc != *cell.mnc || k.lac != *cell.lac || k.ci != *cell.ci) continue;
      if (k.power_recent_dbfs.size() < kMinHistory) break;
      const double med = *scorer::median(k.power_recent_dbfs);
      const double sigma = std::max(1.4826 * scorer::mad(k.power_recent_dbfs, med), kOwnSigmaFloorDb);
      const double limit = std::max(kOwnMinDb, 4.0 * sigma);
      if (p - med > limit) {
        w = weight;
        detail = "power " + scorer::fixed1(p) + " dBFS is " + scorer::fixed1(p - med) + " dB above the cell's learned median " +
                 scorer::fixed1(med) + " dBFS (limit " + scorer::fixed1(limit) + " dB, " +
                 std::to_string(k.power_recent_dbfs.size()) + " sweeps)";
        ev["baseline_median_dbfs"] = med;
        ev["baseline_sigma_db"] = sigma;
        ev["baseline_n"] = k.power_recent_dbfs.size();
      }
      break;
    }
  }
  // The sweep.
  std::vector<double> others;
  for (const auto& o : ctx.sweep.cells)
    if (&o != &cell && o.rat == cell.rat && measured(o.power_dbfs)) others.push_back(o.power_dbfs);
  if (others.size() >= kMinOthers) {
    const double top = *std::max_element(others.begin(), others.end());
    const double med = *scorer::median(others);
    const double sigma = std::max(1.4826 * scorer::mad(others, med), kSigmaFloorDb);
    if (p - top >= kAboveAllDb && p - med > 3.0 * sigma) {
      if (w == 0.0) {
        w = weight / 2;
        detail = "power " + scorer::fixed1(p) + " dBFS is " + scorer::fixed1(p - top) + " dB above every other cell of the sweep and " +
                 scorer::fixed1((p - med) / sigma) + " sigma above their median " + scorer::fixed1(med) + " dBFS";
      }
      ev["sweep_max_other_dbfs"] = top;
      ev["sweep_median_dbfs"] = med;
      ev["sweep_sigma_db"] = sigma;
    }
  }
  if (w == 0.0) return {};
  return {scorer::make_reason(w, detail, ev)};
}

}  // namespace tw::rules
