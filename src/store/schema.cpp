// The schema of the store, one ordered list of migrations per backend (src/store/connection.hpp): the
// same versions with the same tables, so `--db FILE` and `--db postgresql://...` hold the same data.
#include "src/store/connection.hpp"
#include "src/store/store.hpp"

namespace tw::store {

namespace {
// SQLite. Ordered migrations: entry i brings the schema from version i to i+1.
const char* const kSqliteMigrations[] = {
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
    // 6 (fleet, src/fleet/fleet_store.hpp): what `towerwatch collect` keeps of remote sensors in the same tables.
    // A sweep received over MQTT is named by its sensor, the sensor's epoch and sweep number, and has the
    // collector's receive time; an observation or alert keeps its message id (unique: a duplicate is
    // dropped) and receive time. Columns NULL in a sensor's own store. The fleet-only tables: sensors,
    // the per-sensor-epoch watermark of stored messages (sensor_epochs), one row per message handled
    // (messages: exactly once, written in the data's transaction), the fleet alerts, and the fleet
    // baseline's summaries of each sensor's history (fleet_band_sweeps, fleet_cell_history: rule S2 without
    // reading every observation).
    R"sql(
ALTER TABLE sweeps ADD COLUMN epoch TEXT;
ALTER TABLE sweeps ADD COLUMN sensor_sweep INTEGER;
ALTER TABLE sweeps ADD COLUMN received_ms INTEGER;
CREATE UNIQUE INDEX sweeps_by_sensor_sweep ON sweeps(sensor_id, epoch, sensor_sweep);
CREATE INDEX sweeps_by_received ON sweeps(received_ms);
ALTER TABLE observations ADD COLUMN msg_id TEXT;
ALTER TABLE observations ADD COLUMN received_ms INTEGER;
CREATE UNIQUE INDEX observations_by_msg_id ON observations(msg_id);
CREATE INDEX observations_by_received ON observations(received_ms);
CREATE INDEX observations_by_cell ON observations(rat, mcc, mnc, lac, ci);
ALTER TABLE alerts ADD COLUMN msg_id TEXT;
CREATE UNIQUE INDEX alerts_by_msg_id ON alerts(msg_id);
CREATE INDEX known_cells_by_channel ON known_cells(rat, arfcn);
CREATE TABLE sensors(
  sensor_id    TEXT PRIMARY KEY,
  status       TEXT,
  lat REAL, lon REAL,
  last_seen_ms INTEGER NOT NULL
);
CREATE TABLE sensor_epochs(
  sensor_id   TEXT NOT NULL,
  epoch       TEXT NOT NULL,
  through_seq INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (sensor_id, epoch)
);
CREATE TABLE messages(
  sensor_id   TEXT NOT NULL,
  epoch       TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  accepted    INTEGER NOT NULL CHECK (accepted IN (0, 1)),
  received_ms INTEGER NOT NULL,
  PRIMARY KEY (sensor_id, epoch, seq)
);
CREATE TABLE fleet_alerts(
  id              INTEGER PRIMARY KEY,
  rule            TEXT NOT NULL,
  cell_key        TEXT NOT NULL,
  window_start_ms INTEGER NOT NULL,
  time_ms         INTEGER NOT NULL,
  score           REAL NOT NULL,
  body            TEXT NOT NULL CHECK (json_valid(body)),
  UNIQUE (rule, cell_key, window_start_ms)
);
CREATE TABLE fleet_band_sweeps(
  sensor_id TEXT NOT NULL,
  band      TEXT NOT NULL,
  n         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (sensor_id, band)
);
CREATE TABLE fleet_cell_history(
  sensor_id          TEXT NOT NULL,
  cell_key           TEXT NOT NULL,
  sweeps_seen        INTEGER NOT NULL,
  first_seen_ms      INTEGER NOT NULL,
  band_sweeps_before INTEGER NOT NULL,
  PRIMARY KEY (sensor_id, cell_key)
);
)sql",
};

// PostgreSQL: the same tables, columns and constraints, in PostgreSQL's types: 64-bit integers (bigint),
// double precision, identity keys (never reused, like AUTOINCREMENT), JSON columns as text checked by a
// cast to json (text, not jsonb: the stored text comes back byte for byte, as from SQLite), and text
// compared byte-wise (domain ctext, collation "C") so that ORDER BY gives SQLite's order whatever the
// database's locale. track has an id (SQLite orders it by rowid).
const char* const kPgMigrations[] = {
    // 1
    R"sql(
CREATE DOMAIN ctext AS text COLLATE "C";
CREATE TABLE meta(
  key   ctext PRIMARY KEY,
  value ctext NOT NULL
);
CREATE TABLE sweeps(
  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  time_unix_ms bigint NOT NULL,
  sensor_id    ctext NOT NULL,
  lat double precision, lon double precision,
  source       ctext NOT NULL,
  n_cells      bigint NOT NULL DEFAULT 0,
  completed    integer NOT NULL DEFAULT 0 CHECK (completed IN (0, 1))
);
CREATE TABLE observations(
  id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  sweep_id         bigint NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  time_unix_ms     bigint NOT NULL,
  sensor_id        ctext NOT NULL,
  lat double precision, lon double precision,
  rat              ctext NOT NULL,
  arfcn            bigint NOT NULL,
  band             ctext NOT NULL,
  freq_hz          double precision,
  mcc bigint, mnc ctext, lac bigint, ci bigint, bsic bigint,
  power_dbfs       double precision NOT NULL,
  power_dbm        double precision,
  snr_db           double precision NOT NULL,
  cfo_hz           double precision NOT NULL,
  cfo_residual_ppb double precision,
  si_seen          ctext NOT NULL CHECK (si_seen::json IS NOT NULL),
  params           ctext NOT NULL CHECK (params::json IS NOT NULL)
);
CREATE INDEX observations_by_sweep ON observations(sweep_id);
CREATE TABLE known_cells(
  id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  cell_key  ctext NOT NULL,
  source    ctext NOT NULL CHECK (source IN ('learned', 'opencellid')),
  rat       ctext NOT NULL,
  mcc bigint, mnc ctext, lac bigint, ci bigint,
  arfcn     bigint NOT NULL DEFAULT -1,
  bsic      bigint,
  params_seen ctext NOT NULL DEFAULT '{}' CHECK (params_seen::json IS NOT NULL),
  power_n bigint NOT NULL DEFAULT 0, power_mean double precision, power_m2 double precision,
  power_min double precision, power_max double precision,
  dbm_n   bigint NOT NULL DEFAULT 0, dbm_mean double precision, dbm_m2 double precision,
  dbm_min double precision, dbm_max double precision,
  cfo_n   bigint NOT NULL DEFAULT 0, cfo_mean double precision, cfo_m2 double precision,
  cfo_min double precision, cfo_max double precision,
  n_observations bigint NOT NULL DEFAULT 0,
  first_seen_ms bigint, last_seen_ms bigint,
  lat double precision, lon double precision, n_positions bigint NOT NULL DEFAULT 0,
  extra     ctext NOT NULL DEFAULT '{}' CHECK (extra::json IS NOT NULL),
  UNIQUE (cell_key, source)
);
CREATE INDEX known_cells_by_cgi ON known_cells(mcc, mnc, lac, ci);
CREATE TABLE alerts(
  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  sweep_id     bigint NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  cell_key     ctext NOT NULL,
  score        double precision NOT NULL,
  reasons      ctext NOT NULL CHECK (reasons::json IS NOT NULL)
);
CREATE INDEX alerts_by_sweep ON alerts(sweep_id);
)sql",
    // 2
    R"sql(
CREATE TABLE monitor_findings(
  key                 ctext PRIMARY KEY,
  cell_key            ctext NOT NULL,
  score               double precision NOT NULL,
  rules               ctext NOT NULL CHECK (rules::json IS NOT NULL),
  alert               ctext NOT NULL CHECK (alert::json IS NOT NULL),
  opened_sweep_id     bigint NOT NULL,
  reported_sweep_id   bigint NOT NULL,
  last_alert_sweep_id bigint NOT NULL,
  opened_ms           bigint NOT NULL,
  last_alert_ms       bigint NOT NULL,
  quiet_sweeps        bigint NOT NULL DEFAULT 0 CHECK (quiet_sweeps >= 0)
);
)sql",
    // 3
    R"sql(
CREATE TABLE mqtt_outbox(
  seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind     ctext NOT NULL CHECK (kind IN ('cell', 'alert', 'sweep')),
  payload  ctext NOT NULL CHECK (payload::json IS NOT NULL),
  acked_ms bigint
);
)sql",
    // 4
    R"sql(
ALTER TABLE observations ADD COLUMN fix_mode ctext NOT NULL DEFAULT 'none' CHECK (fix_mode IN ('none', '2d', '3d'));
ALTER TABLE observations ADD COLUMN eph double precision;
ALTER TABLE observations ADD COLUMN fix_time bigint;
CREATE TABLE track(
  id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  sweep_id  bigint NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  t         bigint NOT NULL,
  lat double precision, lon double precision, alt double precision,
  fix_mode  ctext NOT NULL CHECK (fix_mode IN ('none', '2d', '3d')),
  eph       double precision,
  CHECK ((fix_mode = 'none') = (lat IS NULL OR lon IS NULL))
);
CREATE INDEX track_by_sweep ON track(sweep_id, t);
)sql",
    // 5
    R"sql(
CREATE TABLE sweep_band_floors(
  sweep_id    bigint NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  rat         ctext NOT NULL,
  band        ctext NOT NULL,
  floor_dbfs_per_mhz double precision NOT NULL,
  tunings     bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (sweep_id, rat, band)
);
CREATE TABLE learned_band_floors(
  sensor_id   ctext NOT NULL,
  rat         ctext NOT NULL,
  band        ctext NOT NULL,
  recent      ctext NOT NULL CHECK (recent::json IS NOT NULL),
  n           bigint NOT NULL DEFAULT 0,
  last_sweep_id bigint NOT NULL,
  PRIMARY KEY (sensor_id, rat, band)
);
)sql",
    // 6 (fleet)
    R"sql(
ALTER TABLE sweeps ADD COLUMN epoch ctext;
ALTER TABLE sweeps ADD COLUMN sensor_sweep bigint;
ALTER TABLE sweeps ADD COLUMN received_ms bigint;
CREATE UNIQUE INDEX sweeps_by_sensor_sweep ON sweeps(sensor_id, epoch, sensor_sweep);
CREATE INDEX sweeps_by_received ON sweeps(received_ms);
ALTER TABLE observations ADD COLUMN msg_id ctext;
ALTER TABLE observations ADD COLUMN received_ms bigint;
CREATE UNIQUE INDEX observations_by_msg_id ON observations(msg_id);
CREATE INDEX observations_by_received ON observations(received_ms);
CREATE INDEX observations_by_cell ON observations(rat, mcc, mnc, lac, ci);
ALTER TABLE alerts ADD COLUMN msg_id ctext;
CREATE UNIQUE INDEX alerts_by_msg_id ON alerts(msg_id);
CREATE INDEX known_cells_by_channel ON known_cells(rat, arfcn);
CREATE TABLE sensors(
  sensor_id    ctext PRIMARY KEY,
  status       ctext,
  lat double precision, lon double precision,
  last_seen_ms bigint NOT NULL
);
CREATE TABLE sensor_epochs(
  sensor_id   ctext NOT NULL,
  epoch       ctext NOT NULL,
  through_seq bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (sensor_id, epoch)
);
CREATE TABLE messages(
  sensor_id   ctext NOT NULL,
  epoch       ctext NOT NULL,
  seq         bigint NOT NULL,
  kind        ctext NOT NULL,
  accepted    integer NOT NULL CHECK (accepted IN (0, 1)),
  received_ms bigint NOT NULL,
  PRIMARY KEY (sensor_id, epoch, seq)
);
CREATE TABLE fleet_alerts(
  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  rule            ctext NOT NULL,
  cell_key        ctext NOT NULL,
  window_start_ms bigint NOT NULL,
  time_ms         bigint NOT NULL,
  score           double precision NOT NULL,
  body            ctext NOT NULL CHECK (body::json IS NOT NULL),
  UNIQUE (rule, cell_key, window_start_ms)
);
CREATE TABLE fleet_band_sweeps(
  sensor_id ctext NOT NULL,
  band      ctext NOT NULL,
  n         bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (sensor_id, band)
);
CREATE TABLE fleet_cell_history(
  sensor_id          ctext NOT NULL,
  cell_key           ctext NOT NULL,
  sweeps_seen        bigint NOT NULL,
  first_seen_ms      bigint NOT NULL,
  band_sweeps_before bigint NOT NULL,
  PRIMARY KEY (sensor_id, cell_key)
);
)sql",
};

constexpr int kSqliteCount = static_cast<int>(sizeof(kSqliteMigrations) / sizeof(kSqliteMigrations[0]));
constexpr int kPgCount = static_cast<int>(sizeof(kPgMigrations) / sizeof(kPgMigrations[0]));
static_assert(kSqliteCount == Store::kSchemaVersion, "one SQLite migration per schema version");
static_assert(kPgCount == Store::kSchemaVersion, "one PostgreSQL migration per schema version");
}  // namespace

const char* migration(Dialect d, int from_version) {
  if (from_version < 0 || from_version >= Store::kSchemaVersion) return nullptr;
  return d == Dialect::sqlite ? kSqliteMigrations[from_version] : kPgMigrations[from_version];
}

}  // namespace tw::store
