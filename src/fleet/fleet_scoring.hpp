// The collector scores every sweep a sensor completes against the fleet baseline: the single-sensor rules
// (src/scorer) with the PostgreSQL baseline view (pg_baseline_view.hpp: whatever any sensor of the fleet was
// received with before this sweep). A sensor's own SQLite baseline knows one place; this one knows the fleet.
// While the fleet learns (the first `learn_ms` after the first sweep it ever stored) nothing is scored.
// Each alert becomes a fleet alert (rule "FLB", once per cell and window in table fleet_alerts) carrying the
// scorer's reasons, each with its rule, weight and detail.
// The baseline answers are cached (each query of PostgreSQL aggregates every observation of the cell): an
// answer computed for "before T" serves sweeps received at T .. T + cache_ms, so a sweep is never judged
// against its own observations, and against a baseline at most cache_ms older than it.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
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
  FleetSweepScorer(std::int64_t learn_ms, std::int64_t window_ms, ScorerOptions options = {}, std::int64_t cache_ms = 60000)
      : learn_ms_(learn_ms), window_ms_(window_ms), options_(std::move(options)), cache_ms_(cache_ms) {}
  // The fleet_alert lines of the sweeps, stored; an alert already stored for the cell in this window is not
  // returned again.
  std::vector<nlohmann::json> score(PgFleetStore& db, const std::vector<SweepRef>& completed, std::int64_t now_ms);

 private:
  std::int64_t learn_ms_, window_ms_;
  ScorerOptions options_;
  std::optional<std::int64_t> fleet_start_ms_;
  std::int64_t cache_ms_;

 public:   // the cache the per-sweep baseline view (fleet_scoring.cpp) reads and fills
  struct CellCache {
    std::int64_t before_ms;
    std::optional<KnownCell> cell;
  };
  std::map<std::tuple<int, std::string, int, int>, CellCache> cells_;
  std::map<std::pair<int, std::string>, std::pair<std::int64_t, bool>> operators_;
  std::int64_t cache_ms() const { return cache_ms_; }
};

}  // namespace tw::fleet
