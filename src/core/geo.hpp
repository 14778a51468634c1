// Small geodesy for field sweeps: great-circle distance and a local east/north plane (metres) around a
// reference point. The plane is the equirectangular projection at the reference latitude on a sphere of
// the WGS-84 mean radius: its distances differ from great-circle ones by about d^2 tan(lat) / R (the meridians
// converge): 0.6 m at 5 km and 48 degrees, far below the tens of metres a transmitter can be located to.
#pragma once
#include <cmath>

namespace tw::geo {

constexpr double kEarthRadiusM = 6371008.8;   // IUGG mean radius of the WGS-84 ellipsoid
constexpr double kPi = 3.14159265358979323846;
constexpr double kDegToRad = kPi / 180.0;

// True for a finite latitude within -90..90 and longitude within -180..180.
bool valid_lat_lon(double lat, double lon);

// Haversine distance in metres.
double distance_m(double lat1, double lon1, double lat2, double lon2);

struct EastNorth {
  double east_m = 0.0, north_m = 0.0;
};

// The local plane around (lat0, lon0): forward and inverse.
class LocalPlane {
 public:
  LocalPlane(double lat0, double lon0);
  EastNorth to_plane(double lat, double lon) const;
  void to_lat_lon(const EastNorth& p, double& lat, double& lon) const;
  double lat0() const { return lat0_; }
  double lon0() const { return lon0_; }

 private:
  double lat0_, lon0_, cos_lat0_;
};

}  // namespace tw::geo
