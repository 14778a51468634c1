// Internal to the HTML report (src/output/html_report.hpp): the text helpers its sections share and the
// sections themselves, one file per kind (html_report.cpp: page, verdict, alerts, events;
// html_report_cells.cpp: cells by operator and band; html_report_graphs.cpp: the inline SVG figures).
// Every helper that takes a JSON value from a record returns escaped text.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/output/html_report.hpp"

namespace tw::output::report {

using nlohmann::json;

inline std::string esc(const std::string& s) { return html_escape(s); }
std::string num(double v, int decimals = 1);
// Any JSON value as escaped text (strings without quotes, floats with up to 2 decimals, arrays joined by ", ").
std::string value_text(const json& v);
// obj[key] as escaped text; "" when absent or null.
std::string field(const json& obj, const char* key);
std::optional<long long> int_at(const json& obj, const char* key);
std::optional<double> num_at(const json& obj, const char* key);
std::optional<std::string> str_at(const json& obj, const char* key);
std::string time_text(std::int64_t unix_ms);

// The identity of a cell as the report names it (rat, channel, PLMN, cell id), from a cell record or an
// alert's "cell" object. Comparable: an alert's cell matches the record of the same carrier and identity.
struct CellId {
  std::string rat;          // "GSM" | "LTE"
  long long channel = -1;   // ARFCN or EARFCN
  long long pci = -1;       // LTE PCI (GSM: BSIC)
  std::string plmn;         // "262-01", "" when unknown
  std::string band;
  bool operator<(const CellId& o) const {
    return std::tie(rat, channel, pci, plmn) < std::tie(o.rat, o.channel, o.pci, o.plmn);
  }
};
CellId cell_id(const json& cell);
// "GSM ARFCN 64", "LTE EARFCN 6300 PCI 101" (unescaped; callers escape).
std::string cell_label(const CellId& id);
// The operator's name for a PLMN: the record's "operator"/"operator_name" field, else the lookup hook.
std::optional<std::string> operator_name(const ReportData& d, const json& cell);
// The channels (ARFCN/EARFCN per rat) of cells that raised an alert, and the alert ids.
std::set<CellId> alerted_cells(const ReportData& d);
bool is_alerted(const std::set<CellId>& alerted, const CellId& id);

// Sections (each appends to h; a section whose data is absent appends nothing, unless said otherwise).
void cells_section(std::string& h, const ReportData& d);
void neighbour_graph_section(std::string& h, const ReportData& d);
void spectrum_section(std::string& h, const ReportData& d);
void timeline_section(std::string& h, const ReportData& d);
void map_section(std::string& h, const ReportData& d);

}  // namespace tw::output::report
