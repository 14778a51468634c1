#include "src/fleet/sensor_publisher.hpp"

#include <unistd.h>

#include <map>
#include <thread>

#include "src/core/error.hpp"
#include "src/core/log.hpp"
#include "src/fleet/ha_discovery.hpp"
#include "src/scorer/score_records.hpp"
#include "src/store/outbox.hpp"

namespace tw::fleet {

using nlohmann::json;

namespace {
bool is_identity_name(const std::string& k) {
  static const char* const names[] = {"imsi", "tmsi", "p_tmsi", "ptmsi", "imei", "imeisv", "tlli"};
  for (const char* n : names)
    if (k == n) return true;
  return false;
}
void scrub_in_place(json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end();) {
      if (is_identity_name(it.key()) && !it->is_number()) {  // "paging":{"imsi":3} is a count, kept
        it = j.erase(it);
      } else {
        scrub_in_place(*it);
        ++it;
      }
    }
  } else if (j.is_array()) {
    for (auto& v : j) scrub_in_place(v);
  }
}
json opt_num(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
}  // namespace

SensorPublisher::SensorPublisher(PublisherConfig config) : config_(std::move(config)) {
  if (!is_topic_level(config_.sensor_id))
    throw InputError("--mqtt-sensor: '" + config_.sensor_id + "' must be 1..64 characters of A-Z a-z 0-9 . _ -");
  if (config_.sensor_id == "fleet") throw InputError("--mqtt-sensor: 'fleet' is reserved for the collector's topics");
}

SensorPublisher::~SensorPublisher() {
  try {
    close();
  } catch (...) {
  }
}

std::string SensorPublisher::topic(const std::string& kind) const {
  return config_.url.prefix + "/" + config_.sensor_id + "/" + kind;
}

json SensorPublisher::scrub(json j) const {
  if (!config_.keep_identities) scrub_in_place(j);
  return j;
}

void SensorPublisher::enqueue_sweep(store::Store& db, std::int64_t sweep_id, const SweepObservations& sweep,
                                    const std::vector<Alert>& alerts, const std::string& source) {
  const auto base = [&](json j) {
    j["sensor"] = config_.sensor_id;
    j["sweep"] = sweep_id;
    j["time_unix_ms"] = sweep.time_unix_ms;
    j["lat"] = opt_num(config_.lat);
    j["lon"] = opt_num(config_.lon);
    return scrub(std::move(j));
  };
  for (const auto& c : sweep.cells) {
    json rec = c.params.is_object() ? c.params : json::object();
    rec["type"] = "cell";
    rec = base(std::move(rec));
    if (c.lat && c.lon) {  // the cell's own position (a moving sensor's fix) wins over the configured one
      rec["lat"] = *c.lat;
      rec["lon"] = *c.lon;
    }
    store::outbox_append(db, "cell", rec);
  }
  for (const auto& a : alerts) store::outbox_append(db, "alert", base(to_json(a)));
  if (!config_.homeassistant_prefix.empty()) ha_state_ = ha_state(sweep, alerts).dump();
  store::outbox_append(db, "sweep", base(json{{"type", "sweep"}, {"n_cells", sweep.cells.size()},
                                              {"alerts", alerts.size()}, {"source", source}}));
}

bool SensorPublisher::ensure_connected(store::Store& db) {
  if (client_) client_->loop(0);  // notices a connection the broker closed while we were sweeping
  if (client_ && client_->connected()) return true;
  if (std::chrono::steady_clock::now() < next_attempt_) return false;
  if (epoch_.empty()) epoch_ = store::outbox_epoch(db);
  MqttClientOptions o;
  o.client_id = "towerwatch-sensor-" + config_.sensor_id;
  o.clean_session = true;
  o.tls = config_.tls;
  o.will = MqttClientOptions::Will{topic("status"), "offline", true};
  client_ = std::make_unique<MqttClient>(config_.url, o);
  client_->on_message = [this](const std::string& t, std::string_view payload) {
    if (t != topic("ack") || payload.size() > 4096) return;
    try {
      json j = json::parse(payload);
      if (j.is_object() && j.value("epoch", "") == epoch_ && j.contains("through_seq") && j["through_seq"].is_number_integer())
        collector_ack_ = j;
    } catch (const json::exception&) {
      log::warn("mqtt: ignoring a malformed collector acknowledgement on " + t);
    }
  };
  try {
    client_->connect(config_.timeout_s);
    client_->publish(topic("status"), "online", 1, true);
    if (config_.confirm_by_collector) client_->subscribe(topic("ack"), 1);
    if (!config_.homeassistant_prefix.empty())
      for (const auto& m : ha_discovery_configs(config_.homeassistant_prefix, config_.url.prefix, config_.sensor_id))
        client_->publish(m.topic, m.payload, 1, true);
    backoff_s_ = 1.0;
    return true;
  } catch (const RuntimeFailure& e) {
    client_.reset();
    next_attempt_ = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                           std::chrono::duration<double>(backoff_s_));
    log::warn(std::string("mqtt: ") + e.what() + "; messages stay in the outbox, next attempt in " +
              std::to_string(static_cast<int>(backoff_s_)) + " s");
    backoff_s_ = std::min(backoff_s_ * 2.0, 60.0);
    return false;
  }
}

DrainReport SensorPublisher::drain(store::Store& db, double timeout_s) {
  DrainReport r;
  if (!ensure_connected(db)) {
    r.error = "not connected";
    r.left = store::outbox_unsent(db);
    return r;
  }
  r.connected = true;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  std::map<int, std::int64_t> inflight;     // mid -> seq
  std::vector<std::int64_t> acked;
  client_->on_puback = [&](int mid) {
    if (auto it = inflight.find(mid); it != inflight.end()) {
      acked.push_back(it->second);
      inflight.erase(it);
    }
  };
  struct ResetCallback {  // the callback refers to this frame's locals: never beyond it
    MqttClient* c;
    ~ResetCallback() {
      if (c) c->on_puback = nullptr;
    }
  } reset_callback{client_.get()};
  const auto flush_acks = [&] {
    store::outbox_acknowledge(db, acked, now_unix_ms(), !config_.confirm_by_collector);
    r.acknowledged += static_cast<std::int64_t>(acked.size());
    acked.clear();
  };
  const auto apply_collector_ack = [&] {
    if (!collector_ack_) return;
    r.confirmed += store::outbox_confirm_through(db, (*collector_ack_)["through_seq"].get<std::int64_t>());
  };
  if (config_.confirm_by_collector) {
    for (int i = 0; i < 5 && client_->connected(); ++i) client_->loop(20);  // the retained ack, if any
    apply_collector_ack();
    r.requeued = store::outbox_requeue_unconfirmed(
        db, now_unix_ms() - static_cast<std::int64_t>(config_.resend_after_s * 1000.0));
  }
  const std::string head_prefix = "{\"msg_id\":\"" + config_.sensor_id + ":" + epoch_ + ":";
  // Every sequence number below the outbox's lowest is settled on this side (confirmed, or deleted on a
  // broker PUBACK): the collector need not wait for them.
  const std::string floor = std::to_string(db.query_int("SELECT coalesce(min(seq), 1) - 1 FROM mqtt_outbox"));
  bool more = true;
  while (more && client_->connected() && std::chrono::steady_clock::now() < deadline) {
    const auto batch = store::outbox_pending(db, 500);
    more = batch.size() == 500;
    for (const auto& m : batch) {
      // {"msg_id":"S:E:N","epoch":"E","seq":N, + the stored object's members
      const std::string payload = head_prefix + std::to_string(m.seq) + "\",\"epoch\":\"" + epoch_ +
                                  "\",\"seq\":" + std::to_string(m.seq) + ",\"floor\":" + floor + (m.payload.size() > 2 ? "," : "") +
                                  m.payload.substr(1);
      try {
        inflight[client_->publish(topic(m.kind), payload, 1, false)] = m.seq;
        ++r.published;
      } catch (const RuntimeFailure&) {
        break;
      }
      client_->loop(0);
    }
    while (!inflight.empty() && client_->connected() && std::chrono::steady_clock::now() < deadline) {
      client_->loop(20);
      if (acked.size() >= 200) flush_acks();
    }
    flush_acks();
    if (!inflight.empty()) break;
  }
  if (config_.confirm_by_collector && client_->connected()) {
    client_->loop(20);
    apply_collector_ack();
  }
  flush_acks();
  if (ha_state_ && client_->connected()) {
    try {
      client_->publish(ha_state_topic(config_.url.prefix, config_.sensor_id), *ha_state_, 1, true);
      ha_state_.reset();
      client_->loop(20);
    } catch (const RuntimeFailure&) {
      // published after the next drain
    }
  }
  if (!client_->connected()) {
    log::warn("mqtt: connection to the broker lost; messages stay in the outbox");
    client_->on_puback = nullptr;
    reset_callback.c = nullptr;
    client_.reset();
  }
  r.left = store::outbox_unsent(db);
  return r;
}

void SensorPublisher::close() {
  if (client_ && client_->connected()) {
    try {
      client_->publish(topic("status"), "offline", 1, true);
      for (int i = 0; i < 5; ++i) client_->loop(20);
    } catch (const RuntimeFailure&) {
    }
    client_->disconnect();
  }
  client_.reset();
}

}  // namespace tw::fleet
