// The HTML report (--report FILE): one self-contained page, openable offline. Inline CSS, inline SVG
// figures, no script, no external URL; responsive (reads on a 390 px phone without horizontal scrolling).
// Sections, in reading order:
//  - the verdict line (alerts, sweeps, cells, operators) and the run's facts;
//  - alerts: per alert the cell, each reason in words (rule title, weight, detail) and its evidence;
//  - cells grouped by operator (MCC-MNC, name when known) and band, each with its parameters as label/value
//    rows; the raw record only inside a collapsed <details>;
//  - neighbour graph: which cell announces which (GSM BA list, SI2quater E-UTRAN; LTE SIB4 PCIs, SIB5
//    carriers, SIB7 GERAN); cells nobody announces and announcing nobody stand apart;
//  - spectrum per band (the sweep's power census) with cells and alerts labelled (omitted without census);
//  - timeline of sweeps and alerts (omitted for a single sweep) and the monitor's reported events;
//  - map of the track, observation points and estimated cell positions (omitted without positions).
//
// Every string that came from the air (operator names, decoded parameters, anything in a cell record or an
// alert) is attacker input: all text and attribute values are HTML-escaped (& < > " '), invalid UTF-8 is
// replaced by U+FFFD and control characters are dropped, so nothing from a record can open a tag, close a
// cell or start a script.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
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

// A position (WGS84 degrees) for the map: a point of the sensor's track, or a cell's estimated position.
struct GeoPoint {
  double lat = 0.0;
  double lon = 0.0;
  std::int64_t time_unix_ms = 0;   // track points: when (0: unknown)
  std::string label;               // estimated cell positions: the cell ("GSM ARFCN 64"); shown escaped
  bool alerted = false;            // estimated cell positions: the cell raised an alert
};

// The operator name of a PLMN (MCC, MNC as its digits, "01" and "001" differ), or nullopt when unknown.
using OperatorNameLookup = std::function<std::optional<std::string>(int mcc, const std::string& mnc)>;

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
  // Operator names: a cell record's "operator" (or "operator_name") field wins; else this lookup, when set.
  OperatorNameLookup operator_name;
  // The map: the sensor's track and estimated cell positions. Cell records and alerts with "lat"/"lon" (or
  // "position":{"lat","lon"}) are drawn as observation points; "estimated_position":{"lat","lon"} on a cell
  // record as that cell's estimated position. No position anywhere: no map.
  std::vector<GeoPoint> track;
  std::vector<GeoPoint> cell_positions;
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
