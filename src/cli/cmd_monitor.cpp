// towerwatch monitor: fixed-site monitoring (src/monitor/*). Sweeps until SIGINT/SIGTERM, learns for a
// period, then scores every sweep against the baseline and reports each finding once.
#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <set>

#include "src/cli/command.hpp"
#include "src/cli/mqtt_options.hpp"
#include "src/cli/position_options.hpp"
#include "src/cli/stop_signals.hpp"
#include "src/cli/scan_common.hpp"
#include "src/cli/scoring_common.hpp"
#include "src/core/error.hpp"
#include "src/core/json_lines.hpp"
#include "src/core/log.hpp"
#include "src/monitor/monitor.hpp"
#include "src/store/store.hpp"

namespace tw::cli {

namespace {

int parse_int(const std::string& s, const std::string& what) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < 0)
    throw InputError(what + ": '" + s + "' is not a non-negative integer");
  return v;
}

std::string num_or(const nlohmann::json& c, const char* k) {
  if (c.contains(k) && !c[k].is_null()) return c[k].is_string() ? c[k].get<std::string>() : c[k].dump();
  return "?";
}

void print_event(const nlohmann::json& e) {
  const std::string type = e.value("type", "");
  if (type == "alert") {
    const auto& c = e["cell"];
    std::printf("ALERT [%s] %s  ARFCN %s  %s-%s LAC %s CI %s BSIC %s  score %.1f\n", e.value("status", "new").c_str(),
                e.value("finding", "").c_str(), num_or(c, "arfcn").c_str(), num_or(c, "mcc").c_str(),
                num_or(c, "mnc").c_str(), num_or(c, "lac").c_str(), num_or(c, "ci").c_str(), num_or(c, "bsic").c_str(),
                e.value("score", 0.0));
    for (const auto& r : e["reasons"])
      std::printf("  %-3s +%.1f  %s\n", r.value("rule", "").c_str(), r.value("weight", 0.0), r.value("detail", "").c_str());
    std::fflush(stdout);
  } else if (type == "alert_cleared") {
    std::printf("CLEARED %s  (%s for %d sweeps; cell %s)\n", e.value("finding", "").c_str(), e.value("reason", "").c_str(),
                e.value("quiet_sweeps", 0), e.value("cell_key", "").c_str());
    std::fflush(stdout);
  } else if (type == "monitor_sweep") {
    log::info("monitor: sweep " + std::to_string(e.value("sweep_id", 0)) + ": " + std::to_string(e.value("cells", 0)) +
              " cells, " + std::to_string(e.value("alerts", 0)) + " alerts" +
              (e.value("learning", false) ? " (learning)" : "") + ", " + std::to_string(e.value("open_findings", 0)) +
              " open findings");
  } else if (type == "device_lost") {
    log::warn("monitor: device lost (" + e.value("error", "") + "); reopening in " +
              std::to_string(e.value("retry_in_s", 0.0)) + " s");
  } else if (type == "device_reopened") {
    log::warn("monitor: device reopened: " + e.value("device", ""));
  } else if (type == "monitor_start") {
    log::info("monitor: " + e.value("device", "") + " -> " + e.value("db", "") + " (clock " + e.value("clock", "") +
              ", learning " + std::to_string(e.value("learn_s", 0.0)) + " s)");
  } else if (type == "monitor_stop") {
    std::printf("monitor stopped: %lld sweeps, %lld alerts reported, %lld cleared, %lld device reopens\n",
                static_cast<long long>(e.value("sweeps", 0)), static_cast<long long>(e.value("alerts_reported", 0)),
                static_cast<long long>(e.value("cleared", 0)), static_cast<long long>(e.value("reopens", 0)));
  }
}

}  // namespace

int run_monitor(const std::vector<std::string>& argv) {
  HelpText help{
      "--device ARGS [--band LIST | --region eu|us] [--arfcn LIST] [--db FILE] [--learn DURATION] [--report FILE] [--json]",
      "Fixed-site monitoring: sweeps the bands again and again until SIGINT or SIGTERM (exit 0).\n"
      "Learning: for the first DURATION (--learn, default 24h; counted from the first sweep this database\n"
      "monitored, so a restart continues it) every sweep is stored and folded into the baseline, nothing is\n"
      "scored. Then every sweep is scored against the baseline: each finding is reported once (an \"alert\"\n"
      "line), again only when it changes (score, rules, or the cell's identity on that ARFCN), and an\n"
      "\"alert_cleared\" line once the cell has been gone or normal for --clear-after sweeps. Open findings are\n"
      "kept in the database: a restart does not report them again. Cells that raise no alert keep folding\n"
      "into the baseline (an alerting cell never does). --learn 0 scores from the first sweep (use it with a\n"
      "baseline already in the database).\n"
      "Every completed sweep is committed in one transaction with its alerts; a sweep interrupted by a stop or\n"
      "a lost device is dropped whole. A lost device is reopened with exponential backoff (--backoff, doubling\n"
      "up to --backoff-max). --clock stream runs the learning period on the time of the samples read (starts\n"
      "where the last run on this database stopped): for the simulated radio and tests; wall (default) is\n"
      "the system clock. --interval starts a sweep every DURATION (on the stream clock the simulated radio skips\n"
      "the time between sweeps instead of rendering it: a day of sweeps costs only the sweeps).\n"
      "Bands: as scan; --region eu is GSM900, DCS1800, LTE-B3, -B7, -B20 (us: GSM850, PCS1900, LTE-B2, -B5,\n"
      "-B12, -B13, -B66); --rat gsm keeps the GSM bands alone. Every monitor_sweep line has the sweep's cpu_s\n"
      "and the process's resident memory, rss_kb and its peak rss_peak_kb.\n"
      "The database defaults to $TW_DATA_DIR/towerwatch.db, else\n"
      "$XDG_DATA_HOME/towerwatch/towerwatch.db, else ~/.local/share/towerwatch/towerwatch.db (created).",
      {{"device", true, "ARGS", "SoapySDR device args (default: the first device found)"},
       {"band", true, "LIST", "bands to sweep, comma-separated, or all (default GSM900)"},
       {"region", true, "eu|us", "the bands of a region instead of --band"},
       rat_option(),
       earfcn_option(),
       {"arfcn", true, "LIST", "only these GSM channels of the bands, e.g. 58-66,70"},
       {"mode", true, "MODE", "census, sync or full (default full)"},
       {"rate", true, "HZ", "sample rate (default 2.4M)"},
       {"dwell", true, "S", "seconds per tuning (default per mode)"},
       {"fixed-dwell", false, "", "listen for the whole dwell on every tuning (default: end once every carrier is settled)"},
       {"threads", true, "N", "threads for the channel receivers (default 0: one per core)"},
       {"usable-fraction", true, "F", "part of the sample rate used per tuning (default: by the device's driver)"},
       {"gain", true, "DB|auto", "receiver gain in dB, or auto (default)"},
       {"ppm", true, "PPM", "frequency correction in ppm (default: the stored calibration of the device)"},
       {"antenna", true, "NAME", "antenna port (default: the device's)"},
       {"db", true, "FILE|URL", "the site's database, an SQLite file or a postgresql:// URL (default: see above)"},
       {"learn", true, "DURATION", "learning period: 24h (default), 90m, 3600s, 2d, 0"},
       {"clock", true, "wall|stream", "the clock of the learning period and sweep times (default wall)"},
       {"clear-after", true, "N", "sweeps a finding must stay gone or normal before it is cleared (default 3)"},
       {"max-sweeps", true, "N", "stop after N completed sweeps (default: until stopped)"},
       {"interval", true, "DURATION", "from one sweep's start to the next (default 0: back to back), e.g. 5m"},
       {"backoff", true, "S", "first delay before reopening a lost device or database connection (default 1)"},
       {"backoff-max", true, "S", "longest delay between reopening attempts (default 60)"},
       {"db-backlog", true, "N", "sweeps kept in memory while a PostgreSQL server is away; beyond, the oldest are dropped (default 120)"},
       {"report", true, "FILE", "write a self-contained HTML report after every sweep"},
       {"json", false, "", "JSON lines: monitor_start, monitor_sweep, alert, alert_cleared, device_lost, ..."}},
      "towerwatch monitor --device driver=towerwatch-sim,scene=city-with-rogue --band GSM900 --db site.db --learn 1h"};
  for (auto& opt : map_export_options()) help.options.push_back(opt);
  add_mqtt_options(help.options);
  for (auto& opt : position_options()) help.options.push_back(opt);
  auto args = parse_or_help("monitor", help, argv);
  if (!args) return 0;
  monitor::MonitorOptions o;
  o.scan = scan_request_from_args(*args);
  o.scan.bands = bands_from_args(*args, "GSM900");
  if (auto a = args->get("arfcn")) restrict_to_arfcns(o.scan.bands, *a);
  if (auto a = args->get("earfcn")) restrict_to_earfcns(o.scan.bands, *a);
  o.scan.mode = sweep::scan_mode_from_name(args->get_or("mode", "full"));
  o.db_path = args->has("db") ? std::filesystem::path(*args->get("db")) : store::default_db_path();
  o.core.learn_ms = monitor::parse_duration_ms(args->get_or("learn", "24h"), "--learn");
  o.clock = monitor::clock_mode_from_name(args->get_or("clock", "wall"));
  o.core.clear_after_sweeps = parse_int(args->get_or("clear-after", "3"), "--clear-after");
  if (o.core.clear_after_sweeps < 1) throw InputError("--clear-after must be at least 1");
  o.max_sweeps = parse_int(args->get_or("max-sweeps", "0"), "--max-sweeps");
  o.interval_s = static_cast<double>(monitor::parse_duration_ms(args->get_or("interval", "0"), "--interval")) / 1e3;
  if (o.interval_s > 86400) throw InputError("--interval: at most 24h");
  o.backoff_initial_s = args->number_or("backoff", 1.0);
  o.backoff_max_s = args->number_or("backoff-max", 60.0);
  if (!(o.backoff_initial_s > 0 && o.backoff_initial_s <= 3600) || !(o.backoff_max_s >= o.backoff_initial_s && o.backoff_max_s <= 86400))
    throw InputError("--backoff must be in (0, 3600] s and --backoff-max between it and 86400 s");
  const int backlog = parse_int(args->get_or("db-backlog", std::to_string(monitor::SweepBacklog::kDefaultCapacity)), "--db-backlog");
  if (backlog < 1 || backlog > 1000000) throw InputError("--db-backlog must be in 1..1000000 sweeps");
  o.db_backlog = static_cast<std::size_t>(backlog);
  if (auto r = args->get("report")) o.report_path = std::filesystem::path(*r);
  if (auto r = args->get("geojson")) o.geojson_path = std::filesystem::path(*r);
  if (auto r = args->get("kml")) o.kml_path = std::filesystem::path(*r);
  if (auto r = args->get("wigle")) o.wigle_path = std::filesystem::path(*r);
  const bool json = args->has("json");
  const auto position = position_source_from_args(*args);
  o.scan.position = position.get();
  StopSignals signals;
  o.stop = signals.flag();
  o.emit = [json](const nlohmann::json& e) {
    if (json)
      emit_json_line(e);
    else
      print_event(e);
  };
  auto publisher = publisher_from_args(*args, o.scan.device_args.empty() ? "monitor" : o.scan.device_args);
  if (publisher) {
    fleet::SensorPublisher* p = publisher.get();
    o.core.in_transaction = [p](store::Store& db, std::int64_t sweep_id, const SweepObservations& sweep,
                                const std::vector<Alert>& alerts, const std::string& source) {
      p->enqueue_sweep(db, sweep_id, sweep, alerts, source);
    };
    o.after_sweep = [p](store::Store& db) { p->drain(db, p->config().timeout_s); };
  }
  monitor::run_monitor(o);
  return 0;
}

}  // namespace tw::cli
