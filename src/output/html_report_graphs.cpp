// The report's inline SVG figures: neighbour graph, spectrum per band, timeline of sweeps, map.
// Deterministic layouts (the same data gives the same bytes), no script; every label from the air escaped.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "src/output/html_report_parts.hpp"

namespace tw::output::report {

namespace {

constexpr double kPi = 3.14159265358979323846;
const char* const kPalette[] = {"#1f6fb2", "#2a9d5c", "#8e5bb5", "#c97a12", "#0f8a8a", "#6b7a1f", "#b5487a", "#4a5a78"};
constexpr const char* kRed = "#c62828";

const json& at(const json& obj, const char* key) {
  static const json null_value;
  if (obj.is_object() && obj.contains(key)) return obj[key];
  return null_value;
}

const json& arr(const json& v) {
  static const json empty = json::array();
  return v.is_array() ? v : empty;
}

std::set<long long> ints(const json& v) {
  std::set<long long> s;
  for (const auto& e : arr(v))
    if (e.is_number_integer()) s.insert(e.get<long long>());
  return s;
}

// A label from the air cut to n bytes at a UTF-8 boundary, with an ellipsis (the full text goes in a <title>).
std::string short_label(const std::string& s, std::size_t n = 32) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
  return s.substr(0, n) + "\u2026";
}

// An SVG drawn at most at its natural size; `wide` ones keep at least 620 px on a phone (their box scrolls).
std::string svg_open(double w, double h, const std::string& title_escaped, bool wide = true) {
  return std::string("<svg") + (wide ? " class=\"wide\"" : "") + " viewBox=\"0 0 " + num(w, 0) + " " + num(h, 0) +
         "\" width=\"" + num(w, 0) + "\" height=\"" + num(h, 0) + "\" style=\"max-width:" + num(w, 0) +
         "px\" role=\"img\" font-family=\"system-ui,sans-serif\"><title>" + title_escaped + "</title>\n";
}

std::string text(double x, double y, const std::string& escaped, const char* extra = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" + extra + ">" + escaped + "</text>";
}

// ---- neighbour graph -------------------------------------------------------------------------------------

// Which observed cells cell i announces as a neighbour: GSM BA list (SI2/2bis/2ter ARFCNs, 44.018 3.2.2.1) and
// SI2quater E-UTRAN EARFCNs; LTE SIB4 intra-frequency PCIs, SIB5 inter-frequency carriers and SIB7 GERAN ARFCNs
// (36.331 6.3.1). A carrier announced is every observed cell on it.
std::set<std::size_t> announced_by(const ReportData& d, std::size_t i) {
  const json& c = d.cells[i];
  const CellId me = cell_id(c);
  std::set<long long> gsm_arfcns, lte_earfcns, lte_pcis_same;
  if (me.rat == "LTE") {
    for (const auto& n : arr(at(at(c, "sib4"), "neighbours")))
      if (auto p = int_at(n, "pci")) lte_pcis_same.insert(*p);
    for (const auto& carrier : arr(at(at(c, "sib5"), "carriers")))
      if (auto e = int_at(carrier, "earfcn")) lte_earfcns.insert(*e);
    for (const auto& set : arr(at(at(c, "sib7"), "carrier_sets"))) {
      auto a = ints(at(set, "arfcns"));
      gsm_arfcns.insert(a.begin(), a.end());
    }
  } else {
    gsm_arfcns = ints(at(c, "neighbors"));
    for (const auto& q : arr(at(c, "si2quater")))
      for (const auto& n : arr(at(at(q, "eutran"), "neighbours"))) {
        auto e = ints(at(n, "earfcns"));
        lte_earfcns.insert(e.begin(), e.end());
      }
  }
  std::set<std::size_t> out;
  for (std::size_t j = 0; j < d.cells.size(); ++j) {
    if (j == i) continue;
    const CellId o = cell_id(d.cells[j]);
    if (o.channel < 0) continue;
    if (o.rat == "LTE") {
      if (lte_earfcns.count(o.channel) || (o.channel == me.channel && me.rat == "LTE" && lte_pcis_same.count(o.pci)))
        out.insert(j);
    } else if (gsm_arfcns.count(o.channel) && !(me.rat == "GSM" && o.channel == me.channel)) {
      out.insert(j);
    }
  }
  return out;
}

}  // namespace

void neighbour_graph_section(std::string& h, const ReportData& d) {
  if (d.cells.size() < 2) return;
  const std::size_t n = d.cells.size();
  std::vector<std::set<std::size_t>> out(n);
  std::vector<std::size_t> indeg(n, 0);
  bool any_list = false;
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = announced_by(d, i);
    for (auto j : out[i]) ++indeg[j];
    const json& c = d.cells[i];
    any_list = any_list || c.contains("neighbors") || c.contains("sib4") || c.contains("sib5");
  }
  if (!any_list) return;  // no neighbour list decoded anywhere: nothing to draw
  const auto alerted = alerted_cells(d);
  // Operators in order, for colours and for the order around the circle.
  std::map<std::string, std::size_t> op_index;
  for (const auto& c : d.cells) op_index.emplace(cell_id(c).plmn, 0);
  {
    std::size_t k = 0;
    for (auto& [p, idx] : op_index) idx = k++;
  }
  std::vector<std::size_t> ring, alone;
  for (std::size_t i = 0; i < n; ++i) (out[i].empty() && indeg[i] == 0 ? alone : ring).push_back(i);
  auto order = [&](std::size_t a, std::size_t b) {
    const CellId x = cell_id(d.cells[a]), y = cell_id(d.cells[b]);
    return std::tie(x.plmn, x.rat, x.band, x.channel, x.pci, a) < std::tie(y.plmn, y.rat, y.band, y.channel, y.pci, b);
  };
  std::sort(ring.begin(), ring.end(), order);
  std::sort(alone.begin(), alone.end(), order);

  // Ring slots: the cells in order, one empty slot between operators so each network forms an arc.
  std::vector<long> slots;
  for (std::size_t k = 0; k < ring.size(); ++k) {
    if (k > 0 && cell_id(d.cells[ring[k]]).plmn != cell_id(d.cells[ring[k - 1]]).plmn) slots.push_back(-1);
    slots.push_back(static_cast<long>(ring[k]));
  }
  if (op_index.size() > 1 && !slots.empty()) slots.push_back(-1);
  const bool radial = ring.size() > 16;  // many nodes: labels along the radius, so neighbours never overlap
  const double node_r = ring.size() > 40 ? 11 : 14;
  const double R = std::clamp(static_cast<double>(slots.size()) * (2 * node_r + 10) / (2 * kPi), 110.0, 340.0);
  const double margin = radial ? 100 : 60;
  const std::size_t per_row = 14;
  const double step = 56;
  const double W = std::max({2 * (R + margin), static_cast<double>(std::min(per_row, alone.size())) * step + 80, 380.0});
  const double cx = W / 2, cy = (ring.empty() ? 0 : R + margin);
  const std::size_t alone_rows = (alone.size() + per_row - 1) / per_row;
  const double alone_top = ring.empty() ? 30 : cy + R + margin;
  const double H = alone_top + (alone.empty() ? 0 : 30 + 62.0 * static_cast<double>(alone_rows));
  std::vector<double> x(n), y(n), ang(n, -kPi / 2);
  for (std::size_t k = 0; k < slots.size(); ++k) {
    if (slots[k] < 0) continue;
    const auto i = static_cast<std::size_t>(slots[k]);
    const double a = -kPi / 2 + 2 * kPi * static_cast<double>(k) / static_cast<double>(slots.size());
    x[i] = cx + R * std::cos(a);
    y[i] = cy + R * std::sin(a);
    ang[i] = a;
  }
  for (std::size_t k = 0; k < alone.size(); ++k) {
    const std::size_t row = k / per_row, col = k % per_row;
    const std::size_t in_row = std::min(per_row, alone.size() - row * per_row);
    x[alone[k]] = W / 2 + (static_cast<double>(col) - (static_cast<double>(in_row) - 1) / 2) * step;
    y[alone[k]] = alone_top + 36 + 62.0 * static_cast<double>(row);
  }
  auto colour = [&](std::size_t i) {
    const CellId id = cell_id(d.cells[i]);
    return is_alerted(alerted, id) ? std::string(kRed) : std::string(kPalette[op_index[id.plmn] % 8]);
  };

  h += "<h2 id=\"neighbours\">Neighbour graph</h2>\n<p class=\"legend\">An arrow from A to B: A announces B's "
       "frequency (GSM BA list and SI2quater, LTE SIB4 PCIs, SIB5 carriers and SIB7) as a neighbour. Legitimate cells "
       "of a network announce each other; a rogue cell usually stands alone or is announced by nobody. "
       "Node: GSM ARFCN (CI beside it) or LTE PCI (EARFCN beside it); colour: operator";
  for (const auto& [plmn, idx] : op_index)
    h += "<span class=\"sw\" style=\"background:" + std::string(kPalette[idx % 8]) + "\"></span>" +
         (plmn.empty() ? std::string("PLMN unknown") : esc(plmn));
  h += "<span class=\"sw\" style=\"background:" + std::string(kRed) + "\"></span>alert</p>\n";
  h += "<div class=\"fig\">" + svg_open(W, H, "neighbour graph: which cell announces which", W > 560);
  h += "<defs><marker id=\"ah\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
       "orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#7a8499\"/></marker>"
       "<marker id=\"ahr\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
       "orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"" + std::string(kRed) + "\"/></marker></defs>\n";
  if (!alone.empty()) {
    h += "<line x1=\"20\" x2=\"" + num(W - 20, 0) + "\" y1=\"" + num(alone_top, 0) + "\" y2=\"" + num(alone_top, 0) +
         "\" stroke=\"#d9dde4\"/>" +
         text(W / 2, alone_top + 16, "standing alone: no neighbour relation", " font-size=\"12\" fill=\"#566074\" text-anchor=\"middle\"") + "\n";
  }
  for (std::size_t i = 0; i < n; ++i)
    for (auto j : out[i]) {
      const double dx = x[j] - x[i], dy = y[j] - y[i], len = std::hypot(dx, dy);
      if (len < 1) continue;
      const double ux = dx / len, uy = dy / len;
      const bool red = colour(i) == kRed || colour(j) == kRed;
      h += "<line x1=\"" + num(x[i] + ux * node_r) + "\" y1=\"" + num(y[i] + uy * node_r) + "\" x2=\"" +
           num(x[j] - ux * (node_r + 1)) + "\" y2=\"" + num(y[j] - uy * (node_r + 1)) + "\" stroke=\"" +
           (red ? kRed : "#9aa3b5") + "\" stroke-width=\"1.2\" stroke-opacity=\"0.75\" marker-end=\"url(#" +
           (red ? "ahr" : "ah") + ")\"/>\n";
    }
  for (std::size_t i = 0; i < n; ++i) {
    const json& c = d.cells[i];
    const CellId id = cell_id(c);
    const bool lte = id.rat == "LTE";
    std::string sub;
    if (auto v = int_at(c, lte ? "pci" : "ci")) sub = (lte ? "PCI " : "CI ") + std::to_string(*v);
    const std::string tip = cell_label(id) + (id.plmn.empty() ? "" : " " + id.plmn) + (sub.empty() ? "" : " " + sub) +
                            ": announces " + std::to_string(out[i].size()) + ", announced by " + std::to_string(indeg[i]);
    const std::string col = colour(i);
    h += "<g><title>" + esc(tip) + "</title><circle cx=\"" + num(x[i]) + "\" cy=\"" + num(y[i]) + "\" r=\"" + num(node_r, 0) +
         "\" fill=\"" + col + "\"" + (indeg[i] == 0 ? " stroke=\"#1c2230\" stroke-dasharray=\"3 2\" stroke-width=\"1.5\"" : "") +
         "/>";
    // Inside the node: the GSM ARFCN or the LTE PCI; beside it: the CI or the EARFCN.
    const std::string inner = lte ? (id.pci >= 0 ? std::to_string(id.pci) : "?") : (id.channel >= 0 ? std::to_string(id.channel) : "?");
    h += text(x[i], y[i] + 3.5, esc(inner), std::string(" font-size=\"" + std::string(inner.size() > 3 ? "8" : "10") +
                                                    "\" fill=\"#fff\" text-anchor=\"middle\" font-weight=\"700\"").c_str());
    std::string label = lte ? "E" + (id.channel >= 0 ? std::to_string(id.channel) : std::string("?")) : sub.empty() ? "GSM" : sub;
    const bool on_ring = !(out[i].empty() && indeg[i] == 0);
    if (on_ring && radial) {
      // Along the radius, outward; on the left half turned over so it reads left to right.
      const bool left = std::cos(ang[i]) < 0;
      const double deg = ang[i] * 180.0 / kPi + (left ? 180.0 : 0.0);
      const double lx = x[i] + (node_r + 4) * std::cos(ang[i]), ly = y[i] + (node_r + 4) * std::sin(ang[i]);
      h += "<text transform=\"translate(" + num(lx) + "," + num(ly) + ") rotate(" + num(deg) + ")\" y=\"3.5\" font-size=\"10\" "
           "fill=\"#3b4456\" text-anchor=\"" + (left ? "end" : "start") + "\">" + esc(label) + "</text>";
    } else {
      // Beside the node (outside the ring), below a standing-alone node.
      const double lx = on_ring ? x[i] + (node_r + 6) * std::cos(ang[i]) : x[i];
      const double ly = on_ring ? y[i] + (node_r + 10) * std::sin(ang[i]) + 4 : y[i] + node_r + 13;
      const char* anchor = !on_ring || std::abs(std::cos(ang[i])) < 0.3 ? "middle" : (std::cos(ang[i]) > 0 ? "start" : "end");
      h += text(lx, ly, esc(label), (std::string(" font-size=\"11\" fill=\"#3b4456\" text-anchor=\"") + anchor + "\"").c_str());
    }
    h += "</g>\n";
  }
  h += "</svg></div>\n";
  // The same facts in words, for the reader who scans.
  std::string nobody;
  for (std::size_t i = 0; i < n; ++i)
    if (indeg[i] == 0) {
      const CellId id = cell_id(d.cells[i]);
      nobody += (nobody.empty() ? "" : ", ") + esc(cell_label(id)) +
                (is_alerted(alerted, id) ? " <span class=\"tag red\">ALERT</span>" : std::string());
    }
  if (!nobody.empty()) h += "<p class=\"legend\">Announced by no observed cell (dashed outline): " + nobody + "</p>\n";
}

// ---- spectrum --------------------------------------------------------------------------------------------

namespace {

void band_plot(std::string& h, const ReportData& d, const std::string& band, std::vector<sweep::ChannelPower> ch,
               const std::set<CellId>& alerted) {
  std::sort(ch.begin(), ch.end(), [](const auto& a, const auto& b) { return a.freq_hz < b.freq_hz; });
  // The cells on this band's channels: GSM cells by ARFCN, LTE cells by band name and EARFCN.
  std::map<int, std::pair<std::string, bool>> marks;  // arfcn -> (label, alerted)
  for (const auto& c : d.cells) {
    const CellId id = cell_id(c);
    const bool match = id.rat == "LTE" ? id.band == band : true;
    if (!match) continue;
    for (const auto& p : ch)
      if (p.arfcn == id.channel) {
        auto& m = marks[p.arfcn];
        m.first = std::to_string(id.channel);
        m.second = m.second || is_alerted(alerted, id);
      }
  }
  // A wide band whose signals sit in a small part of it: that part is drawn (with a margin), the rest is
  // named in the heading, so the cells are not lost in a wide empty plot (or off a phone's screen).
  const std::size_t total = ch.size();
  std::string range_note;
  if (ch.size() > 40) {
    std::size_t first = ch.size(), last = 0;
    for (std::size_t i = 0; i < ch.size(); ++i) {
      const bool floor_known = ch[i].noise_floor_dbfs > -199.0;
      const bool strong = floor_known && ch[i].power_dbfs > ch[i].noise_floor_dbfs + 10.0;
      if (marks.count(ch[i].arfcn) || strong) first = std::min(first, i), last = std::max(last, i);
    }
    if (first <= last && (last - first + 1) * 10 < ch.size() * 6) {
      const std::size_t a = first > 8 ? first - 8 : 0, b = std::min(ch.size() - 1, last + 8);
      range_note = ", channels " + std::to_string(ch[a].arfcn) + "&#8211;" + std::to_string(ch[b].arfcn) +
                   " drawn (the others show no signal)";
      ch = std::vector<sweep::ChannelPower>(ch.begin() + static_cast<long>(a), ch.begin() + static_cast<long>(b) + 1);
    }
  }
  double lo = 1e9, hi = -1e9;
  for (const auto& c : ch)
    for (double v : {c.power_dbfs, c.noise_floor_dbfs})
      if (std::isfinite(v) && v > -199.0) lo = std::min(lo, v), hi = std::max(hi, v);
  if (lo > hi) lo = -100.0, hi = 0.0;
  lo = std::floor(lo / 10.0) * 10.0;
  hi = std::ceil(hi / 10.0) * 10.0 + 10.0;  // room for the labels
  const double W = 820, H = 290, L = 46, R = 12, T = 44, B = 40;
  const double pw = W - L - R, ph = H - T - B;
  const double bw = pw / static_cast<double>(std::max<std::size_t>(ch.size(), 1));
  auto y = [&](double v) { return T + ph * (1.0 - (std::clamp(v, lo, hi) - lo) / (hi - lo)); };
  h += "<h3>" + esc(band) + " <span class=\"small\">" + std::to_string(total) + " channels, " +
       std::to_string(marks.size()) + " with a decoded cell" + range_note + "</span></h3>\n<div class=\"fig\">" +
       svg_open(W, H, "channel power, " + esc(band));
  for (double v = lo; v <= hi + 0.1; v += 10.0)
    h += "<line x1=\"" + num(L, 0) + "\" x2=\"" + num(W - R, 0) + "\" y1=\"" + num(y(v)) + "\" y2=\"" + num(y(v)) +
         "\" stroke=\"#e6e8ec\"/>" + text(L - 4, y(v) + 4, num(v, 0), " font-size=\"11\" fill=\"#566074\" text-anchor=\"end\"") + "\n";
  h += text(4, 14, "dBFS", " font-size=\"11\" fill=\"#566074\"") + "\n";
  std::string floor_pts;
  for (std::size_t i = 0; i < ch.size(); ++i) {
    const auto& c = ch[i];
    const double x = L + bw * static_cast<double>(i);
    auto m = marks.find(c.arfcn);
    const char* colour = m == marks.end() ? "#b8bfcc" : m->second.second ? kRed : "#1f6fb2";
    h += "<rect x=\"" + num(x + bw * 0.1, 2) + "\" y=\"" + num(y(c.power_dbfs)) + "\" width=\"" + num(std::max(bw * 0.8, 0.6), 2) +
         "\" height=\"" + num(std::max(0.0, T + ph - y(c.power_dbfs))) + "\" fill=\"" + colour + "\"><title>" +
         esc(band) + " channel " + std::to_string(c.arfcn) + ", " + num(c.freq_hz / 1e6, 1) + " MHz: " + num(c.power_dbfs) +
         " dBFS</title></rect>\n";
    floor_pts += num(x + bw * 0.5) + "," + num(y(c.noise_floor_dbfs)) + " ";
  }
  h += "<polyline points=\"" + floor_pts + "\" fill=\"none\" stroke=\"#e08a00\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\n";
  // Labels of the decoded cells, staggered over three rows so neighbours do not overlap; alerts on a row of
  // their own along the top.
  std::vector<double> row_end(3, -1e9);
  double alert_end = -1e9;
  for (std::size_t i = 0; i < ch.size(); ++i) {
    auto m = marks.find(ch[i].arfcn);
    if (m == marks.end()) continue;
    const double xc = L + bw * (static_cast<double>(i) + 0.5);
    const bool bad = m->second.second;
    const std::string label = bad ? "ALERT " + m->second.first : m->second.first;
    const double wlab = 6.5 * static_cast<double>(label.size()) + 6;
    double ty = 0;
    if (bad) {
      if (xc - wlab / 2 < alert_end) continue;  // the bar's colour still tells
      alert_end = xc + wlab / 2;
      ty = T - 18;
      h += "<line x1=\"" + num(xc) + "\" x2=\"" + num(xc) + "\" y1=\"" + num(T - 14) + "\" y2=\"" + num(y(ch[i].power_dbfs) - 2) +
           "\" stroke=\"" + kRed + "\" stroke-dasharray=\"2 2\"/>";
    } else {
      std::size_t row = 0;
      while (row < 2 && xc - wlab / 2 < row_end[row]) ++row;
      row_end[row] = xc + wlab / 2;
      ty = std::min(y(ch[i].power_dbfs), T + ph) - 6 - 13.0 * static_cast<double>(row);
    }
    h += text(std::clamp(xc, L + wlab / 2, W - R - wlab / 2), ty, esc(label),
              (std::string(" font-size=\"11\" text-anchor=\"middle\" font-weight=\"700\" fill=\"") +
               (bad ? kRed : "#1f6fb2") + "\"").c_str()) + "\n";
  }
  if (!ch.empty()) {
    // Channel and frequency ticks: the ends and about five between.
    const std::size_t every = std::max<std::size_t>(1, ch.size() / 6);
    for (std::size_t i = 0; i < ch.size(); i += every) {
      if (i + every / 2 >= ch.size() && i != 0 && i + 1 != ch.size()) continue;
      const double xc = L + bw * (static_cast<double>(i) + 0.5);
      const char* anchor = i == 0 ? "start" : "middle";
      h += text(i == 0 ? L : xc, H - 22, std::to_string(ch[i].arfcn), (std::string(" font-size=\"11\" fill=\"#3b4456\" text-anchor=\"") + anchor + "\"").c_str()) +
           text(i == 0 ? L : xc, H - 8, num(ch[i].freq_hz / 1e6, 1), (std::string(" font-size=\"10\" fill=\"#566074\" text-anchor=\"") + anchor + "\"").c_str()) + "\n";
    }
    h += text(W - R, H - 22, std::to_string(ch.back().arfcn), " font-size=\"11\" fill=\"#3b4456\" text-anchor=\"end\"") +
         text(W - R, H - 8, num(ch.back().freq_hz / 1e6, 1) + " MHz", " font-size=\"10\" fill=\"#566074\" text-anchor=\"end\"") + "\n";
  }
  h += "</svg></div>\n";
}

}  // namespace

void spectrum_section(std::string& h, const ReportData& d) {
  if (d.census.empty()) return;
  const auto alerted = alerted_cells(d);
  std::map<std::string, std::vector<sweep::ChannelPower>> by_band;
  for (const auto& c : d.census) by_band[c.band].push_back(c);
  h += "<h2 id=\"spectrum\">Spectrum per band</h2>\n<p class=\"legend\">Mean power per channel in the last sweep."
       "<span class=\"sw\" style=\"background:#1f6fb2\"></span>decoded cell<span class=\"sw\" style=\"background:" +
       std::string(kRed) + "\"></span>alert<span class=\"sw\" style=\"background:#b8bfcc\"></span>no cell decoded"
       "<span class=\"sw\" style=\"background:#e08a00\"></span>noise floor (dashed)</p>\n";
  for (const auto& [band, ch] : by_band) band_plot(h, d, band, ch, alerted);
}

// ---- timeline --------------------------------------------------------------------------------------------

void timeline_section(std::string& h, const ReportData& d) {
  const auto& pts = d.timeline;
  if (pts.size() < 2) return;  // one sweep: the verdict says it all
  std::size_t ymax = 1;
  for (const auto& p : pts) ymax = std::max({ymax, p.cells, p.alerts});
  const double W = 820, H = 264, L = 46, R = 14, T = 34, B = 58;
  const double pw = W - L - R, ph = H - T - B;
  const std::int64_t t0 = pts.front().time_unix_ms, t1 = pts.back().time_unix_ms;
  const bool by_time = t1 > t0;
  auto xi = [&](std::size_t i) {
    if (by_time) return L + pw * static_cast<double>(pts[i].time_unix_ms - t0) / static_cast<double>(t1 - t0);
    return L + pw * static_cast<double>(i) / static_cast<double>(pts.size() - 1);
  };
  // An event's x: by its time, else by its sweep id.
  auto xe = [&](const json& e) -> std::optional<double> {
    if (auto t = int_at(e, "time_unix_ms"); t && by_time && *t >= t0 && *t <= t1)
      return L + pw * static_cast<double>(*t - t0) / static_cast<double>(t1 - t0);
    if (auto s = int_at(e, "sweep_id"))
      for (std::size_t i = 0; i < pts.size(); ++i)
        if (pts[i].sweep_id == *s) return xi(i);
    return std::nullopt;
  };
  auto y = [&](std::size_t v) { return T + ph * (1.0 - static_cast<double>(v) / static_cast<double>(ymax)); };
  const double bar = std::clamp(pw / static_cast<double>(pts.size()) * 0.7, 1.0, 18.0);
  std::size_t with_alerts = 0;
  for (const auto& p : pts) with_alerts += p.alerts ? 1 : 0;
  h += "<h2 id=\"timeline\">Timeline</h2>\n<p class=\"legend\">" + std::to_string(pts.size()) + " sweeps, " +
       std::to_string(with_alerts) + " with alerts." +
       "<span class=\"sw\" style=\"background:#9cc3e6\"></span>cells per sweep<span class=\"sw\" style=\"background:" +
       std::string(kRed) + "\"></span>alerts (count) in the lane under the axis<span class=\"sw\" style=\"background:#e3efd2\"></span>learning"
       " &#9650; new alert &#9660; cleared</p>\n<div class=\"fig\">" + svg_open(W, H, "cells and alerts per sweep");
  for (std::size_t i = 0; i < pts.size(); ++i)
    if (pts[i].learning) {
      const double x0 = i ? (xi(i - 1) + xi(i)) / 2 : xi(i) - bar / 2;
      const double x1 = i + 1 < pts.size() ? (xi(i) + xi(i + 1)) / 2 : xi(i) + bar / 2;
      h += "<rect x=\"" + num(x0) + "\" y=\"" + num(T, 0) + "\" width=\"" + num(std::max(1.0, x1 - x0)) + "\" height=\"" +
           num(ph, 0) + "\" fill=\"#e3efd2\"/>\n";
    }
  for (std::size_t v : {std::size_t{0}, ymax / 2, ymax})
    h += "<line x1=\"" + num(L, 0) + "\" x2=\"" + num(W - R, 0) + "\" y1=\"" + num(y(v)) + "\" y2=\"" + num(y(v)) +
         "\" stroke=\"#e6e8ec\"/>" + text(L - 4, y(v) + 4, std::to_string(v), " font-size=\"11\" fill=\"#566074\" text-anchor=\"end\"") + "\n";
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const auto& p = pts[i];
    const std::string tip = "sweep " + std::to_string(p.sweep_id) + " " + time_text(p.time_unix_ms) + ": " +
                            std::to_string(p.cells) + " cells, " + std::to_string(p.alerts) + " alerts" +
                            (p.learning ? " (learning)" : "");
    h += "<rect x=\"" + num(xi(i) - bar / 2) + "\" y=\"" + num(y(p.cells)) + "\" width=\"" + num(bar) + "\" height=\"" +
         num(y(0) - y(p.cells)) + "\" fill=\"#9cc3e6\"><title>" + esc(tip) + "</title></rect>";
    if (p.alerts) {  // the alerts lane under the axis: one red box per sweep with alerts, its count inside
      h += "<rect x=\"" + num(xi(i) - bar / 2) + "\" y=\"" + num(y(0) + 4) + "\" width=\"" + num(bar) + "\" height=\"14\" fill=\"" +
           kRed + "\"><title>" + esc(tip) + "</title></rect>";
      if (bar >= 10)
        h += text(xi(i), y(0) + 15, std::to_string(p.alerts), " font-size=\"10\" fill=\"#fff\" text-anchor=\"middle\"");
    }
    h += "\n";
  }
  for (const auto& e : d.events) {
    const auto x = xe(e);
    if (!x) continue;
    const bool cleared = str_at(e, "type").value_or("") == "alert_cleared";
    const std::string tip = (cleared ? "cleared " : "alert ") + str_at(e, "finding").value_or("") + " (sweep " +
                            std::to_string(int_at(e, "sweep_id").value_or(0)) + ")";
    h += "<path d=\"" + (cleared ? "M" + num(*x - 6) + "," + num(T - 20.0) + "h12l-6,10z" : "M" + num(*x - 6) + "," + num(T - 10.0) + "h12l-6,-10z") +
         "\" fill=\"" + (cleared ? "#2e7d32" : kRed) + "\"><title>" + esc(tip) + "</title></path>\n";
  }
  const std::string first = by_time ? time_text(t0) : "sweep " + std::to_string(pts.front().sweep_id);
  const std::string last = by_time ? time_text(t1) : "sweep " + std::to_string(pts.back().sweep_id);
  h += text(L - 4, y(0) + 15, "alerts", " font-size=\"10\" fill=\"#566074\" text-anchor=\"end\"") +
       text(L, H - 14, esc(first), " font-size=\"11\" fill=\"#3b4456\"") +
       text(W - R, H - 14, esc(last), " font-size=\"11\" fill=\"#3b4456\" text-anchor=\"end\"") + "\n</svg></div>\n";
}

// ---- map -------------------------------------------------------------------------------------------------

namespace {

std::optional<GeoPoint> position_of(const json& obj) {
  auto valid = [](double lat, double lon) { return std::abs(lat) <= 90.0 && std::abs(lon) <= 180.0; };
  for (const json* o : {&obj, &at(obj, "position")}) {
    const auto lat = num_at(*o, "lat"), lon = num_at(*o, "lon");
    if (lat && lon && valid(*lat, *lon)) return GeoPoint{*lat, *lon, 0, "", false};
  }
  return std::nullopt;
}

}  // namespace

void map_section(std::string& h, const ReportData& d) {
  auto valid = [](const GeoPoint& p) {
    return std::isfinite(p.lat) && std::isfinite(p.lon) && std::abs(p.lat) <= 90.0 && std::abs(p.lon) <= 180.0;
  };
  const auto alerted = alerted_cells(d);
  std::vector<GeoPoint> track, seen, estimated;
  for (const auto& p : d.track)
    if (valid(p)) track.push_back(p);
  for (const auto& c : d.cells) {
    const CellId id = cell_id(c);
    if (auto p = position_of(c)) {
      p->label = cell_label(id);
      p->alerted = is_alerted(alerted, id);
      seen.push_back(*p);
    }
    if (auto p = position_of(at(c, "estimated_position"))) {
      p->label = cell_label(id);
      p->alerted = is_alerted(alerted, id);
      estimated.push_back(*p);
    }
  }
  for (const auto& p : d.cell_positions)
    if (valid(p)) estimated.push_back(p);
  if (track.empty() && seen.empty() && estimated.empty()) return;
  double la0 = 90, la1 = -90, lo0 = 180, lo1 = -180;
  for (const auto* v : {&track, &seen, &estimated})
    for (const auto& p : *v) la0 = std::min(la0, p.lat), la1 = std::max(la1, p.lat), lo0 = std::min(lo0, p.lon), lo1 = std::max(lo1, p.lon);
  // Equirectangular around the middle latitude: metres per degree, then fit into the frame.
  const double mid = (la0 + la1) / 2;
  const double m_lat = 111320.0, m_lon = 111320.0 * std::max(0.01, std::cos(mid * kPi / 180.0));
  double ext_x = (lo1 - lo0) * m_lon, ext_y = (la1 - la0) * m_lat;
  const double min_ext = 200.0;  // metres: a single point gets a 200 m frame
  ext_x = std::max(ext_x, min_ext), ext_y = std::max(ext_y, min_ext);
  const double W = 820, pad = 40;
  const double scale = std::min((W - 2 * pad) / ext_x, 520.0 / ext_y);  // px per metre
  const double H = ext_y * scale + 2 * pad + 20;
  const double cx0 = (lo0 + lo1) / 2, cy0 = mid;
  auto px = [&](const GeoPoint& p) { return W / 2 + (p.lon - cx0) * m_lon * scale; };
  auto py = [&](const GeoPoint& p) { return (H - 20) / 2 - (p.lat - cy0) * m_lat * scale; };
  h += "<h2 id=\"map\">Map</h2>\n<p class=\"legend\">" + std::to_string(track.size()) + " track points, " +
       std::to_string(seen.size()) + " observations, " + std::to_string(estimated.size()) +
       " estimated cell positions (no map tiles; north up)."
       "<span class=\"sw\" style=\"background:#4a5a78\"></span>track<span class=\"sw\" style=\"background:#1f6fb2\"></span>"
       "observation / cell<span class=\"sw\" style=\"background:" + std::string(kRed) + "\"></span>alert</p>\n<div class=\"fig\">" +
       svg_open(W, H, "map of the track, observations and estimated cell positions");
  h += "<rect x=\"1\" y=\"1\" width=\"" + num(W - 2, 0) + "\" height=\"" + num(H - 22, 0) + "\" fill=\"#f7f8fa\" stroke=\"#d9dde4\"/>\n";
  if (track.size() > 1) {
    std::string pts;
    for (const auto& p : track) pts += num(px(p)) + "," + num(py(p)) + " ";
    h += "<polyline points=\"" + pts + "\" fill=\"none\" stroke=\"#4a5a78\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n";
  }
  for (const auto& p : track)
    h += "<circle cx=\"" + num(px(p)) + "\" cy=\"" + num(py(p)) + "\" r=\"2\" fill=\"#4a5a78\"><title>" +
         esc(time_text(p.time_unix_ms).empty() ? "track" : time_text(p.time_unix_ms)) + "</title></circle>";
  h += "\n";
  for (const auto& p : seen)
    h += "<circle cx=\"" + num(px(p)) + "\" cy=\"" + num(py(p)) + "\" r=\"4\" fill=\"none\" stroke=\"" +
         (p.alerted ? kRed : "#1f6fb2") + "\" stroke-width=\"1.5\"><title>observed " + esc(p.label) + "</title></circle>\n";
  for (const auto& p : estimated) {
    const double x = px(p), y = py(p);
    h += "<path d=\"M" + num(x) + "," + num(y - 9) + "l7,12h-14z\" fill=\"" + (p.alerted ? kRed : "#1f6fb2") + "\"><title>" +
         esc(p.label) + " (estimated position)</title></path>" +
         text(x + 9, y + 3, esc(short_label(p.label)), (std::string(" font-size=\"11\" fill=\"") + (p.alerted ? kRed : "#1c2230") + "\"").c_str()) + "\n";
  }
  // Scale bar: a round number of metres near a fifth of the width.
  const double target = (W / 5) / scale;
  double bar_m = 1;
  for (double m : {10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5})
    if (m <= target) bar_m = m;
  const double bar_px = bar_m * scale;
  h += "<path d=\"M20," + num(H - 8) + "h" + num(bar_px) + "\" stroke=\"#1c2230\" stroke-width=\"3\"/>" +
       text(26 + bar_px, H - 4, bar_m >= 1000 ? num(bar_m / 1000, 0) + " km" : num(bar_m, 0) + " m", " font-size=\"11\" fill=\"#1c2230\"") +
       text(W - 10, H - 4, num(la0, 5) + ", " + num(lo0, 5) + " &#8211; " + num(la1, 5) + ", " + num(lo1, 5),
            " font-size=\"10\" fill=\"#566074\" text-anchor=\"end\"") + "\n</svg></div>\n";
}

}  // namespace tw::output::report
