#include "src/cli/scoring_common.hpp"

#include <filesystem>

#include "src/core/error.hpp"
#include "src/output/html_report.hpp"
#include "src/scorer/score_records.hpp"
#include "src/store/store.hpp"
#include "src/store/store_baseline_view.hpp"

namespace tw::cli {

OptionSpec db_option() {
  return {"db", true, "FILE",
          "store every sweep and its alerts in this SQLite database and score against its baseline "
          "(towerwatch baseline learn|import)"};
}

OptionSpec region_option() {
  return {"region", true, "eu|us",
          "the sensor's region: an operator whose MCC lies outside its E.212 zones is flagged (rule M1)"};
}

OptionSpec report_option() {
  return {"report", true, "FILE", "write a self-contained HTML report (cells, alerts and reasons, power per band)"};
}

void write_report_if_asked(const Args& args, const std::string& command, const std::string& source,
                           const std::string& sensor, const std::vector<std::string>& bands,
                           const std::vector<nlohmann::json>& cells, const std::vector<Alert>& alerts,
                           const std::vector<sweep::ChannelPower>& census) {
  const auto path = args.get("report");
  if (!path) return;
  output::ReportData rd;
  rd.run.command = command;
  rd.run.source = source;
  rd.run.sensor_id = sensor;
  rd.run.generated_unix_ms = now_unix_ms();
  rd.run.bands = bands;
  if (auto db = args.get("db")) rd.run.facts.emplace_back("database", *db);
  rd.cells = cells;
  for (const auto& a : alerts) rd.alerts.push_back(to_json(a));
  rd.census = census;
  output::write_html_report(*path, rd);
}

ScorerOptions scorer_options_from_args(const Args& args) {
  ScorerOptions options;
  if (auto region = args.get("region")) {
    if (*region != "eu" && *region != "us") throw InputError("--region: expected eu or us, got '" + *region + "'");
    options.region = *region;
  }
  return options;
}

ScoredRun score_run(const std::vector<nlohmann::json>& cell_records, const std::string& sensor, const std::string& source,
                    const std::optional<std::string>& db_path, const ScorerOptions& options,
                    const std::vector<BandFloor>& band_floors) {
  ScoredRun run;
  SweepObservations sweep = observations_from_records(cell_records, now_unix_ms(), sensor);
  sweep.band_floors = band_floors;
  if (!db_path) {
    run.alerts = score_sweep(sweep, nullptr, options);
    return run;
  }
  const std::filesystem::path path(*db_path);
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  store::Store db(path);
  store::StoreBaselineView baseline(db);
  run.alerts = score_sweep(sweep, &baseline, options);
  // The sweep is committed in one transaction first; its alerts follow (an interruption between the two
  // leaves a complete sweep without alerts, which scoring it again restores).
  run.sweep_id = db.store_sweep(sweep, source);
  for (const auto& a : run.alerts) db.store_alert(*run.sweep_id, store::cell_key(a.cell), a.score, to_json(a)["reasons"]);
  return run;
}

}  // namespace tw::cli
