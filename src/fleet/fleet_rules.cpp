#include "src/fleet/fleet_rules.hpp"

#include <cmath>

#include "src/fleet/pg_store.hpp"

namespace tw::fleet {

std::vector<FleetFinding> rule_fl1_distant_twins(const FleetView& view);
std::vector<FleetFinding> rule_fl2_lone_cell(const FleetView& view);

const std::vector<FleetRule>& fleet_rules() {
  static const std::vector<FleetRule> table = {
      {"FL1", "one cell identity heard strongly by sensors too far apart for one transmitter", 3.0,
       "A cell's global identity (MCC, MNC, LAC, CI) belongs to one transmitter. Heard with a high SNR by two "
       "sensors further apart than one macro cell can reach (35 km, the GSM timing-advance limit), it is either "
       "moving or cloned: IMSI catchers copy a real cell's identity.",
       "3GPP TS 23.003 4.3.1 (CGI); TS 45.010 5.4 (timing advance, 63 x 550 m); Ney et al., SeaGlass, PoPETs "
       "2017 (cell identities seen at implausible places across a fleet)",
       rule_fl1_distant_twins},
      {"FL2", "a cell heard by one place only where co-located sensors hear the operator's other cells", 2.5,
       "Sensors within 3 km of each other hear largely the same macro cells. A cell heard strongly by sensors at "
       "one place only, while at least two other sensors close by hear two or more other cells of the same "
       "operator and not this one, is a low-power local transmitter posing as that operator.",
       "Ney et al., SeaGlass, PoPETs 2017 (comparison across sensors); Dabrowski et al., IMSI-Catch Me If You "
       "Can, ACSAC 2014 (catchers cover a small area with a strong signal)",
       rule_fl2_lone_cell},
  };
  return table;
}

double distance_km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kPi = 3.14159265358979323846, r = 6371.0088;
  const double p1 = lat1 * kPi / 180, p2 = lat2 * kPi / 180;
  const double dp = p2 - p1, dl = (lon2 - lon1) * kPi / 180;
  const double a = std::sin(dp / 2) * std::sin(dp / 2) + std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
  return 2 * r * std::asin(std::min(1.0, std::sqrt(a)));
}

std::vector<nlohmann::json> FleetRuleRunner::run(PgFleetStore& db, std::int64_t now_ms) {
  if (now_ms - last_run_ms_ < min_interval_ms_) return {};
  last_run_ms_ = now_ms;
  FleetView view;
  view.now_ms = now_ms;
  view.window_start_ms = now_ms - window_ms_;
  for (const auto& r : db.sightings(view.window_start_ms)) {
    // rat, mcc, mnc, lac, ci, arfcn, sensor, lat, lon, snr, power, n, first, last
    Sighting s;
    s.rat = r[0];
    s.mcc = std::stoi(r[1]);
    s.mnc = r[2];
    s.cell_key = r[0] + ":" + r[1] + "-" + (r[2].empty() ? "?" : r[2]) + "-" + (r[3].empty() ? "?" : r[3]) + "-" + r[4];
    s.sensor = r[6];
    if (!r[7].empty() && !r[8].empty()) {
      s.lat = std::stod(r[7]);
      s.lon = std::stod(r[8]);
    }
    s.max_snr_db = std::stod(r[9]);
    s.max_power_dbfs = std::stod(r[10]);
    s.n = std::stoll(r[11]);
    view.sightings.push_back(std::move(s));
  }
  std::vector<nlohmann::json> out;
  const std::int64_t bucket = now_ms / window_ms_ * window_ms_;
  for (const auto& rule : fleet_rules()) {
    for (auto& f : rule.apply(view)) {
      nlohmann::json a{{"type", "fleet_alert"},  {"rule", rule.id},       {"name", rule.name},
                       {"cell_key", f.cell_key}, {"score", rule.weight * f.score}, {"detail", f.detail},
                       {"evidence", f.evidence}, {"time_unix_ms", now_ms}, {"window_s", window_ms_ / 1000},
                       {"rationale", rule.rationale}, {"sources", rule.sources}};
      db.begin();
      try {
        const bool fresh = db.store_fleet_alert(rule.id, f.cell_key, bucket, now_ms, rule.weight * f.score, a);
        db.commit();
        if (fresh) out.push_back(std::move(a));
      } catch (...) {
        db.rollback();
        throw;
      }
    }
  }
  return out;
}

}  // namespace tw::fleet
