#include "src/store/store.hpp"

#include <cmath>
#include <limits>
#include <cstdlib>

#include "src/core/error.hpp"
#include "src/store/stmt.hpp"

namespace tw::store {

namespace {
using nlohmann::json;


// INSERT of every column, or UPDATE of the row with the same `key_columns` (both backends' upsert syntax).
std::string upsert_sql(const char* table, const std::string& columns, const std::string& key_columns) {
  std::string placeholders, updates;
  std::size_t pos = 0;
  while (pos < columns.size()) {
    std::size_t end = columns.find(',', pos);
    if (end == std::string::npos) end = columns.size();
    std::string col = columns.substr(pos, end - pos);
    col.erase(0, col.find_first_not_of(' '));
    col.erase(col.find_last_not_of(' ') + 1);
    placeholders += placeholders.empty() ? "?" : ",?";
    if ((", " + key_columns + ",").find(", " + col + ",") == std::string::npos)
      updates += (updates.empty() ? "" : ", ") + col + " = excluded." + col;
    pos = end + 1;
  }
  return std::string("INSERT INTO ") + table + "(" + columns + ") VALUES(" + placeholders + ") ON CONFLICT (" +
         key_columns + ") DO UPDATE SET " + updates;
}


std::string where(std::size_t cell_index, const char* field) {
  return "sweep cell " + std::to_string(cell_index) + ": field '" + field + "'";
}

void check_finite(double v, std::size_t i, const char* field) {
  if (!std::isfinite(v)) throw InputError(where(i, field) + " is not a finite number");
}
void check_finite(const std::optional<double>& v, std::size_t i, const char* field) {
  if (v) check_finite(*v, i, field);
}
void check_range(const std::optional<int>& v, int lo, int hi, std::size_t i, const char* field) {
  if (v && (*v < lo || *v > hi))
    throw InputError(where(i, field) + " = " + std::to_string(*v) + " is outside " + std::to_string(lo) + ".." +
                     std::to_string(hi));
}

// Range checks of one observation (TS 23.003: MCC/MNC 3 digits, LAC 16 bits; CI 16 bits in GSM, 28 in LTE).
void validate(const CellObservation& o, std::size_t i) {
  check_finite(o.power_dbfs, i, "power_dbfs");
  check_finite(o.power_dbm, i, "power_dbm");
  check_finite(o.snr_db, i, "snr_db");
  check_finite(o.cfo_hz, i, "cfo_hz");
  check_finite(o.cfo_residual_ppb, i, "cfo_residual_ppb");
  check_finite(o.freq_hz, i, "freq_hz");
  check_finite(o.lat, i, "lat");
  check_finite(o.lon, i, "lon");
  if (o.lat && std::fabs(*o.lat) > 90.0) throw InputError(where(i, "lat") + " is outside -90..90");
  if (o.lon && std::fabs(*o.lon) > 180.0) throw InputError(where(i, "lon") + " is outside -180..180");
  check_finite(o.eph_m, i, "eph");
  if (o.eph_m && *o.eph_m < 0) throw InputError(where(i, "eph") + " is negative");
  const auto mode = fix_mode_from_name(o.fix_mode);
  if (!mode) throw InputError(where(i, "fix_mode") + " is not none, 2d or 3d");
  // A fix needs its position. (A position with fix_mode none is one set by other means than a position
  // source, as callers did before schema v3: kept as given.)
  if (*mode != FixMode::none && !(o.lat && o.lon))
    throw InputError(where(i, "fix_mode") + " = " + o.fix_mode + " without lat/lon");
  if (o.rat.empty()) throw InputError(where(i, "rat") + " is empty");
  check_range(o.mcc, 0, 999, i, "mcc");
  check_range(o.lac, 0, 65535, i, "lac");
  check_range(o.ci, 0, o.rat == "GSM" ? 65535 : 268435455, i, "ci");
  check_range(o.bsic, 0, 63, i, "bsic");
  if (o.arfcn < -1) throw InputError(where(i, "arfcn") + " is negative");
  if (o.mnc && (o.mnc->size() < 2 || o.mnc->size() > 3 ||
                o.mnc->find_first_not_of("0123456789") != std::string::npos))
    throw InputError(where(i, "mnc") + " is not 2 or 3 decimal digits");
}

void bind_stats(Stmt& s, int first, const RunningStats& st) {
  s.bind(first, st.count);
  if (st.count > 0) {
    s.bind(first + 1, st.mean);
    s.bind(first + 2, st.m2);
    s.bind(first + 3, st.min);
    s.bind(first + 4, st.max);
  } else {
    for (int k = 1; k <= 4; ++k) s.bind_null(first + k);
  }
}
RunningStats read_stats(Stmt& s, int first) {
  RunningStats st;
  st.count = s.col_int(first);
  if (st.count > 0) {
    st.mean = s.col_double(first + 1);
    st.m2 = s.col_double(first + 2);
    st.min = s.col_double(first + 3);
    st.max = s.col_double(first + 4);
  }
  return st;
}

json parse_stored(Store& st, const std::string& text, const char* column) {
  try {
    return json::parse(text);
  } catch (const json::exception&) {
    throw RuntimeFailure(st.name() + ": column '" + column + "' holds invalid JSON");
  }
}

const char* kObservationColumns =
    "time_unix_ms, sensor_id, lat, lon, rat, arfcn, band, freq_hz, mcc, mnc, lac, ci, bsic, power_dbfs, "
    "power_dbm, snr_db, cfo_hz, cfo_residual_ppb, si_seen, params, fix_mode, eph, fix_time";

CellObservation read_observation(Store& st, Stmt& s, int c) {
  CellObservation o;
  o.time_unix_ms = s.col_int(c + 0);
  o.sensor_id = s.col_text(c + 1);
  o.lat = s.col_opt_double(c + 2);
  o.lon = s.col_opt_double(c + 3);
  o.rat = s.col_text(c + 4);
  o.arfcn = static_cast<int>(s.col_int(c + 5));
  o.band = s.col_text(c + 6);
  o.freq_hz = s.col_opt_double(c + 7);
  if (auto v = s.col_opt_int(c + 8)) o.mcc = static_cast<int>(*v);
  o.mnc = s.col_opt_text(c + 9);
  if (auto v = s.col_opt_int(c + 10)) o.lac = static_cast<int>(*v);
  if (auto v = s.col_opt_int(c + 11)) o.ci = static_cast<int>(*v);
  if (auto v = s.col_opt_int(c + 12)) o.bsic = static_cast<int>(*v);
  o.power_dbfs = s.col_double(c + 13);
  o.power_dbm = s.col_opt_double(c + 14);
  o.snr_db = s.col_double(c + 15);
  o.cfo_hz = s.col_double(c + 16);
  o.cfo_residual_ppb = s.col_opt_double(c + 17);
  json si = parse_stored(st, s.col_text(c + 18), "si_seen");
  for (const auto& v : si)
    if (v.is_string()) o.si_seen.push_back(v.get<std::string>());
  o.params = parse_stored(st, s.col_text(c + 19), "params");
  o.fix_mode = s.col_text(c + 20);
  o.eph_m = s.col_opt_double(c + 21);
  o.fix_time_unix_ms = s.col_opt_int(c + 22);
  return o;
}

// Binds parameters 2..24 of an observation INSERT (kObservationColumns) and 1 = the sweep id.
void bind_observation(Stmt& obs, std::int64_t id, const CellObservation& o) {
  obs.bind(1, id);
  obs.bind(2, o.time_unix_ms);
  obs.bind(3, o.sensor_id);
  obs.bind(4, o.lat);
  obs.bind(5, o.lon);
  obs.bind(6, o.rat);
  obs.bind(7, static_cast<std::int64_t>(o.arfcn));
  obs.bind(8, o.band);
  obs.bind(9, o.freq_hz);
  obs.bind(10, o.mcc);
  obs.bind(11, o.mnc);
  obs.bind(12, o.lac);
  obs.bind(13, o.ci);
  obs.bind(14, o.bsic);
  obs.bind(15, o.power_dbfs);
  obs.bind(16, o.power_dbm);
  obs.bind(17, o.snr_db);
  obs.bind(18, o.cfo_hz);
  obs.bind(19, o.cfo_residual_ppb);
  obs.bind(20, json_text(json(o.si_seen)));
  obs.bind(21, json_text(o.params));
  obs.bind(22, o.fix_mode);
  obs.bind(23, o.eph_m);
  obs.bind(24, o.fix_time_unix_ms);
}

}  // namespace

void RunningStats::add(double x) {
  ++count;
  const double delta = x - mean;
  mean += delta / static_cast<double>(count);
  m2 += delta * (x - mean);
  if (x < min) min = x;
  if (x > max) max = x;
}
double RunningStats::variance() const { return count > 1 ? m2 / static_cast<double>(count - 1) : 0.0; }
double RunningStats::stddev() const { return std::sqrt(variance()); }

std::string cell_key(const std::string& rat, std::optional<int> mcc, const std::optional<std::string>& mnc,
                     std::optional<std::int64_t> lac, std::optional<std::int64_t> ci, int arfcn) {
  auto n = [](auto v) { return v ? std::to_string(*v) : std::string("?"); };
  return rat + ":" + n(mcc) + "-" + (mnc ? *mnc : std::string("?")) + "-" + n(lac) + "-" + n(ci) + "@" +
         (arfcn >= 0 ? std::to_string(arfcn) : std::string("?"));
}
std::string cell_key(const CellObservation& o) {
  // NR (MIB only, no global identity): the PCI at the GSCN, in the identity's last place: "NR:?-?-?-500@4604".
  if (o.rat == "NR" && o.params.is_object() && o.params.contains("pci") && o.params["pci"].is_number_integer())
    return cell_key(o.rat, o.mcc, o.mnc, std::nullopt, o.params["pci"].get<std::int64_t>(), o.arfcn);
  return cell_key(o.rat, o.mcc, o.mnc, o.lac ? std::optional<std::int64_t>(*o.lac) : std::nullopt,
                  o.ci ? std::optional<std::int64_t>(*o.ci) : std::nullopt, o.arfcn);
}

// ---------------------------------------------------------------------------------------------------------
std::int64_t Store::store_sweep(const SweepObservations& sweep, const std::string& source) {
  Transaction t(*this);
  std::optional<double> lat, lon;
  if (!sweep.cells.empty()) {
    lat = sweep.cells.front().lat;
    lon = sweep.cells.front().lon;
  }
  Stmt ins(*this,
           "INSERT INTO sweeps(time_unix_ms, sensor_id, lat, lon, source, completed) VALUES(?,?,?,?,?,0) RETURNING id");
  ins.bind(1, sweep.time_unix_ms);
  ins.bind(2, sweep.sensor_id);
  ins.bind(3, lat);
  ins.bind(4, lon);
  ins.bind(5, source);
  if (!ins.step()) fail("the new sweep's id was not returned");
  const std::int64_t id = ins.col_int(0);
  ins.reset();

  Stmt obs(*this, std::string("INSERT INTO observations(sweep_id, ") + kObservationColumns +
                      ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  for (std::size_t i = 0; i < sweep.cells.size(); ++i) {
    validate(sweep.cells[i], i);
    obs.reset();
    bind_observation(obs, id, sweep.cells[i]);
    obs.run();
  }
  Stmt tr(*this, "INSERT INTO track(sweep_id, t, lat, lon, alt, fix_mode, eph) VALUES(?,?,?,?,?,?,?)");
  for (const Fix& f : sweep.track) {
    const bool pos = f.has_position() && std::isfinite(*f.lat) && std::isfinite(*f.lon) && std::fabs(*f.lat) <= 90 &&
                     std::fabs(*f.lon) <= 180;
    tr.reset();
    tr.bind(1, id);
    tr.bind(2, f.time_unix_ms);
    tr.bind(3, pos ? f.lat : std::nullopt);
    tr.bind(4, pos ? f.lon : std::nullopt);
    tr.bind(5, pos && f.alt_m && std::isfinite(*f.alt_m) ? f.alt_m : std::nullopt);
    tr.bind(6, std::string(fix_mode_name(pos ? f.mode : FixMode::none)));
    tr.bind(7, pos && f.eph_m && std::isfinite(*f.eph_m) ? f.eph_m : std::nullopt);
    tr.run();
  }
  Stmt fl(*this,
          "INSERT INTO sweep_band_floors(sweep_id, rat, band, floor_dbfs_per_mhz, tunings) VALUES(?,?,?,?,?) "
          "ON CONFLICT (sweep_id, rat, band) DO UPDATE SET floor_dbfs_per_mhz = excluded.floor_dbfs_per_mhz, "
          "tunings = excluded.tunings");
  for (const auto& f : sweep.band_floors) {
    if (!std::isfinite(f.noise_floor_dbfs_per_mhz) || f.noise_floor_dbfs_per_mhz < -300.0 || f.noise_floor_dbfs_per_mhz > 100.0)
      throw InputError("sweep band floor '" + f.band + "': field 'noise_floor_dbfs_per_mhz' is not a level in dBFS/MHz");
    fl.reset();
    fl.bind(1, id);
    fl.bind(2, f.rat);
    fl.bind(3, f.band);
    fl.bind(4, f.noise_floor_dbfs_per_mhz);
    fl.bind(5, static_cast<std::int64_t>(f.tunings));
    fl.run();
  }
  Stmt done(*this, "UPDATE sweeps SET n_cells = ?, completed = 1 WHERE id = ?");
  done.bind(1, static_cast<std::int64_t>(sweep.cells.size()));
  done.bind(2, id);
  done.run();
  t.commit();
  return id;
}

std::vector<Fix> Store::track(std::int64_t sweep_id) {
  // Ties in time keep their insertion order (SQLite: rowid; PostgreSQL: the identity column id).
  Stmt s(*this, dialect() == Dialect::sqlite
                    ? "SELECT t, lat, lon, alt, fix_mode, eph FROM track WHERE sweep_id = ? ORDER BY t, rowid"
                    : "SELECT t, lat, lon, alt, fix_mode, eph FROM track WHERE sweep_id = ? ORDER BY t, id");
  s.bind(1, sweep_id);
  std::vector<Fix> out;
  while (s.step()) {
    Fix f;
    f.time_unix_ms = s.col_int(0);
    f.lat = s.col_opt_double(1);
    f.lon = s.col_opt_double(2);
    f.alt_m = s.col_opt_double(3);
    f.mode = fix_mode_from_name(s.col_text(4)).value_or(FixMode::none);
    f.eph_m = s.col_opt_double(5);
    out.push_back(f);
  }
  return out;
}

std::vector<SweepInfo> Store::sweeps() {
  Stmt s(*this, "SELECT id, time_unix_ms, sensor_id, lat, lon, source, n_cells, completed FROM sweeps ORDER BY id");
  std::vector<SweepInfo> out;
  while (s.step()) {
    SweepInfo w;
    w.id = s.col_int(0);
    w.time_unix_ms = s.col_int(1);
    w.sensor_id = s.col_text(2);
    w.lat = s.col_opt_double(3);
    w.lon = s.col_opt_double(4);
    w.source = s.col_text(5);
    w.n_cells = s.col_int(6);
    w.completed = s.col_int(7) != 0;
    out.push_back(std::move(w));
  }
  return out;
}

SweepObservations Store::load_sweep(std::int64_t sweep_id) {
  Stmt h(*this, "SELECT time_unix_ms, sensor_id FROM sweeps WHERE id = ?");
  h.bind(1, sweep_id);
  if (!h.step()) throw InputError(name() + ": no sweep with id " + std::to_string(sweep_id));
  SweepObservations out;
  out.time_unix_ms = h.col_int(0);
  out.sensor_id = h.col_text(1);
  Stmt s(*this, std::string("SELECT ") + kObservationColumns + " FROM observations WHERE sweep_id = ? ORDER BY id");
  s.bind(1, sweep_id);
  while (s.step()) out.cells.push_back(read_observation(*this, s, 0));
  Stmt f(*this, "SELECT rat, band, floor_dbfs_per_mhz, tunings FROM sweep_band_floors WHERE sweep_id = ? ORDER BY rat, band");
  f.bind(1, sweep_id);
  while (f.step()) {
    BandFloor b;
    b.rat = f.col_text(0);
    b.band = f.col_text(1);
    b.noise_floor_dbfs_per_mhz = f.col_opt_double(2).value_or(-200.0);
    b.tunings = static_cast<int>(f.col_int(3));
    out.band_floors.push_back(std::move(b));
  }
  return out;
}

void Store::for_each_observation(std::int64_t after_sweep_id,
                                 const std::function<void(std::int64_t, const CellObservation&)>& fn) {
  // In pages of (sweep_id, id) order: PostgreSQL hands over a statement's whole result at once, and a
  // fleet's observations need not fit in memory. Each page is read whole before fn sees its rows (fn may
  // use the store).
  constexpr std::int64_t kPage = 20000;
  static const std::string sql = std::string("SELECT o.sweep_id, o.id, ") + kObservationColumns +
                                 " FROM observations o WHERE (o.sweep_id > ?1 OR (o.sweep_id = ?1 AND o.id > ?2))"
                                 " AND o.sweep_id IN (SELECT id FROM sweeps WHERE completed = 1)"
                                 " ORDER BY o.sweep_id, o.id LIMIT ?3";
  std::int64_t last_sweep = after_sweep_id, last_id = std::numeric_limits<std::int64_t>::max();
  std::vector<std::pair<std::int64_t, CellObservation>> page;
  for (;;) {
    page.clear();
    {
      Stmt s(*this, sql);
      s.bind(1, last_sweep);
      s.bind(2, last_id);
      s.bind(3, kPage);
      while (s.step()) {
        last_sweep = s.col_int(0);
        last_id = s.col_int(1);
        page.emplace_back(last_sweep, read_observation(*this, s, 2));
      }
    }
    for (const auto& [sid, o] : page) fn(sid, o);
    if (static_cast<std::int64_t>(page.size()) < kPage) return;
  }
}

// ---------------------------------------------------------------------------------------------------------
namespace {
const char* kKnownColumns =
    "cell_key, source, rat, mcc, mnc, lac, ci, arfcn, bsic, params_seen, "
    "power_n, power_mean, power_m2, power_min, power_max, dbm_n, dbm_mean, dbm_m2, dbm_min, dbm_max, "
    "cfo_n, cfo_mean, cfo_m2, cfo_min, cfo_max, n_observations, first_seen_ms, last_seen_ms, lat, lon, "
    "n_positions, extra";

KnownCell read_known(Store& st, Stmt& s) {
  KnownCell k;
  k.key = s.col_text(0);
  k.source = s.col_text(1);
  k.rat = s.col_text(2);
  if (auto v = s.col_opt_int(3)) k.mcc = static_cast<int>(*v);
  k.mnc = s.col_opt_text(4);
  k.lac = s.col_opt_int(5);
  k.ci = s.col_opt_int(6);
  k.arfcn = static_cast<int>(s.col_int(7));
  if (auto v = s.col_opt_int(8)) k.bsic = static_cast<int>(*v);
  k.params_seen = parse_stored(st, s.col_text(9), "params_seen");
  k.power_dbfs = read_stats(s, 10);
  k.power_dbm = read_stats(s, 15);
  k.cfo_residual_ppb = read_stats(s, 20);
  k.n_observations = s.col_int(25);
  k.first_seen_ms = s.col_opt_int(26);
  k.last_seen_ms = s.col_opt_int(27);
  k.lat = s.col_opt_double(28);
  k.lon = s.col_opt_double(29);
  k.n_positions = s.col_int(30);
  k.extra = parse_stored(st, s.col_text(31), "extra");
  return k;
}
}  // namespace

std::vector<KnownCell> Store::known_cells(const std::string& source) {
  Stmt s(*this, std::string("SELECT ") + kKnownColumns +
                    " FROM known_cells WHERE (?1 = '' OR source = ?1) ORDER BY source, cell_key");
  s.bind(1, source);
  std::vector<KnownCell> out;
  while (s.step()) out.push_back(read_known(*this, s));
  return out;
}

std::optional<KnownCell> Store::known_cell(const std::string& key, const std::string& source) {
  Stmt s(*this, std::string("SELECT ") + kKnownColumns + " FROM known_cells WHERE cell_key = ? AND source = ?");
  s.bind(1, key);
  s.bind(2, source);
  if (!s.step()) return std::nullopt;
  return read_known(*this, s);
}

void Store::put_known_cell(const KnownCell& k) {
  if (k.source != "learned" && k.source != "opencellid")
    throw InputError("known cell " + k.key + ": source must be 'learned' or 'opencellid'");
  static const std::string sql = upsert_sql("known_cells", kKnownColumns, "cell_key, source");
  Stmt s(*this, sql);
  s.bind(1, k.key);
  s.bind(2, k.source);
  s.bind(3, k.rat);
  s.bind(4, k.mcc);
  s.bind(5, k.mnc);
  s.bind(6, k.lac);
  s.bind(7, k.ci);
  s.bind(8, static_cast<std::int64_t>(k.arfcn));
  s.bind(9, k.bsic);
  s.bind(10, json_text(k.params_seen));
  bind_stats(s, 11, k.power_dbfs);
  bind_stats(s, 16, k.power_dbm);
  bind_stats(s, 21, k.cfo_residual_ppb);
  s.bind(26, k.n_observations);
  s.bind(27, k.first_seen_ms);
  s.bind(28, k.last_seen_ms);
  s.bind(29, k.lat);
  s.bind(30, k.lon);
  s.bind(31, k.n_positions);
  s.bind(32, json_text(k.extra));
  s.run();
}

void Store::delete_known_cells(const std::string& source) {
  Stmt s(*this, "DELETE FROM known_cells WHERE source = ?");
  s.bind(1, source);
  s.run();
}

std::int64_t Store::store_alert(std::int64_t sweep_id, const std::string& key, double score, const json& reasons) {
  if (!std::isfinite(score)) throw InputError("alert for " + key + ": score is not a finite number");
  Stmt s(*this, "INSERT INTO alerts(sweep_id, cell_key, score, reasons) VALUES(?,?,?,?) RETURNING id");
  s.bind(1, sweep_id);
  s.bind(2, key);
  s.bind(3, score);
  s.bind(4, json_text(reasons));
  if (!s.step()) fail("the new alert's id was not returned");
  return s.col_int(0);
}

std::vector<AlertRecord> Store::alerts(std::optional<std::int64_t> sweep_id) {
  Stmt s(*this, "SELECT id, sweep_id, cell_key, score, reasons FROM alerts WHERE (CAST(?1 AS BIGINT) IS NULL OR sweep_id = ?1) "
         "ORDER BY id");
  s.bind(1, sweep_id);
  std::vector<AlertRecord> out;
  while (s.step()) {
    AlertRecord a;
    a.id = s.col_int(0);
    a.sweep_id = s.col_int(1);
    a.cell_key = s.col_text(2);
    a.score = s.col_double(3);
    a.reasons = parse_stored(*this, s.col_text(4), "reasons");
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<OpenFinding> Store::open_findings() {
  Stmt s(*this,
         "SELECT key, cell_key, score, rules, alert, opened_sweep_id, reported_sweep_id, last_alert_sweep_id, "
         "opened_ms, last_alert_ms, quiet_sweeps FROM monitor_findings ORDER BY key");
  std::vector<OpenFinding> out;
  while (s.step()) {
    OpenFinding f;
    f.key = s.col_text(0);
    f.cell_key = s.col_text(1);
    f.score = s.col_double(2);
    f.rules = parse_stored(*this, s.col_text(3), "rules");
    f.alert = parse_stored(*this, s.col_text(4), "alert");
    f.opened_sweep_id = s.col_int(5);
    f.reported_sweep_id = s.col_int(6);
    f.last_alert_sweep_id = s.col_int(7);
    f.opened_ms = s.col_int(8);
    f.last_alert_ms = s.col_int(9);
    f.quiet_sweeps = s.col_int(10);
    out.push_back(std::move(f));
  }
  return out;
}

void Store::put_open_finding(const OpenFinding& f) {
  if (f.key.empty()) throw InputError("open finding: empty key");
  if (!std::isfinite(f.score)) throw InputError("open finding " + f.key + ": score is not a finite number");
  if (f.quiet_sweeps < 0) throw InputError("open finding " + f.key + ": quiet_sweeps is negative");
  static const std::string sql =
      upsert_sql("monitor_findings",
                 "key, cell_key, score, rules, alert, opened_sweep_id, reported_sweep_id, last_alert_sweep_id, "
                 "opened_ms, last_alert_ms, quiet_sweeps",
                 "key");
  Stmt s(*this, sql);
  s.bind(1, f.key);
  s.bind(2, f.cell_key);
  s.bind(3, f.score);
  s.bind(4, json_text(f.rules));
  s.bind(5, json_text(f.alert));
  s.bind(6, f.opened_sweep_id);
  s.bind(7, f.reported_sweep_id);
  s.bind(8, f.last_alert_sweep_id);
  s.bind(9, f.opened_ms);
  s.bind(10, f.last_alert_ms);
  s.bind(11, f.quiet_sweeps);
  s.run();
}

void Store::delete_open_finding(const std::string& key) {
  Stmt s(*this, "DELETE FROM monitor_findings WHERE key = ?");
  s.bind(1, key);
  s.run();
}

std::optional<std::string> Store::meta(const std::string& key) {
  Stmt s(*this, "SELECT value FROM meta WHERE key = ?");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return s.col_text(0);
}
void Store::set_meta(const std::string& key, const std::string& value) {
  Stmt s(*this, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  s.bind(1, key);
  s.bind(2, value);
  s.run();
}

}  // namespace tw::store

// ---------------------------------------------------------------------------------------------------------
// A fleet's sweeps (store.hpp: RemoteSweep).
namespace tw::store {

std::int64_t Store::upsert_remote_sweep(const RemoteSweep& w) {
  Stmt s(*this,
         "INSERT INTO sweeps(time_unix_ms, sensor_id, lat, lon, source, n_cells, completed, epoch, sensor_sweep, "
         "received_ms) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) ON CONFLICT (sensor_id, epoch, sensor_sweep) DO UPDATE SET "
         "n_cells = CASE WHEN excluded.completed = 1 THEN excluded.n_cells ELSE sweeps.n_cells END, "
         "completed = CASE WHEN excluded.completed = 1 OR sweeps.completed = 1 THEN 1 ELSE 0 END RETURNING id");
  s.bind(1, w.time_unix_ms);
  s.bind(2, w.sensor_id);
  s.bind(3, w.lat);
  s.bind(4, w.lon);
  s.bind(5, w.source);
  s.bind(6, w.n_cells.value_or(0));
  s.bind(7, std::int64_t{w.n_cells ? 1 : 0});
  s.bind(8, w.epoch);
  s.bind(9, w.sensor_sweep);
  s.bind(10, w.received_ms);
  if (!s.step()) fail("the sweep's id was not returned");
  return s.col_int(0);
}

bool Store::store_remote_observation(std::int64_t sweep_id, const CellObservation& o, const std::string& msg_id,
                                     std::int64_t received_ms) {
  validate(o, 0);
  static const std::string sql = std::string("INSERT INTO observations(sweep_id, ") + kObservationColumns +
                                 ", msg_id, received_ms) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                                 "ON CONFLICT (msg_id) DO NOTHING";
  Stmt s(*this, sql);
  bind_observation(s, sweep_id, o);
  s.bind(25, msg_id);
  s.bind(26, received_ms);
  s.run();
  return s.changes() > 0;
}

bool Store::store_remote_alert(std::int64_t sweep_id, const std::string& key, double score, const json& reasons,
                               const std::string& msg_id) {
  if (!std::isfinite(score)) throw InputError("alert for " + key + ": score is not a finite number");
  Stmt s(*this,
         "INSERT INTO alerts(sweep_id, cell_key, score, reasons, msg_id) VALUES(?,?,?,?,?) ON CONFLICT (msg_id) DO NOTHING");
  s.bind(1, sweep_id);
  s.bind(2, key);
  s.bind(3, score);
  s.bind(4, json_text(reasons));
  s.bind(5, msg_id);
  s.run();
  return s.changes() > 0;
}

}  // namespace tw::store

namespace tw::store {
std::string json_text(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }
}  // namespace tw::store
