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

namespace tw::output {

using nlohmann::json;

// ---- escaping ------------------------------------------------------------------------------------------
std::string html_escape(std::string_view in) {
  std::string out;
  out.reserve(in.size() + 16);
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
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
    // UTF-8 sequence: validate (no overlongs, no surrogates, <= U+10FFFF); anything else becomes U+FFFD.
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xc2 && c <= 0xdf) len = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef) len = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4) len = 4, cp = c & 0x07;
    bool ok = len != 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) ok = false;
      else cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if (ok && ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))))
      ok = false;
    if (ok && cp >= 0x80 && cp <= 0x9f) {  // C1 controls: dropped
      i += len;
      continue;
    }
    if (!ok) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    out.append(in.substr(i, len));
    i += len;
  }
  return out;
}

namespace {

std::string esc(const std::string& s) { return html_escape(s); }

std::string num(double v, int decimals = 1) {
  if (!std::isfinite(v)) return "&#8211;";
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

// Any JSON value as escaped text (strings without quotes).
std::string value_text(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return esc(v.get<std::string>());
  if (v.is_number_float()) return num(v.get<double>(), 2);
  return esc(v.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string field(const json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key)) return "";
  return value_text(obj[key]);
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

std::optional<int> int_field(const json& obj, const char* key) {
  if (obj.is_object() && obj.contains(key) && obj[key].is_number_integer()) return obj[key].get<int>();
  return std::nullopt;
}

const char* kCss = R"css(
body{font-family:sans-serif;margin:1.5em;color:#222;background:#fff}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.2em .45em;text-align:left;vertical-align:top}
th{background:#f0f0f0}
tr.alerted td{background:#fde8e8}
.alert{border:1px solid #d33;border-left:6px solid #d33;padding:.4em .8em;margin:.6em 0;background:#fff6f6}
.alert h3{margin:.2em 0;font-size:1em}
.cleared{border-left-color:#393;background:#f4fbf4;border-color:#393}
.params{font-family:monospace;font-size:.8em;max-width:40em;word-break:break-all}
.none{color:#393}
svg{background:#fafafa;border:1px solid #ddd;margin:.4em 0}
.small{color:#666;font-size:.8em}
)css";

// ---- sections -------------------------------------------------------------------------------------------
void run_section(std::string& h, const ReportData& d) {
  h += "<h1>" + esc(d.run.title) + "</h1>\n<table class=\"run\">\n";
  auto row = [&](const std::string& k, const std::string& v_escaped) {
    if (!v_escaped.empty()) h += "<tr><th>" + esc(k) + "</th><td>" + v_escaped + "</td></tr>\n";
  };
  row("command", esc(d.run.command));
  row("source", esc(d.run.source));
  row("sensor", esc(d.run.sensor_id));
  row("generated", esc(time_text(d.run.generated_unix_ms)));
  std::string bands;
  for (const auto& b : d.run.bands) {
    if (!bands.empty()) bands += ", ";
    bands += esc(b);
  }
  row("bands", bands);
  row("cells", std::to_string(d.cells.size()));
  row("alerts", std::to_string(d.alerts.size()));
  for (const auto& [k, v] : d.run.facts) row(k, esc(v));
  h += "</table>\n";
}

void alert_box(std::string& h, const json& a) {
  const json cell = a.is_object() && a.contains("cell") ? a["cell"] : json::object();
  h += "<div class=\"alert\"><h3>ALERT ARFCN " + field(cell, "arfcn") + " &#8212; " + field(cell, "mcc") + "-" +
       field(cell, "mnc") + " LAC " + field(cell, "lac") + " CI " + field(cell, "ci") + " BSIC " + field(cell, "bsic") +
       " &#8212; score " + field(a, "score") + "</h3>\n";
  std::string extra;
  if (a.contains("finding")) extra += "finding " + field(a, "finding");
  if (a.contains("status")) extra += " (" + field(a, "status") + ")";
  if (a.contains("sweep_id")) extra += " sweep " + field(a, "sweep_id");
  if (a.contains("time_unix_ms") && a["time_unix_ms"].is_number_integer())
    extra += " " + esc(time_text(a["time_unix_ms"].get<std::int64_t>()));
  if (!extra.empty()) h += "<div class=\"small\">" + extra + "</div>\n";
  h += "<table><tr><th>rule</th><th>title</th><th>weight</th><th>detail</th></tr>\n";
  if (a.contains("reasons") && a["reasons"].is_array())
    for (const auto& r : a["reasons"])
      h += "<tr><td>" + field(r, "rule") + "</td><td>" + field(r, "title") + "</td><td>" + field(r, "weight") +
           "</td><td>" + field(r, "detail") + "</td></tr>\n";
  h += "</table></div>\n";
}

void alerts_section(std::string& h, const ReportData& d) {
  h += "<h2>Alerts</h2>\n";
  if (d.alerts.empty()) {
    h += "<p class=\"none\">No alert: no cell scored at or above the threshold.</p>\n";
    return;
  }
  for (const auto& a : d.alerts) alert_box(h, a);
}

std::set<int> alerted_arfcns(const ReportData& d) {
  std::set<int> s;
  for (const auto& a : d.alerts)
    if (a.is_object() && a.contains("cell"))
      if (auto v = int_field(a["cell"], "arfcn")) s.insert(*v);
  return s;
}

void cells_section(std::string& h, const ReportData& d) {
  h += "<h2>Cells</h2>\n";
  if (d.cells.empty()) {
    h += "<p>No cell decoded.</p>\n";
    return;
  }
  static const char* cols[] = {"arfcn", "band", "mcc", "mnc", "lac", "ci", "bsic", "power_dbfs", "snr_db", "cfo_hz", "si_seen"};
  const std::set<int> alerted = alerted_arfcns(d);
  h += "<table class=\"cells\"><tr>";
  for (const char* c : cols) h += std::string("<th>") + c + "</th>";
  h += "<th>other parameters</th></tr>\n";
  for (const auto& c : d.cells) {
    const auto arfcn = int_field(c, "arfcn");
    h += (arfcn && alerted.count(*arfcn)) ? "<tr class=\"alerted\">" : "<tr>";
    for (const char* k : cols) {
      std::string v;
      if (std::string(k) == "si_seen" && c.is_object() && c.contains(k) && c[k].is_array()) {
        for (const auto& s : c[k]) {
          if (!v.empty()) v += ' ';
          v += value_text(s);
        }
      } else {
        v = field(c, k);
      }
      h += "<td>" + v + "</td>";
    }
    std::string rest;
    if (c.is_object())
      for (auto it = c.begin(); it != c.end(); ++it) {
        if (it.key() == "type") continue;
        bool shown = false;
        for (const char* k : cols) shown = shown || it.key() == k;
        if (shown) continue;
        if (!rest.empty()) rest += "; ";
        rest += esc(it.key());
        rest += '=';
        rest += value_text(it.value());
      }
    h += "<td class=\"params\">" + rest + "</td></tr>\n";
  }
  h += "</table>\n";
}

void band_plot(std::string& h, const std::string& band, std::vector<sweep::ChannelPower> ch, const std::set<int>& cells,
               const std::set<int>& alerted) {
  std::sort(ch.begin(), ch.end(), [](const auto& a, const auto& b) { return a.freq_hz < b.freq_hz; });
  double lo = 1e9, hi = -1e9;
  for (const auto& c : ch) {
    for (double v : {c.power_dbfs, c.noise_floor_dbfs})
      if (std::isfinite(v) && v > -199.0) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  if (lo > hi) lo = -100.0, hi = 0.0;
  lo = std::floor(lo / 10.0) * 10.0 - 5.0;
  hi = std::ceil(hi / 10.0) * 10.0 + 5.0;
  const double W = 760, H = 240, L = 50, R = 10, T = 10, B = 30;
  const double pw = W - L - R, ph = H - T - B;
  const double bw = pw / static_cast<double>(ch.size());
  auto y = [&](double v) { return T + ph * (1.0 - (std::clamp(v, lo, hi) - lo) / (hi - lo)); };
  h += "<h3>" + esc(band) + "</h3>\n<svg width=\"" + num(W, 0) + "\" height=\"" +
       num(H, 0) + "\" role=\"img\"><title>channel power, " + esc(band) + "</title>\n";
  for (double v = std::ceil(lo / 10.0) * 10.0; v <= hi; v += 10.0)
    h += "<line x1=\"" + num(L, 0) + "\" x2=\"" + num(W - R, 0) + "\" y1=\"" + num(y(v)) + "\" y2=\"" + num(y(v)) +
         "\" stroke=\"#e4e4e4\"/><text x=\"4\" y=\"" + num(y(v) + 4) + "\" font-size=\"10\">" + num(v, 0) + "</text>\n";
  std::string floor_pts;
  for (std::size_t i = 0; i < ch.size(); ++i) {
    const auto& c = ch[i];
    const double x = L + bw * static_cast<double>(i);
    const char* colour = alerted.count(c.arfcn) ? "#d33" : cells.count(c.arfcn) ? "#36c" : "#999";
    h += "<rect x=\"" + num(x + bw * 0.1, 2) + "\" y=\"" + num(y(c.power_dbfs)) + "\" width=\"" + num(bw * 0.8, 2) +
         "\" height=\"" + num(std::max(0.0, T + ph - y(c.power_dbfs))) + "\" fill=\"" + colour + "\"><title>ARFCN " +
         std::to_string(c.arfcn) + " " + num(c.freq_hz / 1e6, 1) + " MHz: " + num(c.power_dbfs) + " dBFS</title></rect>\n";
    floor_pts += num(x + bw * 0.5) + "," + num(y(c.noise_floor_dbfs)) + " ";
  }
  h += "<polyline points=\"" + floor_pts + "\" fill=\"none\" stroke=\"#e90\" stroke-dasharray=\"4 3\"/>\n";
  if (!ch.empty()) {
    h += "<text x=\"" + num(L, 0) + "\" y=\"" + num(H - 8, 0) + "\" font-size=\"11\">ARFCN " + std::to_string(ch.front().arfcn) +
         "</text><text x=\"" + num(W - R, 0) + "\" y=\"" + num(H - 8, 0) + "\" font-size=\"11\" text-anchor=\"end\">ARFCN " +
         std::to_string(ch.back().arfcn) + "</text>\n";
  }
  h += "<text x=\"" + num(W / 2, 0) + "\" y=\"" + num(H - 8, 0) +
       "\" font-size=\"11\" text-anchor=\"middle\">dBFS per channel (blue: decoded cell, red: alert, dashed: noise floor)</text>\n</svg>\n";
}

void spectrum_section(std::string& h, const ReportData& d) {
  h += "<h2>Power per band</h2>\n";
  if (d.census.empty()) {
    h += "<p>No power census in this run.</p>\n";
    return;
  }
  std::set<int> cells;
  for (const auto& c : d.cells)
    if (auto a = int_field(c, "arfcn")) cells.insert(*a);
  const std::set<int> alerted = alerted_arfcns(d);
  std::map<std::string, std::vector<sweep::ChannelPower>> by_band;
  for (const auto& c : d.census) by_band[c.band].push_back(c);
  for (const auto& [band, ch] : by_band) band_plot(h, band, ch, cells, alerted);
}

void timeline_section(std::string& h, const ReportData& d) {
  h += "<h2>Timeline</h2>\n";
  std::vector<TimelinePoint> pts = d.timeline;
  if (pts.empty()) {
    TimelinePoint p;
    p.time_unix_ms = d.run.generated_unix_ms;
    p.cells = d.cells.size();
    p.alerts = d.alerts.size();
    pts.push_back(p);
  }
  std::size_t ymax = 1;
  for (const auto& p : pts) ymax = std::max({ymax, p.cells, p.alerts});
  const double W = 760, H = 200, L = 40, R = 10, T = 10, B = 30;
  const double pw = W - L - R, ph = H - T - B;
  const bool by_time = pts.size() > 1 && pts.back().time_unix_ms > pts.front().time_unix_ms;
  auto x = [&](std::size_t i) {
    if (pts.size() == 1) return L + pw / 2;
    if (by_time)
      return L + pw * static_cast<double>(pts[i].time_unix_ms - pts.front().time_unix_ms) /
                     static_cast<double>(pts.back().time_unix_ms - pts.front().time_unix_ms);
    return L + pw * static_cast<double>(i) / static_cast<double>(pts.size() - 1);
  };
  auto y = [&](std::size_t v) { return T + ph * (1.0 - static_cast<double>(v) / static_cast<double>(ymax)); };
  h += "<svg width=\"" + num(W, 0) + "\" height=\"" + num(H, 0) +
       "\" role=\"img\"><title>cells and alerts per sweep</title>\n";
  for (std::size_t i = 0; i < pts.size(); ++i)
    if (pts[i].learning) {
      const double x0 = i ? (x(i - 1) + x(i)) / 2 : x(i) - 3, x1 = i + 1 < pts.size() ? (x(i) + x(i + 1)) / 2 : x(i) + 3;
      h += "<rect x=\"" + num(x0) + "\" y=\"" + num(T, 0) + "\" width=\"" + num(std::max(1.0, x1 - x0)) + "\" height=\"" +
           num(ph, 0) + "\" fill=\"#eef3e0\"/>\n";
    }
  h += "<text x=\"4\" y=\"" + num(y(ymax) + 4) + "\" font-size=\"10\">" + std::to_string(ymax) + "</text><text x=\"4\" y=\"" +
       num(y(0) + 4) + "\" font-size=\"10\">0</text>\n";
  std::string pc, pa;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    pc += num(x(i)) + "," + num(y(pts[i].cells)) + " ";
    pa += num(x(i)) + "," + num(y(pts[i].alerts)) + " ";
  }
  h += "<polyline points=\"" + pc + "\" fill=\"none\" stroke=\"#36c\"/><polyline points=\"" + pa +
       "\" fill=\"none\" stroke=\"#d33\"/>\n";
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const std::string tip = "sweep " + std::to_string(pts[i].sweep_id) + " " + time_text(pts[i].time_unix_ms) + ": " +
                            std::to_string(pts[i].cells) + " cells, " + std::to_string(pts[i].alerts) + " alerts" +
                            (pts[i].learning ? " (learning)" : "");
    h += "<circle cx=\"" + num(x(i)) + "\" cy=\"" + num(y(pts[i].cells)) + "\" r=\"3\" fill=\"#36c\"><title>" + esc(tip) +
         "</title></circle><circle cx=\"" + num(x(i)) + "\" cy=\"" + num(y(pts[i].alerts)) +
         "\" r=\"3\" fill=\"#d33\"><title>" + esc(tip) + "</title></circle>\n";
  }
  h += "<text x=\"" + num(W / 2, 0) + "\" y=\"" + num(H - 8, 0) + "\" font-size=\"11\" text-anchor=\"middle\">" +
       std::to_string(pts.size()) + (pts.size() == 1 ? " sweep" : " sweeps") +
       " (blue: cells, red: alerts, green band: learning)</text>\n</svg>\n";
}

void events_section(std::string& h, const ReportData& d) {
  if (d.events.empty()) return;
  h += "<h2>Reported events</h2>\n<table><tr><th>time</th><th>sweep</th><th>event</th><th>finding</th><th>score</th>"
       "<th>rules / reason</th></tr>\n";
  for (const auto& e : d.events) {
    std::string what = field(e, "type");
    if (e.contains("status")) what += " (" + field(e, "status") + ")";
    std::string rules;
    if (e.contains("reasons") && e["reasons"].is_array())
      for (const auto& r : e["reasons"]) {
        if (!rules.empty()) rules += ' ';
        rules += field(r, "rule");
      }
    if (e.contains("reason")) rules = field(e, "reason");
    std::int64_t t = 0;
    if (e.contains("time_unix_ms") && e["time_unix_ms"].is_number_integer()) t = e["time_unix_ms"].get<std::int64_t>();
    h += "<tr><td>" + esc(time_text(t)) + "</td><td>" + field(e, "sweep_id") + "</td><td>" + what + "</td><td>" +
         field(e, "finding") + "</td><td>" + field(e, "score") + "</td><td>" + rules + "</td></tr>\n";
  }
  h += "</table>\n";
}

}  // namespace

std::string render_html_report(const ReportData& d) {
  std::string h;
  h.reserve(16384);
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(d.run.title) +
       "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n";
  run_section(h, d);
  alerts_section(h, d);
  cells_section(h, d);
  spectrum_section(h, d);
  timeline_section(h, d);
  events_section(h, d);
  h += "<p class=\"small\">towerwatch " TW_VERSION "</p>\n</body>\n</html>\n";
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
