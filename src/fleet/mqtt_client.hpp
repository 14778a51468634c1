// A small RAII client over libmosquitto, driven by the caller's thread (mosquitto_loop): connect with an
// optional TLS setup and last will, publish at QoS 0/1, subscribe, and callbacks for PUBACKs and messages.
// Every failure is a tw::RuntimeFailure naming the broker; a lost connection is reported by connected().
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "src/fleet/mqtt_url.hpp"

struct mosquitto;
struct mosquitto_message;

namespace tw::fleet {

struct TlsFiles {
  std::string ca_file;                  // mqtts://: the CA certificate(s) the broker's certificate must chain to
  std::string cert_file, key_file;      // optional client certificate
};

struct MqttClientOptions {
  std::string client_id;
  bool clean_session = true;            // false: the broker keeps our subscriptions and QoS 1 messages while away
  int keepalive_s = 30;
  std::optional<TlsFiles> tls;
  struct Will {
    std::string topic, payload;
    bool retain = true;
  };
  std::optional<Will> will;
};

class MqttClient {
 public:
  MqttClient(const MqttUrl& url, MqttClientOptions options);
  ~MqttClient();
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  // Connects and waits for the broker's CONNACK up to timeout_s; tw::RuntimeFailure when it fails.
  void connect(double timeout_s);
  bool connected() const { return connected_; }
  void disconnect();
  // Returns the message id (PUBACK arrives on on_puback for QoS 1). RuntimeFailure when not connected.
  int publish(const std::string& topic, std::string_view payload, int qos, bool retain);
  void subscribe(const std::string& pattern, int qos);
  // Network I/O for up to timeout_ms; a lost connection sets connected() false (no exception).
  void loop(int timeout_ms);
  std::string describe() const;

  std::function<void(int mid)> on_puback;
  std::function<void(const std::string& topic, std::string_view payload)> on_message;

 private:
  static void cb_connect(mosquitto*, void* self, int rc);
  static void cb_disconnect(mosquitto*, void* self, int rc);
  static void cb_publish(mosquitto*, void* self, int mid);
  static void cb_message(mosquitto*, void* self, const mosquitto_message* m);
  MqttUrl url_;
  MqttClientOptions options_;
  mosquitto* m_ = nullptr;
  bool connected_ = false;
  int connack_rc_ = -1;
};

}  // namespace tw::fleet
