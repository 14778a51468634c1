// The MQTT outbox of a sensor (schema v3, table mqtt_outbox): the messages a sweep publishes, written in the
// sweep's own transaction (call outbox_append inside Store::Transaction), so a sweep is committed together
// with its messages or not at all. The publisher (src/fleet/sensor_publisher.hpp) sends them in sequence
// order; a message is acknowledged (acked_ms set) on the broker's PUBACK and deleted either then or once
// the collector confirms it (see there). The sequence number never repeats within one database; with the
// database's random epoch (meta mqtt.outbox_epoch) and the sensor id it makes the message id.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/store/store.hpp"

namespace tw::store {

struct OutboxMessage {
  std::int64_t seq = 0;
  std::string kind;      // "cell" | "alert" | "sweep"
  std::string payload;   // a JSON object, as stored
};

// The random id of this database's outbox sequence, created on first use (16 hex digits).
std::string outbox_epoch(Store& store);
// Appends one message (payload must be a JSON object); returns its sequence number.
std::int64_t outbox_append(Store& store, const std::string& kind, const nlohmann::json& payload);
// Not yet acknowledged by the broker, in sequence order, at most `limit`.
std::vector<OutboxMessage> outbox_pending(Store& store, std::size_t limit);
// The broker acknowledged these: deleted (delete_rows) or marked acknowledged at now_ms (kept until the
// collector confirms them).
void outbox_acknowledge(Store& store, const std::vector<std::int64_t>& seqs, std::int64_t now_ms, bool delete_rows);
// The collector holds every message up to `seq`: their rows go. Returns the rows deleted.
std::int64_t outbox_confirm_through(Store& store, std::int64_t seq);
// Acknowledged by the broker before `acked_before_ms` but still not confirmed: sent again. Returns how many.
std::int64_t outbox_requeue_unconfirmed(Store& store, std::int64_t acked_before_ms);
std::int64_t outbox_size(Store& store);
// Not yet acknowledged by the broker.
std::int64_t outbox_unsent(Store& store);

}  // namespace tw::store
