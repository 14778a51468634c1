// Rules only a fleet can apply: they compare what several sensors, at known positions, heard of one cell
// identity within a time window (received time at the collector: a sensor's wrong clock does not move its
// observations out of the window). One rule per file in src/fleet/rules/, registered in the table of
// fleet_rules.cpp with its rationale and sources, like the single-sensor rules (src/scorer/rules_table.cpp);
// their ids start with FL (F1, F2 are single-sensor rules).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tw::fleet {

class FleetStore;

// One cell identity as one sensor heard it within the window.
struct Sighting {
  std::string cell_key;      // store::cell_key without the channel: "GSM:262-01-1234-5678"
  std::string rat;
  int mcc = 0;
  std::string mnc;
  std::string sensor;
  std::optional<double> lat, lon;   // the sensor's mean position
  double max_snr_db = 0, max_power_dbfs = -200;
  std::optional<double> max_power_dbm;   // when every observation of it had a calibrated level
  std::int64_t n = 0;
  std::int64_t first_ms = 0, last_ms = 0;           // received (collector time)
  std::int64_t first_sweep = 0, last_sweep = 0;     // the fleet store's sweep ids (insertion order)
};

// Where the fleet believes a cell stands (FL3): estimated from what the sensors heard before the window
// (src/locate, fleet_view.cpp) or imported; radius_m ~90 %.
struct CellPosition {
  double lat = 0, lon = 0, radius_m = 0;
  std::string source;   // "fleet_estimate" | "opencellid" | ...
};

struct FleetView {
  std::vector<Sighting> sightings;
  std::int64_t window_start_ms = 0, now_ms = 0;
  // Per cell key of the window: when the fleet first ever received it (its history, before the window too).
  std::map<std::string, std::int64_t> first_ever_ms;
  // Per sensor: the ids of its completed sweeps received within the window, ascending (FL4).
  std::map<std::string, std::vector<std::int64_t>> sweeps;
  // Known positions of cells of the window (FL3).
  std::map<std::string, CellPosition> positions;
};

struct FleetFinding {
  std::string cell_key;
  double score = 0;
  std::string detail;        // one sentence a person can check
  nlohmann::json evidence = nlohmann::json::object();
};

struct FleetRule {
  const char* id;
  const char* name;
  double weight;
  const char* rationale;
  const char* sources;
  std::vector<FleetFinding> (*apply)(const FleetView& view);
};

const std::vector<FleetRule>& fleet_rules();

// Great-circle distance (haversine, mean Earth radius 6371.0088 km).
double distance_km(double lat1, double lon1, double lat2, double lon2);

// The rules over the window [now - window, now], at most once every min_interval_ms; each finding is stored
// (fleet_alerts, once per rule, cell and window) and returned as a {"type":"fleet_alert",...} line when new.
class FleetRuleRunner {
 public:
  explicit FleetRuleRunner(std::int64_t window_ms, std::int64_t min_interval_ms = 2000)
      : window_ms_(window_ms), min_interval_ms_(min_interval_ms) {}
  std::vector<nlohmann::json> run(FleetStore& db, std::int64_t now_ms);

 private:
  std::int64_t window_ms_, min_interval_ms_;
  std::int64_t last_run_ms_ = 0, last_cost_ms_ = 0;
  std::map<std::string, std::pair<std::int64_t, std::optional<CellPosition>>> position_cache_;
};

// The view of [window_start_ms, now_ms] from the fleet store (fleet_view.cpp): sightings, first-ever times,
// sweeps per sensor and, for cells heard in the window, positions estimated from the positioned sightings
// received before the window (cached per cell in `cache` for position_ttl_ms).
FleetView load_fleet_view(FleetStore& db, std::int64_t window_start_ms, std::int64_t now_ms,
                          std::map<std::string, std::pair<std::int64_t, std::optional<CellPosition>>>* cache = nullptr,
                          std::int64_t position_ttl_ms = 600000);

// The cell key of a fleet sighting: store::cell_key without the channel ("GSM:262-01-1234-5678").
std::string fleet_cell_key(const std::string& rat, const std::string& mcc, const std::string& mnc,
                           const std::string& lac, const std::string& ci);

}  // namespace tw::fleet
