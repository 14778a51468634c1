// towerwatch drive: sweeps again and again while the sensor moves, every tuning stamped with the position valid
// at its own time (--gps or --position, hw/position_source.hpp). One device kept open; each sweep is the scan's
// (sweep::scan_with_device), scored and stored (with the track received during it) as soon as it ends.
// SIGINT/SIGTERM: the sweep under way ends at its next block and what it heard is stored too; exit 0.
#include <chrono>
#include <cstdio>
#include <deque>
#include <map>
#include <thread>

#include "src/cli/command.hpp"
#include "src/cli/mqtt_options.hpp"
#include "src/cli/position_options.hpp"
#include "src/cli/scan_common.hpp"
#include "src/cli/scoring_common.hpp"
#include "src/cli/stop_signals.hpp"
#include "src/core/error.hpp"
#include "src/core/json_lines.hpp"
#include "src/core/log.hpp"
#include "src/locate/cell_positions.hpp"
#include "src/scorer/score_records.hpp"
#include "src/store/store.hpp"
#include "src/sweep/position_stamp.hpp"
#include "src/sweep/scan_session.hpp"

namespace tw::cli {

namespace {

// Sweeps kept in memory while a PostgreSQL server is away (as monitor's --db-backlog default, see
// src/monitor/sweep_backlog.hpp for the memory it takes).
constexpr std::size_t kDriveBacklog = 120;

void sleep_unless(double s, const std::atomic<bool>* stop) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(s);
  while (!stop->load() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace

int run_drive(const std::vector<std::string>& argv) {
  HelpText help{
      "--device ARGS [--band LIST | --region eu|us] [--arfcn LIST] [--gps[=HOST:PORT] | --position LAT,LON[,ALT]] [--db FILE] [--json]",
      "Drive mode: sweeps the bands again and again while the sensor moves, until SIGINT or SIGTERM (or\n"
      "--max-sweeps). Every tuning is stamped with the position valid at its own time: from gpsd (--gps, default\n"
      "localhost:2947) or a fixed site (--position). A fix older than 3 s at the tuning's time, or a receiver\n"
      "without a fix, gives the observation fix_mode \"none\" and no lat/lon: never a stale position. A fix\n"
      "implying more than 100 m/s from the last one is ignored as a jump. gpsd going away is reported on stderr\n"
      "and reconnected with backoff; the drive goes on. Each sweep is the scan's (see towerwatch scan --help),\n"
      "scored (alerts printed as they come) and stored in the database with the track of position reports\n"
      "received during it (table track). A stop ends the sweep under way at its next block; what it heard is\n"
      "stored too. A lost device is reopened with backoff. Progress on stderr: sweep, tuning, cells, fix.\n"
      "The database defaults to $TW_DATA_DIR/towerwatch.db, else $XDG_DATA_HOME/towerwatch/towerwatch.db, else\n"
      "~/.local/share/towerwatch/towerwatch.db.",
      {{"device", true, "ARGS", "SoapySDR device args (default: the first device found)"},
       {"band", true, "LIST", "bands to sweep, comma-separated, or all (default all)"},
       {"region", true, "eu|us", "the bands of a region instead of --band"},
       rat_option(),
       earfcn_option(),
       {"arfcn", true, "LIST", "only these GSM channels of the bands, e.g. 58-66,70"},
       {"mode", true, "MODE", "census, sync or full (default full)"},
       {"rate", true, "HZ", "sample rate (default 2.4M)"},
       {"dwell", true, "S", "seconds per tuning (default per mode)"},
       {"lte-dwell", true, "S", "seconds per LTE tuning (default 0.08)"},
       {"fixed-dwell", false, "", "full mode: listen for the whole dwell on every tuning"},
       {"threads", true, "N", "threads for the channel receivers (default 0: one per core)"},
       {"usable-fraction", true, "F", "part of the sample rate to use (default by device)"},
       {"gain", true, "DB|auto", "receiver gain in dB, or auto (default)"},
       {"ppm", true, "PPM", "frequency correction in ppm (default: the stored calibration of the device)"},
       {"antenna", true, "NAME", "antenna port (default: the device's)"},
       {"db", true, "FILE|URL", "database the sweeps, tracks and alerts go to: an SQLite file or a postgresql:// URL (default: see above)"},
       {"max-sweeps", true, "N", "stop after N sweeps (default: until stopped)"},
       {"json", false, "", "JSON lines: \"cell\" and \"alert\" lines of each sweep, then \"drive_sweep\"; \"drive_stop\""}},
      "towerwatch drive --device driver=rtlsdr --band GSM900,DCS1800 --gps --db drive.db"};
  for (auto& o : position_options()) help.options.push_back(o);
  for (auto& o : map_export_options()) help.options.push_back(o);
  help.options.push_back(report_option());
  add_mqtt_options(help.options);
  auto args = parse_or_help("drive", help, argv);
  if (!args) return 0;
  const bool json = args->has("json");
  sweep::ScanRequest rq = scan_request_from_args(*args);
  rq.bands = bands_from_args(*args, "all");
  if (auto a = args->get("arfcn")) restrict_to_arfcns(rq.bands, *a);
  if (auto a = args->get("earfcn")) restrict_to_earfcns(rq.bands, *a);
  rq.mode = sweep::scan_mode_from_name(args->get_or("mode", "full"));
  if (auto d = args->number("lte-dwell")) {
    if (!(*d >= 0.02 && *d <= 2.0)) throw InputError("--lte-dwell must be between 0.02 and 2 s");
    rq.lte_dwell_s = *d;
  }
  long max_sweeps = 0;
  if (auto m = args->number("max-sweeps")) {
    if (!(*m >= 0 && *m <= 1e9 && *m == static_cast<double>(static_cast<long>(*m))))
      throw InputError("--max-sweeps must be a whole number >= 0");
    max_sweeps = static_cast<long>(*m);
  }
  rq.keep_partial_on_device_loss = true;  // a sweep cut by a lost device still stores what it heard
  std::unique_ptr<PositionSource> position = position_source_from_args(*args);
  if (!position) {
    log::warn("drive: no --gps or --position: observations carry no position (fix_mode none)");
    position = std::make_unique<NoPositionSource>();
  }
  rq.position = position.get();
  const std::string db = args->get_or("db", store::default_db_path().string());
  const ScorerOptions scorer = scorer_options_from_args(*args);
  auto publisher = publisher_from_args(*args, rq.device_args.empty() ? "drive" : rq.device_args);
  StopSignals signals;
  const std::atomic<bool>* stop = signals.flag();
  rq.stop = stop;

  // Opened once; the plan is the scan's (scan_with_device plans for the driver).
  const sweep::SweepPlan first = sweep::plan_sweep(rq.bands, sweep::plan_options_of(rq));
  if (first.tunings.empty()) throw InputError("drive: no band to sweep");
  sweep::ScanDevice dev = sweep::open_scan_device(rq, first.tunings.front().center_hz);  // bad args: an error
  log::info("drive: " + dev.description + ", positions from " + position->description() + " -> " +
            store::db_display_name(db));
  store::open_store(db);  // a database that cannot be opened (or a server not there) is an error at the start

  long sweeps = 0, observations = 0, positioned = 0, alerts = 0;
  // The drive so far for the maps and the report: the latest record of every transmitter heard (with its
  // estimate of then) and the latest alert of each, so a sweep cut short by the stop (Ctrl-C, which heard
  // little or nothing) does not leave them without the cells and alerts of the sweeps before it.
  std::map<std::string, nlohmann::json> drive_cells;
  std::map<std::string, Alert> drive_alerts;
  std::int64_t track_from = 0;  // the first sweep's track starts with the source (reports before its first tuning)
  // A written sweep: the drive so far, the maps and the report, the counts and the printed lines.
  const auto report = [&](const sweep::ScanOutcome& out, long n, const std::vector<Fix>& track, const ScoredRun& scored) {
    // The drive so far (the last hour in the database): transmitter estimates, map exports and the report,
    // rewritten after every sweep so a stopped drive leaves them whole.
    for (const auto& c : scored.cells) drive_cells[locate::transmitter_key(c)] = c;
    for (const auto& a : scored.alerts) drive_alerts[locate::transmitter_key(a.cell)] = a;
    ScoredRun so_far;
    so_far.drive_observations = scored.drive_observations;
    for (const auto& [key, c] : drive_cells) so_far.cells.push_back(c);
    for (const auto& [key, a] : drive_alerts) so_far.alerts.push_back(a);
    write_map_exports_if_asked(*args, so_far);
    std::vector<std::string> band_names;
    for (const auto& b : rq.bands) band_names.push_back(b.name);
    write_report_if_asked(*args, "drive", out.description, out.serial, band_names, so_far.cells, so_far.alerts, out.sweep.census);
    ++sweeps;
    long with_fix = 0;
    for (const auto& c : out.merge.cells)
      if (c.value("fix_mode", "none") != "none") ++with_fix;
    observations += static_cast<long>(out.merge.cells.size());
    positioned += with_fix;
    alerts += static_cast<long>(scored.alerts.size());
    const Fix now = position->at(now_unix_ms());
    log::warn("drive: sweep " + std::to_string(n) + (out.sweep.interrupted ? " (stopped)" : "") + ": " +
              std::to_string(out.merge.cells.size()) + " cells (" + std::to_string(with_fix) + " with a fix), " +
              std::to_string(scored.alerts.size()) + " alerts, " + std::to_string(track.size()) +
              " track points, now " + sweep::fix_text(now));
    if (json) {
      for (const auto& c : scored.cells) {   // with the transmitter estimates of the drive so far
        nlohmann::json line = c;
        line["sweep_id"] = scored.sweep_id ? nlohmann::json(*scored.sweep_id) : nlohmann::json(nullptr);
        emit_json_line(line);
      }
      for (const auto& a : scored.alerts) emit_json_line(to_json(a));
      emit_json_line({{"type", "drive_sweep"},
                      {"sweep", n},
                      {"sweep_id", scored.sweep_id ? nlohmann::json(*scored.sweep_id) : nlohmann::json(nullptr)},
                      {"cells", out.merge.cells.size()},
                      {"cells_with_fix", with_fix},
                      {"alerts", scored.alerts.size()},
                      {"track_points", track.size()},
                      {"interrupted", out.sweep.interrupted},
                      {"device_error", out.sweep.device_error.empty() ? nlohmann::json(nullptr)
                                                                      : nlohmann::json(out.sweep.device_error)},
                      {"fix", sweep::fix_json(now)}});
    } else {
      print_alerts(scored.alerts);
      std::fflush(stdout);
    }
  };
  struct Waiting {
    sweep::ScanOutcome out;
    long n = 0;
    std::vector<Fix> track;
    std::int64_t ended_ms = 0;
    bool commit_in_doubt = false;   // its COMMIT was under way when the connection went
  };
  std::deque<Waiting> waiting;
  long swept = 0, dropped = 0, db_losses = 0, db_reconnects = 0;
  bool db_lost = false;
  double db_backoff = 1.0;
  std::chrono::steady_clock::time_point next_db_attempt{};
  double backoff = 1.0;
  while (!stop->load() && (max_sweeps == 0 || sweeps < max_sweeps)) {
    if (!dev.source) {
      try {
        dev = sweep::open_scan_device(rq, first.tunings.front().center_hz);
        log::warn("drive: device reopened: " + dev.description);
        backoff = 1.0;
      } catch (const std::exception& e) {
        log::warn(std::string("drive: device lost (") + e.what() + "); reopening in " + std::to_string(backoff) + " s");
        sleep_unless(backoff, stop);
        backoff = std::min(backoff * 2.0, 60.0);
        continue;
      }
    }
    const long n = ++swept;
    const std::int64_t started = track_from;
    auto progress = [n](const sweep::SweepProgress& p) {
      std::fprintf(stderr, "\rdrive: sweep %ld, %-9s tuning %zu/%zu, %zu cell records, %s   ", n, p.band.c_str(),
                   p.tuning, p.tunings, p.records, p.fix ? sweep::fix_text(*p.fix).c_str() : "no fix");
      std::fflush(stderr);
    };
    sweep::ScanOutcome out = sweep::scan_with_device(dev, rq, progress);
    std::fprintf(stderr, "\n");
    const std::int64_t ended = now_unix_ms();
    const std::vector<Fix> track = position->track(started, ended);
    track_from = ended + 1;
    const std::string device_error = out.sweep.device_error;
    // Written (scored against the database, stored, printed) oldest first; while a PostgreSQL server is away
    // the sweeps wait in memory (at most kDriveBacklog, the oldest dropped beyond) and the connection is tried
    // again after each sweep once the backoff delay (1 s doubling to 60 s) has passed.
    waiting.push_back(Waiting{std::move(out), n, track, ended});
    while (waiting.size() > kDriveBacklog) {
      waiting.pop_front();
      ++dropped;
      log::warn("drive: more than " + std::to_string(kDriveBacklog) + " sweeps wait for " + store::db_display_name(db) +
                ": the oldest dropped (" + std::to_string(dropped) + " so far)");
    }
    if (db_lost && std::chrono::steady_clock::now() < next_db_attempt)
      log::warn("drive: sweep " + std::to_string(n) + " kept in memory until " + store::db_display_name(db) + " is back (" +
                std::to_string(waiting.size()) + " waiting)");
    while (!waiting.empty() && !(db_lost && std::chrono::steady_clock::now() < next_db_attempt)) {
      Waiting& w = waiting.front();
      ScoredRun scored;
      const std::string source = "drive " + w.out.description;
      bool written_before = false;
      try {
        if (w.commit_in_doubt && store::open_store(db)->find_sweep(w.ended_ms, w.out.serial, source))
          written_before = true;  // the server committed it before the connection went: not written again
        else
          scored = score_run(w.out.merge.cells, w.out.serial, source, db, scorer, 3600.0, w.ended_ms, publisher.get(),
                             w.track, sweep::band_floors_of(w.out.sweep.lte_floors));
      } catch (const store::ConnectionLost& e) {
        if (e.commit_in_doubt()) w.commit_in_doubt = true;
        if (!db_lost) {
          ++db_losses;
          db_backoff = 1.0;
        } else {
          db_backoff = std::min(db_backoff * 2.0, 60.0);
        }
        db_lost = true;
        next_db_attempt = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                                 std::chrono::duration<double>(db_backoff));
        log::warn(std::string("drive: database unreachable (") + e.what() + "): the sweep's transaction rolled back, " +
                  std::to_string(waiting.size()) + " sweeps kept in memory; next attempt in " +
                  std::to_string(static_cast<int>(db_backoff)) + " s");
        break;
      }
      if (db_lost) {
        ++db_reconnects;
        log::warn("drive: reconnected to " + store::db_display_name(db) + "; writing the " +
                  std::to_string(waiting.size()) + " waiting sweeps");
      }
      db_lost = false;
      if (written_before)
        log::warn("drive: sweep " + std::to_string(w.n) + ", whose COMMIT was cut off, is in " + store::db_display_name(db) +
                  ": not written again, nor printed");
      else
        report(w.out, w.n, w.track, scored);
      waiting.pop_front();
    }
    if (!device_error.empty()) {
      log::warn("drive: device lost (" + device_error + "); reopening in " + std::to_string(backoff) + " s");
      dev.source.reset();
      sleep_unless(backoff, stop);
      backoff = std::min(backoff * 2.0, 60.0);
    }
  }
  if (!waiting.empty())
    log::warn("drive: stopped with " + std::to_string(waiting.size()) + " sweeps still waiting for " +
              store::db_display_name(db) + ": not stored");
  const nlohmann::json summary{{"type", "drive_stop"},
                               {"sweeps", sweeps},
                               {"db_connections_lost", db_losses},
                               {"db_reconnects", db_reconnects},
                               {"db_sweeps_dropped", dropped},
                               {"db_sweeps_unwritten", waiting.size()},
                               {"observations", observations},
                               {"observations_with_fix", positioned},
                               {"alerts", alerts},
                               {"position_source", position->description()},
                               {"position_jumps_ignored", position->rejected_jumps()},
                               {"db", store::db_display_name(db)}};
  if (json)
    emit_json_line(summary);
  else
    std::printf("drive stopped: %ld sweeps, %ld observations (%ld with a fix), %ld alerts; stored in %s\n", sweeps,
                observations, positioned, alerts, db.c_str());
  return 0;
}

}  // namespace tw::cli
