// M1: MCC/MNC unknown for the region. Three checks, any of which fires:
//  - a reserved MCC: 001 is the test network code and 999 is for internal use (ITU-T E.212 (09/2016) annex
//    A / clause 6.2.1, TS 23.003 2.2); an SDR catcher left in its default configuration (OpenBTS, YateBTS:
//    001-01) broadcasts it;
//  - options.region given and the MCC's geographic zone (E.212: the first digit) is not one of the region's:
//    "eu" (GSM900/DCS1800 band plan: Europe 2xx, Asia 4xx, Oceania 5xx, Africa 6xx), "us" (GSM850/PCS1900:
//    North America 3xx, South America 7xx); 9xx (international, shared) is in no region;
//  - the baseline holds operators, the cell's MCC/MNC is not one of them (a network the site never saw).
#include "src/cells/operator_names.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
// E.212 geographic zones (first MCC digit) of the band-plan regions (src/sweep/band_plan.hpp presets).
bool zone_in_region(int mcc, const std::string& region) {
  const int zone = mcc / 100;
  if (region == "eu") return zone == 2 || zone == 4 || zone == 5 || zone == 6;
  if (region == "us") return zone == 3 || zone == 7;
  return true;  // unknown region: no opinion
}
}  // namespace

std::vector<Reason> m1_unknown_operator(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!cell.mcc || !cell.mnc) return {};
  const int mcc = *cell.mcc;
  const std::string op = std::to_string(mcc) + "-" + *cell.mnc + " (" + cells::operator_label(mcc, *cell.mnc) + ")";
  const auto name = cells::lookup_operator(mcc, *cell.mnc);
  nlohmann::json ev{{"mcc", mcc}, {"mnc", *cell.mnc}, {"operator", name ? nlohmann::json(name->name) : nlohmann::json(nullptr)}};
  std::vector<std::string> why;
  if (mcc == 1 || mcc == 999) {
    why.push_back("MCC " + std::to_string(mcc) + " is reserved (E.212: " + (mcc == 1 ? "test network" : "internal use") +
                  ")");
    ev["reserved_mcc"] = true;
  }
  if (!ctx.options.region.empty() && !zone_in_region(mcc, ctx.options.region)) {
    why.push_back("MCC " + std::to_string(mcc) + " (zone " + std::to_string(mcc / 100) + ") is not of region '" +
                  ctx.options.region + "'");
    ev["region"] = ctx.options.region;
  }
  if (ctx.baseline) {
    const auto ops = ctx.baseline->operators();
    if (!ops.empty() && !scorer::baseline_has_operator(ops, mcc, *cell.mnc)) {
      nlohmann::json known = nlohmann::json::array();
      for (const auto& [m, n] : ops) known.push_back(std::to_string(m) + "-" + n);
      why.push_back("operator " + op + " is not among the baseline's " + std::to_string(ops.size()) + " operators");
      ev["baseline_operators"] = known;
    }
  }
  if (why.empty()) return {};
  std::string detail;
  for (const auto& w : why) detail += (detail.empty() ? "" : "; ") + w;
  return {scorer::make_reason(weight, detail, ev)};
}

}  // namespace tw::rules
