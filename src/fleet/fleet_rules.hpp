// Rules only a fleet can apply: they compare what several sensors, at known positions, heard of one cell
// identity within a time window (received time at the collector: a sensor's wrong clock does not move its
// observations out of the window). One rule per file in src/fleet/rules/, registered in the table of
// fleet_rules.cpp with its rationale and sources, like the single-sensor rules (src/scorer/rules_table.cpp);
// their ids start with FL (F1, F2 are single-sensor rules).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tw::fleet {

class PgFleetStore;

// One cell identity as one sensor heard it within the window.
struct Sighting {
  std::string cell_key;      // store::cell_key without the channel: "GSM:262-01-1234-5678"
  std::string rat;
  int mcc = 0;
  std::string mnc;
  std::string sensor;
  std::optional<double> lat, lon;   // the sensor's mean position
  double max_snr_db = 0, max_power_dbfs = -200;
  std::int64_t n = 0;
};

struct FleetView {
  std::vector<Sighting> sightings;
  std::int64_t window_start_ms = 0, now_ms = 0;
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
  std::vector<nlohmann::json> run(PgFleetStore& db, std::int64_t now_ms);

 private:
  std::int64_t window_ms_, min_interval_ms_;
  std::int64_t last_run_ms_ = 0;
};

}  // namespace tw::fleet
