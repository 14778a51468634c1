// `towerwatch collect`: subscribes to PREFIX/+/+ of every sensor (persistent session, QoS 1: the broker keeps
// messages for the collector while it is away), checks each message as attacker input (fleet_message.hpp,
// a per-sensor token-bucket rate limit, a cap on the sensors tracked), and writes the good ones into
// PostgreSQL (fleet_store.hpp: the store's tables) in batches, one transaction per batch, duplicates dropped
// by message id. After each commit it confirms to every sensor touched, retained on PREFIX/SENSOR/ack, how far its messages are
// all stored (sensors with --mqtt-confirm collector delete them then; see sensor_publisher.hpp). Bad messages
// are counted by reason and dropped; a summary line goes out every summary_every_s and at the end.
// PostgreSQL or the broker away: the batch waits in memory (the broker is not read meanwhile) and the
// connection is retried with backoff (1 s doubling to 30 s).
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/fleet/fleet_scoring.hpp"
#include "src/fleet/mqtt_client.hpp"
#include "src/fleet/mqtt_url.hpp"

namespace tw::fleet {

struct CollectorOptions {
  MqttUrl url;
  std::optional<TlsFiles> tls;
  std::string db;                          // postgresql://...
  std::string client_id = "towerwatch-collector";
  double rate_per_s = 200.0;               // per sensor, sustained
  double burst = 5000.0;                   // per sensor, bucket size
  std::size_t max_sensors = 10000;         // sensors tracked by the rate limiter; more are refused
  std::size_t batch = 500;                 // messages per transaction at most
  double summary_every_s = 10.0;
  const std::atomic<bool>* stop = nullptr;
  std::function<void(const nlohmann::json&)> emit;  // collector_start, collector_summary, collector_stop, ...
  // After each committed batch (the fleet rules): the fleet alerts it returns are published on
  // PREFIX/fleet/alert (QoS 1) and emitted.
  std::function<std::vector<nlohmann::json>(class FleetStore&, std::int64_t now_ms)> after_batch;
  // Before after_batch, with the sweeps the batch completed (their sweep record newly stored): the fleet
  // baseline scoring (fleet_scoring.hpp); its alerts go out the same way.
  std::function<std::vector<nlohmann::json>(class FleetStore&, std::int64_t now_ms, const std::vector<SweepRef>&)> on_sweeps;
};

struct CollectorStats {
  std::int64_t received = 0, stored = 0, duplicates = 0, rejected = 0, rate_limited = 0, batches = 0;
  std::int64_t db_reconnects = 0, broker_reconnects = 0;
  std::map<std::string, std::int64_t> reasons;   // rejected, by reason
  nlohmann::json to_json(const char* type) const;
};

CollectorStats run_collector(const CollectorOptions& options);

}  // namespace tw::fleet
