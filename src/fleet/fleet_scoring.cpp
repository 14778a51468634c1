#include "src/fleet/fleet_scoring.hpp"

#include <cstdio>

#include "src/core/error.hpp"
#include "src/fleet/fleet_rules.hpp"
#include "src/fleet/pg_store.hpp"
#include "src/store/store.hpp"

namespace tw::fleet {

using nlohmann::json;

namespace {

// PgBaselineView's answers through the scorer's cache (see the header).
class CachedBaselineView : public BaselineView {
 public:
  CachedBaselineView(PgFleetStore& db, FleetSweepScorer& cache, std::int64_t before_ms)
      : db_(db), cache_(cache), before_ms_(before_ms) {}
  std::optional<KnownCell> find_cell(int mcc, const std::string& mnc, int lac, int ci) const override {
    const auto key = std::make_tuple(mcc, mnc, lac, ci);
    auto it = cache_.cells_.find(key);
    if (it != cache_.cells_.end() && usable(it->second.before_ms)) return it->second.cell;
    auto cell = db_.fleet_cell(mcc, mnc, lac, ci, before_ms_);
    cache_.cells_[key] = {before_ms_, cell};
    return cell;
  }
  bool operator_known(int mcc, const std::string& mnc) const override {
    const auto key = std::make_pair(mcc, mnc);
    auto it = cache_.operators_.find(key);
    // Known once is known for good (the baseline only grows).
    if (it != cache_.operators_.end() && it->second.first <= before_ms_ && (it->second.second || usable(it->second.first)))
      return it->second.second;
    const bool known = db_.fleet_operator_known(mcc, mnc, before_ms_);
    cache_.operators_[key] = {before_ms_, known};
    return known;
  }

 private:
  bool usable(std::int64_t computed_before_ms) const {
    return computed_before_ms <= before_ms_ && before_ms_ - computed_before_ms <= cache_.cache_ms();
  }
  PgFleetStore& db_;
  FleetSweepScorer& cache_;
  std::int64_t before_ms_;
};

std::string alert_cell_key(const CellObservation& c) {
  if (c.mcc && c.ci)
    return fleet_cell_key(c.rat, std::to_string(*c.mcc), c.mnc.value_or(""), c.lac ? std::to_string(*c.lac) : "",
                          std::to_string(*c.ci));
  return store::cell_key(c);
}

}  // namespace

std::vector<json> FleetSweepScorer::score(PgFleetStore& db, const std::vector<SweepRef>& completed, std::int64_t now_ms) {
  std::vector<json> out;
  if (completed.empty()) return out;
  if (!fleet_start_ms_) {
    const auto r = db.query("SELECT min(received_ms) FROM sweeps");
    if (r.empty() || r[0][0].empty()) return out;
    fleet_start_ms_ = std::stoll(r[0][0]);
  }
  const std::int64_t bucket = now_ms / window_ms_ * window_ms_;
  for (const auto& ref : completed) {
    const auto head = db.query("SELECT id, received_ms, time_unix_ms FROM sweeps WHERE sensor_id = $1 AND epoch = $2 AND "
                               "sensor_sweep = $3",
                               {ref.sensor, ref.epoch, std::to_string(ref.sweep)});
    if (head.empty()) continue;
    const std::int64_t received_ms = std::stoll(head[0][1]);
    if (received_ms < *fleet_start_ms_ + learn_ms_) continue;   // the fleet is still learning
    SweepObservations sweep;
    sweep.sensor_id = ref.sensor;
    sweep.time_unix_ms = std::stoll(head[0][2]);
    for (const auto& r : db.query("SELECT params::text, time_unix_ms, lat, lon FROM observations WHERE sweep_id = $1 ORDER BY id",
                                  {head[0][0]})) {
      try {
        CellObservation c = CellObservation::from_cell_record(json::parse(r[0]), std::stoll(r[1]), ref.sensor);
        if (!r[2].empty() && !r[3].empty()) {
          c.lat = std::stod(r[2]);
          c.lon = std::stod(r[3]);
        }
        sweep.cells.push_back(std::move(c));
      } catch (const InputError&) {
        // validated on the way in; a record the scorer cannot read is not scored
      } catch (const json::exception&) {
      }
    }
    if (sweep.cells.empty()) continue;
    // The baseline: what the fleet received before this sweep began to arrive.
    const CachedBaselineView baseline(db, *this, received_ms);
    for (const auto& a : score_sweep(sweep, &baseline, options_)) {
      const std::string key = alert_cell_key(a.cell);
      std::string rules;
      char score[32];
      std::snprintf(score, sizeof score, "%.1f", a.score);
      for (const auto& r : a.reasons) rules += (rules.empty() ? "" : " ") + r.rule;
      json body = tw::to_json(a);
      json fa{{"type", "fleet_alert"},
              {"rule", "FLB"},
              {"name", "a sensor's sweep scored against the fleet baseline"},
              {"cell_key", key},
              {"score", a.score},
              {"sensor", ref.sensor},
              {"detail", "heard by " + ref.sensor + " (sweep " + std::to_string(ref.sweep) + "): score " + score + " (" + rules +
                             ") against what the whole fleet heard before"},
              {"reasons", body["reasons"]},
              {"cell", body["cell"]},
              {"time_unix_ms", now_ms},
              {"window_s", window_ms_ / 1000},
              {"rationale", "Every single-sensor rule (src/scorer/rules_table.cpp), with the fleet's observations "
                            "as the baseline: a cell new to every sensor, not only to this one."},
              {"sources", "see each reason's rule"}};
      db.begin();
      try {
        const bool fresh = db.store_fleet_alert("FLB", key, bucket, now_ms, a.score, fa);
        db.commit();
        if (fresh) out.push_back(std::move(fa));
      } catch (...) {
        db.rollback();
        throw;
      }
    }
  }
  return out;
}

}  // namespace tw::fleet
