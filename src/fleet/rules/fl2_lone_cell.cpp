// FL2: a cell heard at one place only where co-located sensors hear the operator's other cells
// (fleet_rules.cpp).
#include <map>
#include <set>

#include "src/fleet/fleet_rules.hpp"

namespace tw::fleet {

namespace {
constexpr double kColocatedKm = 3.0;
constexpr double kStrongSnrDb = 15.0;
constexpr std::size_t kMinWitnesses = 2;         // co-located sensors that do not hear it
constexpr std::size_t kMinOperatorCells = 2;     // other cells of the operator each witness hears
}  // namespace

std::vector<FleetFinding> rule_fl2_lone_cell(const FleetView& view) {
  // Per sensor: position, and the cells it heard per operator.
  struct SensorView {
    double lat = 0, lon = 0;
    std::map<std::string, std::set<std::string>> cells_by_operator;  // "262-01" -> cell keys
  };
  std::map<std::string, SensorView> sensors;
  std::map<std::string, std::vector<const Sighting*>> by_cell;
  for (const auto& s : view.sightings) {
    if (!s.lat || !s.lon) continue;
    auto& sv = sensors[s.sensor];
    sv.lat = *s.lat;
    sv.lon = *s.lon;
    sv.cells_by_operator[std::to_string(s.mcc) + "-" + s.mnc].insert(s.cell_key);
    by_cell[s.cell_key].push_back(&s);
  }
  std::vector<FleetFinding> out;
  for (const auto& [key, ss] : by_cell) {
    bool strong = false;
    std::set<std::string> hearers;
    for (const auto* s : ss) {
      hearers.insert(s->sensor);
      strong = strong || s->max_snr_db >= kStrongSnrDb;
    }
    if (!strong) continue;
    const std::string op = std::to_string(ss.front()->mcc) + "-" + ss.front()->mnc;
    // Witnesses: sensors within kColocatedKm of a hearer that do not hear the cell but hear enough other
    // cells of the same operator (so they are up, listening, and in that operator's coverage).
    std::set<std::string> witnesses;
    for (const auto& [name, sv] : sensors) {
      if (hearers.count(name)) continue;
      auto it = sv.cells_by_operator.find(op);
      if (it == sv.cells_by_operator.end() || it->second.size() < kMinOperatorCells) continue;
      for (const auto& h : hearers) {
        const auto& hv = sensors[h];
        if (distance_km(sv.lat, sv.lon, hv.lat, hv.lon) <= kColocatedKm) {
          witnesses.insert(name);
          break;
        }
      }
    }
    if (witnesses.size() < kMinWitnesses) continue;
    FleetFinding f;
    f.cell_key = key;
    f.score = 1.0;
    f.detail = "heard strongly by " + std::to_string(hearers.size()) + " sensor(s) (" + *hearers.begin() +
               (hearers.size() > 1 ? ", ..." : "") + ") but not by " + std::to_string(witnesses.size()) +
               " sensors within " + std::to_string(static_cast<int>(kColocatedKm)) +
               " km that hear other cells of operator " + op;
    f.evidence = {{"hearers", hearers}, {"witnesses", witnesses}, {"operator", op}};
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace tw::fleet
