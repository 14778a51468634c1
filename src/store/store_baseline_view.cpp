#include "src/store/store_baseline_view.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "src/locate/cell_positions.hpp"
#include "src/store/stmt.hpp"

namespace tw::store {

namespace {
using nlohmann::json;

// The numeric value of a decimal MNC string; -1 if it is not one.
int mnc_value(const std::string& mnc) {
  int v = -1;
  if (mnc.empty() || mnc.size() > 3) return -1;
  auto [p, ec] = std::from_chars(mnc.data(), mnc.data() + mnc.size(), v);
  return ec == std::errc() && p == mnc.data() + mnc.size() ? v : -1;
}

// A stored JSON column; a damaged one reads as empty (the store validates JSON on write: json_valid).
json parse_json(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

// The learned extras of a known cell (baseline.cpp fold_extra): recent powers and the FN clock phase.
void apply_learned_extra(tw::KnownCell& k, const json& extra) {
  if (!extra.is_object()) return;
  if (extra.contains("power_recent_dbfs") && extra["power_recent_dbfs"].is_array())
    for (const auto& v : extra["power_recent_dbfs"])
      if (v.is_number()) k.power_recent_dbfs.push_back(v.get<double>());
  if (extra.contains("fn_phase") && extra["fn_phase"].is_object()) {
    const auto& f = extra["fn_phase"];
    auto get = [&](const char* key) -> std::int64_t {
      return f.contains(key) && f[key].is_number_integer() ? f[key].get<std::int64_t>() : -1;
    };
    const std::int64_t phase = get("phase"), n = get("n"), breaks = get("breaks");
    if (phase >= 0 && n >= 1 && breaks >= 0 && 2 * breaks <= n) {
      k.fn_phase = phase;
      k.fn_phase_n = n;
    }
  }
}
}  // namespace

std::optional<tw::KnownCell> StoreBaselineView::find_cell(int mcc, const std::string& mnc, int lac, int ci) const {
  return find_cell_of("GSM", mcc, mnc, lac, ci);
}

std::optional<tw::KnownCell> StoreBaselineView::find_cell_of(const std::string& rat, int mcc, const std::string& mnc,
                                                             int lac, int ci) const {
  Stmt s(store_,
         "SELECT source, mnc, arfcn, first_seen_ms, last_seen_ms, lat, lon, n_observations, bsic, extra "
         "FROM known_cells WHERE rat = ?4 AND mcc = ?1 AND lac = ?2 AND ci = ?3 ORDER BY source, n_observations DESC");
  s.bind(1, mcc);
  s.bind(2, lac);
  s.bind(3, ci);
  s.bind(4, rat);
  const int want = mnc_value(mnc);
  std::optional<tw::KnownCell> out;
  bool learned = false;
  while (s.step()) {
    const std::string source = s.col_text(0);
    const std::string row_mnc = s.col_text(1);
    const bool is_learned = source == "learned";
    if (is_learned ? row_mnc != mnc : (want < 0 || mnc_value(row_mnc) != want)) continue;
    if (!out) {
      out = tw::KnownCell{};
      out->mcc = mcc;
      out->rat = rat;
      out->mnc = mnc;
      out->lac = lac;
      out->ci = ci;
      out->source = is_learned ? "observed" : "opencellid";
    }
    const auto first = s.col_opt_int(3), last = s.col_opt_int(4);
    const auto lat = s.col_opt_double(5), lon = s.col_opt_double(6);
    const json extra = parse_json(s.col_text(9));
    if (is_learned) {
      const int arfcn = static_cast<int>(s.col_int(2));
      if (arfcn >= 0 && std::find(out->arfcns.begin(), out->arfcns.end(), arfcn) == out->arfcns.end())
        out->arfcns.push_back(arfcn);
      if (first && (!learned || *first < out->first_seen_unix_ms)) out->first_seen_unix_ms = *first;
      if (last && (!learned || *last > out->last_seen_unix_ms)) out->last_seen_unix_ms = *last;
      out->n_observations += s.col_int(7);
      if (!learned) {  // rows come most-observed first
        if (lat && lon) {
          out->lat = lat;
          out->lon = lon;
        }
        if (auto b = s.col_opt_int(8)) out->bsic = static_cast<int>(*b);
        apply_learned_extra(*out, extra);
      }
      learned = true;
    } else {
      if (extra.is_object() && extra.contains("range_m") && extra["range_m"].is_number())
        out->range_m = extra["range_m"].get<double>();
      if (!learned) {  // an OpenCellID row (rows of "learned" sort first)
        if (first) out->first_seen_unix_ms = *first;
        if (last) out->last_seen_unix_ms = *last;
        out->lat = lat;
        out->lon = lon;
      }
    }
  }
  if (out) std::sort(out->arfcns.begin(), out->arfcns.end());
  return out;
}

bool StoreBaselineView::operator_known(int mcc, const std::string& mnc) const {
  Stmt s(store_,
         "SELECT 1 FROM known_cells WHERE mcc = ?1 AND (mnc = ?2 OR (source = 'opencellid' AND ?3 >= 0 AND "
         "CAST(mnc AS INTEGER) = ?3)) LIMIT 1");
  s.bind(1, mcc);
  s.bind(2, mnc);
  s.bind(3, mnc_value(mnc));
  return s.step();
}

bool StoreBaselineView::operator_known_of(const std::string& rat, int mcc, const std::string& mnc) const {
  if (rat == "GSM") return operator_known(mcc, mnc);   // GSM keeps its RAT-blind answer
  Stmt s(store_,
         "SELECT 1 FROM known_cells WHERE rat = ?4 AND mcc = ?1 AND (mnc = ?2 OR (source = 'opencellid' AND ?3 >= 0 "
         "AND CAST(mnc AS INTEGER) = ?3)) LIMIT 1");
  s.bind(1, mcc);
  s.bind(2, mnc);
  s.bind(3, mnc_value(mnc));
  s.bind(4, rat);
  return s.step();
}

std::vector<tw::KnownCell> StoreBaselineView::learned_cells_on(int arfcn) const {
  return learned_cells_of("GSM", arfcn);
}

std::vector<tw::KnownCell> StoreBaselineView::learned_cells_of(const std::string& rat, int arfcn) const {
  Stmt s(store_,
         "SELECT mcc, mnc, lac, ci, bsic, n_observations, first_seen_ms, last_seen_ms, lat, lon, extra, params_seen "
         "FROM known_cells WHERE source = 'learned' AND rat = ?2 AND arfcn = ?1 ORDER BY n_observations DESC");
  s.bind(1, arfcn);
  s.bind(2, rat);
  std::vector<tw::KnownCell> out;
  while (s.step()) {
    tw::KnownCell k;
    k.source = "observed";
    k.mcc = static_cast<int>(s.col_opt_int(0).value_or(-1));
    k.mnc = s.col_opt_text(1).value_or("");
    k.lac = static_cast<int>(s.col_opt_int(2).value_or(-1));
    k.ci = static_cast<int>(s.col_opt_int(3).value_or(-1));
    if (auto b = s.col_opt_int(4)) k.bsic = static_cast<int>(*b);
    k.n_observations = s.col_int(5);
    k.first_seen_unix_ms = s.col_opt_int(6).value_or(0);
    k.last_seen_unix_ms = s.col_opt_int(7).value_or(0);
    k.lat = s.col_opt_double(8);
    k.lon = s.col_opt_double(9);
    k.rat = rat;
    k.arfcns = {arfcn};
    apply_learned_extra(k, parse_json(s.col_text(10)));
    // LTE/NR: the PCI of the record (params_seen keeps each distinct value in order; the last is the newest).
    // PCI ranges: LTE 0..503 (TS 36.211 6.11), NR 0..1007 (TS 38.211 7.4.2.1).
    const json seen = parse_json(s.col_text(11));
    const long long max_pci = rat == "NR" ? 1007 : 503;
    if (seen.is_object() && seen.contains("pci") && seen["pci"].is_array() && !seen["pci"].empty()) {
      const json& p = seen["pci"].back();
      if (p.is_number_integer() && p.get<long long>() >= 0 && p.get<long long>() <= max_pci) k.pci = p.get<int>();
    }
    if (seen.is_object()) k.params_seen = seen;
    out.push_back(std::move(k));
  }
  return out;
}

tw::OperatorPlan StoreBaselineView::operator_plan(int mcc, const std::string& mnc, const std::string& band) const {
  return operator_plan_of("GSM", mcc, mnc, band);
}

tw::OperatorPlan StoreBaselineView::operator_plan_of(const std::string& rat, int mcc, const std::string& mnc,
                                                     const std::string& band) const {
  tw::OperatorPlan plan;
  if (rat != "GSM" && rat != "LTE") return plan;
  const bool lte = rat == "LTE";
  const int max_channel = lte ? 262143 : 1023;   // EARFCN (TS 36.101 5.7.3) / ARFCN (TS 45.005 2)
  std::set<int> arfcns;
  auto add = [&](const json& a) {
    if (a.is_number_integer() && a.get<long long>() >= 0 && a.get<long long>() <= max_channel) arfcns.insert(a.get<int>());
  };
  {
    Stmt s(store_,
           "SELECT arfcn, params_seen FROM known_cells WHERE source = 'learned' AND rat = ?3 AND mcc = ?1 AND mnc = ?2");
    s.bind(1, mcc);
    s.bind(2, mnc);
    s.bind(3, rat);
    while (s.step()) {
      const json seen = parse_json(s.col_text(1));
      if (!band.empty()) {
        bool in_band = false;
        if (seen.is_object() && seen.contains("band") && seen["band"].is_array())
          for (const auto& b : seen["band"]) in_band = in_band || (b.is_string() && b.get<std::string>() == band);
        if (!in_band) continue;
      }
      ++plan.cells;
      add(json(s.col_int(0)));
      if (!seen.is_object()) continue;
      if (!lte) {
        // Every BA list the cell was seen with (params_seen keeps each distinct list).
        if (seen.contains("neighbors") && seen["neighbors"].is_array())
          for (const auto& list : seen["neighbors"])
            if (list.is_array())
              for (const auto& a : list) add(a);
      } else if (seen.contains("sib5") && seen["sib5"].is_array()) {
        // Every SIB5 the cell was seen with: its inter-frequency carriers (dl-CarrierFreq).
        for (const auto& sib5 : seen["sib5"])
          if (sib5.is_object() && sib5.contains("carriers") && sib5["carriers"].is_array())
            for (const auto& c : sib5["carriers"])
              if (c.is_object() && c.contains("earfcn")) add(c["earfcn"]);
      }
    }
  }
  plan.arfcns.assign(arfcns.begin(), arfcns.end());
  plan.sweeps = sweeps_in_band(band);
  return plan;
}

std::int64_t StoreBaselineView::sweeps_in_band(const std::string& band) const {
  Stmt c(store_,
         "SELECT COUNT(DISTINCT o.sweep_id) FROM observations o JOIN sweeps s ON s.id = o.sweep_id "
         "WHERE s.completed = 1 AND (?1 = '' OR o.band = ?1)");
  c.bind(1, band);
  return c.step() ? c.col_int(0) : 0;
}

std::optional<tw::LearnedFloor> StoreBaselineView::learned_band_floor(const std::string& sensor_id, const std::string& rat,
                                                                       const std::string& band) const {
  Stmt s(store_, "SELECT recent, n FROM learned_band_floors WHERE sensor_id = ? AND rat = ? AND band = ?");
  s.bind(1, sensor_id);
  s.bind(2, rat);
  s.bind(3, band);
  if (!s.step()) return std::nullopt;
  tw::LearnedFloor f;
  f.n = s.col_int(1);
  const json recent = parse_json(s.col_text(0));
  if (recent.is_array())
    for (const auto& v : recent)
      if (v.is_number() && std::isfinite(v.get<double>())) f.recent.push_back(v.get<double>());
  if (f.recent.empty()) return std::nullopt;
  return f;
}

std::vector<tw::KnownCell> StoreBaselineView::learned_cells_in_band(const std::string& rat, const std::string& band) const {
  Stmt s(store_,
         "SELECT mcc, mnc, lac, ci, arfcn, n_observations, first_seen_ms, last_seen_ms, params_seen FROM known_cells "
         "WHERE source = 'learned' AND rat = ?1 ORDER BY arfcn, ci");
  s.bind(1, rat);
  std::vector<tw::KnownCell> out;
  while (s.step()) {
    // In the band: params_seen "band" holds it (the same test in both backends, here rather than in SQL).
    const json seen = parse_json(s.col_text(8));
    bool in_band = false;
    if (seen.is_object() && seen.contains("band")) {
      const json& b = seen["band"];
      if (b.is_string()) in_band = b.get<std::string>() == band;
      if (b.is_array())
        for (const auto& v : b) in_band = in_band || (v.is_string() && v.get<std::string>() == band);
    }
    if (!in_band) continue;
    tw::KnownCell k;
    k.source = "observed";
    k.rat = rat;
    k.mcc = static_cast<int>(s.col_opt_int(0).value_or(-1));
    k.mnc = s.col_opt_text(1).value_or("");
    k.lac = static_cast<int>(s.col_opt_int(2).value_or(-1));
    k.ci = static_cast<int>(s.col_opt_int(3).value_or(-1));
    k.arfcns = {static_cast<int>(s.col_int(4))};
    k.n_observations = s.col_int(5);
    k.first_seen_unix_ms = s.col_opt_int(6).value_or(0);
    k.last_seen_unix_ms = s.col_opt_int(7).value_or(0);
    if (seen.is_object() && seen.contains("pci") && seen["pci"].is_array() && !seen["pci"].empty()) {
      const json& p = seen["pci"].back();
      if (p.is_number_integer() && p.get<long long>() >= 0 && p.get<long long>() <= 503) k.pci = p.get<int>();
    }
    out.push_back(std::move(k));
  }
  return out;
}

std::vector<std::pair<int, std::string>> StoreBaselineView::operators() const {
  Stmt s(store_,
         "SELECT DISTINCT mcc, mnc FROM known_cells WHERE mcc IS NOT NULL AND mnc IS NOT NULL ORDER BY mcc, mnc");
  std::vector<std::pair<int, std::string>> out;
  while (s.step()) out.emplace_back(static_cast<int>(s.col_int(0)), s.col_text(1));
  return out;
}

std::optional<tw::CellHistory> StoreBaselineView::cell_history(const CellObservation& cell,
                                                               std::int64_t before_unix_ms) const {
  if (!cell.mcc || !cell.mnc || !cell.lac || !cell.ci || cell.arfcn < 0) return std::nullopt;
  tw::CellHistory h;
  {
    Stmt s(store_,
           "SELECT COUNT(DISTINCT o.sweep_id), MIN(s.time_unix_ms) FROM observations o JOIN sweeps s ON s.id = o.sweep_id "
           "WHERE s.completed = 1 AND s.time_unix_ms < ?1 AND s.sensor_id = ?2 AND o.rat = ?3 AND o.arfcn = ?4 "
           "AND o.mcc = ?5 AND o.mnc = ?6 AND o.lac = ?7 AND o.ci = ?8");
    s.bind(1, before_unix_ms);
    s.bind(2, cell.sensor_id);
    s.bind(3, cell.rat);
    s.bind(4, cell.arfcn);
    s.bind(5, *cell.mcc);
    s.bind(6, *cell.mnc);
    s.bind(7, *cell.lac);
    s.bind(8, *cell.ci);
    if (s.step()) {
      h.sweeps_seen = s.col_int(0);
      h.first_seen_unix_ms = s.col_opt_int(1);
    }
  }
  if (!h.first_seen_unix_ms) return h;
  Stmt c(store_,
         "SELECT COUNT(*) FROM sweeps s WHERE s.completed = 1 AND s.sensor_id = ?1 AND s.time_unix_ms >= ?2 "
         "AND s.time_unix_ms < ?3 AND EXISTS (SELECT 1 FROM observations o WHERE o.sweep_id = s.id AND o.band = ?4)");
  c.bind(1, cell.sensor_id);
  c.bind(2, *h.first_seen_unix_ms);
  c.bind(3, before_unix_ms);
  c.bind(4, cell.band);
  if (c.step()) h.sweeps_covering = c.col_int(0);
  return h;
}

std::optional<tw::EstimatedPosition> StoreBaselineView::earlier_position_estimate(const CellObservation& cell,
                                                                                  std::int64_t before_unix_ms) const {
  const std::string key = locate::transmitter_key(cell);
  const std::int64_t until = before_unix_ms - drive_window_ms;
  std::vector<CellObservation> obs;
  store_.for_each_observation(0, [&](std::int64_t, const CellObservation& o) {
    if (o.time_unix_ms < until && o.lat && o.lon && locate::transmitter_key(o) == key) obs.push_back(o);
  });
  const auto est = locate::estimate_positions(obs);
  const auto it = est.find(key);
  if (it == est.end()) return std::nullopt;
  return tw::EstimatedPosition{it->second.lat, it->second.lon, it->second.radius_m, it->second.points, it->second.method};
}

}  // namespace tw::store
