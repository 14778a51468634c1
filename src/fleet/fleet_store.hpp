// What the collector keeps from every sensor: a small fleet layer over the one store interface
// (src/store/store.hpp, the PostgreSQL backend). Sweeps, observations and alerts go into the store's own
// tables (Store::upsert_remote_sweep, store_remote_observation, store_remote_alert); the fleet-only tables
// (sensors, sensor_epochs, messages, fleet_alerts) are part of the same versioned schema (migration 6,
// src/store/schema.cpp), migrated under the store's advisory lock. Every statement is prepared, its values
// bound (src/store/stmt.hpp): no value ever enters SQL text.
//
// Exactly once: table messages has one row per (sensor, epoch, seq); a message whose row exists is a
// duplicate and nothing of it is written again (INSERT ... ON CONFLICT DO NOTHING), in the same transaction
// as its data. sensor_epochs.through_seq is the highest sequence number up to which every message of that
// sensor epoch is in the database: what the collector confirms to the sensor.
#pragma once
#include <cstdint>
#include <map>
#include <tuple>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/fleet/fleet_message.hpp"
#include "src/store/store.hpp"

namespace tw::fleet {

class FleetStore {
 public:
  // Connects (a postgresql:// URL) and migrates. tw::RuntimeFailure naming the server (never the password)
  // when it cannot; tw::InputError for a malformed URL.
  explicit FleetStore(const std::string& url);
  ~FleetStore();
  FleetStore(const FleetStore&) = delete;
  FleetStore& operator=(const FleetStore&) = delete;

  store::Store& store() { return *store_; }
  // False once an operation failed and the server no longer answers (the collector then reconnects).
  bool connection_ok();
  int schema_version() { return store_->schema_version(); }

  // The outermost transaction (one writer at a time, as every store transaction). commit() first writes the
  // sensors the transaction's messages came from (table sensors: position, last seen), once each.
  void begin();
  void commit();
  void rollback();   // never throws

  // Inside a transaction. false: a duplicate (already stored), nothing written. An observation the store
  // refuses (tw::InputError) is a tw::RuntimeFailure naming the message.
  bool store_message(const FleetMessage& m, std::int64_t received_ms);
  // A message of a known sensor epoch that failed validation: its sequence number counts as handled (the
  // sensor must not wait for it), nothing else is kept. false: a duplicate.
  bool store_rejected(const std::string& sensor, const std::string& epoch, std::int64_t seq, const std::string& kind,
                      std::int64_t received_ms);
  void set_sensor_status(const std::string& sensor, const std::string& status, std::int64_t received_ms);
  // Moves through_seq of (sensor, epoch) as far as the stored messages are contiguous from max(through_seq,
  // floor); returns it.
  std::int64_t advance_watermark(const std::string& sensor, const std::string& epoch, std::int64_t floor);

  // A fleet alert, once per (rule, cell, window): false when that window already has it.
  bool store_fleet_alert(const std::string& rule, const std::string& cell_key, std::int64_t window_start_ms,
                         std::int64_t time_ms, double score, const nlohmann::json& body);

  // Rows of a prepared query with text parameters (?N or $N), each row its columns as text ("" for NULL).
  std::vector<std::vector<std::string>> query(const std::string& sql, const std::vector<std::string>& params = {});
  std::int64_t query_int(const std::string& sql) { return store_->query_int(sql); }
  void exec(const std::string& sql) { store_->exec(sql); }

 private:
  void flush_sensors();
  std::unique_ptr<store::Store> store_;
  bool maybe_broken_ = false;
  // The ids of sweeps whose row exists (committed, or written by the open transaction): a cell message of a
  // known sweep does not write its sweep row again. Forgotten when a transaction rolls back.
  std::map<std::tuple<std::string, std::string, std::int64_t>, std::int64_t> sweep_ids_;
  // Sensors heard in the open transaction (latest position, last received): written once, at commit.
  struct SensorSeen {
    std::optional<double> lat, lon;
    std::int64_t last_ms = 0;
  };
  std::map<std::string, SensorSeen> sensors_seen_;
};

}  // namespace tw::fleet
