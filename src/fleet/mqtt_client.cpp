#include "src/fleet/mqtt_client.hpp"

#include <mosquitto.h>

#include <chrono>
#include <mutex>

#include "src/core/error.hpp"

namespace tw::fleet {

namespace {
void lib_init() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}
}  // namespace

MqttClient::MqttClient(const MqttUrl& url, MqttClientOptions options) : url_(url), options_(std::move(options)) {
  lib_init();
  m_ = mosquitto_new(options_.client_id.c_str(), options_.clean_session, this);
  if (!m_) throw RuntimeFailure(describe() + ": cannot create an MQTT client");
  mosquitto_connect_callback_set(m_, cb_connect);
  mosquitto_disconnect_callback_set(m_, cb_disconnect);
  mosquitto_publish_callback_set(m_, cb_publish);
  mosquitto_message_callback_set(m_, cb_message);
  mosquitto_int_option(m_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  if (url_.username &&
      mosquitto_username_pw_set(m_, url_.username->c_str(), url_.password ? url_.password->c_str() : nullptr) != MOSQ_ERR_SUCCESS)
    throw RuntimeFailure(describe() + ": cannot set the user name");
  if (url_.tls) {
    if (!options_.tls || options_.tls->ca_file.empty())
      throw InputError("--mqtt: mqtts:// needs --mqtt-ca FILE (the CA certificate of the broker)");
    const auto& t = *options_.tls;
    const int rc = mosquitto_tls_set(m_, t.ca_file.c_str(), nullptr, t.cert_file.empty() ? nullptr : t.cert_file.c_str(),
                                     t.key_file.empty() ? nullptr : t.key_file.c_str(), nullptr);
    if (rc != MOSQ_ERR_SUCCESS)
      throw InputError("--mqtt-ca/--mqtt-cert/--mqtt-key: " + std::string(mosquitto_strerror(rc)) + " (" + t.ca_file + ")");
  }
  if (options_.will) {
    const auto& w = *options_.will;
    if (mosquitto_will_set(m_, w.topic.c_str(), static_cast<int>(w.payload.size()), w.payload.data(), 1, w.retain) !=
        MOSQ_ERR_SUCCESS)
      throw RuntimeFailure(describe() + ": cannot set the last will");
  }
}

MqttClient::~MqttClient() {
  if (m_) {
    if (connected_) mosquitto_disconnect(m_);
    mosquitto_destroy(m_);
  }
}

std::string MqttClient::describe() const {
  return std::string(url_.tls ? "mqtts://" : "mqtt://") + url_.host + ":" + std::to_string(url_.port);
}

void MqttClient::cb_connect(mosquitto*, void* self, int rc) {
  auto* c = static_cast<MqttClient*>(self);
  c->connack_rc_ = rc;
  c->connected_ = rc == 0;
}
void MqttClient::cb_disconnect(mosquitto*, void* self, int) { static_cast<MqttClient*>(self)->connected_ = false; }
void MqttClient::cb_publish(mosquitto*, void* self, int mid) {
  auto* c = static_cast<MqttClient*>(self);
  if (c->on_puback) c->on_puback(mid);
}
void MqttClient::cb_message(mosquitto*, void* self, const struct mosquitto_message* m) {
  auto* c = static_cast<MqttClient*>(self);
  if (c->on_message && m && m->topic)
    c->on_message(m->topic, std::string_view(static_cast<const char*>(m->payload), static_cast<std::size_t>(m->payloadlen)));
}

void MqttClient::connect(double timeout_s) {
  connected_ = false;
  connack_rc_ = -1;
  int rc = mosquitto_connect(m_, url_.host.c_str(), url_.port, options_.keepalive_s);
  if (rc != MOSQ_ERR_SUCCESS)
    throw RuntimeFailure(describe() + ": cannot connect: " + (rc == MOSQ_ERR_ERRNO ? "connection refused or unreachable"
                                                                                    : mosquitto_strerror(rc)));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (connack_rc_ < 0 && std::chrono::steady_clock::now() < deadline) {
    rc = mosquitto_loop(m_, 50, 1);
    if (rc != MOSQ_ERR_SUCCESS && connack_rc_ < 0)
      throw RuntimeFailure(describe() + ": connection lost before CONNACK: " + mosquitto_strerror(rc));
  }
  if (connack_rc_ < 0) throw RuntimeFailure(describe() + ": no CONNACK within " + std::to_string(timeout_s) + " s");
  if (connack_rc_ != 0)
    throw RuntimeFailure(describe() + ": broker refused the connection: " + mosquitto_connack_string(connack_rc_));
}

void MqttClient::disconnect() {
  if (connected_) {
    mosquitto_disconnect(m_);
    mosquitto_loop(m_, 50, 1);
  }
  connected_ = false;
}

int MqttClient::publish(const std::string& topic, std::string_view payload, int qos, bool retain) {
  int mid = 0;
  const int rc = mosquitto_publish(m_, &mid, topic.c_str(), static_cast<int>(payload.size()), payload.data(), qos, retain);
  if (rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_CONN_LOST) {
    connected_ = false;
    throw RuntimeFailure(describe() + ": not connected");
  }
  if (rc != MOSQ_ERR_SUCCESS) throw RuntimeFailure(describe() + ": publish to " + topic + ": " + mosquitto_strerror(rc));
  return mid;
}

void MqttClient::subscribe(const std::string& pattern, int qos) {
  const int rc = mosquitto_subscribe(m_, nullptr, pattern.c_str(), qos);
  if (rc != MOSQ_ERR_SUCCESS) throw RuntimeFailure(describe() + ": subscribe " + pattern + ": " + mosquitto_strerror(rc));
}

void MqttClient::loop(int timeout_ms) {
  const int rc = mosquitto_loop(m_, timeout_ms, 1);
  if (rc != MOSQ_ERR_SUCCESS) connected_ = false;
}

}  // namespace tw::fleet
