// The HTML report (--report FILE): one self-contained page, openable offline. Inline CSS, inline SVG plots,
// no script, no external URL. Sections: run information, alerts (every reason: rule, weight, detail),
// cells table, a power plot per band (the sweep's channel power census), and a timeline (a monitor: cells
// and alerts per sweep; a single scan: one point), plus the monitor's reported events.
//
// Every string that came from the air (operator names, decoded parameters, anything in a cell record or an
// alert) is attacker input: all text and attribute values are HTML-escaped (& < > " '), invalid UTF-8 is
// replaced by U+FFFD and control characters are dropped, so nothing from a record can open a tag, close a
// cell or start a script.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/sweep/sweep_runner.hpp"

namespace tw::output {

struct ReportRun {
  std::string title = "towerwatch report";
  std::string command;                    // "scan", "monitor", "analyze", "demo"
  std::string source;                     // device description or file name
  std::string sensor_id;
  std::int64_t generated_unix_ms = 0;     // 0: not shown
  std::vector<std::string> bands;
  // Anything else worth a line: {"database","site.db"}, {"learning","until ..."}, ...
  std::vector<std::pair<std::string, std::string>> facts;
};

struct TimelinePoint {
  std::int64_t sweep_id = 0;
  std::int64_t time_unix_ms = 0;
  std::size_t cells = 0;
  std::size_t alerts = 0;
  bool learning = false;
};

struct ReportData {
  ReportRun run;
  // {"type":"cell",...} records as analyze/scan/demo emit them (or CellObservation::params).
  std::vector<nlohmann::json> cells;
  // {"type":"alert",...} objects as tw::to_json(Alert) makes them (monitor adds "finding", "status").
  std::vector<nlohmann::json> alerts;
  // The power census of the sweep (sweep::SweepResult::census); empty: no plot.
  std::vector<sweep::ChannelPower> census;
  // Sweeps over time; empty: one point made from cells/alerts.
  std::vector<TimelinePoint> timeline;
  // Reported events of a monitor ({"type":"alert"|"alert_cleared",...}), oldest first.
  std::vector<nlohmann::json> events;
};

// The page. Pure: the same data gives the same bytes.
std::string render_html_report(const ReportData& data);

// Renders and writes atomically: "<path>.tmp-<pid>" in the same folder, flushed and fsync'ed, then renamed
// over `path` (a reader never sees half a page). tw::InputError when the folder cannot be written,
// tw::RuntimeFailure when a write or the rename fails, both naming the file.
void write_html_report(const std::filesystem::path& path, const ReportData& data);

// Escapes text for HTML text and attribute values (see the top). Exposed for tests.
std::string html_escape(std::string_view text);

}  // namespace tw::output
