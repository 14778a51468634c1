#include "src/fleet/pg_store.hpp"

#include <libpq-fe.h>

#include <cmath>
#include <cstdio>

#include "src/core/error.hpp"

namespace tw::fleet {

namespace {

// Ordered migrations: entry i brings the schema from version i to i+1.
const char* const kMigrations[] = {
    // 1: the first fleet schema.
    R"sql(
CREATE TABLE sensors(
  sensor_id    text PRIMARY KEY,
  status       text,
  lat double precision, lon double precision,
  last_seen_ms bigint NOT NULL
);
CREATE TABLE sensor_epochs(
  sensor_id   text NOT NULL,
  epoch       text NOT NULL,
  through_seq bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (sensor_id, epoch)
);
CREATE TABLE messages(
  sensor_id   text NOT NULL,
  epoch       text NOT NULL,
  seq         bigint NOT NULL,
  kind        text NOT NULL,
  accepted    boolean NOT NULL,
  received_ms bigint NOT NULL,
  PRIMARY KEY (sensor_id, epoch, seq)
);
CREATE TABLE sweeps(
  id           bigserial PRIMARY KEY,
  sensor_id    text NOT NULL,
  epoch        text NOT NULL,
  sensor_sweep bigint NOT NULL,
  time_unix_ms bigint NOT NULL,
  received_ms  bigint NOT NULL,
  lat double precision, lon double precision,
  n_cells      integer,
  completed    boolean NOT NULL DEFAULT false,
  UNIQUE (sensor_id, epoch, sensor_sweep)
);
CREATE TABLE observations(
  id               bigserial PRIMARY KEY,
  msg_id           text NOT NULL UNIQUE,
  sweep_id         bigint NOT NULL REFERENCES sweeps(id),
  sensor_id        text NOT NULL,
  time_unix_ms     bigint NOT NULL,
  received_ms      bigint NOT NULL,
  lat double precision, lon double precision,
  rat              text NOT NULL,
  arfcn            integer NOT NULL,
  band             text NOT NULL,
  freq_hz          double precision,
  mcc integer, mnc text, lac integer, ci bigint, bsic integer,
  power_dbfs       double precision NOT NULL,
  power_dbm        double precision,
  snr_db           double precision NOT NULL,
  cfo_hz           double precision NOT NULL,
  cfo_residual_ppb double precision,
  si_seen          jsonb NOT NULL,
  params           jsonb NOT NULL
);
CREATE INDEX observations_by_received ON observations(received_ms);
CREATE INDEX observations_by_cell ON observations(rat, mcc, mnc, lac, ci);
CREATE TABLE alerts(
  id        bigserial PRIMARY KEY,
  msg_id    text NOT NULL UNIQUE,
  sensor_id text NOT NULL,
  sweep_id  bigint NOT NULL REFERENCES sweeps(id),
  cell_key  text NOT NULL,
  score     double precision NOT NULL,
  body      jsonb NOT NULL
);
CREATE TABLE fleet_alerts(
  id              bigserial PRIMARY KEY,
  rule            text NOT NULL,
  cell_key        text NOT NULL,
  window_start_ms bigint NOT NULL,
  time_ms         bigint NOT NULL,
  score           double precision NOT NULL,
  body            jsonb NOT NULL,
  UNIQUE (rule, cell_key, window_start_ms)
);
)sql",
};
constexpr int kNumMigrations = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));
static_assert(kNumMigrations == PgFleetStore::kSchemaVersion, "one migration per schema version");

struct Statement {
  const char* name;
  const char* sql;
};
const Statement kStatements[] = {
    {"msg_insert",
     "INSERT INTO messages(sensor_id, epoch, seq, kind, accepted, received_ms) VALUES($1,$2,$3,$4,$5,$6) "
     "ON CONFLICT DO NOTHING"},
    {"sweep_upsert",
     "INSERT INTO sweeps(sensor_id, epoch, sensor_sweep, time_unix_ms, received_ms, lat, lon, n_cells, completed) "
     "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (sensor_id, epoch, sensor_sweep) DO UPDATE SET "
     "n_cells = COALESCE(EXCLUDED.n_cells, sweeps.n_cells), completed = sweeps.completed OR EXCLUDED.completed "
     "RETURNING id"},
    {"obs_insert",
     "INSERT INTO observations(msg_id, sweep_id, sensor_id, time_unix_ms, received_ms, lat, lon, rat, arfcn, band, "
     "freq_hz, mcc, mnc, lac, ci, bsic, power_dbfs, power_dbm, snr_db, cfo_hz, cfo_residual_ppb, si_seen, params) "
     "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22::jsonb,$23::jsonb) "
     "ON CONFLICT (msg_id) DO NOTHING"},
    {"alert_insert",
     "INSERT INTO alerts(msg_id, sensor_id, sweep_id, cell_key, score, body) VALUES($1,$2,$3,$4,$5,$6::jsonb) "
     "ON CONFLICT (msg_id) DO NOTHING"},
    {"sensor_upsert",
     "INSERT INTO sensors(sensor_id, status, lat, lon, last_seen_ms) VALUES($1,$2,$3,$4,$5) ON CONFLICT (sensor_id) "
     "DO UPDATE SET status = COALESCE(EXCLUDED.status, sensors.status), lat = COALESCE(EXCLUDED.lat, sensors.lat), "
     "lon = COALESCE(EXCLUDED.lon, sensors.lon), last_seen_ms = GREATEST(EXCLUDED.last_seen_ms, sensors.last_seen_ms)"},
    {"epoch_get",
     "INSERT INTO sensor_epochs(sensor_id, epoch) VALUES($1,$2) ON CONFLICT (sensor_id, epoch) DO UPDATE SET "
     "through_seq = sensor_epochs.through_seq RETURNING through_seq"},
    {"epoch_seqs", "SELECT seq FROM messages WHERE sensor_id = $1 AND epoch = $2 AND seq > $3 ORDER BY seq LIMIT 100000"},
    {"epoch_set", "UPDATE sensor_epochs SET through_seq = $3 WHERE sensor_id = $1 AND epoch = $2"},
    // The fleet baseline: what every sensor observed of a cell (GSM, CGI) before $5.
    {"baseline_cell",
     "SELECT count(*), min(received_ms), max(received_ms), avg(lat), avg(lon), "
     "coalesce(string_agg(DISTINCT arfcn::text, ','), ''), max(bsic) FROM observations WHERE rat = 'GSM' AND "
     "mcc = $1 AND mnc = $2 AND lac = $3 AND ci = $4 AND received_ms < $5"},
    {"baseline_operator", "SELECT count(*) FROM (SELECT 1 FROM observations WHERE rat = 'GSM' AND mcc = $1 AND mnc = $2 AND "
                          "received_ms < $3 LIMIT 1) x"},
    {"fleet_alert_insert",
     "INSERT INTO fleet_alerts(rule, cell_key, window_start_ms, time_ms, score, body) VALUES($1,$2,$3,$4,$5,$6::jsonb) "
     "ON CONFLICT (rule, cell_key, window_start_ms) DO NOTHING"},
    // Per cell identity and sensor, over the observations received since $1: the sensor's mean position and
    // the cell's strongest level there.
    {"sightings",
     "SELECT rat, mcc, mnc, lac, ci, max(arfcn), sensor_id, avg(lat), avg(lon), max(snr_db), max(power_dbfs), count(*), "
     "min(received_ms), max(received_ms) FROM observations WHERE received_ms >= $1 AND mcc IS NOT NULL AND "
     "ci IS NOT NULL GROUP BY rat, mcc, mnc, lac, ci, sensor_id"},
};

std::string num(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}
std::optional<std::string> opt(const std::optional<double>& v) {
  return v ? std::optional<std::string>(num(*v)) : std::nullopt;
}
std::optional<std::string> opt(const std::optional<int>& v) {
  return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
}
std::string jtext(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

struct PgFleetStore::Result {
  PGresult* r = nullptr;
  explicit Result(PGresult* p) : r(p) {}
  Result(Result&& o) noexcept : r(o.r) { o.r = nullptr; }
  ~Result() {
    if (r) PQclear(r);
  }
  int rows() const { return PQntuples(r); }
  std::string text(int row, int col) const { return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col); }
  std::int64_t integer(int row, int col) const { return std::stoll(PQgetvalue(r, row, col)); }
  std::int64_t affected() const {
    const char* n = PQcmdTuples(r);
    return n && *n ? std::stoll(n) : 0;
  }
};

PgFleetStore::PgFleetStore(const std::string& conninfo) {
  conn_ = PQconnectdb(conninfo.c_str());
  if (!conn_) throw RuntimeFailure("PostgreSQL: out of memory");
  where_ = std::string(PQhost(conn_) ? PQhost(conn_) : "?") + ":" + (PQport(conn_) ? PQport(conn_) : "?") + "/" +
           (PQdb(conn_) ? PQdb(conn_) : "?");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn_);
    for (char& c : msg)
      if (c == '\n' || c == '\t') c = ' ';
    while (!msg.empty() && msg.back() == ' ') msg.pop_back();
    PQfinish(conn_);
    conn_ = nullptr;
    throw RuntimeFailure("PostgreSQL " + where_ + ": cannot connect: " + msg);
  }
  exec("SET client_min_messages = warning");
  migrate();
  prepare_all();
}

PgFleetStore::~PgFleetStore() {
  if (conn_) PQfinish(conn_);
}

bool PgFleetStore::connection_ok() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

void PgFleetStore::fail(const std::string& what) {
  std::string msg = conn_ ? PQerrorMessage(conn_) : "no connection";
  for (char& c : msg)
    if (c == '\n' || c == '\t') c = ' ';
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  throw RuntimeFailure("PostgreSQL " + where_ + ": " + what + ": " + msg);
}

void PgFleetStore::exec(const std::string& sql) {
  Result r(PQexec(conn_, sql.c_str()));
  const auto st = PQresultStatus(r.r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail("'" + sql.substr(0, 60) + "'");
}

std::int64_t PgFleetStore::query_int(const std::string& sql) {
  Result r(PQexec(conn_, sql.c_str()));
  if (PQresultStatus(r.r) != PGRES_TUPLES_OK || r.rows() < 1) fail("'" + sql + "'");
  return r.integer(0, 0);
}

std::vector<std::vector<std::string>> PgFleetStore::query(const std::string& sql, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  Result r(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
  if (PQresultStatus(r.r) != PGRES_TUPLES_OK) fail("'" + sql.substr(0, 60) + "'");
  std::vector<std::vector<std::string>> out(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i)
    for (int c = 0; c < PQnfields(r.r); ++c) out[static_cast<std::size_t>(i)].push_back(r.text(i, c));
  return out;
}

void PgFleetStore::migrate() {
  exec("BEGIN");
  try {
    exec("SELECT pg_advisory_xact_lock(5462574242)");  // "TWDB": one migrating collector at a time
    exec("CREATE TABLE IF NOT EXISTS tw_schema_version(version integer NOT NULL)");
    Result r(PQexec(conn_, "SELECT version FROM tw_schema_version"));
    if (PQresultStatus(r.r) != PGRES_TUPLES_OK) fail("reading the schema version");
    int v = 0;
    if (r.rows() == 0) exec("INSERT INTO tw_schema_version VALUES(0)");
    else v = static_cast<int>(r.integer(0, 0));
    if (v > kSchemaVersion)
      throw RuntimeFailure("PostgreSQL " + where_ + ": fleet schema version " + std::to_string(v) +
                           " is newer than this towerwatch knows (" + std::to_string(kSchemaVersion) + ")");
    for (; v < kSchemaVersion; ++v) {
      exec(kMigrations[v]);
      exec("UPDATE tw_schema_version SET version = " + std::to_string(v + 1));  // our integer, not input
    }
    exec("COMMIT");
  } catch (...) {
    rollback();
    throw;
  }
}

int PgFleetStore::schema_version() { return static_cast<int>(query_int("SELECT version FROM tw_schema_version")); }

void PgFleetStore::prepare_all() {
  for (const auto& s : kStatements) {
    Result r(PQprepare(conn_, s.name, s.sql, 0, nullptr));
    if (PQresultStatus(r.r) != PGRES_COMMAND_OK) fail(std::string("preparing ") + s.name);
  }
}

PgFleetStore::Result PgFleetStore::exec_prepared(const char* name, const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  Result r(PQexecPrepared(conn_, name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0));
  const auto st = PQresultStatus(r.r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(std::string("statement ") + name);
  return r;
}

void PgFleetStore::begin() { exec("BEGIN"); }
void PgFleetStore::commit() { exec("COMMIT"); }
void PgFleetStore::rollback() {
  if (conn_ && PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, "ROLLBACK"));
}

bool PgFleetStore::store_message(const FleetMessage& m, std::int64_t received_ms) {
  const std::string rec = std::to_string(received_ms);
  if (exec_prepared("msg_insert", {m.sensor, m.epoch, std::to_string(m.seq), m.kind, std::string("true"), rec}).affected() == 0)
    return false;
  exec_prepared("sensor_upsert", {m.sensor, std::nullopt, opt(m.lat), opt(m.lon), rec});
  const bool closes = m.kind == "sweep";
  const auto sweep = exec_prepared("sweep_upsert",
                                   {m.sensor, m.epoch, std::to_string(m.sweep), std::to_string(m.time_unix_ms), rec,
                                    opt(m.lat), opt(m.lon),
                                    closes ? std::optional<std::string>(std::to_string(m.n_cells)) : std::nullopt,
                                    std::string(closes ? "true" : "false")});
  const std::string sweep_id = sweep.text(0, 0);
  if (m.kind == "cell") {
    const CellObservation& o = m.cell;
    exec_prepared("obs_insert",
                  {m.msg_id, sweep_id, m.sensor, std::to_string(m.time_unix_ms), rec, opt(o.lat), opt(o.lon), o.rat,
                   std::to_string(o.arfcn), o.band, opt(o.freq_hz), opt(o.mcc), o.mnc, opt(o.lac), opt(o.ci), opt(o.bsic),
                   num(o.power_dbfs), opt(o.power_dbm), num(o.snr_db), num(o.cfo_hz), opt(o.cfo_residual_ppb),
                   jtext(nlohmann::json(o.si_seen)), jtext(o.params)});
  } else if (m.kind == "alert") {
    exec_prepared("alert_insert", {m.msg_id, m.sensor, sweep_id, m.cell_key, num(m.score), jtext(m.body)});
  }
  return true;
}

bool PgFleetStore::store_rejected(const std::string& sensor, const std::string& epoch, std::int64_t seq,
                                  const std::string& kind, std::int64_t received_ms) {
  return exec_prepared("msg_insert", {sensor, epoch, std::to_string(seq), kind.substr(0, 16), std::string("false"),
                                      std::to_string(received_ms)})
             .affected() > 0;
}

void PgFleetStore::set_sensor_status(const std::string& sensor, const std::string& status, std::int64_t received_ms) {
  exec_prepared("sensor_upsert", {sensor, status, std::nullopt, std::nullopt, std::to_string(received_ms)});
}

std::int64_t PgFleetStore::advance_watermark(const std::string& sensor, const std::string& epoch, std::int64_t floor) {
  std::int64_t through = exec_prepared("epoch_get", {sensor, epoch}).integer(0, 0);
  const std::int64_t start = std::max(through, floor);
  std::int64_t t = start;
  const auto seqs = exec_prepared("epoch_seqs", {sensor, epoch, std::to_string(start)});
  for (int i = 0; i < seqs.rows(); ++i) {
    const std::int64_t s = seqs.integer(i, 0);
    if (s != t + 1) break;
    t = s;
  }
  if (t != through) exec_prepared("epoch_set", {sensor, epoch, std::to_string(t)});
  return t;
}

bool PgFleetStore::store_fleet_alert(const std::string& rule, const std::string& cell_key, std::int64_t window_start_ms,
                                     std::int64_t time_ms, double score, const nlohmann::json& body) {
  return exec_prepared("fleet_alert_insert", {rule, cell_key, std::to_string(window_start_ms), std::to_string(time_ms),
                                              num(score), jtext(body)})
             .affected() > 0;
}

std::vector<std::vector<std::string>> PgFleetStore::sightings(std::int64_t since_ms) {
  const auto r = exec_prepared("sightings", {std::to_string(since_ms)});
  std::vector<std::vector<std::string>> out(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i)
    for (int c = 0; c < PQnfields(r.r); ++c) out[static_cast<std::size_t>(i)].push_back(r.text(i, c));
  return out;
}

std::optional<KnownCell> PgFleetStore::fleet_cell(int mcc, const std::string& mnc, int lac, int ci, std::int64_t before_ms) {
  const auto r = exec_prepared("baseline_cell", {std::to_string(mcc), mnc, std::to_string(lac), std::to_string(ci),
                                                 std::to_string(before_ms)});
  if (r.rows() < 1 || r.integer(0, 0) == 0) return std::nullopt;
  KnownCell k;
  k.rat = "GSM";
  k.mcc = mcc;
  k.mnc = mnc;
  k.lac = lac;
  k.ci = ci;
  k.source = "observed";
  k.n_observations = r.integer(0, 0);
  k.first_seen_unix_ms = r.integer(0, 1);
  k.last_seen_unix_ms = r.integer(0, 2);
  if (!r.text(0, 3).empty() && !r.text(0, 4).empty()) {
    k.lat = std::stod(r.text(0, 3));
    k.lon = std::stod(r.text(0, 4));
  }
  const std::string arfcns = r.text(0, 5);
  for (std::size_t p = 0; p < arfcns.size();) {
    const std::size_t c = std::min(arfcns.find(',', p), arfcns.size());
    k.arfcns.push_back(std::stoi(arfcns.substr(p, c - p)));
    p = c + 1;
  }
  if (!r.text(0, 6).empty()) k.bsic = std::stoi(r.text(0, 6));
  return k;
}

bool PgFleetStore::fleet_operator_known(int mcc, const std::string& mnc, std::int64_t before_ms) {
  return exec_prepared("baseline_operator", {std::to_string(mcc), mnc, std::to_string(before_ms)}).integer(0, 0) > 0;
}

}  // namespace tw::fleet
