// Scoring the cell records a run produced (analyze, scan, demo): records -> one SweepObservations ->
// score_sweep, and the human form of the alerts. One place, so every subcommand scores the same way.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/scorer/scorer.hpp"

namespace tw {

SweepObservations observations_from_records(const std::vector<nlohmann::json>& cell_records, std::int64_t time_unix_ms,
                                            const std::string& sensor_id);
std::int64_t now_unix_ms();

// "ALERT ARFCN 64 (262-01 LAC 4711 CI 10099) score 9.0" and one line per reason.
void print_alerts(const std::vector<Alert>& alerts);

}  // namespace tw
