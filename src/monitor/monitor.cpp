#include "src/monitor/monitor.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <memory>
#include <thread>

#include "calibration/calibration_store.hpp"
#include "calibration/gain_table.hpp"
#include "hw/soapy_source.hpp"
#include "src/cells/operator_names.hpp"
#include "src/core/error.hpp"
#include "src/core/log.hpp"
#include "src/core/process_stats.hpp"
#include "src/locate/cell_positions.hpp"
#include "src/monitor/sweep_backlog.hpp"
#include "src/output/html_report.hpp"
#include "src/output/map_export.hpp"
#include "src/scorer/score_records.hpp"
#include "src/sweep/cell_merge.hpp"

namespace tw::monitor {

using nlohmann::json;

namespace {

bool stopped(const std::atomic<bool>* stop) { return stop && stop->load(); }

// Sleeps up to `seconds`, waking early on a stop.
void sleep_unless_stopped(double seconds, const std::atomic<bool>* stop) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!stopped(stop) && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

template <class T>
void push_capped(std::deque<T>& q, T v, std::size_t cap) {
  q.push_back(std::move(v));
  while (q.size() > cap) q.pop_front();
}

}  // namespace

MonitorStats run_monitor(const MonitorOptions& o) {
  MonitorStats stats;
  auto emit = [&](const json& e) {
    if (o.emit) o.emit(e);
  };
  if (o.backoff_initial_s <= 0 || o.backoff_max_s < o.backoff_initial_s)
    throw InputError("backoff: the initial delay must be positive and not above the cap");
  if (!(o.interval_s >= 0 && o.interval_s <= 86400)) throw InputError("--interval must be between 0 and 24h");
  const std::vector<sweep::SweepBand>& bands = o.scan.bands;   // GSM and LTE
  if (bands.empty()) throw InputError("monitor: no band to sweep");
  sweep::SweepPlanOptions po = sweep::plan_options_of(o.scan);
  sweep::SweepPlan plan = sweep::plan_sweep(bands, po);  // provisional until the device's driver is known
  if (plan.tunings.empty()) throw InputError("monitor: no band to sweep");

  const std::unique_ptr<store::Store> opened = store::open_store(o.db_path.string());  // a file or postgresql://
  store::Store& db = *opened;
  MonitorCore core(db, o.core);
  const auto wall = [] { return now_unix_ms(); };
  std::int64_t stream_start = wall();
  if (auto c = stored_clock_ms(db)) stream_start = *c;
  MonitorClock clock(o.clock, stream_start, wall);

  sweep::ScanDevice dev = sweep::open_scan_device(o.scan, plan.tunings.front().center_hz);  // not retried: bad args are errors
  if (!o.scan.usable_fraction) po.usable_fraction = sweep::usable_fraction_for_driver(dev.driver);
  // A corrected receiver is left with its drift: the LTE search windows need not cover 100 ppm (as scan).
  if (dev.ppm_source != "none") po.lte_receiver_ppm = sweep::kCalibratedLteReceiverPpm;
  plan = sweep::plan_sweep(bands, po);
  const auto learn_started = core.learning_started_ms();
  const std::int64_t learn_ends = learn_started.value_or(clock.now_ms()) + o.core.learn_ms;
  if (o.core.learn_ms == 0 && !core.has_baseline())
    log::warn("monitor: --learn 0 without a baseline in " + db.name() +
              ": every cell is scored without one (run with a learning period, or towerwatch baseline learn|import)");
  std::vector<std::string> band_names;
  for (const auto& b : bands) band_names.push_back(b.name);
  emit({{"type", "monitor_start"},
        {"db", db.name()},
        {"device", dev.description},
        {"serial", dev.serial},
        {"bands", band_names},
        {"tunings", plan.tunings.size()},
        {"clock", clock_mode_name(o.clock)},
        {"time_unix_ms", clock.now_ms()},
        {"learn_s", static_cast<double>(o.core.learn_ms) / 1e3},
        {"learning_ends_ms", learn_ends},
        {"open_findings", core.findings().open().size()}});

  sweep::SweepRunOptions ro;
  ro.mode = o.scan.mode;
  ro.analyse_every_tuning = o.scan.analyse_every_tuning;
  ro.stop = o.stop;
  ro.adaptive_dwell = o.scan.adaptive_dwell;
  ro.threads = o.scan.threads;
  ro.position = o.scan.position;
  ro.lte_shared_search = o.scan.lte_shared_search;
  const std::string source_text = "monitor " + dev.description;
  double backoff = o.backoff_initial_s;
  int failures = 0;
  std::deque<output::TimelinePoint> timeline;
  std::deque<json> reported;
  std::vector<CellObservation> drive;   // positioned observations of the last drive_window_s

  // Every sweep is written from the backlog (sweep_backlog.hpp): at once while the database answers, kept in
  // memory and written later while a PostgreSQL server is away. Its line (monitor_sweep, with the id the
  // database gave it) and its findings are emitted once it is committed.
  SweepBacklog backlog(db, o.db_backlog, o.backoff_initial_s, o.backoff_max_s);
  bool last_learning = false;
  const auto write_sweep = [&](PendingSweep& p) {
    SweepOutcome out;
    if (p.commit_in_doubt) {
      if (const auto id = db.find_sweep(p.sweep.time_unix_ms, p.sweep.sensor_id, source_text)) {
        // The server committed it before the connection went: written once, its findings as stored.
        core.reload_findings();
        ++stats.sweeps;
        log::warn("database: the sweep whose COMMIT was cut off is in " + db.name() + " (id " + std::to_string(*id) +
                  "): not written again");
        emit({{"type", "monitor_sweep"}, {"sweep_id", *id}, {"time_unix_ms", p.sweep.time_unix_ms},
              {"cells", p.sweep.cells.size()}, {"recovered", true}, {"open_findings", core.findings().open().size()},
              {"stream_s", p.stream_s}, {"elapsed_s", p.elapsed_s}});
        return;
      }
    }
    const double store_cpu_start_s = process_cpu_s();
    try {
      out = core.process(p.sweep, source_text);
    } catch (const InputError& e) {
      // A record the store refuses (a value out of range from the air): the sweep is dropped whole (one
      // transaction), monitoring goes on.
      ++stats.abandoned;
      log::warn(std::string("monitor: sweep dropped: ") + e.what());
      return;
    }
    ++stats.sweeps;
    last_learning = out.learning;
    if (o.after_sweep) {
      try {
        o.after_sweep(db);
      } catch (const store::ConnectionLost& e) {  // the sweep is committed; its outbox goes with the next one
        log::warn(std::string("database: the outbox waits: ") + e.what());
      }
    }
    emit({{"type", "monitor_sweep"},
          {"sweep_id", out.sweep_id},
          {"time_unix_ms", out.time_unix_ms},
          {"cells", out.cells},
          {"alerts", out.alerts.size()},
          {"learning", out.learning},
          {"learning_ends_ms", out.learning_ends_ms},
          {"cells_learned", out.cells_learned},
          {"open_findings", core.findings().open().size()},
          {"stream_s", p.stream_s},
          {"elapsed_s", p.elapsed_s},
          {"cpu_s", p.cpu_s + (process_cpu_s() - store_cpu_start_s)},   // analysis, storing and scoring
          {"rss_kb", resident_kb().value_or(-1)},
          {"rss_peak_kb", resident_peak_kb().value_or(-1)}});
    for (const auto& ev : out.events) {
      if (ev.kind == FindingEventKind::cleared)
        ++stats.cleared;
      else
        ++stats.alerts_reported;
      emit(ev.event);
      push_capped(reported, ev.event, o.report_history);
    }
    push_capped(timeline, output::TimelinePoint{out.sweep_id, out.time_unix_ms, out.cells, out.alerts.size(), out.learning},
                o.report_history);
  };

  while (!stopped(o.stop) && (o.max_sweeps <= 0 || stats.sweeps < o.max_sweeps)) {
    if (!dev.source) {
      try {
        dev = sweep::open_scan_device(o.scan, plan.tunings.front().center_hz);
        ++stats.reopens;
        emit({{"type", "device_reopened"}, {"device", dev.description}, {"attempts", failures}});
      } catch (const std::exception& e) {  // InputError (not found yet) or RuntimeFailure
        ++failures;
        emit({{"type", "device_lost"}, {"error", e.what()}, {"retry_in_s", backoff}, {"attempts", failures}});
        sleep_unless_stopped(backoff, o.stop);
        backoff = std::min(backoff * 2.0, o.backoff_max_s);
        continue;
      }
    }
    sweep::SweepResult r;
    const std::int64_t sweep_start_ms = now_unix_ms();
    const double cpu_start_s = process_cpu_s();
    try {
      // Each tuning starts with the heap trimmed: the previous tuning's buffers (megabytes at 20 Msps, of
      // other sizes than the next tuning's) do not pile up in it (process_stats.hpp).
      r = sweep::run_sweep(*dev.source, plan, ro, [](const sweep::SweepProgress&) { trim_heap(); });
    } catch (const RuntimeFailure& e) {
      ++stats.abandoned;
      ++failures;
      dev.source.reset();
      emit({{"type", "device_lost"}, {"error", e.what()}, {"retry_in_s", backoff}, {"attempts", failures}});
      sleep_unless_stopped(backoff, o.stop);
      backoff = std::min(backoff * 2.0, o.backoff_max_s);
      continue;
    }
    if (r.interrupted) {  // a stop during the sweep: abandoned, nothing of it stored
      ++stats.abandoned;
      break;
    }
    backoff = o.backoff_initial_s;
    failures = 0;
    auto merged = sweep::merge_sweep_cells(r.records);
    dev.add_power_dbm(merged.cells);
    clock.advance(r.stream_s);
    const std::int64_t t = clock.now_ms();
    SweepObservations obs;
    try {
      // The drive so far (positioned observations of the window): every cell's transmitter position.
      for (const auto& c : observations_from_records(merged.cells, t, dev.serial).cells)
        if (c.lat && c.lon) drive.push_back(c);
      const auto since = t - static_cast<std::int64_t>(o.drive_window_s * 1000.0);
      std::erase_if(drive, [&](const CellObservation& c) { return c.time_unix_ms < since; });
      locate::attach_position_estimates(merged.cells, locate::estimate_positions(drive));
      obs = observations_from_records(merged.cells, t, dev.serial);
      if (o.scan.position) obs.track = o.scan.position->track(sweep_start_ms, now_unix_ms());
    } catch (const InputError& e) {
      ++stats.abandoned;
      log::warn(std::string("monitor: sweep dropped: ") + e.what());
      continue;
    }
    obs.band_floors = sweep::band_floors_of(r.lte_floors);
    backlog.push(PendingSweep{std::move(obs), r.stream_s, r.elapsed_s, false, process_cpu_s() - cpu_start_s});
    backlog.drain(write_sweep);
    trim_heap();   // the sweep's buffers are freed: their pages go back (process_stats.hpp)
    if (o.geojson_path || o.kml_path || o.wigle_path) {
      output::MapData md;
      md.observations = drive;
      for (const auto& c : drive)
        if (md.track.empty() || md.track.back().lat != *c.lat || md.track.back().lon != *c.lon)
          md.track.push_back({c.time_unix_ms, *c.lat, *c.lon});
      md.cells = merged.cells;
      for (const auto& [key, f] : core.findings().open()) md.alerts.push_back(f.alert);
      try {
        if (o.geojson_path) output::write_geojson(*o.geojson_path, md);
        if (o.kml_path) output::write_kml(*o.kml_path, md);
        if (o.wigle_path) output::write_wigle_csv(*o.wigle_path, md.observations);
      } catch (const std::exception& e) {
        log::warn(std::string("map export not written: ") + e.what());
      }
    }
    if (o.report_path) {
      output::ReportData rd;
      rd.run.title = "towerwatch monitor";
      rd.run.command = "monitor";
      rd.run.source = dev.description;
      rd.run.sensor_id = dev.serial;
      rd.run.generated_unix_ms = t;
      rd.run.bands = band_names;
      rd.run.facts = {{"database", db.name()},
                      {"clock", clock_mode_name(o.clock)},
                      {"state", last_learning ? "learning" : "scoring"},
                      {"sweeps this run", std::to_string(stats.sweeps)},
                      {"open findings", std::to_string(core.findings().open().size())}};
      rd.cells = merged.cells;
      for (const auto& [key, f] : core.findings().open()) rd.alerts.push_back(f.alert);
      rd.census = r.census;
      rd.operator_name = cells::operator_name_of;
      rd.timeline.assign(timeline.begin(), timeline.end());
      rd.events.assign(reported.begin(), reported.end());
      try {
        output::write_html_report(*o.report_path, rd);
      } catch (const std::exception& e) {
        log::warn(std::string("report not written: ") + e.what());
      }
    }
    // --interval: the next sweep starts interval_s after this one started, on the monitor's clock. Stream
    // clock: the simulated radio skips the rest (its clock and scene jump, nothing rendered); a real radio's
    // stream runs by itself, so we wait the rest on the wall clock. Either way the clock moves by the rest.
    if (const double rest = o.interval_s - (o.clock == ClockMode::stream ? r.stream_s : (now_unix_ms() - sweep_start_ms) / 1e3);
        rest > 0 && !stopped(o.stop) && (o.max_sweeps <= 0 || stats.sweeps < o.max_sweeps)) {
      bool skipped = false;
      if (o.clock == ClockMode::stream) {
        try {
          skipped = dev.source->skip_time(rest);
        } catch (const RuntimeFailure& e) {
          log::warn(std::string("monitor: ") + e.what());
        }
      }
      if (!skipped) sleep_unless_stopped(rest, o.stop);
      clock.advance(rest);
    }
  }
  if (backlog.waiting() > 0) backlog.drain(write_sweep);  // one last try, if the backoff delay has passed
  if (backlog.waiting() > 0)
    log::warn("monitor: stopped with " + std::to_string(backlog.waiting()) + " sweeps still waiting for " + db.name() +
              ": not stored");
  const BacklogStats& bs = backlog.stats();
  emit({{"type", "monitor_stop"},
        {"sweeps", stats.sweeps},
        {"db_connections_lost", bs.connections_lost},
        {"db_reconnects", bs.reconnects},
        {"db_failed_attempts", bs.failed_attempts},
        {"db_sweeps_dropped", bs.dropped},
        {"db_sweeps_unwritten", backlog.waiting()},
        {"db_most_waiting", bs.most_waiting},
        {"abandoned", stats.abandoned},
        {"reopens", stats.reopens},
        {"alerts_reported", stats.alerts_reported},
        {"cleared", stats.cleared},
        {"open_findings", core.findings().open().size()},
        {"time_unix_ms", clock.now_ms()}});
  return stats;
}

}  // namespace tw::monitor
