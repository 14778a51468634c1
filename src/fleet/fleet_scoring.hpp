// The collector scores every sweep a sensor completes against the fleet baseline (fleet_baseline.hpp): the
// single-sensor rules (src/scorer) with what every sensor of the fleet taught the baseline before this sweep.
// A sensor's own SQLite baseline knows one place; this one knows the fleet.
// Learning, as `towerwatch monitor` does (src/monitor/monitor_core.hpp): while the fleet learns (the first
// `learn_ms` after the first sweep it ever stored, collector time) a completed sweep is folded into the
// baseline whole and nothing is scored; afterwards it is scored, then its cells that raised no alert are
// folded in ("keeps learning from what stays normal"), and so are none of the cells that any fleet alert named
// within the window (the fleet's open findings). The sweeps a batch completed are scored against the baseline
// as it was before the batch (they do not learn from each other), then their alerts, baseline update and
// history are written in one transaction. Each alert becomes a fleet alert (rule "FLB", once per cell and window in table fleet_alerts)
// carrying the scorer's reasons, each with its rule, weight and detail.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/fleet/fleet_baseline.hpp"
#include "src/scorer/scorer.hpp"

namespace tw::fleet {

class FleetStore;

struct SweepRef {
  std::string sensor, epoch;
  std::int64_t sweep = 0;   // the sensor's sweep number
};

class FleetSweepScorer {
 public:
  FleetSweepScorer(std::int64_t learn_ms, std::int64_t window_ms, ScorerOptions options = {}, std::int64_t cache_ms = 60000)
      : learn_ms_(learn_ms), window_ms_(window_ms), options_(std::move(options)) {
    cache_.ttl_ms = cache_ms;
    learned_.ttl_ms = cache_ms;
  }
  // The fleet_alert lines of the sweeps, stored; an alert already stored for the cell in this window is not
  // returned again.
  std::vector<nlohmann::json> score(FleetStore& db, const std::vector<SweepRef>& completed, std::int64_t now_ms);

 private:
  std::int64_t learn_ms_, window_ms_;
  ScorerOptions options_;
  std::optional<std::int64_t> fleet_start_ms_;
  FleetBaselineCache cache_;
  LearnedCellCache learned_;
};

}  // namespace tw::fleet
