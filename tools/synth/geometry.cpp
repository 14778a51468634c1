#include "tools/synth/geometry.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cmath>
#include <fstream>
#include <sstream>

#include "src/core/error.hpp"
#include "src/core/geo.hpp"
#include "tools/synth/splitmix.hpp"

namespace tw::synth {

namespace {
constexpr int kWaves = 64;
double unit(std::uint64_t h) { return (static_cast<double>(h >> 11) + 0.5) * (1.0 / 9007199254740992.0); }   // (0, 1)
}  // namespace

double shadowing_db(const CellPlacement& c, std::uint64_t seed, double rx_lat, double rx_lon) {
  if (!(c.shadowing_db > 0.0)) return 0.0;
  const geo::LocalPlane plane(c.lat, c.lon);
  const auto p = plane.to_plane(rx_lat, rx_lon);
  const double d = std::max(1.0, c.shadowing_decorrelation_m);
  double sum = 0.0;
  std::uint64_t s = splitmix64(seed ^ 0x5badc0ffeeULL);
  for (int j = 0; j < kWaves; ++j) {
    s = splitmix64(s);
    const double u = unit(s);
    s = splitmix64(s);
    const double theta = 2.0 * geo::kPi * unit(s);
    s = splitmix64(s);
    const double phi = 2.0 * geo::kPi * unit(s);
    // 2-D spectrum of exp(-r/d): p(k) ~ k / (1 + (k d)^2)^(3/2), CDF 1 - 1/sqrt(1 + (k d)^2).
    const double k = std::sqrt(1.0 / ((1.0 - u) * (1.0 - u)) - 1.0) / d;
    sum += std::cos(k * (std::cos(theta) * p.east_m + std::sin(theta) * p.north_m) + phi);
  }
  return c.shadowing_db * std::sqrt(2.0 / kWaves) * sum;
}

double received_dbm(const CellPlacement& c, std::uint64_t seed, double rx_lat, double rx_lon) {
  const double d = std::max(1.0, geo::distance_m(c.lat, c.lon, rx_lat, rx_lon));
  return c.power_1m_dbm - 10.0 * c.path_loss_exponent * std::log10(d) + shadowing_db(c, seed, rx_lat, rx_lon);
}

ReceiverTrack::ReceiverTrack(std::vector<TrackPoint> points) : points_(std::move(points)) {
  if (points_.empty()) throw InputError("receiver track: no points");
}

ReceiverTrack ReceiverTrack::parse(const std::string& text, const std::string& source) {
  std::vector<TrackPoint> pts;
  std::istringstream in(text);
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    if (pts.empty() && std::isalpha(static_cast<unsigned char>(line[first]))) continue;   // header
    const std::string where = source + ":" + std::to_string(lineno) + ": ";
    double v[3];
    std::size_t pos = 0;
    for (int k = 0; k < 3; ++k) {
      const auto comma = line.find(',', pos);
      const std::string field = line.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      char* end = nullptr;
      v[k] = std::strtod(field.c_str(), &end);
      if (field.empty() || end == field.c_str() || !std::isfinite(v[k]) || field.find_first_not_of(" \t", end - field.c_str()) != std::string::npos)
        throw InputError(where + "expected t_seconds,lat,lon (3 numbers), got '" + line.substr(0, 60) + "'");
      if ((k < 2) != (comma != std::string::npos))
        throw InputError(where + "expected t_seconds,lat,lon (3 numbers), got '" + line.substr(0, 60) + "'");
      pos = comma == std::string::npos ? line.size() : comma + 1;
    }
    if (!geo::valid_lat_lon(v[1], v[2])) throw InputError(where + "lat/lon out of range");
    if (!pts.empty() && !(v[0] > pts.back().t_s)) throw InputError(where + "time does not increase");
    pts.push_back({v[0], v[1], v[2]});
    if (pts.size() > 10000000) throw InputError(source + ": more than 10 million track points");
  }
  if (pts.empty()) throw InputError(source + ": the receiver track has no t_seconds,lat,lon rows");
  return ReceiverTrack(std::move(pts));
}

ReceiverTrack ReceiverTrack::load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path + ": cannot open the receiver track");
  std::ostringstream ss;
  ss << f.rdbuf();
  return parse(ss.str(), path);
}

TrackPoint ReceiverTrack::at(double t) const {
  if (!(t > points_.front().t_s)) return {t, points_.front().lat, points_.front().lon};
  if (t >= points_.back().t_s) return {t, points_.back().lat, points_.back().lon};
  const auto it = std::upper_bound(points_.begin(), points_.end(), t, [](double x, const TrackPoint& p) { return x < p.t_s; });
  const TrackPoint& b = *it;
  const TrackPoint& a = *(it - 1);
  const double f = (t - a.t_s) / (b.t_s - a.t_s);
  return {t, a.lat + f * (b.lat - a.lat), a.lon + f * (b.lon - a.lon)};
}

double ReceiverTrack::length_m() const {
  double s = 0;
  for (std::size_t i = 1; i < points_.size(); ++i)
    s += geo::distance_m(points_[i - 1].lat, points_[i - 1].lon, points_[i].lat, points_[i].lon);
  return s;
}

}  // namespace tw::synth
