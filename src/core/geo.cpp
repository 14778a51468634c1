#include "src/core/geo.hpp"

#include <algorithm>

namespace tw::geo {

bool valid_lat_lon(double lat, double lon) {
  return std::isfinite(lat) && std::isfinite(lon) && std::fabs(lat) <= 90.0 && std::fabs(lon) <= 180.0;
}

double distance_m(double lat1, double lon1, double lat2, double lon2) {
  const double dlat = (lat2 - lat1) * kDegToRad, dlon = (lon2 - lon1) * kDegToRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kDegToRad) * std::cos(lat2 * kDegToRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

LocalPlane::LocalPlane(double lat0, double lon0)
    : lat0_(lat0), lon0_(lon0), cos_lat0_(std::max(1e-6, std::cos(lat0 * kDegToRad))) {}

EastNorth LocalPlane::to_plane(double lat, double lon) const {
  double dlon = lon - lon0_;
  if (dlon > 180.0) dlon -= 360.0;   // the antimeridian
  if (dlon < -180.0) dlon += 360.0;
  return {dlon * kDegToRad * kEarthRadiusM * cos_lat0_, (lat - lat0_) * kDegToRad * kEarthRadiusM};
}

void LocalPlane::to_lat_lon(const EastNorth& p, double& lat, double& lon) const {
  lat = lat0_ + p.north_m / kEarthRadiusM / kDegToRad;
  lon = lon0_ + p.east_m / (kEarthRadiusM * cos_lat0_) / kDegToRad;
  if (lon > 180.0) lon -= 360.0;
  if (lon < -180.0) lon += 360.0;
}

}  // namespace tw::geo
