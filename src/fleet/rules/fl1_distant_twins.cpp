// FL1: one cell identity heard strongly by sensors too far apart for one transmitter (fleet_rules.cpp).
#include <map>

#include "src/fleet/fleet_rules.hpp"

namespace tw::fleet {

namespace {
constexpr double kStrongSnrDb = 15.0;   // well above the decoding threshold (~6 dB): not a freak long-range hit
constexpr double kMaxReachKm = 35.0;    // TS 45.010: timing advance 0..63 bit periods, about 35 km
}  // namespace

std::vector<FleetFinding> rule_fl1_distant_twins(const FleetView& view) {
  std::map<std::string, std::vector<const Sighting*>> by_cell;
  for (const auto& s : view.sightings)
    if (s.lat && s.lon && s.max_snr_db >= kStrongSnrDb) by_cell[s.cell_key].push_back(&s);
  std::vector<FleetFinding> out;
  for (const auto& [key, ss] : by_cell) {
    double best = 0;
    const Sighting *a = nullptr, *b = nullptr;
    for (std::size_t i = 0; i < ss.size(); ++i)
      for (std::size_t j = i + 1; j < ss.size(); ++j) {
        const double d = distance_km(*ss[i]->lat, *ss[i]->lon, *ss[j]->lat, *ss[j]->lon);
        if (d > best) {
          best = d;
          a = ss[i];
          b = ss[j];
        }
      }
    if (best <= kMaxReachKm) continue;
    FleetFinding f;
    f.cell_key = key;
    f.score = 1.0;
    f.detail = "heard at SNR " + std::to_string(static_cast<int>(a->max_snr_db)) + " dB by " + a->sensor + " and " +
               std::to_string(static_cast<int>(b->max_snr_db)) + " dB by " + b->sensor + ", " +
               std::to_string(static_cast<int>(best)) + " km apart (one transmitter reaches " +
               std::to_string(static_cast<int>(kMaxReachKm)) + " km)";
    f.evidence = {{"sensors", {a->sensor, b->sensor}}, {"distance_km", best}};
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace tw::fleet
