#include "src/output/html_report.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <set>

#include "src/core/error.hpp"
#include "src/core/utf8.hpp"
#include "src/output/html_report_parts.hpp"

namespace tw::output {

using nlohmann::json;

// ---- escaping ------------------------------------------------------------------------------------------
std::string html_escape(std::string_view in) {
  std::string out;
  out.reserve(in.size() + 16);
  std::size_t i = 0;
  while (i < in.size()) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
          if (c >= 0x20 && c != 0x7f) out += static_cast<char>(c);
          else if (c == '\n' || c == '\t' || c == '\r') out += ' ';
          // other control characters are dropped
      }
      ++i;
      continue;
    }
    // UTF-8 (src/core/utf8): an invalid sequence becomes U+FFFD, a C1 control is dropped.
    const auto u = utf8_at(in, i);
    if (!u) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (u->cp < 0x80 || u->cp > 0x9f) out.append(in.substr(i, u->len));
    i += u->len;
  }
  return out;
}

namespace report {

std::string num(double v, int decimals) {
  if (!std::isfinite(v)) return "&#8211;";
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

namespace {
std::string plain_value(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_number_float()) {
    const double x = v.get<double>();
    if (!std::isfinite(x)) return "-";
    char b[64];
    std::snprintf(b, sizeof b, "%.2f", x);
    return b;
  }
  if (v.is_number()) return v.dump();
  std::string out;
  if (v.is_array()) {
    for (const auto& e : v) {
      if (!out.empty()) out += ", ";
      out += e.is_structured() ? "(" + plain_value(e) + ")" : plain_value(e);
    }
    return out;
  }
  for (auto it = v.begin(); it != v.end(); ++it) {  // object: "key: value; ..." (no braces, no quotes)
    if (!out.empty()) out += "; ";
    out += it.key() + ": " + (it.value().is_structured() ? "(" + plain_value(it.value()) + ")" : plain_value(it.value()));
  }
  return out;
}
}  // namespace

std::string value_text(const json& v) { return esc(plain_value(v)); }

std::string field(const json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key)) return "";
  return value_text(obj[key]);
}

std::optional<long long> int_at(const json& obj, const char* key) {
  if (obj.is_object() && obj.contains(key) && obj[key].is_number_integer()) return obj[key].get<long long>();
  return std::nullopt;
}

std::optional<double> num_at(const json& obj, const char* key) {
  if (obj.is_object() && obj.contains(key) && obj[key].is_number()) {
    const double v = obj[key].get<double>();
    if (std::isfinite(v)) return v;
  }
  return std::nullopt;
}

std::optional<std::string> str_at(const json& obj, const char* key) {
  if (obj.is_object() && obj.contains(key) && obj[key].is_string()) return obj[key].get<std::string>();
  return std::nullopt;
}

std::string time_text(std::int64_t ms) {
  if (ms <= 0) return "";
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char b[64];
  std::strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return b;
}

CellId cell_id(const json& c) {
  CellId id;
  id.rat = str_at(c, "rat").value_or("GSM");
  const bool lte = id.rat == "LTE";
  id.channel = int_at(c, lte ? "earfcn" : "arfcn").value_or(int_at(c, "arfcn").value_or(-1));
  id.pci = int_at(c, lte ? "pci" : "bsic").value_or(-1);
  id.band = str_at(c, "band").value_or("");
  std::string mnc = str_at(c, "mnc").value_or("");
  if (mnc.empty())
    if (auto m = int_at(c, "mnc")) mnc = std::to_string(*m);
  if (auto mcc = int_at(c, "mcc"); mcc && !mnc.empty()) id.plmn = std::to_string(*mcc) + "-" + mnc;
  return id;
}

std::string cell_label(const CellId& id) {
  std::string s = id.rat + (id.rat == "LTE" ? " EARFCN " : " ARFCN ");
  s += id.channel >= 0 ? std::to_string(id.channel) : "?";
  if (id.rat == "LTE" && id.pci >= 0) s += " PCI " + std::to_string(id.pci);
  return s;
}

std::optional<std::string> operator_name(const ReportData& d, const json& cell) {
  for (const char* k : {"operator", "operator_name"})
    if (auto s = str_at(cell, k); s && !s->empty()) return s;
  if (!d.operator_name) return std::nullopt;
  const auto mcc = int_at(cell, "mcc");
  std::string mnc = str_at(cell, "mnc").value_or("");
  if (!mcc || mnc.empty()) return std::nullopt;
  return d.operator_name(static_cast<int>(*mcc), mnc);
}

std::set<CellId> alerted_cells(const ReportData& d) {
  std::set<CellId> s;
  for (const auto& a : d.alerts)
    if (a.is_object() && a.contains("cell")) s.insert(cell_id(a["cell"]));
  return s;
}

bool is_alerted(const std::set<CellId>& alerted, const CellId& id) {
  for (const auto& a : alerted) {
    if (a.rat != id.rat || a.channel != id.channel) continue;
    // Same carrier: the same cell unless both name a different PCI/BSIC or PLMN.
    if (a.pci >= 0 && id.pci >= 0 && a.pci != id.pci) continue;
    if (!a.plmn.empty() && !id.plmn.empty() && a.plmn != id.plmn) continue;
    return true;
  }
  return false;
}

}  // namespace report

namespace {

using namespace report;

const char* kCss = R"css(
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1c2230;background:#f3f4f6}
main{max-width:1180px;margin:0 auto;padding:12px;overflow-wrap:anywhere}
h1{font-size:1.25em;margin:.2em 0 .5em}
h2{font-size:1.15em;margin:1.8em 0 .6em;padding-bottom:.2em;border-bottom:2px solid #cfd5de}
h3{font-size:1.02em;margin:1.2em 0 .4em}
h4{font-size:.95em;margin:.9em 0 .4em;color:#3b4456}
p{margin:.4em 0}
.verdict{padding:14px 16px;border-radius:10px;color:#fff;background:#2e7d32}
.verdict.bad{background:#b71c1c}
.verdict .big{font-size:1.45em;font-weight:700;line-height:1.2}
.verdict .counts{display:flex;flex-wrap:wrap;gap:.2em 1.1em;margin-top:.35em;font-size:1.02em}
.verdict .counts b{font-size:1.15em}
.facts{display:grid;grid-template-columns:fit-content(40%) minmax(0,1fr);gap:.1em .9em;font-size:.85em;color:#3b4456;margin:.7em 0 0}
.facts dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere;min-width:0}
.card{background:#fff;border:1px solid #d9dde4;border-radius:8px;padding:10px 12px;min-width:0}
.alert{border-left:6px solid #b71c1c;margin:10px 0}
.alert h3{margin:0 0 .3em;font-size:1.05em;overflow-wrap:anywhere}
.score{display:inline-block;background:#b71c1c;color:#fff;border-radius:4px;padding:0 .4em;margin-right:.4em;font-size:.9em}
.meta{color:#566074;font-size:.85em;overflow-wrap:anywhere}
.reasons{margin:.5em 0 0;padding-left:1.3em}
.reasons li{margin:.45em 0}
.rule{display:inline-block;font-weight:700;background:#fde3e3;color:#8e1111;border-radius:4px;padding:0 .35em;font-size:.85em}
.weight{color:#8e1111;font-size:.85em;white-space:nowrap}
.detail{display:block;overflow-wrap:anywhere}
.evidence{display:grid;grid-template-columns:fit-content(50%) minmax(0,1fr);gap:0 .8em;font-size:.8em;color:#3b4456;margin:.2em 0 0;background:#f7f7f9;border-radius:4px;padding:.2em .5em}
.evidence dt{font-family:ui-monospace,Menlo,Consolas,monospace}
.cleared{border-left-color:#2e7d32}
.none{color:#2e7d32;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,268px),1fr));gap:10px}
.cell.alerted{border:2px solid #b71c1c;background:#fff8f8}
.cell h5{font-size:1em;margin:0 0 .35em;display:flex;flex-wrap:wrap;gap:.2em .6em;align-items:baseline}
.tag{font-size:.75em;font-weight:700;border-radius:4px;padding:0 .35em;background:#e6e9ef;color:#3b4456}
.tag.red{background:#b71c1c;color:#fff}
.kv{display:grid;grid-template-columns:minmax(6.5em,46%) minmax(0,1fr);gap:.05em .6em;margin:0;font-size:.84em}
.kv dt{color:#566074}
.kv .sub{grid-column:1/-1;font-weight:700;color:#1c2230;margin-top:.35em;border-top:1px solid #eceef2;padding-top:.2em}
details{margin-top:.5em;font-size:.85em}
summary{cursor:pointer;color:#3b4456}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f7f7f9;border-radius:4px;padding:.5em;max-height:24em;overflow:auto;font-size:.9em}
.fig{background:#fff;border:1px solid #d9dde4;border-radius:8px;padding:6px;margin:.5em 0;overflow-x:auto}
.fig svg{display:block;width:100%;height:auto;margin:0 auto}
.fig svg.wide{min-width:620px}
.legend{font-size:.8em;color:#566074;margin:.2em 0}
.sw{display:inline-block;width:.8em;height:.8em;border-radius:2px;vertical-align:-.05em;margin:0 .25em 0 .6em}
.events{width:100%;border-collapse:collapse;font-size:.85em;background:#fff}
.events th,.events td{border-bottom:1px solid #e3e6eb;padding:.25em .4em;text-align:left;vertical-align:top;overflow-wrap:normal}
.small{color:#566074;font-size:.8em}
a{color:#1f4fa3}
@media (max-width:600px){body{font-size:14px}main{padding:8px}.events th:nth-child(2),.events td:nth-child(2){display:none}}
)css";

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The index of the cell record an alert is about (same rat, channel, PCI/BSIC and PLMN), or -1.
long find_cell(const ReportData& d, const json& alert_cell) {
  const CellId want = cell_id(alert_cell);
  const std::set<CellId> one{want};
  for (std::size_t i = 0; i < d.cells.size(); ++i)
    if (is_alerted(one, cell_id(d.cells[i]))) return static_cast<long>(i);
  return -1;
}

void verdict_section(std::string& h, const ReportData& d) {
  std::set<std::string> plmns;
  for (const auto& c : d.cells)
    if (auto id = cell_id(c); !id.plmn.empty()) plmns.insert(id.plmn);
  const std::size_t sweeps = d.timeline.empty() ? 1 : d.timeline.size();
  const std::size_t n = d.alerts.size();
  h += "<h1>" + esc(d.run.title) + "</h1>\n";
  h += std::string("<section class=\"verdict") + (n ? " bad" : "") + "\" id=\"verdict\">\n<div class=\"big\">";
  if (n)
    h += "&#9888; " + plural(n, "alert", "alerts") + ": " + (n == 1 ? "a cell looks" : "cells look") +
         " like a rogue base station";
  else
    h += "&#10003; No alert: no cell scored at or above the threshold";
  h += "</div>\n<div class=\"counts\"><span><b>" + std::to_string(sweeps) + "</b> " + (sweeps == 1 ? "sweep" : "sweeps") +
       "</span><span><b>" + std::to_string(d.cells.size()) + "</b> " + (d.cells.size() == 1 ? "cell" : "cells") +
       "</span><span><b>" + std::to_string(plmns.size()) + "</b> " + (plmns.size() == 1 ? "operator" : "operators") +
       "</span><span><b>" + std::to_string(n) + "</b> " + (n == 1 ? "alert" : "alerts") + "</span></div>\n</section>\n";
  h += "<dl class=\"facts\">\n";
  auto row = [&](const std::string& k, const std::string& v_escaped) {
    if (!v_escaped.empty()) h += "<dt>" + esc(k) + "</dt><dd>" + v_escaped + "</dd>\n";
  };
  row("command", esc(d.run.command));
  row("source", esc(d.run.source));
  row("sensor", esc(d.run.sensor_id));
  row("generated", esc(time_text(d.run.generated_unix_ms)));
  std::string bands;
  for (const auto& b : d.run.bands) bands += (bands.empty() ? "" : ", ") + esc(b);
  row("bands", bands);
  for (const auto& [k, v] : d.run.facts) row(k, esc(v));
  h += "</dl>\n";
}

void evidence_rows(std::string& h, const json& ev) {
  if (!ev.is_object() || ev.empty()) return;
  h += "<dl class=\"evidence\">";
  for (auto it = ev.begin(); it != ev.end(); ++it)
    h += "<dt>" + esc(it.key()) + "</dt><dd>" + value_text(it.value()) + "</dd>";
  h += "</dl>";
}

void alert_card(std::string& h, const ReportData& d, const json& a) {
  const json cell = a.is_object() && a.contains("cell") && a["cell"].is_object() ? a["cell"] : json::object();
  const CellId id = cell_id(cell);
  const long idx = find_cell(d, cell);
  const json& named = idx >= 0 ? d.cells[static_cast<std::size_t>(idx)] : cell;
  h += "<section class=\"card alert\">\n<h3><span class=\"score\">score " + field(a, "score") + "</span>";
  h += idx >= 0 ? "<a href=\"#c" + std::to_string(idx) + "\">" + esc(cell_label(id)) + "</a>" : esc(cell_label(id));
  if (!id.plmn.empty()) {
    h += " &#183; " + esc(id.plmn);
    if (auto name = operator_name(d, named)) h += " " + esc(*name);
  }
  const bool lte = id.rat == "LTE";
  if (auto v = int_at(cell, lte ? "tac" : "lac")) h += std::string(lte ? " &#183; TAC " : " &#183; LAC ") + std::to_string(*v);
  if (auto v = int_at(cell, lte ? "cell_identity" : "ci")) h += std::string(lte ? " &#183; ECI " : " &#183; CI ") + std::to_string(*v);
  if (!lte)
    if (auto v = int_at(cell, "bsic")) h += " &#183; BSIC " + std::to_string(*v);
  h += "</h3>\n";
  std::string meta;
  auto add = [&](const std::string& s) { meta += (meta.empty() ? "" : " &#183; ") + s; };
  if (a.contains("finding")) add("finding " + field(a, "finding"));
  if (a.contains("status")) add("status " + field(a, "status"));
  if (a.contains("sweep_id")) add("sweep " + field(a, "sweep_id"));
  if (auto t = int_at(a, "time_unix_ms")) add(esc(time_text(*t)));
  if (!id.band.empty()) add(esc(id.band));
  if (auto p = num_at(cell, "power_dbfs")) add(num(*p) + " dBFS");
  if (auto p = num_at(cell, "snr_db")) add("SNR " + num(*p) + " dB");
  if (!meta.empty()) h += "<p class=\"meta\">" + meta + "</p>\n";
  h += "<ol class=\"reasons\">\n";
  if (a.contains("reasons") && a["reasons"].is_array())
    for (const auto& r : a["reasons"]) {
      h += "<li><span class=\"rule\">" + field(r, "rule") + "</span> <b>" + field(r, "title") + "</b>";
      if (auto w = num_at(r, "weight")) h += " <span class=\"weight\">+" + num(*w, 2) + "</span>";
      h += "<span class=\"detail\">" + field(r, "detail") + "</span>";
      if (r.is_object() && r.contains("evidence")) evidence_rows(h, r["evidence"]);
      h += "</li>\n";
    }
  h += "</ol>\n</section>\n";
}

void alerts_section(std::string& h, const ReportData& d) {
  h += "<h2 id=\"alerts\">Alerts</h2>\n";
  if (d.alerts.empty()) {
    h += "<p class=\"none\">No alert: no cell scored at or above the threshold.</p>\n";
    return;
  }
  for (const auto& a : d.alerts) alert_card(h, d, a);
}

void events_section(std::string& h, const ReportData& d) {
  if (d.events.empty()) return;
  h += "<h2 id=\"events\">Reported events</h2>\n<div class=\"fig\"><table class=\"events\"><tr><th>time</th><th>sweep</th>"
       "<th>event</th><th>finding</th><th>score</th><th>rules / reason</th></tr>\n";
  for (const auto& e : d.events) {
    std::string what = field(e, "type");
    if (e.contains("status")) what += " (" + field(e, "status") + ")";
    std::string rules;
    if (e.contains("reasons") && e["reasons"].is_array())
      for (const auto& r : e["reasons"]) rules += (rules.empty() ? "" : " ") + field(r, "rule");
    if (e.contains("reason")) rules = field(e, "reason");
    h += "<tr><td>" + esc(time_text(int_at(e, "time_unix_ms").value_or(0))) + "</td><td>" + field(e, "sweep_id") +
         "</td><td>" + what + "</td><td>" + field(e, "finding") + "</td><td>" + field(e, "score") + "</td><td>" + rules +
         "</td></tr>\n";
  }
  h += "</table></div>\n";
}

void contents(std::string& h, const std::vector<std::pair<const char*, const char*>>& parts) {
  h += "<p class=\"small\">";
  for (std::size_t i = 0; i < parts.size(); ++i)
    h += std::string(i ? " &#183; " : "") + "<a href=\"#" + parts[i].first + "\">" + parts[i].second + "</a>";
  h += "</p>\n";
}

}  // namespace

std::string render_html_report(const ReportData& d) {
  std::string h;
  h.reserve(65536);
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
       esc(d.run.title) + "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n<main>\n";
  verdict_section(h, d);
  std::string rest;
  alerts_section(rest, d);
  cells_section(rest, d);
  neighbour_graph_section(rest, d);
  spectrum_section(rest, d);
  timeline_section(rest, d);
  events_section(rest, d);
  map_section(rest, d);
  // A line of links to the sections present (in-page fragments only).
  std::vector<std::pair<const char*, const char*>> parts;
  for (auto [id, name] : std::initializer_list<std::pair<const char*, const char*>>{
           {"alerts", "alerts"}, {"cells", "cells"}, {"neighbours", "neighbour graph"}, {"spectrum", "spectrum"},
           {"timeline", "timeline"}, {"events", "events"}, {"map", "map"}})
    if (rest.find(std::string("id=\"") + id + "\"") != std::string::npos) parts.emplace_back(id, name);
  contents(h, parts);
  h += rest;
  h += "<p class=\"small\">towerwatch " TW_VERSION "</p>\n</main>\n</body>\n</html>\n";
  return h;
}

void write_html_report(const std::filesystem::path& path, const ReportData& data) {
  const std::string page = render_html_report(data);
  const std::filesystem::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw InputError(path.string() + ": cannot write the report: " + std::strerror(errno));
  auto fail = [&](const char* what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw RuntimeFailure(path.string() + ": " + what + ": " + std::strerror(err));
  };
  std::size_t off = 0;
  while (off < page.size()) {
    const ssize_t w = ::write(fd, page.data() + off, page.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail("cannot write the report");
    }
    off += static_cast<std::size_t>(w);
  }
  if (::fsync(fd) != 0) fail("cannot flush the report");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw RuntimeFailure(path.string() + ": cannot close the report: " + std::strerror(err));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw RuntimeFailure(path.string() + ": cannot rename the report into place: " + std::strerror(err));
  }
}

}  // namespace tw::output
