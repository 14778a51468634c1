#include "src/store/store.hpp"

#include <pwd.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>

#include "src/core/error.hpp"
#include "src/store/sqlite_stmt.hpp"

namespace tw::store {

namespace {
using nlohmann::json;

constexpr std::int64_t kApplicationId = 0x54574442;  // "TWDB"

// Ordered migrations: entry i brings the schema from version i to i+1.
const char* const kMigrations[] = {
    // 1: the first schema.
    R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE sweeps(
  id           INTEGER PRIMARY KEY,
  time_unix_ms INTEGER NOT NULL,
  sensor_id    TEXT NOT NULL,
  lat REAL, lon REAL,
  source       TEXT NOT NULL,
  n_cells      INTEGER NOT NULL DEFAULT 0,
  completed    INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1))
);
CREATE TABLE observations(
  id               INTEGER PRIMARY KEY,
  sweep_id         INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  time_unix_ms     INTEGER NOT NULL,
  sensor_id        TEXT NOT NULL,
  lat REAL, lon REAL,
  rat              TEXT NOT NULL,
  arfcn            INTEGER NOT NULL,
  band             TEXT NOT NULL,
  freq_hz          REAL,
  mcc INTEGER, mnc TEXT, lac INTEGER, ci INTEGER, bsic INTEGER,
  power_dbfs       REAL NOT NULL,
  power_dbm        REAL,
  snr_db           REAL NOT NULL,
  cfo_hz           REAL NOT NULL,
  cfo_residual_ppb REAL,
  si_seen          TEXT NOT NULL CHECK (json_valid(si_seen)),
  params           TEXT NOT NULL CHECK (json_valid(params))
);
CREATE INDEX observations_by_sweep ON observations(sweep_id);
CREATE TABLE known_cells(
  id        INTEGER PRIMARY KEY,
  cell_key  TEXT NOT NULL,
  source    TEXT NOT NULL CHECK (source IN ('learned', 'opencellid')),
  rat       TEXT NOT NULL,
  mcc INTEGER, mnc TEXT, lac INTEGER, ci INTEGER,
  arfcn     INTEGER NOT NULL DEFAULT -1,
  bsic      INTEGER,
  params_seen TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params_seen)),
  power_n INTEGER NOT NULL DEFAULT 0, power_mean REAL, power_m2 REAL, power_min REAL, power_max REAL,
  dbm_n   INTEGER NOT NULL DEFAULT 0, dbm_mean REAL,   dbm_m2 REAL,   dbm_min REAL,   dbm_max REAL,
  cfo_n   INTEGER NOT NULL DEFAULT 0, cfo_mean REAL,   cfo_m2 REAL,   cfo_min REAL,   cfo_max REAL,
  n_observations INTEGER NOT NULL DEFAULT 0,
  first_seen_ms INTEGER, last_seen_ms INTEGER,
  lat REAL, lon REAL, n_positions INTEGER NOT NULL DEFAULT 0,
  extra     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
  UNIQUE (cell_key, source)
);
CREATE INDEX known_cells_by_cgi ON known_cells(mcc, mnc, lac, ci);
CREATE TABLE alerts(
  id           INTEGER PRIMARY KEY,
  sweep_id     INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  cell_key     TEXT NOT NULL,
  score        REAL NOT NULL,
  reasons      TEXT NOT NULL CHECK (json_valid(reasons))
);
CREATE INDEX alerts_by_sweep ON alerts(sweep_id);
)sql",
    // 2: the open findings of `towerwatch monitor` (additive: no existing table changes).
    R"sql(
CREATE TABLE monitor_findings(
  key                 TEXT PRIMARY KEY,
  cell_key            TEXT NOT NULL,
  score               REAL NOT NULL,
  rules               TEXT NOT NULL CHECK (json_valid(rules)),
  alert               TEXT NOT NULL CHECK (json_valid(alert)),
  opened_sweep_id     INTEGER NOT NULL,
  reported_sweep_id   INTEGER NOT NULL,
  last_alert_sweep_id INTEGER NOT NULL,
  opened_ms           INTEGER NOT NULL,
  last_alert_ms       INTEGER NOT NULL,
  quiet_sweeps        INTEGER NOT NULL DEFAULT 0 CHECK (quiet_sweeps >= 0)
);
)sql",
    // 3 (fleet, src/store/outbox.hpp): the MQTT outbox; messages wait here, written in the sweep's own
    // transaction, until the broker (or the collector) has them. AUTOINCREMENT: a sequence number is never
    // reused, even after the rows before it were deleted (it is part of the message id).
    R"sql(
CREATE TABLE mqtt_outbox(
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  kind     TEXT NOT NULL CHECK (kind IN ('cell', 'alert', 'sweep')),
  payload  TEXT NOT NULL CHECK (json_valid(payload)),
  acked_ms INTEGER
);
)sql",
    // 4: positions (hw/position_source.hpp). Every observation keeps the fix valid at its tuning's time:
    // fix_mode 'none' with NULL lat/lon when there was none (rows older than this migration say 'none' too),
    // eph = horizontal error estimate in metres, fix_time = the receiver's time of the fix (Unix ms). The
    // track: every report received during a sweep, t = the system clock when received (Unix ms).
    R"sql(
ALTER TABLE observations ADD COLUMN fix_mode TEXT NOT NULL DEFAULT 'none' CHECK (fix_mode IN ('none', '2d', '3d'));
ALTER TABLE observations ADD COLUMN eph REAL;
ALTER TABLE observations ADD COLUMN fix_time INTEGER;
CREATE TABLE track(
  sweep_id  INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  t         INTEGER NOT NULL,
  lat REAL, lon REAL, alt REAL,
  fix_mode  TEXT NOT NULL CHECK (fix_mode IN ('none', '2d', '3d')),
  eph       REAL,
  CHECK ((fix_mode = 'none') = (lat IS NULL OR lon IS NULL))
);
CREATE INDEX track_by_sweep ON track(sweep_id, t);
)sql",
    // 5: the noise floor of each band a sweep measured (its power census) and the floors the baseline learned
    // per sensor and band (rule J1, jamming). Additive.
    R"sql(
CREATE TABLE sweep_band_floors(
  sweep_id    INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  rat         TEXT NOT NULL,
  band        TEXT NOT NULL,
  floor_dbfs_per_mhz REAL NOT NULL,
  tunings     INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (sweep_id, rat, band)
);
CREATE TABLE learned_band_floors(
  sensor_id   TEXT NOT NULL,
  rat         TEXT NOT NULL,
  band        TEXT NOT NULL,
  recent      TEXT NOT NULL CHECK (json_valid(recent)),
  n           INTEGER NOT NULL DEFAULT 0,
  last_sweep_id INTEGER NOT NULL,
  PRIMARY KEY (sensor_id, rat, band)
);
)sql",
};
constexpr int kNumMigrations = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));
static_assert(kNumMigrations == Store::kSchemaVersion, "one migration per schema version");

// JSON text for storage: invalid UTF-8 in attacker-controlled strings is replaced (U+FFFD), never fatal.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

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
    throw RuntimeFailure(st.path().string() + ": column '" + column + "' holds invalid JSON");
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

}  // namespace

// ---------------------------------------------------------------------------------------------------------
std::filesystem::path default_db_path() {
  if (const char* d = std::getenv("TW_DATA_DIR"); d && *d) return std::filesystem::path(d) / "towerwatch.db";
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x)
    return std::filesystem::path(x) / "towerwatch" / "towerwatch.db";
  std::filesystem::path home;
  if (const char* h = std::getenv("HOME"); h && *h) {
    home = h;
  } else if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir && *pw->pw_dir) {
    home = pw->pw_dir;  // an empty environment (env -i, a service without HOME): the account's home
  } else {
    throw InputError("database: neither --db, TW_DATA_DIR, XDG_DATA_HOME nor HOME is set: nowhere to keep it");
  }
  return home / ".local" / "share" / "towerwatch" / "towerwatch.db";
}

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
void Store::DbClose::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

void Store::fail(const std::string& what) {
  throw RuntimeFailure(path_.string() + ": " + what + ": " + (db_ ? sqlite3_errmsg(db_.get()) : "no database"));
}

Store::Store(const std::filesystem::path& path) : path_(path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  db_.reset(raw);  // even on failure sqlite hands back a handle to close
  if (rc != SQLITE_OK) fail("cannot open the database");
  sqlite3_extended_result_codes(db_.get(), 1);
  sqlite3_busy_timeout(db_.get(), 5000);
  // The first read of the file tells an SQLite database from anything else.
  std::int64_t app_id = 0;
  try {
    app_id = query_int("PRAGMA application_id");
  } catch (const RuntimeFailure&) {
    if ((sqlite3_errcode(db_.get()) & 0xff) == SQLITE_NOTADB)
      throw InputError(path_.string() + ": not a towerwatch database (not an SQLite file)");
    throw;
  }
  const std::int64_t version = query_int("PRAGMA user_version");
  if (app_id != 0 && app_id != kApplicationId)
    throw InputError(path_.string() + ": not a towerwatch database (an SQLite file of another application)");
  if (version == 0 && query_int("SELECT count(*) FROM sqlite_schema") > 0)
    throw InputError(path_.string() + ": not a towerwatch database (an SQLite file with other tables)");
  if (version > kSchemaVersion)
    throw RuntimeFailure(path_.string() + ": database schema version " + std::to_string(version) +
                         " is newer than this towerwatch knows (" + std::to_string(kSchemaVersion) +
                         "): use a newer towerwatch");
  const std::string mode = query_text("PRAGMA journal_mode=WAL");
  if (mode != "wal") fail("cannot switch to WAL journal mode (got '" + mode + "')");
  exec("PRAGMA synchronous=NORMAL");
  exec("PRAGMA foreign_keys=ON");
  migrate();
}

Store::~Store() {
  for (auto& [sql, c] : statements_) sqlite3_finalize(c.stmt);
}

sqlite3_stmt* Store::acquire_statement(const std::string& sql, CachedStatement*& slot) {
  auto it = statements_.find(sql);
  if (it != statements_.end() && !it->second.in_use) {
    it->second.in_use = true;
    slot = &it->second;
    return it->second.stmt;
  }
  const bool keep = it == statements_.end();
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size() + 1), keep ? SQLITE_PREPARE_PERSISTENT : 0,
                         &s, nullptr) != SQLITE_OK) {
    sqlite3_finalize(s);
    fail("cannot prepare '" + sql + "'");
  }
  slot = keep ? &statements_.emplace(sql, CachedStatement{s, true}).first->second : nullptr;
  return s;
}

void Store::release_statement(sqlite3_stmt* stmt, CachedStatement* slot) {
  if (!slot) {
    sqlite3_finalize(stmt);
    return;
  }
  sqlite3_reset(stmt);  // ends any read it holds; its error code is the last step's, reported there
  sqlite3_clear_bindings(stmt);
  slot->in_use = false;
}

void Store::migrate() {
  for (;;) {
    if (query_int("PRAGMA user_version") >= kSchemaVersion) return;  // up to date: no write lock taken
    Transaction t(*this);
    const std::int64_t v = query_int("PRAGMA user_version");  // re-read under the write lock
    if (v >= kSchemaVersion) return;
    if (sqlite3_exec(db_.get(), kMigrations[v], nullptr, nullptr, nullptr) != SQLITE_OK)
      fail("schema migration " + std::to_string(v + 1) + " failed");
    // PRAGMAs take no bound parameters; these are integers of ours, never input.
    exec("PRAGMA application_id=" + std::to_string(kApplicationId));
    exec("PRAGMA user_version=" + std::to_string(v + 1));
    t.commit();
  }
}

int Store::schema_version() { return static_cast<int>(query_int("PRAGMA user_version")); }

void Store::exec(const std::string& sql) {
  if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail("'" + sql + "'");
}
std::string Store::query_text(const std::string& sql) {
  Stmt s(*this, sql);
  if (!s.step()) fail("'" + sql + "' returned no row");
  return s.col_text(0);
}
std::int64_t Store::query_int(const std::string& sql) {
  Stmt s(*this, sql);
  if (!s.step()) fail("'" + sql + "' returned no row");
  return s.col_int(0);
}

Store::Transaction::Transaction(Store& s) : s_(s) {
  nested_ = sqlite3_get_autocommit(s_.db_.get()) == 0;  // a transaction is open already
  s_.exec(nested_ ? "SAVEPOINT tw_nested" : "BEGIN IMMEDIATE");
}
Store::Transaction::~Transaction() {
  if (done_) return;
  if (nested_) {
    sqlite3_exec(s_.db_.get(), "ROLLBACK TO tw_nested", nullptr, nullptr, nullptr);
    sqlite3_exec(s_.db_.get(), "RELEASE tw_nested", nullptr, nullptr, nullptr);
  } else {
    sqlite3_exec(s_.db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}
void Store::Transaction::commit() {
  s_.exec(nested_ ? "RELEASE tw_nested" : "COMMIT");
  done_ = true;
}

// ---------------------------------------------------------------------------------------------------------
std::int64_t Store::store_sweep(const SweepObservations& sweep, const std::string& source) {
  Transaction t(*this);
  std::optional<double> lat, lon;
  if (!sweep.cells.empty()) {
    lat = sweep.cells.front().lat;
    lon = sweep.cells.front().lon;
  }
  Stmt ins(*this, "INSERT INTO sweeps(time_unix_ms, sensor_id, lat, lon, source, completed) VALUES(?,?,?,?,?,0)");
  ins.bind(1, sweep.time_unix_ms);
  ins.bind(2, sweep.sensor_id);
  ins.bind(3, lat);
  ins.bind(4, lon);
  ins.bind(5, source);
  ins.run();
  const std::int64_t id = sqlite3_last_insert_rowid(db_.get());

  Stmt obs(*this, std::string("INSERT INTO observations(sweep_id, ") + kObservationColumns +
                      ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  for (std::size_t i = 0; i < sweep.cells.size(); ++i) {
    const CellObservation& o = sweep.cells[i];
    validate(o, i);
    obs.reset();
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
    obs.bind(20, dump(json(o.si_seen)));
    obs.bind(21, dump(o.params));
    obs.bind(22, o.fix_mode);
    obs.bind(23, o.eph_m);
    obs.bind(24, o.fix_time_unix_ms);
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
  Stmt fl(*this, "INSERT OR REPLACE INTO sweep_band_floors(sweep_id, rat, band, floor_dbfs_per_mhz, tunings) VALUES(?,?,?,?,?)");
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
  Stmt s(*this, "SELECT t, lat, lon, alt, fix_mode, eph FROM track WHERE sweep_id = ? ORDER BY t, rowid");
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
  if (!h.step()) throw InputError(path_.string() + ": no sweep with id " + std::to_string(sweep_id));
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
  Stmt s(*this, std::string("SELECT sweep_id, ") + kObservationColumns +
                    " FROM observations o WHERE o.sweep_id > ?"
                    " AND o.sweep_id IN (SELECT id FROM sweeps WHERE completed = 1) ORDER BY o.sweep_id, o.id");
  s.bind(1, after_sweep_id);
  while (s.step()) {
    const std::int64_t sid = s.col_int(0);
    fn(sid, read_observation(*this, s, 1));
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
  Stmt s(*this, std::string("INSERT OR REPLACE INTO known_cells(") + kKnownColumns +
                    ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, k.key);
  s.bind(2, k.source);
  s.bind(3, k.rat);
  s.bind(4, k.mcc);
  s.bind(5, k.mnc);
  s.bind(6, k.lac);
  s.bind(7, k.ci);
  s.bind(8, static_cast<std::int64_t>(k.arfcn));
  s.bind(9, k.bsic);
  s.bind(10, dump(k.params_seen));
  bind_stats(s, 11, k.power_dbfs);
  bind_stats(s, 16, k.power_dbm);
  bind_stats(s, 21, k.cfo_residual_ppb);
  s.bind(26, k.n_observations);
  s.bind(27, k.first_seen_ms);
  s.bind(28, k.last_seen_ms);
  s.bind(29, k.lat);
  s.bind(30, k.lon);
  s.bind(31, k.n_positions);
  s.bind(32, dump(k.extra));
  s.run();
}

void Store::delete_known_cells(const std::string& source) {
  Stmt s(*this, "DELETE FROM known_cells WHERE source = ?");
  s.bind(1, source);
  s.run();
}

std::int64_t Store::store_alert(std::int64_t sweep_id, const std::string& key, double score, const json& reasons) {
  if (!std::isfinite(score)) throw InputError("alert for " + key + ": score is not a finite number");
  Stmt s(*this, "INSERT INTO alerts(sweep_id, cell_key, score, reasons) VALUES(?,?,?,?)");
  s.bind(1, sweep_id);
  s.bind(2, key);
  s.bind(3, score);
  s.bind(4, dump(reasons));
  s.run();
  return sqlite3_last_insert_rowid(db_.get());
}

std::vector<AlertRecord> Store::alerts(std::optional<std::int64_t> sweep_id) {
  Stmt s(*this, "SELECT id, sweep_id, cell_key, score, reasons FROM alerts WHERE (?1 IS NULL OR sweep_id = ?1) ORDER BY id");
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
  Stmt s(*this,
         "INSERT OR REPLACE INTO monitor_findings(key, cell_key, score, rules, alert, opened_sweep_id, "
         "reported_sweep_id, last_alert_sweep_id, opened_ms, last_alert_ms, quiet_sweeps) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, f.key);
  s.bind(2, f.cell_key);
  s.bind(3, f.score);
  s.bind(4, dump(f.rules));
  s.bind(5, dump(f.alert));
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
  Stmt s(*this, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
  s.bind(1, key);
  s.bind(2, value);
  s.run();
}

}  // namespace tw::store
