#include "src/cli/scoring_common.hpp"

#include <algorithm>
#include <filesystem>

#include "src/cells/operator_names.hpp"
#include "src/core/error.hpp"
#include "src/locate/cell_positions.hpp"
#include "src/core/log.hpp"
#include "src/fleet/sensor_publisher.hpp"
#include "src/output/html_report.hpp"
#include "src/output/map_export.hpp"
#include "src/scorer/score_records.hpp"
#include "src/store/store.hpp"
#include "src/store/store_baseline_view.hpp"

namespace tw::cli {

OptionSpec db_option() {
  return {"db", true, "FILE|URL",
          "store every sweep and its alerts in this database (an SQLite file or a postgresql:// URL) and score "
          "against its baseline "
          "(towerwatch baseline learn|import)"};
}

OptionSpec region_option() {
  return {"region", true, "eu|us",
          "the sensor's region: an operator whose MCC lies outside its E.212 zones is flagged (rule M1)"};
}

OptionSpec report_option() {
  return {"report", true, "FILE", "write a self-contained HTML report (verdict, alerts and their reasons, cells by operator and band, neighbour graph, spectrum)"};
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
  if (auto db = args.get("db")) rd.run.facts.emplace_back("database", store::db_display_name(*db));
  rd.cells = cells;
  for (const auto& a : alerts) rd.alerts.push_back(to_json(a));
  rd.census = census;
  rd.operator_name = cells::operator_name_of;
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
                    const std::optional<std::string>& db_path, const ScorerOptions& options, double drive_window_s,
                    std::optional<std::int64_t> time_unix_ms, fleet::SensorPublisher* publisher,
                    const std::vector<Fix>& track, const std::vector<BandFloor>& band_floors) {
  ScoredRun run;
  run.cells = cell_records;
  const std::int64_t now = time_unix_ms.value_or(now_unix_ms());
  const SweepObservations current = observations_from_records(cell_records, now, sensor);
  // With --mqtt the outbox needs a database: --db, else the default one.
  const std::optional<std::string> db_used = db_path ? db_path : publisher ? std::optional<std::string>(store::default_db_path().string()) : std::nullopt;
  std::unique_ptr<store::Store> db;
  if (db_used) {
    db = store::open_store(*db_used);  // an SQLite file or a postgresql:// URL
    // The drive so far: positioned observations stored within the window.
    const auto since = now - static_cast<std::int64_t>(drive_window_s * 1000.0);
    db->for_each_observation(0, [&](std::int64_t, const CellObservation& o) {
      if (o.lat && o.lon && o.time_unix_ms >= since) run.drive_observations.push_back(o);
    });
  }
  for (const auto& o : current.cells)
    if (o.lat && o.lon) run.drive_observations.push_back(o);
  locate::attach_position_estimates(run.cells, locate::estimate_positions(run.drive_observations));
  SweepObservations sweep = observations_from_records(run.cells, now, sensor);
  sweep.track = track;
  sweep.band_floors = band_floors;
  if (!db) {
    run.alerts = score_sweep(sweep, nullptr, options);
    return run;
  }
  store::StoreBaselineView baseline(*db);
  baseline.drive_window_ms = static_cast<std::int64_t>(drive_window_s * 1000.0);
  run.alerts = score_sweep(sweep, &baseline, options);
  // The sweep, its alerts (and with --mqtt its outbox messages) are committed in one transaction.
  {
    store::Store::Transaction tx(*db);
    run.sweep_id = db->store_sweep(sweep, source);
    for (const auto& a : run.alerts) db->store_alert(*run.sweep_id, store::cell_key(a.cell), a.score, to_json(a)["reasons"]);
    if (publisher) publisher->enqueue_sweep(*db, *run.sweep_id, sweep, run.alerts, source);
    tx.commit();
  }
  if (publisher) {
    try {
      const auto r = publisher->drain(*db, publisher->config().timeout_s);
      if (r.left > 0)
        log::warn("mqtt: " + std::to_string(r.left) + " messages wait in the outbox of " + db->name() +
                  (r.connected ? "" : " (broker unreachable)") + "; sent with the next run");
    } catch (const store::ConnectionLost& e) {  // the sweep is committed: its outbox waits for the next run
      log::warn(std::string("mqtt: the outbox waits: ") + e.what());
    }
  }
  return run;
}

std::vector<OptionSpec> map_export_options() {
  return {{"geojson", true, "FILE", "write a GeoJSON map: track, positioned observations, estimated cell positions with radius, alerts"},
          {"kml", true, "FILE", "write the same map as KML (Google Earth)"},
          {"wigle", true, "FILE", "write the positioned observations as WiGLE CSV (WigleWifi-1.4, GSM/LTE rows)"}};
}

void write_map_exports_if_asked(const Args& args, const ScoredRun& run) {
  if (!args.has("geojson") && !args.has("kml") && !args.has("wigle")) return;
  output::MapData d;
  d.observations = run.drive_observations;
  std::stable_sort(d.observations.begin(), d.observations.end(),
                   [](const CellObservation& a, const CellObservation& b) { return a.time_unix_ms < b.time_unix_ms; });
  for (const auto& o : d.observations) {
    if (!d.track.empty() && d.track.back().lat == *o.lat && d.track.back().lon == *o.lon) continue;
    d.track.push_back({o.time_unix_ms, *o.lat, *o.lon});
  }
  d.cells = run.cells;
  for (const auto& a : run.alerts) d.alerts.push_back(to_json(a));
  if (auto p = args.get("geojson")) output::write_geojson(*p, d);
  if (auto p = args.get("kml")) output::write_kml(*p, d);
  if (auto p = args.get("wigle")) output::write_wigle_csv(*p, d.observations);
}

}  // namespace tw::cli
