// A sensor's side of the fleet: what a sweep publishes, and getting it to the broker.
//
// Topics (PREFIX from the --mqtt URL, SENSOR the sensor id): PREFIX/SENSOR/cell, .../alert, .../sweep (QoS 1,
// in sequence order: a sweep's cells, then its alerts, then the sweep record that closes it), and
// PREFIX/SENSOR/status ("online", retained; the last will sets "offline"). Payloads are the JSON lines
// towerwatch prints (a cell record, an alert) with "sensor", "sweep", "time_unix_ms" and the sensor's
// position, plus "msg_id" = SENSOR:EPOCH:SEQ, "epoch", "seq" (src/store/outbox.hpp) and "floor" (every
// sequence number up to it is settled on the sensor: the collector need not wait for it).
//
// Store-and-forward: enqueue_sweep writes the messages into the outbox inside the sweep's transaction;
// drain() connects (after a failure, not before the backoff has passed: 1 s doubling to 60 s), publishes
// what is pending in order and waits for the PUBACKs. Confirmation:
//   - broker (default): a PUBACK deletes the message.
//   - collector (--mqtt-confirm collector): a PUBACK only marks it; the collector publishes, retained, on
//     PREFIX/SENSOR/ack {"epoch":E,"through_seq":N} once every message up to N is in its database, and the
//     sensor deletes those. A message acknowledged by the broker but not confirmed within resend_after_s is
//     sent again (the collector drops the duplicate by its id). This covers a collector killed between the
//     broker's delivery and its database commit (libmosquitto acknowledges a QoS 1 message before the
//     application has it), which a PUBACK alone cannot.
// Privacy: the cell records are already redacted (src/gsm/redaction); as a second guard any member named
// imsi, tmsi, p_tmsi, imei, imeisv or tlli holding a value (not a count) is removed from every payload
// unless keep_identities.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/fleet/mqtt_client.hpp"
#include "src/fleet/mqtt_url.hpp"
#include "src/scorer/observation.hpp"
#include "src/scorer/scorer.hpp"
#include "src/store/store.hpp"

namespace tw::fleet {

struct PublisherConfig {
  MqttUrl url;
  std::optional<TlsFiles> tls;
  std::string sensor_id;                 // a topic level (is_topic_level)
  std::optional<double> lat, lon;        // the sensor's position (--position), sent with every message
  bool keep_identities = false;
  bool confirm_by_collector = false;
  double timeout_s = 10.0;               // drain: how long to wait for the broker's acknowledgements
  double resend_after_s = 30.0;          // collector confirmation: resend what is unconfirmed after this
  // Home Assistant discovery (ha_discovery.hpp): configs published, retained, on every connection; the last
  // sweep's state, retained, after each drain. Empty: off.
  std::string homeassistant_prefix;
};

struct DrainReport {
  bool connected = false;
  std::int64_t published = 0, acknowledged = 0, confirmed = 0, requeued = 0;
  std::int64_t left = 0;                 // not yet acknowledged by the broker
  std::string error;                     // why not connected
};

class SensorPublisher {
 public:
  explicit SensorPublisher(PublisherConfig config);
  ~SensorPublisher();
  const PublisherConfig& config() const { return config_; }

  // Inside the sweep's transaction: its cells, alerts, then the sweep record, into the outbox.
  void enqueue_sweep(store::Store& db, std::int64_t sweep_id, const SweepObservations& sweep,
                     const std::vector<Alert>& alerts, const std::string& source);
  // Publishes the outbox (see above). Never throws for a broker that is away: the report says so.
  DrainReport drain(store::Store& db, double timeout_s);
  // Publishes status "offline" (retained) and disconnects.
  void close();

  std::string topic(const std::string& kind) const;

 private:
  nlohmann::json scrub(nlohmann::json j) const;
  bool ensure_connected(store::Store& db);
  PublisherConfig config_;
  std::unique_ptr<MqttClient> client_;
  std::optional<nlohmann::json> collector_ack_;  // the last ack message received
  std::optional<std::string> ha_state_;          // Home Assistant state not yet published
  std::chrono::steady_clock::time_point next_attempt_{};
  double backoff_s_ = 1.0;
  std::string epoch_;
};

}  // namespace tw::fleet
