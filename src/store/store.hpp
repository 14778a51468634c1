// The observation store: every sweep, its cell observations, the baseline of known cells and the alerts, in
// one of two backends (src/store/connection.hpp) with the same versioned schema (src/store/schema.cpp):
// - an SQLite file (one machine, the default): WAL journal, synchronous=NORMAL. Every sweep is written in ONE
//   transaction (BEGIN IMMEDIATE .. COMMIT), so a crash of the process (kill -9) at any moment leaves the
//   database valid and holding every sweep whose commit returned; a sweep being written is absent as a whole,
//   never partial. With synchronous=NORMAL a power failure or OS crash may lose the last commits since the
//   WAL was last synced (at checkpoints), but never corrupts the database (SQLite's WAL guarantee). Schema
//   version in PRAGMA user_version; PRAGMA application_id marks the file as towerwatch's.
// - a PostgreSQL database (a fleet): `postgresql://` or `postgres://` URL, the tables in its schema
//   "towerwatch", the same transactions (a sweep in one), the version in towerwatch.schema_version.
// A database whose version is newer than this code knows is refused. Broadcast strings are
// attacker-controlled: every value goes through bound parameters of prepared statements, never into SQL text.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/scorer/observation.hpp"
#include "src/store/connection.hpp"

struct sqlite3;

namespace tw::store {

// $TW_DATA_DIR/towerwatch.db if TW_DATA_DIR is set (tests), else $XDG_DATA_HOME/towerwatch/towerwatch.db,
// else ~/.local/share/towerwatch/towerwatch.db. Does not create anything.
std::filesystem::path default_db_path();

// Welford's running statistics (count, mean, M2 = sum of squared deviations, min, max).
struct RunningStats {
  std::int64_t count = 0;
  double mean = 0.0;
  double m2 = 0.0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  void add(double x);
  double variance() const;  // sample variance (n-1); 0 below two values
  double stddev() const;
};

struct SweepInfo {
  std::int64_t id = 0;
  std::int64_t time_unix_ms = 0;
  std::string sensor_id;
  std::optional<double> lat, lon;
  std::string source;       // where the sweep came from: "scan --device ...", a file name, "demo"
  std::int64_t n_cells = 0; // observations written with it
  bool completed = false;
};

// Identity of a known cell: RAT + CGI (MCC, MNC, LAC, CI) + ARFCN (-1: unknown, as in OpenCellID rows).
// Fields not decoded stay empty and are part of the key as "?".
std::string cell_key(const CellObservation& o);
std::string cell_key(const std::string& rat, std::optional<int> mcc, const std::optional<std::string>& mnc,
                     std::optional<std::int64_t> lac, std::optional<std::int64_t> ci, int arfcn);

struct KnownCell {
  std::string key;     // cell_key(...)
  std::string source;  // "learned" | "opencellid"
  std::string rat = "GSM";
  std::optional<int> mcc;
  std::optional<std::string> mnc;
  std::optional<std::int64_t> lac, ci;  // int64: UMTS/LTE cell ids are 28 bits
  int arfcn = -1;
  std::optional<int> bsic;              // last seen
  // Per decoded parameter, the distinct values seen: {"t3212":[10],"cro":[0,2],...} (at most
  // kMaxValuesPerParam values per parameter; measurements are not parameters and are not kept here).
  nlohmann::json params_seen = nlohmann::json::object();
  RunningStats power_dbfs, power_dbm, cfo_residual_ppb;
  std::int64_t n_observations = 0;
  std::optional<std::int64_t> first_seen_ms, last_seen_ms;
  std::optional<double> lat, lon;       // mean position of the observations that had one
  std::int64_t n_positions = 0;
  nlohmann::json extra = nlohmann::json::object();  // OpenCellID: range, samples, averageSignal, unit, ...
  static constexpr std::size_t kMaxValuesPerParam = 16;
};

// A finding of `towerwatch monitor` that is open (reported, not yet cleared): kept in the database so a
// restarted monitor neither reports it again nor forgets to clear it (schema v2, table monitor_findings).
struct OpenFinding {
  std::string key;                        // the finding's slot: "GSM@64" (RAT and ARFCN, see src/monitor)
  std::string cell_key;                   // identity of the cell when last reported (cell_key(...))
  double score = 0.0;                     // when last reported
  nlohmann::json rules = nlohmann::json::array();   // [{"rule":"A2","weight":1.5},...] when last reported
  nlohmann::json alert = nlohmann::json::object();  // the alert event last reported
  std::int64_t opened_sweep_id = 0;       // sweep of the first report
  std::int64_t reported_sweep_id = 0;     // sweep of the last report (first or change)
  std::int64_t last_alert_sweep_id = 0;   // last sweep in which the cell scored at or above the threshold
  std::int64_t opened_ms = 0, last_alert_ms = 0;
  std::int64_t quiet_sweeps = 0;          // sweeps since then in which it was gone or below the threshold
};

struct AlertRecord {
  std::int64_t id = 0;
  std::int64_t sweep_id = 0;
  std::string cell_key;
  double score = 0.0;
  nlohmann::json reasons = nlohmann::json::array();
};

class Store {
 public:
  static constexpr int kSchemaVersion = 6;  // 2: monitor_findings, 3: mqtt_outbox, 4: positions (observation fix columns, track), 5: sweep_band_floors, learned_band_floors, 6: the fleet's columns and tables

  // Opens (creating if absent) and migrates the SQLite file. tw::InputError if the file is not a towerwatch
  // database; tw::RuntimeFailure (naming the file) for a newer schema or any SQLite failure.
  explicit Store(const std::filesystem::path& path);
  // Over an open connection of either backend, migrated up to `migrate_to` (below kSchemaVersion: tests of
  // the migrations only).
  explicit Store(std::unique_ptr<Connection> connection, int migrate_to = kSchemaVersion);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // For messages: the file, or the PostgreSQL URL without its password.
  const std::filesystem::path& path() const { return path_; }
  const std::string& name() const { return conn_->name(); }
  Dialect dialect() const { return conn_->dialect(); }
  Connection& connection() { return *conn_; }
  int schema_version();
  // Applies the migrations up to `version` (at most kSchemaVersion), each in its own transaction.
  void migrate(int version = kSchemaVersion);
  // After ConnectionLost: a new session with the server (connection.hpp: ConnectionLost while it is away,
  // RuntimeFailure for a refusal), its schema checked (newer than this code: RuntimeFailure) and migrated.
  void reconnect();
  // The id of a completed sweep with exactly this time, sensor and source (after a COMMIT whose outcome was
  // lost with the connection: was it written?).
  std::optional<std::int64_t> find_sweep(std::int64_t time_unix_ms, const std::string& sensor_id,
                                         const std::string& source);

  // One transaction for the whole sweep; returns its id. Sweep position: the first cell's lat/lon.
  // A malformed observation (non-finite measurement, identity out of range) is a tw::InputError naming the
  // cell and field; nothing of the sweep is written.
  std::int64_t store_sweep(const SweepObservations& sweep, const std::string& source);

  std::vector<SweepInfo> sweeps();
  // The position reports received during a sweep (table track), in time order; fix_time is not kept there.
  std::vector<Fix> track(std::int64_t sweep_id);
  SweepObservations load_sweep(std::int64_t sweep_id);  // tw::InputError for an unknown id
  // Every observation of completed sweeps with id > after_sweep_id, in sweep order.
  void for_each_observation(std::int64_t after_sweep_id,
                            const std::function<void(std::int64_t sweep_id, const CellObservation&)>& fn);

  std::vector<KnownCell> known_cells(const std::string& source = "");  // "" = every source
  std::optional<KnownCell> known_cell(const std::string& key, const std::string& source);
  void put_known_cell(const KnownCell& cell);  // insert or replace (key, source)
  void delete_known_cells(const std::string& source);

  std::int64_t store_alert(std::int64_t sweep_id, const std::string& cell_key, double score,
                           const nlohmann::json& reasons);
  std::vector<AlertRecord> alerts(std::optional<std::int64_t> sweep_id = std::nullopt);

  // ---- a fleet's sweeps (the collector, src/fleet/fleet_store.hpp): remote sensors' sweeps arrive message by
  // message, inside the caller's transaction, in the same tables as a local sweep plus the schema-v6 columns.
  struct RemoteSweep {
    std::string sensor_id, epoch;
    std::int64_t sensor_sweep = 0;     // the sensor's own sweep number
    std::int64_t time_unix_ms = 0;     // the sensor's clock
    std::int64_t received_ms = 0;      // the collector's clock (first message of the sweep)
    std::optional<double> lat, lon;
    std::string source;
    std::optional<std::int64_t> n_cells;   // set with the sweep record, which completes it
  };
  // The sweep's id: created by its first message, completed (n_cells) by its sweep record.
  std::int64_t upsert_remote_sweep(const RemoteSweep& sweep);
  // One observation of a remote sweep, its message id unique: false when that id is stored already
  // (nothing written). A malformed observation: tw::InputError as store_sweep.
  bool store_remote_observation(std::int64_t sweep_id, const CellObservation& o, const std::string& msg_id,
                                std::int64_t received_ms);
  // A sensor's alert, its message id unique: false when stored already.
  bool store_remote_alert(std::int64_t sweep_id, const std::string& cell_key, double score, const nlohmann::json& reasons,
                          const std::string& msg_id);

  // Small key/value table for bookkeeping (e.g. how far the baseline has learned).
  std::optional<std::string> meta(const std::string& key);
  void set_meta(const std::string& key, const std::string& value);

  // Open findings of the monitor, by key.
  std::vector<OpenFinding> open_findings();
  void put_open_finding(const OpenFinding& finding);   // insert or replace (key)
  void delete_open_finding(const std::string& key);

  // RAII transaction (SQLite: BEGIN IMMEDIATE, PostgreSQL: BEGIN + the writers' advisory lock: one writer at
  // a time in both; rolls back unless commit() was called).
  // Nested inside an open transaction it becomes a SAVEPOINT: commit() releases it into the outer
  // transaction, destruction without commit() rolls back to it; the outer transaction decides what reaches
  // the database (so a caller can write a sweep, its alerts and the baseline update as one transaction with
  // store_sweep and learn_baseline).
  class Transaction {
   public:
    explicit Transaction(Store& s);
    ~Transaction();
    void commit();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

   private:
    Store& s_;
    bool done_ = false;
    bool nested_ = false;
  };

  // Runs SQL without parameters (schema, pragmas); for tests and migrations.
  void exec(const std::string& sql);
  // The single text/integer result of a parameterless query (e.g. "PRAGMA integrity_check").
  std::string query_text(const std::string& sql);
  std::int64_t query_int(const std::string& sql);

  sqlite3* handle() { return conn_->sqlite_handle(); }  // the SQLite backend's connection, else nullptr
  [[noreturn]] void fail(const std::string& what);      // RuntimeFailure naming the database + its message

 private:
  std::unique_ptr<Connection> conn_;
  std::filesystem::path path_;
};

// A postgresql:// or postgres:// URL (else a file path).
bool is_postgresql_url(std::string_view db);
// `db` as messages show it: a URL's password left out.
std::string db_display_name(const std::string& db);
// The store `db` names: a PostgreSQL URL or an SQLite file (created with its parent directories if absent),
// migrated to the current schema. Errors as Store's (a malformed URL: tw::InputError naming the field).
std::unique_ptr<Store> open_store(const std::string& db);

// The meta key of the baseline's watermark: the last sweep id folded into the learned known cells.
inline constexpr const char* kLearnedThroughSweepMeta = "learned_through_sweep";
// That watermark (0 when absent); tw::RuntimeFailure naming the store when it is not an integer.
std::int64_t learned_watermark(Store& store);

// JSON text for storage: invalid UTF-8 in attacker-controlled strings is replaced (U+FFFD), never fatal.
std::string json_text(const nlohmann::json& j);

// {"type":"known_cell","key":...,"source":...,"rat":...,"mcc":...,"power_dbfs":{"n","mean","stddev","min","max"},...}
nlohmann::json known_cell_json(const KnownCell& cell);

// ---- baseline ----
struct LearnOptions {
  bool rebuild = false;               // forget the learned cells and learn again from every stored sweep
  bool skip_alerted = true;           // do not learn a cell from a sweep in which it raised an alert
};
struct LearnReport {
  std::int64_t sweeps = 0, observations = 0, cells_updated = 0, cells_new = 0;
  std::int64_t band_floors = 0;   // band noise floors folded into learned_band_floors (rule J1)
  std::int64_t learned_through_sweep = 0;
};
// Folds the observations of completed sweeps not yet learned (sweep id above the stored watermark) into the
// "learned" known cells, in one transaction.
LearnReport learn_baseline(Store& store, const LearnOptions& options = {});
// Folds one observation into a known cell (statistics, values seen, first/last seen, position).
void fold_observation(KnownCell& cell, const CellObservation& o);

struct ImportReport {
  std::int64_t rows = 0;          // data rows read (header excluded)
  std::int64_t imported = 0;      // rows written as known cells
  std::int64_t bad = 0;           // rows rejected
  std::vector<std::string> first_errors;  // "row N: reason" for the first few bad rows
};
// Streams an OpenCellID CSV (radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,
// averageSignal; header optional) into known cells with source "opencellid", in transactions of
// `batch_rows` rows. Radios GSM, UMTS, LTE, NR are kept with their radio as rat (ARFCN unknown: -1); other
// radios (CDMA) and malformed rows are counted as bad, never fatal. A file that cannot be opened is a
// tw::InputError.
ImportReport import_opencellid(Store& store, const std::filesystem::path& csv, std::int64_t batch_rows = 5000);
// One data line of that CSV (without its line end): the known cell it describes, or std::nullopt with the
// reason in `why` (bad quoting, a NUL byte, a column count other than 14, an unsupported radio, a field not a
// number or outside its range). Every byte of the line is the file's author's: nothing is trusted.
std::optional<KnownCell> parse_opencellid_line(std::string_view line, std::string& why);

}  // namespace tw::store
