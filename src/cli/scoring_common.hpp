// Scoring what a run found, shared by analyze, scan and demo: the cell records become one sweep of
// observations, scored by the rule table; with a database (--db) the sweep is stored (one transaction),
// scored against the baseline kept there, and its alerts stored beside it.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/cli/args.hpp"
#include "src/scorer/scorer.hpp"

namespace tw::cli {

OptionSpec db_option();

struct ScoredRun {
  std::vector<Alert> alerts;
  std::optional<std::int64_t> sweep_id;  // when stored
};

// `sensor` names the device serial or the file; `source` is a description stored with the sweep.
ScoredRun score_run(const std::vector<nlohmann::json>& cell_records, const std::string& sensor, const std::string& source,
                    const std::optional<std::string>& db_path);

}  // namespace tw::cli
