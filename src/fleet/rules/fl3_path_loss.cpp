// FL3: power that contradicts distance - a sensor hears a cell far stronger than the log-distance fit of the
// other sensors' levels against their distance to the cell's known position allows (fleet_rules.cpp).
//
// For a cell with a known position and positioned sightings at >= kMinSensors sensors, the level at sensor i
// is modelled L_i = A - 10 n log10(d_i) (d_i: the distance to the mast, with a 10 m mast height), fitted by
// least median of squares over n in [2, 5] (for each n, A is the median of L_i + 10 n log10 d_i; the n with
// the smallest median absolute residual wins): a catcher near a few sensors does not bend the fit of the
// others. The spread s is the robust (1.4826 MAD) residual, at least kShadowingDb. A sensor is flagged when
// its level exceeds the most generous prediction - the fit at its distance shortened by the position's
// uncertainty radius - by more than kSigmas * s, after removing the sensor's own level offset (its median
// residual over the other positioned cells it heard: an uncalibrated dongle reads every cell too strong).
#include <algorithm>
#include <cmath>
#include <map>

#include "src/fleet/fleet_rules.hpp"

namespace tw::fleet {

namespace {
constexpr std::size_t kMinSensors = 4;    // positioned sightings of the cell: two parameters and a check
constexpr double kShadowingDb = 8.0;      // log-normal shadowing, macro cells (3GPP TR 36.942 4.5: 10 dB; urban 8)
constexpr double kSigmas = 3.0;           // one in ~740 legitimate readings above it under a normal model
constexpr double kMastHeightM = 10.0;

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2) return *mid;
  return (*mid + *std::max_element(v.begin(), mid)) / 2;
}

struct Point {
  const Sighting* s;
  double level, dist_m;
};

struct Fit {
  double a = 0, n = 0, sigma = 0;
  std::vector<Point> points;
  std::vector<double> residuals;
  bool dbm = false;
};

double log_d(double dist_m) { return 10 * std::log10(std::sqrt(dist_m * dist_m + kMastHeightM * kMastHeightM)); }

std::optional<Fit> fit_cell(const std::vector<const Sighting*>& ss, const CellPosition& pos) {
  Fit f;
  f.dbm = std::all_of(ss.begin(), ss.end(), [](const Sighting* s) { return s->max_power_dbm.has_value(); });
  for (const auto* s : ss)
    f.points.push_back({s, f.dbm ? *s->max_power_dbm : s->max_power_dbfs, distance_km(*s->lat, *s->lon, pos.lat, pos.lon) * 1000});
  if (f.points.size() < kMinSensors) return std::nullopt;
  double best = 1e300;
  for (int k = 0; k <= 60; ++k) {
    const double n = 2.0 + 0.05 * k;
    std::vector<double> a;
    for (const auto& p : f.points) a.push_back(p.level + n * log_d(p.dist_m));
    const double am = median(a);
    std::vector<double> r;
    for (const auto& p : f.points) r.push_back(std::fabs(p.level - am + n * log_d(p.dist_m)));
    const double m = median(r);
    if (m < best - 1e-9) {
      best = m;
      f.a = am;
      f.n = n;
    }
  }
  for (const auto& p : f.points) f.residuals.push_back(p.level - f.a + f.n * log_d(p.dist_m));
  f.sigma = std::max(kShadowingDb, 1.4826 * best);
  return f;
}

}  // namespace

std::vector<FleetFinding> rule_fl3_path_loss(const FleetView& view) {
  std::map<std::string, std::vector<const Sighting*>> by_cell;
  for (const auto& s : view.sightings)
    if (s.lat && s.lon && view.positions.count(s.cell_key)) by_cell[s.cell_key].push_back(&s);
  std::map<std::string, Fit> fits;
  for (const auto& [key, ss] : by_cell)
    if (auto f = fit_cell(ss, view.positions.at(key))) fits[key] = std::move(*f);
  // Each sensor's residual per cell: its level offset is the median over the other cells.
  std::map<std::string, std::map<std::string, double>> residual_of;   // sensor -> cell -> residual
  for (const auto& [key, f] : fits)
    for (std::size_t i = 0; i < f.points.size(); ++i) residual_of[f.points[i].s->sensor][key] = f.residuals[i];

  std::vector<FleetFinding> out;
  for (const auto& [key, f] : fits) {
    const CellPosition& pos = view.positions.at(key);
    nlohmann::json flagged = nlohmann::json::array();
    std::size_t inliers = 0;
    double worst = 0;
    std::string worst_sensor;
    for (std::size_t i = 0; i < f.points.size(); ++i) {
      const auto& p = f.points[i];
      if (std::fabs(f.residuals[i]) <= 2 * f.sigma) ++inliers;
      std::vector<double> others;
      for (const auto& [cell, r] : residual_of[p.s->sensor])
        if (cell != key) others.push_back(r);
      const double offset = others.size() >= 2 ? median(others) : 0.0;
      const double predicted_max = f.a - f.n * log_d(std::max(0.0, p.dist_m - pos.radius_m));
      const double excess = p.level - offset - predicted_max;
      if (excess <= kSigmas * f.sigma) continue;
      flagged.push_back({{"sensor", p.s->sensor}, {"level", p.level}, {"distance_m", std::round(p.dist_m)},
                         {"predicted_max", std::round(predicted_max * 10) / 10}, {"excess_db", std::round(excess * 10) / 10},
                         {"sensor_offset_db", std::round(offset * 10) / 10}});
      if (excess > worst) {
        worst = excess;
        worst_sensor = p.s->sensor;
      }
    }
    // The fit must rest on a consistent majority: at least kMinSensors - 1 inliers, more than flagged.
    if (flagged.empty() || inliers + 1 < kMinSensors || flagged.size() * 2 > f.points.size()) continue;
    FleetFinding ff;
    ff.cell_key = key;
    ff.score = 1.0;
    ff.detail = std::to_string(flagged.size()) + " sensor(s) hear it far stronger than its distance from its known position (" +
                pos.source + ", radius " + std::to_string(static_cast<int>(pos.radius_m)) + " m) allows: " + worst_sensor +
                " " + std::to_string(static_cast<int>(std::lround(worst))) + " dB above the most generous prediction of the fit over " +
                std::to_string(f.points.size()) + " sensors (n = " + std::to_string(f.n).substr(0, 4) + ", spread " +
                std::to_string(f.sigma).substr(0, 4) + " dB); another transmitter with this identity is near them";
    ff.evidence = {{"sensors", flagged},       {"fit_sensors", f.points.size()}, {"exponent", f.n},
                   {"level_at_1m", f.a},       {"spread_db", f.sigma},          {"unit", f.dbm ? "dBm" : "dBFS"},
                   {"position", {{"lat", pos.lat}, {"lon", pos.lon}, {"radius_m", pos.radius_m}, {"source", pos.source}}}};
    out.push_back(std::move(ff));
  }
  return out;
}

}  // namespace tw::fleet
