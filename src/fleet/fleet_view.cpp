// The fleet rules' view of a window, read from the fleet store (fleet_rules.hpp): every query here takes its
// values as parameters (FleetStore::query: prepared, no value in the SQL text).
#include <algorithm>
#include <set>

#include "src/fleet/fleet_rules.hpp"
#include "src/fleet/fleet_store.hpp"
#include "src/locate/locate.hpp"

namespace tw::fleet {

namespace {

// The cell identities heard in [$1, $2].
constexpr const char* kWindowCells =
    "SELECT DISTINCT rat, mcc, mnc, lac, ci FROM observations WHERE received_ms >= $1 AND received_ms <= $2 AND "
    "mcc IS NOT NULL AND ci IS NOT NULL";

std::string join_window(const std::string& cols) {
  return "FROM observations o JOIN (" + std::string(kWindowCells) +
         ") w ON o.rat = w.rat AND o.mcc = w.mcc AND o.mnc IS NOT DISTINCT FROM w.mnc AND o.lac IS NOT DISTINCT FROM "
         "w.lac AND o.ci = w.ci " + cols;
}

std::optional<double> opt_num(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return std::stod(s);
}

}  // namespace

std::string fleet_cell_key(const std::string& rat, const std::string& mcc, const std::string& mnc, const std::string& lac,
                           const std::string& ci) {
  return rat + ":" + mcc + "-" + (mnc.empty() ? "?" : mnc) + "-" + (lac.empty() ? "?" : lac) + "-" + ci;
}

FleetView load_fleet_view(FleetStore& db, std::int64_t window_start_ms, std::int64_t now_ms,
                          std::map<std::string, std::pair<std::int64_t, std::optional<CellPosition>>>* cache,
                          std::int64_t position_ttl_ms) {
  FleetView view;
  view.now_ms = now_ms;
  view.window_start_ms = window_start_ms;
  const std::vector<std::string> window{std::to_string(window_start_ms), std::to_string(now_ms)};

  // Per cell identity and sensor: the sensor's mean position, the cell's strongest level there (dBm only
  // when every observation had one), when and in which sweeps.
  for (const auto& r : db.query(
           "SELECT rat, mcc, mnc, lac, ci, sensor_id, avg(lat), avg(lon), max(snr_db), max(power_dbfs), "
           "CASE WHEN count(power_dbm) = count(*) THEN max(power_dbm) END, count(*), min(received_ms), "
           "max(received_ms), min(sweep_id), max(sweep_id) FROM observations WHERE received_ms >= $1 AND "
           "received_ms <= $2 AND mcc IS NOT NULL AND ci IS NOT NULL GROUP BY rat, mcc, mnc, lac, ci, sensor_id",
           window)) {
    Sighting s;
    s.rat = r[0];
    s.mcc = std::stoi(r[1]);
    s.mnc = r[2];
    s.cell_key = fleet_cell_key(r[0], r[1], r[2], r[3], r[4]);
    s.sensor = r[5];
    if (!r[6].empty() && !r[7].empty()) {
      s.lat = std::stod(r[6]);
      s.lon = std::stod(r[7]);
    }
    s.max_snr_db = std::stod(r[8]);
    s.max_power_dbfs = std::stod(r[9]);
    s.max_power_dbm = opt_num(r[10]);
    s.n = std::stoll(r[11]);
    s.first_ms = std::stoll(r[12]);
    s.last_ms = std::stoll(r[13]);
    s.first_sweep = std::stoll(r[14]);
    s.last_sweep = std::stoll(r[15]);
    view.sightings.push_back(std::move(s));
  }
  if (view.sightings.empty()) return view;

  // When the fleet first ever heard each of them (observations_by_cell index).
  for (const auto& r : db.query("SELECT o.rat, o.mcc, o.mnc, o.lac, o.ci, min(o.received_ms) " +
                                    join_window("GROUP BY o.rat, o.mcc, o.mnc, o.lac, o.ci"),
                                window))
    view.first_ever_ms[fleet_cell_key(r[0], r[1], r[2], r[3], r[4])] = std::stoll(r[5]);

  for (const auto& r : db.query("SELECT sensor_id, id FROM sweeps WHERE completed = 1 AND received_ms >= $1 AND "
                                "received_ms <= $2 ORDER BY id",
                                window))
    view.sweeps[r[0]].push_back(std::stoll(r[1]));

  // Positions: the fleet's own estimate from what it heard before the window (src/locate: log-distance fit
  // over the places the cell was heard from, one point per sensor and ~11 m square), cached.
  std::set<std::string> need;
  for (const auto& s : view.sightings) {
    if (cache) {
      auto it = cache->find(s.cell_key);
      if (it != cache->end() && now_ms - it->second.first < position_ttl_ms) {
        if (it->second.second) view.positions[s.cell_key] = *it->second.second;
        continue;
      }
    }
    need.insert(s.cell_key);
  }
  if (need.empty()) return view;
  struct Points {
    std::vector<locate::PowerSample> dbfs, dbm;
    bool all_dbm = true;
  };
  std::map<std::string, Points> points;
  for (const auto& r : db.query(
           "SELECT o.rat, o.mcc, o.mnc, o.lac, o.ci, avg(o.lat), avg(o.lon), avg(o.power_dbfs), avg(o.power_dbm), "
           "count(o.power_dbm) = count(*) " +
               join_window("AND o.received_ms < $1 AND o.lat IS NOT NULL AND o.lon IS NOT NULL GROUP BY o.rat, o.mcc, "
                           "o.mnc, o.lac, o.ci, o.sensor_id, round(o.lat::numeric, 4), round(o.lon::numeric, 4) "
                           "ORDER BY min(o.received_ms)"),
           window)) {
    const std::string key = fleet_cell_key(r[0], r[1], r[2], r[3], r[4]);
    if (!need.count(key)) continue;
    auto& p = points[key];
    locate::PowerSample s;
    s.lat = std::stod(r[5]);
    s.lon = std::stod(r[6]);
    s.power_db = std::stod(r[7]);
    p.dbfs.push_back(s);
    if (r[9] == "t" && !r[8].empty()) {
      s.power_db = std::stod(r[8]);
      p.dbm.push_back(s);
    } else {
      p.all_dbm = false;
    }
  }
  for (const auto& key : need) {
    std::optional<CellPosition> pos;
    if (auto it = points.find(key); it != points.end()) {
      const auto& p = it->second;
      const auto est = locate::locate_transmitter(p.all_dbm ? p.dbm : p.dbfs);
      // Only a fit: a centroid of a few places says little about where the mast stands.
      if (est && est->method == "path_loss_fit") pos = CellPosition{est->lat, est->lon, est->radius_m, "fleet_estimate"};
    }
    if (pos) view.positions[key] = *pos;
    if (cache) (*cache)[key] = {now_ms, pos};
  }
  return view;
}

}  // namespace tw::fleet
