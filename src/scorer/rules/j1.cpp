// J1: an LTE band jammed. A catcher that wants phones on its 2G cell blinds LTE: a wideband noise
// transmitter over the LTE band makes every cell of it unreceivable (RSRQ/SINR collapse, TS 36.133 / 36.304
// 5.2.3.2 cell selection fails), and phones fall back to the other RAT where the catcher waits (Park et al.
// "Why We Cannot Win", downgrade by jamming; Shaik et al. 2016, LTE DoS). No phone-based tool sees the
// cause (a phone only loses the cell); a fixed sensor's power census does: the band's noise floor (the low
// percentile of its spectrum, src/sweep/lte_census.hpp) rises far above the floor learned for this sensor.
//
// A band rule: it judges the sweep's band observations (one per band floor), with a baseline only.
//  - The learned floor: the median of the band's recent learned floors (at least kMinFloors sweeps); the rise
//    must be at least max(kMinRiseDb, 4 robust sigma of those floors).
//  - Known cells of the band: learned LTE cells seen in it in at least kMinSeen sweeps and within
//    kRecentMs of this sweep. Missing: no LTE cell of this sweep on its EARFCN with its PCI (or cell identity).
//  - Rise and at least half of the known cells (at least one) missing: the full weight (an alert by itself:
//    two independent measurements, the spectrum and the cell search, agree on a blinded band).
//  - Rise with the known cells still received (or no known cells): kWeakWeight, below the threshold: a raised
//    floor that does not blind the cells is interference (a neighbour's equipment, a faulty amplifier), worth
//    reporting but not a catcher by itself.
#include <algorithm>
#include <cmath>

#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr std::size_t kMinFloors = 3;
constexpr double kMinRiseDb = 10.0;
constexpr std::int64_t kMinSeen = 3;
constexpr std::int64_t kRecentMs = 7LL * 24 * 3600 * 1000;
constexpr double kWeakWeight = 1.0;

bool received(const KnownCell& k, const SweepObservations& sweep) {
  const int earfcn = k.arfcns.empty() ? -1 : k.arfcns.front();
  for (const auto& c : sweep.cells) {
    if (c.rat != "LTE" || c.arfcn != earfcn) continue;
    const auto pci = scorer::lte_pci(c);
    if ((k.pci && pci && *k.pci == *pci) || (c.ci && *c.ci == k.ci)) return true;
  }
  return false;
}
}  // namespace

std::vector<Reason> j1_lte_jamming(const CellObservation& band, const ScoringContext& ctx, double weight) {
  if (!ctx.baseline || band.rat != "LTE" || band.band.empty()) return {};
  const auto* p = band.params.is_object() && band.params.contains("noise_floor_dbfs_per_mhz") ? &band.params["noise_floor_dbfs_per_mhz"] : nullptr;
  if (!p || !p->is_number()) return {};
  const double floor = p->get<double>();
  if (!std::isfinite(floor) || floor < -199.0) return {};
  const auto learned = ctx.baseline->learned_band_floor(band.sensor_id, band.rat, band.band);
  if (!learned || learned->recent.size() < kMinFloors) return {};
  const double med = *scorer::median(learned->recent);
  const double sigma = 1.4826 * scorer::mad(learned->recent, med);
  const double need = std::max(kMinRiseDb, 4.0 * sigma);
  const double rise = floor - med;
  if (rise < need) return {};

  nlohmann::json missing = nlohmann::json::array(), known = nlohmann::json::array();
  std::string list;
  for (const auto& k : ctx.baseline->learned_cells_in_band(band.rat, band.band)) {
    if (k.n_observations < kMinSeen || k.last_seen_unix_ms < ctx.sweep.time_unix_ms - kRecentMs) continue;
    const int earfcn = k.arfcns.empty() ? -1 : k.arfcns.front();
    nlohmann::json cell = {{"earfcn", earfcn}, {"pci", k.pci ? nlohmann::json(*k.pci) : nlohmann::json(nullptr)},
                           {"mcc", k.mcc}, {"mnc", k.mnc}, {"tac", k.lac}, {"cell_identity", k.ci}};
    known.push_back(cell);
    if (received(k, ctx.sweep)) continue;
    missing.push_back(cell);
    if (missing.size() <= 4)
      list += (list.empty() ? "" : ", ") + std::string("EARFCN ") + std::to_string(earfcn) +
              (k.pci ? " PCI " + std::to_string(*k.pci) : std::string());
  }
  const bool blinded = !missing.empty() && 2 * missing.size() >= known.size();
  nlohmann::json evidence = {{"band", band.band},
                             {"noise_floor_dbfs_per_mhz", std::round(floor * 10.0) / 10.0},
                             {"learned_floor_dbfs_per_mhz", std::round(med * 10.0) / 10.0},
                             {"rise_db", std::round(rise * 10.0) / 10.0},
                             {"required_rise_db", std::round(need * 10.0) / 10.0},
                             {"learned_floors", learned->recent.size()},
                             {"known_cells", known.size()},
                             {"missing_cells", missing}};
  const std::string head = band.band + " noise floor " + scorer::fixed1(floor) + " dBFS/MHz is " + scorer::fixed1(rise) +
                           " dB above the learned " + scorer::fixed1(med);
  if (!blinded)
    return {scorer::make_reason(kWeakWeight,
                                head + (known.empty() ? std::string(" (no known LTE cell of the band in the baseline)")
                                                      : " while " + std::to_string(known.size() - missing.size()) + " of " +
                                                            std::to_string(known.size()) + " known cells are still received") +
                                    ": interference",
                                evidence)};
  return {scorer::make_reason(weight,
                              head + " and " + std::to_string(missing.size()) + " of its " + std::to_string(known.size()) +
                                  " known LTE cells are gone (" + list + (missing.size() > 4 ? ", ..." : "") +
                                  "): the band is jammed",
                              evidence)};
}

}  // namespace tw::rules
