#include "src/fleet/fleet_store.hpp"

#include "src/core/error.hpp"
#include "src/core/log.hpp"
#include "src/store/stmt.hpp"

#include <algorithm>

namespace tw::fleet {

using nlohmann::json;
using store::Stmt;

namespace {

// $N (PostgreSQL's parameter syntax, as callers of the old fleet store wrote it) as ?N; quoted text left alone.
std::string question_params(const std::string& sql) {
  std::string out = sql;
  char quote = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (quote) {
      if (out[i] == quote) quote = 0;
    } else if (out[i] == '\'' || out[i] == '"') {
      quote = out[i];
    } else if (out[i] == '$' && i + 1 < out.size() && out[i + 1] >= '0' && out[i + 1] <= '9') {
      out[i] = '?';
    }
  }
  return out;
}
}  // namespace

FleetStore::FleetStore(const std::string& url) {
  if (!store::is_postgresql_url(url))
    throw InputError("--db: the collector needs a PostgreSQL URL (postgresql://...), got '" + url + "'");
  store_ = store::open_store(url);
  // The collector's first, unreleased schema kept its own tables in schema public (version in
  // public.tw_schema_version); they are neither read nor changed: said once, so the operator can drop them.
  if (store_->query_int("SELECT CASE WHEN to_regclass('public.tw_schema_version') IS NULL THEN 0 ELSE 1 END") == 1)
    log::warn_once(store_->name() + ": the tables of the collector's pre-release schema in schema public (tw_schema_version, "
              "sweeps, observations, ...) are not used any more: the fleet's data is in schema towerwatch with the "
              "store's (drop them when no longer needed)");
}

FleetStore::~FleetStore() = default;

bool FleetStore::connection_ok() {
  if (!maybe_broken_) return true;
  try {
    store_->query_int("SELECT 1");   // after a rollback: outside any transaction
    maybe_broken_ = false;
    return true;
  } catch (const RuntimeFailure&) {
    return false;
  }
}

void FleetStore::begin() {
  try {
    store_->connection().begin();
  } catch (const RuntimeFailure&) {
    maybe_broken_ = true;
    throw;
  }
}
void FleetStore::flush_sensors() {
  for (const auto& [sensor, seen] : sensors_seen_) {
    Stmt s(*store_, "INSERT INTO sensors(sensor_id, status, lat, lon, last_seen_ms) VALUES(?1,NULL,?2,?3,?4) "
                    "ON CONFLICT (sensor_id) DO UPDATE SET lat = COALESCE(excluded.lat, sensors.lat), "
                    "lon = COALESCE(excluded.lon, sensors.lon), last_seen_ms = CASE WHEN excluded.last_seen_ms > "
                    "sensors.last_seen_ms THEN excluded.last_seen_ms ELSE sensors.last_seen_ms END");
    s.bind(1, sensor);
    s.bind(2, seen.lat);
    s.bind(3, seen.lon);
    s.bind(4, seen.last_ms);
    s.run();
  }
  sensors_seen_.clear();
}

void FleetStore::commit() {
  try {
    flush_sensors();
    store_->exec("COMMIT");
  } catch (const RuntimeFailure&) {
    maybe_broken_ = true;
    throw;
  }
}
void FleetStore::rollback() {
  maybe_broken_ = true;   // checked by connection_ok()
  sweep_ids_.clear();
  sensors_seen_.clear();
  store_->connection().exec_quietly("ROLLBACK");
}

bool FleetStore::store_message(const FleetMessage& m, std::int64_t received_ms) {
  store::Store& st = *store_;
  {
    Stmt s(st, "INSERT INTO messages(sensor_id, epoch, seq, kind, accepted, received_ms) VALUES(?,?,?,?,1,?) "
               "ON CONFLICT DO NOTHING");
    s.bind(1, m.sensor);
    s.bind(2, m.epoch);
    s.bind(3, m.seq);
    s.bind(4, m.kind);
    s.bind(5, received_ms);
    s.run();
    if (s.changes() == 0) return false;
  }
  SensorSeen& seen = sensors_seen_[m.sensor];
  if (m.lat && m.lon) {
    seen.lat = m.lat;
    seen.lon = m.lon;
  }
  seen.last_ms = std::max(seen.last_ms, received_ms);
  store::Store::RemoteSweep w;
  w.sensor_id = m.sensor;
  w.epoch = m.epoch;
  w.sensor_sweep = m.sweep;
  w.time_unix_ms = m.time_unix_ms;
  w.received_ms = received_ms;
  w.lat = m.lat;
  w.lon = m.lon;
  w.source = "mqtt";
  if (m.kind == "sweep") w.n_cells = m.n_cells;
  const auto sweep_key = std::make_tuple(m.sensor, m.epoch, m.sweep);
  std::int64_t sweep_id = 0;
  if (auto it = sweep_ids_.find(sweep_key); it != sweep_ids_.end() && m.kind != "sweep") {
    sweep_id = it->second;   // its row exists: a cell or alert adds nothing to it
  } else {
    sweep_id = st.upsert_remote_sweep(w);
    if (sweep_ids_.size() >= 100000) sweep_ids_.clear();
    sweep_ids_[sweep_key] = sweep_id;
  }
  try {
    if (m.kind == "cell") {
      CellObservation o = m.cell;
      o.sensor_id = m.sensor;
      o.time_unix_ms = m.time_unix_ms;
      if (!o.lat || !o.lon) o.fix_mode = "none";
      st.store_remote_observation(sweep_id, o, m.msg_id, received_ms);
    } else if (m.kind == "alert") {
      const json reasons = m.body.contains("reasons") ? m.body["reasons"] : json::array();
      st.store_remote_alert(sweep_id, m.cell_key, m.score, reasons, m.msg_id);
    }
  } catch (const InputError& e) {
    throw RuntimeFailure("message " + m.msg_id + ": " + e.what());
  }
  return true;
}

bool FleetStore::store_rejected(const std::string& sensor, const std::string& epoch, std::int64_t seq,
                                const std::string& kind, std::int64_t received_ms) {
  Stmt s(*store_, "INSERT INTO messages(sensor_id, epoch, seq, kind, accepted, received_ms) VALUES(?,?,?,?,0,?) "
                  "ON CONFLICT DO NOTHING");
  s.bind(1, sensor);
  s.bind(2, epoch);
  s.bind(3, seq);
  s.bind(4, kind.substr(0, 16));
  s.bind(5, received_ms);
  s.run();
  return s.changes() > 0;
}

void FleetStore::set_sensor_status(const std::string& sensor, const std::string& status, std::int64_t received_ms) {
  Stmt s(*store_, "INSERT INTO sensors(sensor_id, status, last_seen_ms) VALUES(?1,?2,?3) ON CONFLICT (sensor_id) DO "
                  "UPDATE SET status = excluded.status, last_seen_ms = CASE WHEN excluded.last_seen_ms > "
                  "sensors.last_seen_ms THEN excluded.last_seen_ms ELSE sensors.last_seen_ms END");
  s.bind(1, sensor);
  s.bind(2, status);
  s.bind(3, received_ms);
  s.run();
}

std::int64_t FleetStore::advance_watermark(const std::string& sensor, const std::string& epoch, std::int64_t floor) {
  std::int64_t through = 0;
  {
    Stmt g(*store_, "INSERT INTO sensor_epochs(sensor_id, epoch) VALUES(?1,?2) ON CONFLICT (sensor_id, epoch) DO "
                    "UPDATE SET through_seq = sensor_epochs.through_seq RETURNING through_seq");
    g.bind(1, sensor);
    g.bind(2, epoch);
    if (g.step()) through = g.col_int(0);
  }
  const std::int64_t start = std::max(through, floor);
  std::int64_t t = start;
  {
    Stmt q(*store_, "SELECT seq FROM messages WHERE sensor_id = ?1 AND epoch = ?2 AND seq > ?3 ORDER BY seq LIMIT 100000");
    q.bind(1, sensor);
    q.bind(2, epoch);
    q.bind(3, start);
    while (q.step()) {
      const std::int64_t s = q.col_int(0);
      if (s != t + 1) break;
      t = s;
    }
  }
  if (t != through) {
    Stmt u(*store_, "UPDATE sensor_epochs SET through_seq = ?3 WHERE sensor_id = ?1 AND epoch = ?2");
    u.bind(1, sensor);
    u.bind(2, epoch);
    u.bind(3, t);
    u.run();
  }
  return t;
}

bool FleetStore::store_fleet_alert(const std::string& rule, const std::string& cell_key, std::int64_t window_start_ms,
                                   std::int64_t time_ms, double score, const json& body) {
  Stmt s(*store_, "INSERT INTO fleet_alerts(rule, cell_key, window_start_ms, time_ms, score, body) VALUES(?,?,?,?,?,?) "
                  "ON CONFLICT (rule, cell_key, window_start_ms) DO NOTHING");
  s.bind(1, rule);
  s.bind(2, cell_key);
  s.bind(3, window_start_ms);
  s.bind(4, time_ms);
  s.bind(5, score);
  s.bind(6, store::json_text(body));
  s.run();
  return s.changes() > 0;
}

std::vector<std::vector<std::string>> FleetStore::query(const std::string& sql, const std::vector<std::string>& params) {
  Stmt s(*store_, question_params(sql));
  for (std::size_t i = 0; i < params.size(); ++i) s.bind(static_cast<int>(i + 1), params[i]);
  std::vector<std::vector<std::string>> out;
  while (s.step()) {
    out.emplace_back();
    for (int c = 0; c < s.columns(); ++c) out.back().push_back(s.is_null(c) ? std::string() : s.col_text(c));
  }
  return out;
}

}  // namespace tw::fleet
