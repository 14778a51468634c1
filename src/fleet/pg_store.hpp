// The fleet's PostgreSQL store (libpq): what the collector keeps from every sensor. Versioned schema: table
// tw_schema_version and an ordered list of migrations (pg_store.cpp), applied under an advisory lock so two
// collectors starting together do not race; a database newer than this code is refused. Every statement
// with a value is a prepared statement (PQprepare/PQexecPrepared): no value ever enters SQL text.
//
// Exactly once: table messages has one row per (sensor, epoch, seq); a message whose row exists is a
// duplicate and nothing of it is written again (INSERT ... ON CONFLICT DO NOTHING), in the same transaction
// as its data. sensor_epochs.through_seq is the highest sequence number up to which every message of that
// sensor epoch is in the database: what the collector confirms to the sensor.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/fleet/fleet_message.hpp"
#include "src/scorer/baseline_view.hpp"

struct pg_conn;

namespace tw::fleet {

class PgFleetStore {
 public:
  static constexpr int kSchemaVersion = 1;

  // Connects (a postgresql:// URL or a libpq key=value string) and migrates. tw::RuntimeFailure naming the
  // server (never the password) when it cannot.
  explicit PgFleetStore(const std::string& conninfo);
  ~PgFleetStore();
  PgFleetStore(const PgFleetStore&) = delete;
  PgFleetStore& operator=(const PgFleetStore&) = delete;

  bool connection_ok() const;
  int schema_version();

  void begin();
  void commit();
  void rollback();   // never throws

  // Inside a transaction. false: a duplicate (already stored), nothing written.
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
  // Rows: rat, mcc, mnc, lac, ci, arfcn, sensor, lat, lon, max snr_db, max power_dbfs, n, first, last received.
  std::vector<std::vector<std::string>> sightings(std::int64_t since_ms);

  // The fleet baseline (src/fleet/pg_baseline_view.hpp): a GSM cell as every sensor observed it before
  // before_ms (received time), and whether any cell of the operator was.
  std::optional<KnownCell> fleet_cell(int mcc, const std::string& mnc, int lac, int ci, std::int64_t before_ms);
  bool fleet_operator_known(int mcc, const std::string& mnc, std::int64_t before_ms);

  // For tests and the bench: the single integer result of a parameterless query.
  std::int64_t query_int(const std::string& sql);
  // Rows of a query with text parameters, each row its columns as text ("" for NULL).
  std::vector<std::vector<std::string>> query(const std::string& sql, const std::vector<std::string>& params = {});
  void exec(const std::string& sql);

 private:
  struct Result;
  Result exec_prepared(const char* name, const std::vector<std::optional<std::string>>& params);
  void prepare_all();
  void migrate();
  [[noreturn]] void fail(const std::string& what);
  std::string where_;   // host:port/dbname for messages
  pg_conn* conn_ = nullptr;
};

}  // namespace tw::fleet
