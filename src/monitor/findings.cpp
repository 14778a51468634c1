#include "src/monitor/findings.hpp"

#include <algorithm>
#include <cmath>

#include "src/core/error.hpp"

namespace tw::monitor {

using nlohmann::json;

std::string finding_slot(const CellObservation& c) {
  if (is_band_observation(c)) return c.rat + "@" + c.band;   // a band's finding (rule J1): one slot per band
  return c.rat + "@" + (c.arfcn >= 0 ? std::to_string(c.arfcn) : std::string("?"));
}

const char* finding_event_name(FindingEventKind k) {
  switch (k) {
    case FindingEventKind::opened: return "new";
    case FindingEventKind::changed: return "changed";
    case FindingEventKind::cleared: return "cleared";
  }
  return "?";
}

json rule_signature(const std::vector<Reason>& reasons) {
  std::vector<std::pair<std::string, double>> v;
  for (const auto& r : reasons) v.emplace_back(r.rule, std::round(r.weight * 1000.0) / 1000.0);
  std::sort(v.begin(), v.end());
  json out = json::array();
  for (const auto& [rule, w] : v) out.push_back({{"rule", rule}, {"weight", w}});
  return out;
}

FindingTracker::FindingTracker(FindingOptions options, const std::vector<store::OpenFinding>& open)
    : options_(options) {
  if (options_.clear_after_sweeps < 1) throw InputError("clear_after_sweeps must be at least 1");
  for (const auto& f : open) open_[f.key] = f;
}

bool FindingTracker::cell_has_open_finding(const std::string& key) const {
  for (const auto& [slot, f] : open_)
    if (f.cell_key == key) return true;
  return false;
}

namespace {
json bsic_of(const json& alert) {
  if (alert.contains("cell") && alert["cell"].is_object() && alert["cell"].contains("bsic")) return alert["cell"]["bsic"];
  return nullptr;
}
}  // namespace

std::vector<FindingEvent> FindingTracker::update(std::int64_t sweep_id, std::int64_t time_ms,
                                                 const SweepObservations& sweep, const std::vector<Alert>& alerts) {
  std::vector<FindingEvent> events;
  std::set<std::string> alerted_slots;
  for (const auto& a : alerts) {
    std::string slot = finding_slot(a.cell);
    const std::string key = store::cell_key(a.cell);
    if (alerted_slots.count(slot)) slot += "/" + key;  // a second alerting cell on the same carrier
    alerted_slots.insert(slot);

    json line = to_json(a);
    line["finding"] = slot;
    line["sweep_id"] = sweep_id;
    const json sig = rule_signature(a.reasons);
    auto it = open_.find(slot);
    if (it == open_.end()) {
      store::OpenFinding f;
      f.key = slot;
      f.cell_key = key;
      f.score = a.score;
      f.rules = sig;
      f.opened_sweep_id = f.reported_sweep_id = f.last_alert_sweep_id = sweep_id;
      f.opened_ms = f.last_alert_ms = time_ms;
      line["status"] = finding_event_name(FindingEventKind::opened);
      f.alert = line;
      open_[slot] = f;
      events.push_back({FindingEventKind::opened, slot, std::move(line)});
      continue;
    }
    store::OpenFinding& f = it->second;
    json changes = json::array();
    if (std::fabs(f.score - a.score) > options_.score_tolerance) changes.push_back("score");
    if (f.rules != sig) changes.push_back("rules");
    if (f.cell_key != key || bsic_of(f.alert) != bsic_of(line)) changes.push_back("identity");
    f.last_alert_sweep_id = sweep_id;
    f.last_alert_ms = time_ms;
    f.quiet_sweeps = 0;
    if (changes.empty()) continue;  // the same finding: reported already
    line["status"] = finding_event_name(FindingEventKind::changed);
    line["changes"] = changes;
    line["previous"] = {{"score", f.score}, {"rules", f.rules}, {"cell_key", f.cell_key}, {"sweep_id", f.reported_sweep_id}};
    f.cell_key = key;
    f.score = a.score;
    f.rules = sig;
    f.reported_sweep_id = sweep_id;
    f.alert = line;
    events.push_back({FindingEventKind::changed, slot, std::move(line)});
  }

  std::set<std::string> present;
  for (const auto& c : sweep.cells) present.insert(finding_slot(c));
  for (auto it = open_.begin(); it != open_.end();) {
    store::OpenFinding& f = it->second;
    if (alerted_slots.count(it->first)) {
      ++it;
      continue;
    }
    ++f.quiet_sweeps;
    if (f.quiet_sweeps < options_.clear_after_sweeps) {
      ++it;
      continue;
    }
    // The slot without its "/<cell key>" suffix is where the cell would be seen.
    const std::string carrier = it->first.substr(0, it->first.find('/'));
    json line{{"type", "alert_cleared"},
              {"finding", it->first},
              {"reason", present.count(carrier) ? "normal" : "gone"},
              {"quiet_sweeps", f.quiet_sweeps},
              {"sweep_id", sweep_id},
              {"time_unix_ms", time_ms},
              {"opened_sweep_id", f.opened_sweep_id},
              {"last_alert_sweep_id", f.last_alert_sweep_id},
              {"cell_key", f.cell_key},
              {"cell", f.alert.contains("cell") ? f.alert["cell"] : json::object()}};
    events.push_back({FindingEventKind::cleared, it->first, std::move(line)});
    removed_.insert(it->first);
    it = open_.erase(it);
  }
  for (const auto& [slot, f] : open_) removed_.erase(slot);  // re-opened in the same run: keep the row
  return events;
}

void FindingTracker::persist(store::Store& store) {
  for (const auto& key : removed_) store.delete_open_finding(key);
  removed_.clear();
  for (const auto& [key, f] : open_) store.put_open_finding(f);
}

}  // namespace tw::monitor
