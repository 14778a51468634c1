// The per-sweep logic of `towerwatch monitor`, without a device: each completed sweep is stored, then
//   - during the learning period (sweep time < learning start + learn duration; the start is kept in the
//     database, meta "monitor.learn_started_ms", so a restart continues the same period) the sweep is folded
//     into the baseline (learn_baseline) and nothing is scored or reported;
//   - afterwards it is scored against the baseline (score_sweep with StoreBaselineView), every alert of the
//     sweep is stored (alerts table), the findings are de-duplicated (FindingTracker: each reported once,
//     again when it changes, cleared after N quiet sweeps), and the cells that raised no alert and have no
//     open finding are folded into the learned baseline ("keeps learning slowly from what stays normal";
//     an alerting cell never is);
// all of it in ONE transaction (sweep, alerts, findings, baseline, clock), so an interruption leaves either
// the whole sweep or nothing. Events are returned after the commit: a crash can lose a report, never
// repeat one.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/monitor/findings.hpp"
#include "src/scorer/scorer.hpp"
#include "src/store/store.hpp"

namespace tw::monitor {

struct MonitorCoreOptions {
  std::int64_t learn_ms = 24LL * 3600 * 1000;   // learning period
  int clear_after_sweeps = 3;
  ScorerOptions scorer;
  // Called inside the sweep's transaction after it is stored and scored (the fleet's MQTT outbox).
  std::function<void(store::Store&, std::int64_t sweep_id, const SweepObservations&, const std::vector<Alert>&,
                     const std::string& source)>
      in_transaction;
};

struct SweepOutcome {
  std::int64_t sweep_id = 0;
  std::int64_t time_unix_ms = 0;
  bool learning = false;
  std::int64_t learning_ends_ms = 0;
  std::size_t cells = 0;
  std::vector<Alert> alerts;                  // every alert of the sweep (empty while learning)
  std::vector<FindingEvent> events;           // what to report
  std::size_t cells_learned = 0;              // folded into the baseline by this sweep
};

class MonitorCore {
 public:
  MonitorCore(store::Store& store, MonitorCoreOptions options);

  // `sweep.time_unix_ms` is the sweep's time on the monitor clock (its cells carry it too).
  SweepOutcome process(const SweepObservations& sweep, const std::string& source);

  const FindingTracker& findings() const { return tracker_; }
  // The open findings as the database holds them (after a COMMIT whose outcome was lost with the connection
  // turned out to have been written).
  void reload_findings();
  std::optional<std::int64_t> learning_started_ms();
  // True when the database holds a baseline to score against (learned or imported cells).
  bool has_baseline();

  static constexpr const char* kLearnStartedMeta = "monitor.learn_started_ms";
  static constexpr const char* kClockMeta = "monitor.clock_ms";

 private:
  std::size_t learn_normal_cells(const FindingTracker& tracker, std::int64_t sweep_id, const SweepObservations& sweep,
                                 const std::vector<Alert>& alerts);
  store::Store& store_;
  MonitorCoreOptions options_;
  FindingTracker tracker_;
};

// The stored stream clock of a database (meta "monitor.clock_ms"), if any.
std::optional<std::int64_t> stored_clock_ms(store::Store& store);

}  // namespace tw::monitor
