// The anomaly scorer: runs the rule table on every cell of a sweep; a cell's score is the sum of the
// weights of its reasons, an alert when it reaches options.threshold (2.6 by default, SnoopSnitch's).
#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "src/scorer/rule.hpp"

namespace tw {

struct Alert {
  CellObservation cell;
  double score = 0.0;
  std::vector<Reason> reasons;
};

// Every reason the enabled rules find for one cell of ctx.sweep, in table order (reason.rule filled in).
std::vector<Reason> evaluate_cell(const CellObservation& cell, const ScoringContext& ctx);

// The alerts of a sweep (cells whose score >= threshold), highest score first. `baseline` may be null.
std::vector<Alert> score_sweep(const SweepObservations& sweep, const BaselineView* baseline,
                               const ScorerOptions& options = {});

// {"type":"alert","score":x,"time_unix_ms":..,"sensor_id":..,"cell":{identity and measurements},
//  "reasons":[{"rule":"T1","title":..,"weight":1.5,"detail":"...","evidence":{...}}]}
nlohmann::json to_json(const Alert& alert);

}  // namespace tw
