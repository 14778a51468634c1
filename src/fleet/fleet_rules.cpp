#include "src/fleet/fleet_rules.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "src/fleet/fleet_store.hpp"

namespace tw::fleet {

std::vector<FleetFinding> rule_fl1_distant_twins(const FleetView& view);
std::vector<FleetFinding> rule_fl2_lone_cell(const FleetView& view);
std::vector<FleetFinding> rule_fl3_path_loss(const FleetView& view);
std::vector<FleetFinding> rule_fl4_transient(const FleetView& view);

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
      {"FL3", "power that contradicts distance: a sensor hears a cell far stronger than its position allows", 3.0,
       "Received power falls with distance from the mast along one log-distance law plus a few dB of shadowing; "
       "fitted robustly over every sensor that hears a cell whose position is known (the fleet's own estimate "
       "from earlier sightings), it predicts each sensor's level. A sensor hearing the identity more than three "
       "shadowing spreads above the most generous prediction (its distance shortened by the position's "
       "uncertainty, its own level offset removed) hears another, nearer transmitter with the same identity: a "
       "catcher cloning a real cell close to that sensor.",
       "Rappaport, Wireless Communications, 2nd ed., 4.9 and 4.11.2 (log-distance path loss, log-normal "
       "shadowing); 3GPP TR 36.942 4.5 (shadowing standard deviation); Rousseeuw, Least Median of Squares "
       "Regression, JASA 1984; Dabrowski et al., IMSI-Catch Me If You Can, ACSAC 2014 (catchers cover a small "
       "area with a strong signal)",
       rule_fl3_path_loss},
      {"FL4", "a transient cell: a new identity appears at several sensors, then vanishes from all", 1.5,
       "Operators add cells rarely and keep them; a cell identity the fleet never heard, appearing at two or more "
       "sensors that had listened before without it and vanishing from every one of them (each has swept again "
       "without it), is the pattern of a catcher switched on for an operation. A new legitimate cell stays; "
       "one decoding fluke is one sensor.",
       "Ney et al., SeaGlass, PoPETs 2017 4.2 (transient cells: identities seen briefly across the fleet); "
       "3GPP TS 23.003 4.3.1 (CGI)",
       rule_fl4_transient},
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

std::vector<nlohmann::json> FleetRuleRunner::run(FleetStore& db, std::int64_t now_ms) {
  // At most every min_interval, and never more than a tenth of the time: a run over a large window costs.
  if (now_ms - last_run_ms_ < std::max(min_interval_ms_, 10 * last_cost_ms_)) return {};
  last_run_ms_ = now_ms;
  const auto started = std::chrono::steady_clock::now();
  FleetView view = load_fleet_view(db, now_ms - window_ms_, now_ms, &position_cache_);
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
  last_cost_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace tw::fleet
