// The broker a sensor publishes to or a collector reads from, as one URL:
//   mqtt://[user[:password]@]host[:port]/PREFIX      (port 1883 by default)
//   mqtts://[user[:password]@]host[:port]/PREFIX     (TLS, port 8883 by default; --mqtt-ca names the CA file)
// user and password may be percent-encoded (RFC 3986 2.1); PREFIX is one or more topic levels
// ("towerwatch", "site/north") without MQTT wildcards (+ #), NUL, or empty levels (MQTT 3.1.1 4.7).
#pragma once
#include <optional>
#include <string>

namespace tw::fleet {

struct MqttUrl {
  bool tls = false;
  std::string host;
  int port = 1883;
  std::optional<std::string> username, password;
  std::string prefix;   // "towerwatch"
};

// tw::InputError naming the URL's faulty part.
MqttUrl parse_mqtt_url(const std::string& url);

// True when `s` is usable as one topic level: 1..64 characters of [A-Za-z0-9._-] (sensor ids).
bool is_topic_level(const std::string& s);

}  // namespace tw::fleet
