// FL4: a transient cell across the fleet - an identity the fleet never heard before the window appears at
// several sensors, each of which had swept before without it, and vanishes from all of them
// (fleet_rules.cpp).
#include <algorithm>
#include <map>
#include <set>

#include "src/fleet/fleet_rules.hpp"

namespace tw::fleet {

namespace {
constexpr std::size_t kMinSensors = 2;          // one sensor alone: a decoding fluke or a moving sensor
constexpr std::size_t kMinSweepsBefore = 1;     // the sensor listened without hearing it (it appeared)
constexpr std::size_t kMinSweepsAfter = 1;      // ... and listened again without hearing it (it vanished)
}  // namespace

std::vector<FleetFinding> rule_fl4_transient(const FleetView& view) {
  std::map<std::string, std::vector<const Sighting*>> by_cell;
  for (const auto& s : view.sightings) by_cell[s.cell_key].push_back(&s);
  std::vector<FleetFinding> out;
  for (const auto& [key, ss] : by_cell) {
    // New to the fleet: no observation of it was received before the window.
    auto first = view.first_ever_ms.find(key);
    if (first == view.first_ever_ms.end() || first->second < view.window_start_ms) continue;
    std::set<std::string> appeared_and_gone;
    bool still_heard = false;
    std::int64_t t_first = INT64_MAX, t_last = 0;
    for (const auto* s : ss) {
      t_first = std::min(t_first, s->first_ms);
      t_last = std::max(t_last, s->last_ms);
      auto it = view.sweeps.find(s->sensor);
      if (it == view.sweeps.end()) {
        still_heard = true;   // no completed sweep since: cannot say it is gone
        continue;
      }
      const auto& ids = it->second;
      const auto before = static_cast<std::size_t>(std::count_if(ids.begin(), ids.end(), [&](std::int64_t id) { return id < s->first_sweep; }));
      const auto after = static_cast<std::size_t>(std::count_if(ids.begin(), ids.end(), [&](std::int64_t id) { return id > s->last_sweep; }));
      if (after < kMinSweepsAfter) still_heard = true;
      else if (before >= kMinSweepsBefore) appeared_and_gone.insert(s->sensor);
    }
    if (still_heard || appeared_and_gone.size() < kMinSensors) continue;
    FleetFinding f;
    f.cell_key = key;
    f.score = 1.0;
    f.detail = "never heard by the fleet before, then heard by " + std::to_string(ss.size()) + " sensor(s) for " +
               std::to_string((t_last - t_first) / 1000) + " s; " + std::to_string(appeared_and_gone.size()) +
               " of them had swept before without it and have swept since without it (" + *appeared_and_gone.begin() +
               (appeared_and_gone.size() > 1 ? ", ..." : "") + "): it came and went";
    f.evidence = {{"sensors", appeared_and_gone}, {"first_heard_ms", t_first}, {"last_heard_ms", t_last},
                  {"heard_by", ss.size()}};
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace tw::fleet
