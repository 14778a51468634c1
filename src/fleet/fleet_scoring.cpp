#include "src/fleet/fleet_scoring.hpp"

#include <cstdio>
#include <set>

#include "src/core/error.hpp"
#include "src/fleet/fleet_rules.hpp"
#include "src/fleet/fleet_store.hpp"
#include "src/store/stmt.hpp"
#include "src/store/store.hpp"

namespace tw::fleet {

using nlohmann::json;
using store::Stmt;

namespace {

std::string alert_cell_key(const CellObservation& c) {
  if (c.mcc && c.ci)
    return fleet_cell_key(c.rat, std::to_string(*c.mcc), c.mnc.value_or(""), c.lac ? std::to_string(*c.lac) : "",
                          std::to_string(*c.ci));
  return store::cell_key(c);
}

}  // namespace

std::vector<json> FleetSweepScorer::score(FleetStore& db, const std::vector<SweepRef>& completed, std::int64_t now_ms) {
  std::vector<json> out;
  if (completed.empty()) return out;
  store::Store& st = db.store();
  if (!fleet_start_ms_) {
    Stmt s(st, "SELECT MIN(received_ms) FROM sweeps WHERE received_ms IS NOT NULL");
    if (!s.step() || s.is_null(0)) return out;
    fleet_start_ms_ = s.col_int(0);
  }
  const std::int64_t bucket = now_ms / window_ms_ * window_ms_;
  // The fleet's open findings: cells any fleet alert named within the window (never learned meanwhile).
  std::set<std::string> flagged;
  {
    Stmt s(st, "SELECT DISTINCT cell_key FROM fleet_alerts WHERE time_ms >= ?1");
    s.bind(1, now_ms - window_ms_);
    while (s.step()) flagged.insert(s.col_text(0));
  }
  // One view for the batch: the baseline as it stood before it.
  const FleetBaselineView baseline(st, &cache_, now_ms);
  struct Done {
    SweepRef ref;
    std::int64_t id = 0;
    SweepObservations sweep;
    std::vector<Alert> alerts;
  };
  std::vector<Done> done;
  for (const auto& ref : completed) {
    Done d;
    d.ref = ref;
    std::int64_t received_ms = 0;
    {
      Stmt h(st, "SELECT id, received_ms FROM sweeps WHERE sensor_id = ?1 AND epoch = ?2 AND sensor_sweep = ?3 AND "
                 "completed = 1");
      h.bind(1, ref.sensor);
      h.bind(2, ref.epoch);
      h.bind(3, ref.sweep);
      if (!h.step()) continue;
      d.id = h.col_int(0);
      received_ms = h.col_int(1);
    }
    d.sweep = st.load_sweep(d.id);
    const bool learning = received_ms < *fleet_start_ms_ + learn_ms_;
    if (!learning && !d.sweep.cells.empty()) d.alerts = score_sweep(d.sweep, &baseline, options_);
    done.push_back(std::move(d));
  }
  std::vector<json> fresh;
  std::vector<FleetFold> folds;
  store::Store::Transaction tx(st);
  for (const auto& d : done) {
    FleetFold f;
    f.sweep_id = d.id;
    f.sweep = &d.sweep;
    for (const auto& a : d.alerts) f.not_learned.insert(store::cell_key(a.cell));
    for (const auto& c : d.sweep.cells)
      if (flagged.count(alert_cell_key(c))) f.not_learned.insert(store::cell_key(c));
    folds.push_back(std::move(f));
    for (const auto& a : d.alerts) {
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
              {"sensor", d.ref.sensor},
              {"detail", "heard by " + d.ref.sensor + " (sweep " + std::to_string(d.ref.sweep) + "): score " + score +
                             " (" + rules + ") against what the whole fleet learned before"},
              {"reasons", body["reasons"]},
              {"cell", body["cell"]},
              {"time_unix_ms", now_ms},
              {"window_s", window_ms_ / 1000},
              {"rationale", "Every single-sensor rule (src/scorer/rules_table.cpp), with the fleet's learned baseline "
                            "(every sensor's cells, their channels, BSICs, powers, positions, the operators' plans): "
                            "a cell new to every sensor, not only to this one."},
              {"sources", "see each reason's rule"}};
      if (db.store_fleet_alert("FLB", key, bucket, now_ms, a.score, fa)) fresh.push_back(std::move(fa));
    }
  }
  try {
    fold_fleet_sweeps(st, folds, learned_, now_ms);
    tx.commit();
  } catch (...) {
    learned_.cells.clear();   // it holds what the failed transaction wrote
    throw;
  }
  for (auto& f : fresh) out.push_back(std::move(f));
  return out;
}

}  // namespace tw::fleet
