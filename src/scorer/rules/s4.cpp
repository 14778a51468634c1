// S4: the transmitter moved. The cell's estimated position now (src/locate, from this drive's positioned
// observations) and its estimate from the observations stored before this drive are farther apart than the
// sum of their uncertainty radii: the same transmitter (RAT, channel, BSIC/PCI) stood somewhere else. Base
// stations do not move; an IMSI catcher in a vehicle does (the EFF's Crocodile Hunter locates transmitters
// from drives for this reason; SeaGlass flags cells seen where they were not before). A centroid estimate
// (poor geometry) is too coarse for this and is not used.
#include <cmath>

#include "src/core/geo.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

std::vector<Reason> s4_transmitter_moved(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  const auto& now = cell.position_estimate;
  if (!ctx.baseline || !now || now->method != "path_loss_fit") return {};
  const auto before = ctx.baseline->earlier_position_estimate(cell, ctx.sweep.time_unix_ms);
  if (!before || before->method != "path_loss_fit" || !geo::valid_lat_lon(before->lat, before->lon) ||
      !geo::valid_lat_lon(now->lat, now->lon))
    return {};
  const double d = geo::distance_m(now->lat, now->lon, before->lat, before->lon);
  const double limit = now->radius_m + before->radius_m;
  if (!(d > limit)) return {};
  return {scorer::make_reason(weight,
                              "transmitter estimated " + scorer::fixed1(d / 1000.0) + " km from where an earlier drive put it "
                                  "(uncertainties add up to " + scorer::fixed1(limit / 1000.0) + " km)",
                              {{"distance_m", std::round(d)}, {"limit_m", std::round(limit)},
                               {"lat", now->lat}, {"lon", now->lon}, {"radius_m", now->radius_m}, {"points", now->points},
                               {"earlier_lat", before->lat}, {"earlier_lon", before->lon},
                               {"earlier_radius_m", before->radius_m}, {"earlier_points", before->points}})};
}

}  // namespace tw::rules
