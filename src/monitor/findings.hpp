// Alert de-duplication for `towerwatch monitor`: a finding is reported once when a cell first scores at or
// above the threshold, again only when it changes (its score, the set of rules that fired with their
// weights, or the cell's identity), and cleared once the cell has been gone or below the threshold for
// `clear_after_sweeps` sweeps in a row. Counted in sweeps, never in time, so it is the same on any clock.
//
// A finding lives in a slot: the cell's RAT and ARFCN ("GSM@64"), so a cell that changes identity on the
// same carrier is the same finding (reported as changed). Two alerting cells on one ARFCN in one sweep
// (possible with cloned identities) get slots "GSM@64" and "GSM@64/<cell key>".
// The open findings are store::OpenFinding rows: load them from the store, persist() them after each sweep,
// and a restarted monitor reports nothing it reported before.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/scorer/scorer.hpp"
#include "src/store/store.hpp"

namespace tw::monitor {

std::string finding_slot(const CellObservation& cell);  // "GSM@64"

enum class FindingEventKind { opened, changed, cleared };
const char* finding_event_name(FindingEventKind kind);  // "new", "changed", "cleared"

struct FindingEvent {
  FindingEventKind kind = FindingEventKind::opened;
  std::string key;
  // opened / changed: the alert line {"type":"alert",...,"finding":key,"status":"new"|"changed",
  //   "sweep_id":..,"changes":[...] (changed only: "score","rules","identity"),"previous":{...}}
  // cleared: {"type":"alert_cleared","finding":key,"reason":"gone"|"normal","quiet_sweeps":N,"sweep_id":..,
  //   "time_unix_ms":..,"opened_sweep_id":..,"last_alert_sweep_id":..,"cell":{...as last reported}}
  nlohmann::json event;
};

struct FindingOptions {
  int clear_after_sweeps = 3;   // >= 1
  double score_tolerance = 1e-6;
};

class FindingTracker {
 public:
  explicit FindingTracker(FindingOptions options = {}, const std::vector<store::OpenFinding>& open = {});

  // One scored sweep: `sweep` is every cell seen (to tell "gone" from "normal"), `alerts` those at or
  // above the threshold (score_sweep). Returns the events to report, opened/changed first, then cleared.
  std::vector<FindingEvent> update(std::int64_t sweep_id, std::int64_t time_unix_ms, const SweepObservations& sweep,
                                   const std::vector<Alert>& alerts);

  const std::map<std::string, store::OpenFinding>& open() const { return open_; }
  // True when a cell with this identity key (store::cell_key) has an open finding.
  bool cell_has_open_finding(const std::string& cell_key) const;

  // Writes the open findings and deletes the cleared ones since the last call (inside the caller's
  // transaction, if any).
  void persist(store::Store& store);

 private:
  FindingOptions options_;
  std::map<std::string, store::OpenFinding> open_;
  std::set<std::string> removed_;
};

// [{"rule":"A2","weight":1.5},...] sorted by rule id: what "the set of rules" compares.
nlohmann::json rule_signature(const std::vector<Reason>& reasons);

}  // namespace tw::monitor
