// The baseline of known cells: learned from stored sweeps, or imported from OpenCellID.
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string_view>

#include "src/core/error.hpp"
#include "src/core/log.hpp"
#include "src/scorer/fn_clock.hpp"
#include "src/store/stmt.hpp"
#include "src/store/store.hpp"

namespace tw::store {

namespace {
using nlohmann::json;

// Keys of a cell record that are measurements or bookkeeping, not broadcast parameters: their values vary from
// sweep to sweep and are kept as statistics (power, offset), not as "values seen".
bool is_measurement(const std::string& k) {
  static const std::set<std::string> exact = {"type",     "power_dbfs", "power_dbm",        "snr_db",
                                              "cfo_hz",   "cfo_ppb",    "cfo_residual_ppb", "offset_hz",
                                              "freq_hz",  "time",       "time_unix_ms",     "sensor_id",
                                              "lat",      "lon",        "si_seen",          "bursts",
                                              "messages", "frames",     "seconds",          "first_fn",
                                              "last_fn",  "fn",         "blocks",           "parse_errors",
                                              // counters and clocks of a cell record (gsm_cell_tracker):
                                              // they change every sweep
                                              "sync_fn",  "sync_unix_ms", "sync",           "paging",
                                              "immediate_assignment",     "blocks_tried",   "blocks_decoded",
                                              "cfo_ppm",  "si_changes", "dropped",        "observations",
                                              "observed_freq_hz",
                                              // the sensor's position at the tuning (src/sweep/position_stamp.hpp)
                                              "alt",      "fix_mode",   "eph"};
  if (exact.count(k)) return true;
  auto ends = [&](std::string_view suf) {
    return k.size() >= suf.size() && k.compare(k.size() - suf.size(), suf.size(), suf) == 0;
  };
  return ends("_db") || ends("_dbfs") || ends("_dbm") || ends("_ppb") || ends("_ppm") || ends("_count") ||
         ends("_ms") || ends("_s");
}

// Keys of an NR cell record (dsp/nr/ssb_receiver.cpp, src/pipeline/nr_analysis.cpp) that follow the frame clock
// or the capture, not the cell's configuration: the SFN and half-frame (TS 38.211 4.3.1), the whole MIB and its
// hex (they hold the SFN; the MIB's other fields are noted one by one), which SSB of the burst was strongest,
// where it started and the detector's metrics.
bool is_nr_clock(const std::string& k) {
  static const std::set<std::string> keys = {"sfn",        "half_frame",       "mib",        "mib_hex",
                                             "ssb_index",  "ssb_start_sample", "pss_metric", "sss_score",
                                             "ssb_occurrences"};
  return keys.count(k) > 0;
}

const char* const kWatermark = kLearnedThroughSweepMeta;

// extra["power_recent_dbfs"]: the last kRecentPowers powers, oldest first (the scorer's S1 takes their
// median and MAD: robust to the odd faded or saturated sweep, unlike mean/stddev).
constexpr std::size_t kRecentPowers = 32;
// extra["fn_phase"] = {"phase": frames, "n": agreeing observations, "breaks": disagreeing ones}: the cell's
// FN clock (src/scorer/fn_clock.hpp), learned from records that carry their SCH's wall clock (sync_unix_ms). An observation within kFnTolerance of the phase agrees and nudges it
// (running mean of the differences); one outside counts a break. More breaks than agreements (a base
// station restarted its counter, or the observations come from files analysed at unrelated times) starts
// again from the newest phase.
const std::int64_t kFnTolerance = fn_clock::frames_in(fn_clock::kDefaultToleranceS);

void fold_extra(json& extra, const CellObservation& o) {
  if (!extra.is_object()) extra = json::object();
  if (std::isfinite(o.power_dbfs) && o.power_dbfs > -200.0) {
    json& recent = extra["power_recent_dbfs"];
    if (!recent.is_array()) recent = json::array();
    recent.push_back(std::round(o.power_dbfs * 10.0) / 10.0);
    while (recent.size() > kRecentPowers) recent.erase(recent.begin());
  }
  const auto ph = fn_clock::wall_clock_phase(o);   // records of live sweeps only (files: no wall clock)
  if (!ph) return;
  json& f = extra["fn_phase"];
  auto get = [&](const char* k) -> std::int64_t {
    return f.is_object() && f.contains(k) && f[k].is_number_integer() ? f[k].get<std::int64_t>() : -1;
  };
  std::int64_t phase = get("phase"), n = get("n"), breaks = get("breaks");
  if (phase < 0 || phase >= fn_clock::kHyperframe || n < 1 || breaks < 0) {
    f = {{"phase", *ph}, {"n", 1}, {"breaks", 0}};
    return;
  }
  if (fn_clock::distance(*ph, phase) <= kFnTolerance) {
    std::int64_t d = (*ph - phase) % fn_clock::kHyperframe;   // signed circular difference
    if (d > fn_clock::kHyperframe / 2) d -= fn_clock::kHyperframe;
    if (d < -fn_clock::kHyperframe / 2) d += fn_clock::kHyperframe;
    ++n;
    phase = ((phase + d / n) % fn_clock::kHyperframe + fn_clock::kHyperframe) % fn_clock::kHyperframe;
  } else if (++breaks > n) {
    phase = *ph;
    n = 1;
    breaks = 0;
  }
  f = {{"phase", phase}, {"n", n}, {"breaks", breaks}};
}
// The band floors of completed sweeps after..through (sweep_band_floors) folded into learned_band_floors per
// sensor, RAT and band: the last kRecentFloors floors, oldest first (rule J1 takes their median and MAD). A
// band whose floor the sweep's own alerts blamed (a J1 reason naming it) is not learned: a jammed floor must
// not become the norm. Returns the floors folded.
constexpr std::size_t kRecentFloors = 32;

std::int64_t learn_band_floors(Store& store, std::int64_t after, std::int64_t through, bool skip_alerted) {
  std::set<std::pair<std::int64_t, std::string>> blamed;   // (sweep, band) of a J1 alert
  if (skip_alerted)
    for (const auto& a : store.alerts())
      if (a.sweep_id > after && a.reasons.is_array())
        for (const auto& reason : a.reasons)
          if (reason.is_object() && reason.value("rule", "") == "J1" && reason.contains("evidence") &&
              reason["evidence"].is_object() && reason["evidence"].contains("band") && reason["evidence"]["band"].is_string())
            blamed.insert({a.sweep_id, reason["evidence"]["band"].get<std::string>()});
  std::int64_t n = 0;
  Stmt q(store,
         "SELECT f.sweep_id, s.sensor_id, f.rat, f.band, f.floor_dbfs_per_mhz FROM sweep_band_floors f "
         "JOIN sweeps s ON s.id = f.sweep_id WHERE s.completed = 1 AND f.sweep_id > ?1 AND f.sweep_id <= ?2 "
         "ORDER BY f.sweep_id, f.rat, f.band");
  q.bind(1, after);
  q.bind(2, through);
  struct Row {
    std::int64_t sweep;
    std::string sensor, rat, band;
    double floor;
  };
  std::vector<Row> rows;
  while (q.step()) rows.push_back(Row{q.col_int(0), q.col_text(1), q.col_text(2), q.col_text(3), q.col_opt_double(4).value_or(-200.0)});
  for (const auto& row : rows) {
    if (blamed.count({row.sweep, row.band}) || !std::isfinite(row.floor) || row.floor < -300.0) continue;
    json recent = json::array();
    std::int64_t count = 0;
    {
      Stmt g(store, "SELECT recent, n FROM learned_band_floors WHERE sensor_id = ? AND rat = ? AND band = ?");
      g.bind(1, row.sensor);
      g.bind(2, row.rat);
      g.bind(3, row.band);
      if (g.step()) {
        recent = json::parse(g.col_text(0), nullptr, false);
        if (!recent.is_array()) recent = json::array();
        count = g.col_int(1);
      }
    }
    recent.push_back(std::round(row.floor * 10.0) / 10.0);
    while (recent.size() > kRecentFloors) recent.erase(recent.begin());
    Stmt w(store,
           "INSERT INTO learned_band_floors(sensor_id, rat, band, recent, n, last_sweep_id) VALUES(?,?,?,?,?,?) "
           "ON CONFLICT (sensor_id, rat, band) DO UPDATE SET recent = excluded.recent, n = excluded.n, "
           "last_sweep_id = excluded.last_sweep_id");
    w.bind(1, row.sensor);
    w.bind(2, row.rat);
    w.bind(3, row.band);
    w.bind(4, recent.dump());
    w.bind(5, count + 1);
    w.bind(6, row.sweep);
    w.run();
    ++n;
  }
  return n;
}
}  // namespace

void fold_observation(KnownCell& k, const CellObservation& o) {
  if (k.n_observations == 0) {
    k.rat = o.rat;
    k.mcc = o.mcc;
    k.mnc = o.mnc;
    if (o.lac) k.lac = *o.lac;
    if (o.ci) k.ci = *o.ci;
    k.arfcn = o.arfcn;
  }
  if (o.bsic) k.bsic = o.bsic;
  ++k.n_observations;
  k.power_dbfs.add(o.power_dbfs);
  if (o.power_dbm) k.power_dbm.add(*o.power_dbm);
  if (o.cfo_residual_ppb) k.cfo_residual_ppb.add(*o.cfo_residual_ppb);
  if (!k.first_seen_ms || o.time_unix_ms < *k.first_seen_ms) k.first_seen_ms = o.time_unix_ms;
  if (!k.last_seen_ms || o.time_unix_ms > *k.last_seen_ms) k.last_seen_ms = o.time_unix_ms;
  if (o.lat && o.lon) {
    ++k.n_positions;
    const double n = static_cast<double>(k.n_positions);
    k.lat = k.lat.value_or(0.0) + (*o.lat - k.lat.value_or(0.0)) / n;
    k.lon = k.lon.value_or(0.0) + (*o.lon - k.lon.value_or(0.0)) / n;
  }
  if (!k.params_seen.is_object()) k.params_seen = json::object();
  auto note = [&](const std::string& name, const json& value) {
    json& seen = k.params_seen[name];
    if (!seen.is_array()) seen = json::array();
    for (const auto& v : seen)
      if (v == value) return;
    if (seen.size() < KnownCell::kMaxValuesPerParam) seen.push_back(value);
  };
  const bool nr = o.rat == "NR";
  if (o.params.is_object())
    for (auto it = o.params.begin(); it != o.params.end(); ++it)
      if (!is_measurement(it.key()) && !(nr && is_nr_clock(it.key()))) note(it.key(), it.value());
  // NR: each MIB field but the SFN on its own ("mib.cell_barred", ...; TS 38.331 6.2.2), so that the values
  // seen are the cell's configuration, not one entry per frame number (rule N1 compares them).
  if (nr && o.params.is_object() && o.params.contains("mib") && o.params["mib"].is_object())
    for (auto it = o.params["mib"].begin(); it != o.params["mib"].end(); ++it)
      if (it.key() != "sfn") note("mib." + it.key(), it.value());
  if (!o.si_seen.empty()) note("si_seen", json(o.si_seen));
  fold_extra(k.extra, o);
}

nlohmann::json known_cell_json(const KnownCell& k) {
  auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
  auto stats = [](const RunningStats& s) {
    if (s.count == 0) return json(nullptr);
    return json{{"n", s.count}, {"mean", s.mean}, {"stddev", s.stddev()}, {"min", s.min}, {"max", s.max}};
  };
  return json{{"type", "known_cell"},
              {"key", k.key},
              {"source", k.source},
              {"rat", k.rat},
              {"mcc", opt(k.mcc)},
              {"mnc", opt(k.mnc)},
              {"lac", opt(k.lac)},
              {"ci", opt(k.ci)},
              {"arfcn", k.arfcn >= 0 ? json(k.arfcn) : json(nullptr)},
              {"bsic", opt(k.bsic)},
              {"observations", k.n_observations},
              {"power_dbfs", stats(k.power_dbfs)},
              {"power_dbm", stats(k.power_dbm)},
              {"cfo_residual_ppb", stats(k.cfo_residual_ppb)},
              {"first_seen_ms", opt(k.first_seen_ms)},
              {"last_seen_ms", opt(k.last_seen_ms)},
              {"lat", opt(k.lat)},
              {"lon", opt(k.lon)},
              {"params_seen", k.params_seen},
              {"extra", k.extra}};
}

LearnReport learn_baseline(Store& store, const LearnOptions& options) {
  LearnReport r;
  Store::Transaction t(store);
  if (options.rebuild) {
    store.delete_known_cells("learned");
    Stmt(store, "DELETE FROM learned_band_floors").run();
    store.set_meta(kWatermark, "0");
  }
  const std::int64_t after = learned_watermark(store);
  std::set<std::pair<std::int64_t, std::string>> alerted;
  if (options.skip_alerted)
    for (const auto& a : store.alerts())
      if (a.sweep_id > after) alerted.insert({a.sweep_id, a.cell_key});

  std::map<std::string, KnownCell> cells;  // touched cells, loaded lazily
  std::set<std::string> fresh;
  std::int64_t last_sweep = after;
  store.for_each_observation(after, [&](std::int64_t sweep_id, const CellObservation& o) {
    if (sweep_id != last_sweep) {
      ++r.sweeps;
      last_sweep = sweep_id;
    }
    const std::string key = cell_key(o);
    if (alerted.count({sweep_id, key})) return;
    auto it = cells.find(key);
    if (it == cells.end()) {
      auto existing = store.known_cell(key, "learned");
      if (!existing) {
        existing = KnownCell{};
        existing->key = key;
        existing->source = "learned";
        fresh.insert(key);
      }
      it = cells.emplace(key, std::move(*existing)).first;
    }
    fold_observation(it->second, o);
    ++r.observations;
  });
  // The watermark also moves past completed sweeps without observations.
  for (const auto& s : store.sweeps())
    if (s.completed && s.id > last_sweep) last_sweep = s.id;
  r.band_floors = learn_band_floors(store, after, last_sweep, options.skip_alerted);
  for (const auto& [key, cell] : cells) store.put_known_cell(cell);
  store.set_meta(kWatermark, std::to_string(last_sweep));
  t.commit();
  r.cells_new = static_cast<std::int64_t>(fresh.size());
  r.cells_updated = static_cast<std::int64_t>(cells.size()) - r.cells_new;
  r.learned_through_sweep = last_sweep;
  return r;
}

// ---------------------------------------------------------------------------------------------------------
// OpenCellID CSV
namespace {

constexpr std::size_t kMaxLine = 1024;  // a real row is < 150 bytes
constexpr std::size_t kMaxReported = 10;

// Splits one CSV line (RFC 4180 quoting accepted). false: unterminated quote or junk after a closing quote.
bool split_csv(std::string_view line, std::vector<std::string>& out) {
  out.clear();
  std::string f;
  std::size_t i = 0;
  for (;;) {
    f.clear();
    if (i < line.size() && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            f += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        f += line[i++];
      }
      if (!closed) return false;
      if (i < line.size() && line[i] != ',') return false;
    } else {
      while (i < line.size() && line[i] != ',') f += line[i++];
    }
    out.push_back(f);
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

template <class T>
std::optional<T> number(const std::string& s) {
  T v{};
  if (s.empty()) return std::nullopt;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (*b == '+') {
    if (s.size() == 1 || b[1] == '-') return std::nullopt;  // "+" alone or "+-5": not a number
    ++b;
  }
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e) return std::nullopt;
  if constexpr (std::is_floating_point_v<T>)
    if (!std::isfinite(v)) return std::nullopt;
  return v;
}

struct RowError {
  std::string reason;
};

// One data row → a known cell; throws RowError with the reason.
KnownCell parse_row(const std::vector<std::string>& f) {
  if (f.size() != 14) throw RowError{"expected 14 columns, found " + std::to_string(f.size())};
  const std::string& radio = f[0];
  std::int64_t ci_max = 0;
  if (radio == "GSM")
    ci_max = 65535;  // TS 23.003 4.3.1: CI 16 bits
  else if (radio == "UMTS" || radio == "LTE")
    ci_max = 268435455;  // 28-bit UTRAN cell id / E-UTRAN cell identity
  else if (radio == "NR")
    ci_max = 68719476735LL;  // 36-bit NR cell identity
  else
    throw RowError{"unsupported radio '" + radio.substr(0, 16) + "'"};
  auto need_int = [&](int col, const char* name, std::int64_t lo, std::int64_t hi) {
    auto v = number<std::int64_t>(f[static_cast<std::size_t>(col)]);
    if (!v) throw RowError{std::string(name) + " is not an integer"};
    if (*v < lo || *v > hi)
      throw RowError{std::string(name) + " = " + std::to_string(*v) + " is outside " + std::to_string(lo) + ".." +
                     std::to_string(hi)};
    return *v;
  };
  auto need_double = [&](int col, const char* name, double lo, double hi) {
    auto v = number<double>(f[static_cast<std::size_t>(col)]);
    if (!v) throw RowError{std::string(name) + " is not a number"};
    if (*v < lo || *v > hi) throw RowError{std::string(name) + " is out of range"};
    return *v;
  };
  KnownCell k;
  k.source = "opencellid";
  k.rat = radio;
  k.mcc = static_cast<int>(need_int(1, "mcc", 0, 999));
  // OpenCellID gives the MNC as a number: 2 vs 3 digits is lost; kept as 2 digits below 100 (most networks).
  const auto net = need_int(2, "net", 0, 999);
  k.mnc = net < 10 ? "0" + std::to_string(net) : std::to_string(net);
  k.lac = need_int(3, "area", 0, radio == "NR" ? 16777215 : 65535);
  k.ci = need_int(4, "cell", 0, ci_max);
  k.lon = need_double(6, "lon", -180.0, 180.0);
  k.lat = need_double(7, "lat", -90.0, 90.0);
  k.n_positions = 1;
  const auto range = need_int(8, "range", 0, 100000000);
  const auto samples = need_int(9, "samples", 0, 1000000000000LL);
  const auto changeable = need_int(10, "changeable", 0, 1);
  const auto created = need_int(11, "created", 0, 32503680000LL);  // unix seconds, before year 3000
  const auto updated = need_int(12, "updated", 0, 32503680000LL);
  const auto avg = need_int(13, "averageSignal", -200, 200);
  std::int64_t unit = 0;
  if (!f[5].empty()) unit = need_int(5, "unit", 0, 1000000);
  k.first_seen_ms = created * 1000;
  k.last_seen_ms = updated * 1000;
  k.extra = {{"range_m", range},           {"samples", samples}, {"changeable", changeable != 0},
             {"average_signal_dbm", avg},  {"unit", unit}};
  k.key = cell_key(k.rat, k.mcc, k.mnc, k.lac, k.ci, -1);
  return k;
}

}  // namespace

std::optional<KnownCell> parse_opencellid_line(std::string_view line, std::string& why) {
  thread_local std::vector<std::string> fields;
  if (line.find('\0') != std::string_view::npos) {
    why = "contains a NUL byte";
  } else if (!split_csv(line, fields)) {
    why = "malformed quoting";
  } else {
    try {
      return parse_row(fields);
    } catch (const RowError& e) {
      why = e.reason;
    }
  }
  return std::nullopt;
}

ImportReport import_opencellid(Store& store, const std::filesystem::path& csv, std::int64_t batch_rows) {
  std::ifstream in(csv, std::ios::binary);
  if (!in) throw InputError(csv.string() + ": cannot open the OpenCellID file");
  if (batch_rows < 1) batch_rows = 1;
  ImportReport r;
  std::vector<char> buf(kMaxLine + 2);
  std::int64_t line_no = 0, in_batch = 0;
  auto tx = std::make_unique<Store::Transaction>(store);
  auto bad = [&](const std::string& reason) {
    ++r.bad;
    if (r.first_errors.size() < kMaxReported) {
      std::string msg = csv.string() + ": row " + std::to_string(line_no) + ": " + reason;
      log::warn(msg);
      r.first_errors.push_back(std::move(msg));
    }
  };
  for (;;) {
    in.getline(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::size_t n = static_cast<std::size_t>(in.gcount());  // counts an extracted '\n'
    const bool at_eof = in.eof();
    bool too_long = false;
    if (in.fail()) {
      if (at_eof) break;  // nothing left
      too_long = true;    // buf.size()-1 bytes and no end of line yet: skip the rest of the line
      in.clear();
      in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    }
    ++line_no;
    std::string_view line(buf.data(), too_long ? 0 : (at_eof ? n : n - 1));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool header = line_no == 1 && line.substr(0, 6) == "radio,";
    if (!header && !(line.empty() && !too_long)) {
      ++r.rows;
      std::string why;
      std::optional<KnownCell> cell;
      if (too_long) {
        bad("line longer than " + std::to_string(kMaxLine) + " bytes");
      } else if (!(cell = parse_opencellid_line(line, why))) {
        bad(why);
      } else {
        store.put_known_cell(*cell);
        ++r.imported;
        if (++in_batch >= batch_rows) {
          tx->commit();
          tx = std::make_unique<Store::Transaction>(store);
          in_batch = 0;
        }
      }
    }
    if (in.eof()) break;
  }
  if (in.bad()) throw RuntimeFailure(csv.string() + ": read error");
  tx->commit();
  return r;
}

}  // namespace tw::store

namespace tw::store {
std::int64_t learned_watermark(Store& store) {
  std::int64_t w = 0;
  if (auto m = store.meta(kLearnedThroughSweepMeta)) {
    auto [p, ec] = std::from_chars(m->data(), m->data() + m->size(), w);
    if (ec != std::errc() || p != m->data() + m->size())
      throw RuntimeFailure(store.name() + ": meta '" + kLearnedThroughSweepMeta + "' is not an integer");
  }
  return w;
}
}  // namespace tw::store
