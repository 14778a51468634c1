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
#include "src/sweep/sweep_runner.hpp"

namespace tw::cli {

OptionSpec db_option();
// --region eu|us: the E.212 zones rule M1 expects the sensor's operators in.
OptionSpec region_option();
// --report FILE: the self-contained HTML page of a run (src/output/html_report.hpp).
OptionSpec report_option();
// Writes the --report page when asked: the run's cells, alerts and (sweeps) channel power census.
void write_report_if_asked(const Args& args, const std::string& command, const std::string& source,
                           const std::string& sensor, const std::vector<std::string>& bands,
                           const std::vector<nlohmann::json>& cells, const std::vector<Alert>& alerts,
                           const std::vector<sweep::ChannelPower>& census = {});
// The scorer options the common options set (--region).
ScorerOptions scorer_options_from_args(const Args& args);

struct ScoredRun {
  std::vector<Alert> alerts;
  std::optional<std::int64_t> sweep_id;  // when stored
};

// `sensor` names the device serial or the file; `source` is a description stored with the sweep.
// `band_floors`: the noise floors of the bands a sweep measured (its power census, rule J1).
ScoredRun score_run(const std::vector<nlohmann::json>& cell_records, const std::string& sensor, const std::string& source,
                    const std::optional<std::string>& db_path, const ScorerOptions& options = {},
                    const std::vector<BandFloor>& band_floors = {});

}  // namespace tw::cli
