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

namespace tw::fleet {
class SensorPublisher;
}

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
  // The run's cell records, each with "position_estimate" where its transmitter could be located
  // (src/locate/cell_positions.hpp) from the positioned observations of the drive: this run's and, with a
  // database, those stored in the last drive_window_s before it.
  std::vector<nlohmann::json> cells;
  std::vector<CellObservation> drive_observations;   // the positioned observations behind the estimates, in time order
};

// --geojson FILE, --kml FILE, --wigle FILE (src/output/map_export.hpp).
std::vector<OptionSpec> map_export_options();
// Writes the exports asked for: the run's cells (with their estimates), alerts, the drive's positioned
// observations, and the track they trace (the observations' positions in time order).
void write_map_exports_if_asked(const Args& args, const ScoredRun& run);

// `sensor` names the device serial or the file; `source` is a description stored with the sweep.
// `time_unix_ms`: when the sweep was heard (default: now; a pcap gives its packets' time).
// `band_floors`: the noise floors of the bands a sweep measured (its power census, rule J1).
// `track`: the position reports received during the run, stored with the sweep (table track).
ScoredRun score_run(const std::vector<nlohmann::json>& cell_records, const std::string& sensor, const std::string& source,
                    const std::optional<std::string>& db_path, const ScorerOptions& options = {},
                    double drive_window_s = 3600.0, std::optional<std::int64_t> time_unix_ms = std::nullopt,
                    fleet::SensorPublisher* publisher = nullptr, const std::vector<Fix>& track = {},
                    const std::vector<BandFloor>& band_floors = {});
// With a publisher (--mqtt) the sweep, its alerts and its outbox messages are one transaction (the database
// is --db, else the default one: the outbox needs it), then the outbox is drained to the broker.

}  // namespace tw::cli
