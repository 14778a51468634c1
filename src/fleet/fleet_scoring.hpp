// The collector scores every sweep a sensor completes against the fleet baseline: the single-sensor rules
// (src/scorer) with the PostgreSQL baseline view (pg_baseline_view.hpp: whatever any sensor of the fleet was
// received with before this sweep). A sensor's own SQLite baseline knows one place; this one knows the fleet.
// While the fleet learns (the first `learn_ms` after the first sweep it ever stored) nothing is scored.
// Each alert becomes a fleet alert (rule "FLB", once per cell and window in table fleet_alerts) carrying the
// scorer's reasons, each with its rule, weight and detail.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/scorer/scorer.hpp"

namespace tw::fleet {

class PgFleetStore;

struct SweepRef {
  std::string sensor, epoch;
  std::int64_t sweep = 0;   // the sensor's sweep number
};

class FleetSweepScorer {
 public:
  FleetSweepScorer(std::int64_t learn_ms, std::int64_t window_ms, ScorerOptions options = {})
      : learn_ms_(learn_ms), window_ms_(window_ms), options_(std::move(options)) {}
  // The fleet_alert lines of the sweeps, stored; an alert already stored for the cell in this window is not
  // returned again.
  std::vector<nlohmann::json> score(PgFleetStore& db, const std::vector<SweepRef>& completed, std::int64_t now_ms);

 private:
  std::int64_t learn_ms_, window_ms_;
  ScorerOptions options_;
  std::optional<std::int64_t> fleet_start_ms_;
};

}  // namespace tw::fleet
