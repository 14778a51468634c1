// The scorer's rule table (rtl_433-style: one file per rule in src/scorer/rules/, one line per rule in
// rules_table.cpp). A rule judges one cell of a sweep against the rest of the sweep (and the baseline when
// there is one) and returns the reasons it found, each with the weight it adds to the cell's score and the
// values that made it fire.
#pragma once
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/scorer/baseline_view.hpp"
#include "src/scorer/observation.hpp"

namespace tw {

struct Reason {
  std::string rule;            // rule id ("T1")
  double weight = 0.0;         // added to the cell's score
  std::string detail;          // one human sentence with the values
  nlohmann::json evidence = nlohmann::json::object();  // the values that made it fire
};

struct ScorerOptions {
  double threshold = 2.6;                  // alert when score >= threshold (SnoopSnitch's catcher score)
  double f1_max_residual_ppb = 500.0;      // F1: |cfo_residual_ppb| beyond this (45.010: BTS within +-50 ppb)
  std::set<std::string> disabled_rules;    // rule ids not to run
  // M1: the region the sensor is in ("eu" | "us", the band plans' region presets); empty: judged only by
  // the baseline's operators and the reserved test MCCs.
  std::string region;
  // F2: two FN clock phases agree within this much wall time (src/scorer/fn_clock.hpp).
  double f2_tolerance_s = 60.0;
};

struct ScoringContext {
  const SweepObservations& sweep;
  const BaselineView* baseline = nullptr;  // null: rules needing a baseline stay silent
  const ScorerOptions& options;
};

// fn(cell, ctx, weight): the reasons for one cell (usually none or one). `weight` is the table's weight;
// a rule with graded findings (T1, K1) documents how it derives the lower grades from it.
using RuleFn = std::vector<Reason> (*)(const CellObservation& cell, const ScoringContext& ctx, double weight);

struct Rule {
  const char* id;
  const char* title;
  double weight;
  const char* rationale;   // spec clause and source tool (SnoopSnitch, Crocodile Hunter, PyCatcher, SeaGlass, AIMSICD)
  RuleFn fn;
  // A band rule judges the band observations of a sweep (band_observation: one per noise floor of its power
  // census) instead of its cells; every other rule judges cells only.
  bool band_scope = false;
};

// Every rule, in table order.
const std::vector<Rule>& rule_table();
// The rule with this id, or nullptr.
const Rule* find_rule(std::string_view id);

}  // namespace tw
