// S3: location outlier. The sensor's position (the observation's lat/lon) is farther from the baseline's
// position of this CGI than the cell could be heard: for an imported OpenCellID cell, twice its "range"
// (OpenCellID's estimate of the cell's coverage radius) and at least kMinLimitM; for a learned cell (its
// position is the mean sensor position it was heard from), kLearnedLimitM = 35 km, the largest GSM cell
// radius (timing advance 0..63 x 550 m, TS 45.010 clause 5.3 / 44.018 10.5.2.40). A real cell heard where it
// cannot be is a clone (AIMSICD's location check, SeaGlass's location outliers). When the cell has an
// estimated transmitter position (a drive, src/locate) and the baseline's position is OpenCellID's, the
// estimate is compared instead: farther than its radius plus OpenCellID's range (at least 2 km).
#include <algorithm>
#include <cmath>

#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr double kLearnedLimitM = 35000.0;
constexpr double kMinLimitM = 2000.0;
constexpr double kEarthRadiusM = 6371000.0;

double haversine_m(double lat1, double lon1, double lat2, double lon2) {
  constexpr double rad = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}
bool valid(double lat, double lon) {
  return std::isfinite(lat) && std::isfinite(lon) && std::fabs(lat) <= 90.0 && std::fabs(lon) <= 180.0;
}
}  // namespace

std::vector<Reason> s3_location_outlier(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  const bool positioned = cell.lat && cell.lon && valid(*cell.lat, *cell.lon);
  if (!ctx.baseline || (!positioned && !cell.position_estimate) || !cell.mcc || !cell.mnc || !cell.lac || !cell.ci)
    return {};
  const auto k = ctx.baseline->find_cell_of(cell.rat, *cell.mcc, *cell.mnc, *cell.lac, *cell.ci);
  if (!k || !k->lat || !k->lon || !valid(*k->lat, *k->lon)) return {};
  const bool imported = k->source == "opencellid";
  if (const auto& e = cell.position_estimate; e && imported && valid(e->lat, e->lon)) {
    // The transmitter's estimated position (src/locate) against OpenCellID's: farther apart than the
    // estimate's radius plus OpenCellID's range (at least kMinLimitM) means another transmitter.
    const double limit = e->radius_m + std::max(k->range_m.value_or(0.0), kMinLimitM);
    const double d = haversine_m(e->lat, e->lon, *k->lat, *k->lon);
    if (d <= limit) return {};
    return {scorer::make_reason(weight,
                                "transmitter estimated " + scorer::fixed1(d / 1000.0) +
                                    " km from its OpenCellID position, beyond " + scorer::fixed1(limit / 1000.0) + " km",
                                {{"distance_m", std::round(d)}, {"limit_m", std::round(limit)}, {"known_lat", *k->lat},
                                 {"known_lon", *k->lon}, {"estimated_lat", e->lat}, {"estimated_lon", e->lon},
                                 {"radius_m", e->radius_m}, {"points", e->points}, {"method", e->method},
                                 {"source", k->source}})};
  }
  if (!positioned) return {};
  const double limit = imported && k->range_m ? std::max(2.0 * *k->range_m, kMinLimitM) : kLearnedLimitM;
  const double d = haversine_m(*cell.lat, *cell.lon, *k->lat, *k->lon);
  if (d <= limit) return {};
  return {scorer::make_reason(weight,
                              "heard " + scorer::fixed1(d / 1000.0) + " km from its " +
                                  (imported ? "OpenCellID" : "learned") + " position, beyond " +
                                  scorer::fixed1(limit / 1000.0) + " km",
                              {{"distance_m", std::round(d)}, {"limit_m", limit}, {"known_lat", *k->lat},
                               {"known_lon", *k->lon}, {"lat", *cell.lat}, {"lon", *cell.lon}, {"source", k->source}})};
}

}  // namespace tw::rules
