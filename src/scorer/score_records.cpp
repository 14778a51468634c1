#include "src/scorer/score_records.hpp"

#include <chrono>
#include <cstdio>

#include "src/cells/operator_names.hpp"

namespace tw {

SweepObservations observations_from_records(const std::vector<nlohmann::json>& cell_records, std::int64_t time_unix_ms,
                                            const std::string& sensor_id) {
  SweepObservations sweep;
  sweep.time_unix_ms = time_unix_ms;
  sweep.sensor_id = sensor_id;
  for (const auto& r : cell_records) sweep.cells.push_back(CellObservation::from_cell_record(r, time_unix_ms, sensor_id));
  return sweep;
}

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void print_alerts(const std::vector<Alert>& alerts) {
  if (alerts.empty()) {
    std::printf("no alert: no cell scored at or above the threshold\n");
    return;
  }
  auto num = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string("?"); };
  for (const auto& a : alerts) {
    const auto& c = a.cell;
    const std::string op = c.mcc && c.mnc ? " (" + cells::operator_label(*c.mcc, *c.mnc) + ")" : std::string();
    if (c.rat == "LTE")
      std::printf("ALERT  LTE EARFCN %d  %s-%s%s TAC %s ECI %s  score %.1f\n", c.arfcn, num(c.mcc).c_str(),
                  c.mnc.value_or("?").c_str(), op.c_str(), num(c.lac).c_str(), num(c.ci).c_str(), a.score);
    else
      std::printf("ALERT  ARFCN %d  %s-%s%s LAC %s CI %s BSIC %s  score %.1f\n", c.arfcn, num(c.mcc).c_str(),
                  c.mnc.value_or("?").c_str(), op.c_str(), num(c.lac).c_str(), num(c.ci).c_str(), num(c.bsic).c_str(),
                  a.score);
    if (const auto& e = c.position_estimate)
      std::printf("  transmitter estimated at %.6f, %.6f within %.0f m (%s, %d points)\n", e->lat, e->lon, e->radius_m,
                  e->method.c_str(), e->points);
    for (const auto& r : a.reasons) std::printf("  %-3s +%.1f  %s\n", r.rule.c_str(), r.weight, r.detail.c_str());
  }
}

}  // namespace tw
