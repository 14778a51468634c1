// `towerwatch monitor`: a fixed site sweeping until stopped. Owns the device (kept open from sweep to sweep,
// so its stream clock runs on), the monitor clock, the database and the report; the per-sweep logic is
// MonitorCore (monitor_core.hpp).
//
// A lost device (tw::RuntimeFailure from the source, e.g. the simulated radio's vanish_after=, or a USB
// unplug; or tw::InputError "no such device" when reopening) abandons the current sweep (nothing of it is
// stored), is logged, and the device is reopened after a backoff that doubles from backoff_initial_s up to
// backoff_max_s and returns to backoff_initial_s after a completed sweep. Only *stop ends the loop (or
// max_sweeps). The first open at start-up is not retried: a wrong --device is an error.
// A lost PostgreSQL connection does not end the loop either: the sweep waits in memory (SweepBacklog,
// sweep_backlog.hpp, at most db_backlog sweeps) and is written after reconnecting with the same backoff.
#pragma once
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "src/monitor/monitor_clock.hpp"
#include "src/monitor/monitor_core.hpp"
#include "src/monitor/sweep_backlog.hpp"
#include "src/sweep/scan_session.hpp"

namespace tw::monitor {

struct MonitorOptions {
  sweep::ScanRequest scan;              // device, bands, rate, mode, dwell, gain, ppm... (its `stop` is unused)
  std::filesystem::path db_path;
  MonitorCoreOptions core;
  ClockMode clock = ClockMode::wall;
  std::int64_t max_sweeps = 0;          // 0: until stopped
  // Time from one sweep's start to the next's on the monitor's clock (0: back to back). On the stream clock
  // with the simulated radio the time between sweeps is skipped, not rendered (SoapySource::skip_time).
  double interval_s = 0.0;
  double backoff_initial_s = 1.0;
  double backoff_max_s = 60.0;
  // Sweeps kept in memory while the database (a PostgreSQL server) is away; the same backoff reconnects it
  // (sweep_backlog.hpp).
  std::size_t db_backlog = SweepBacklog::kDefaultCapacity;
  std::optional<std::filesystem::path> report_path;  // written after every sweep
  std::size_t report_history = 2000;    // timeline points and events kept for the report
  // Exports written after every sweep (src/output/map_export.hpp), over the drive: the positioned
  // observations of the last drive_window_s of this run, from which every cell gets its position_estimate.
  std::optional<std::filesystem::path> geojson_path, kml_path, wigle_path;
  double drive_window_s = 3600.0;
  const std::atomic<bool>* stop = nullptr;
  // Every event: monitor_start, monitor_sweep (with the sweep's cpu_s and the process's rss_kb), alert, alert_cleared, device_lost, device_reopened, monitor_stop.
  std::function<void(const nlohmann::json&)> emit;
  // After every committed sweep (the fleet publisher drains its outbox).
  std::function<void(store::Store&)> after_sweep;
};

struct MonitorStats {
  std::int64_t sweeps = 0;              // completed and committed
  std::int64_t abandoned = 0;           // interrupted by a stop or a lost device
  std::int64_t reopens = 0;
  std::int64_t alerts_reported = 0;     // alert events (new or changed)
  std::int64_t cleared = 0;
};

MonitorStats run_monitor(const MonitorOptions& options);

}  // namespace tw::monitor
