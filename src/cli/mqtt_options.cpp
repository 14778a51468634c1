#include "src/cli/mqtt_options.hpp"

#include <cmath>

#include "src/core/error.hpp"
#include "src/core/units.hpp"

namespace tw::cli {

std::vector<OptionSpec> mqtt_options() {
  return {
      {"mqtt", true, "URL",
       "publish cells, alerts and sweeps to an MQTT broker: mqtt://[user:pass@]host[:port]/PREFIX or mqtts://... "
       "(messages wait in the --db outbox while the broker is away)"},
      {"mqtt-ca", true, "FILE", "mqtts://: CA certificate file the broker's certificate must chain to"},
      {"mqtt-cert", true, "FILE", "mqtts://: client certificate (PEM), with --mqtt-key"},
      {"mqtt-key", true, "FILE", "mqtts://: client private key (PEM)"},
      {"mqtt-sensor", true, "ID", "this sensor's id in the topics (default: the device serial or file name)"},
      {"mqtt-position", true, "LAT,LON", "the sensor's position, sent with its messages (fleet rules use it)"},
      {"mqtt-confirm", true, "broker|collector",
       "delete a sent message on the broker's PUBACK (default) or once the collector confirms it"},
      {"mqtt-timeout", true, "S", "how long to wait for the broker's acknowledgements after a sweep (default 10)"},
      {"mqtt-resend-after", true, "S",
       "--mqtt-confirm collector: send again what the collector has not confirmed after S seconds (default 30)"},
      {"mqtt-homeassistant", false, "",
       "Home Assistant MQTT discovery: a device per sensor with a binary sensor 'rogue cell nearby' and sensors "
       "'cells seen' and 'highest score' (state on PREFIX/SENSOR/ha/state)"},
      {"mqtt-homeassistant-prefix", true, "P", "Home Assistant's discovery prefix (default homeassistant)"},
  };
}

namespace {
std::string topic_safe(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    out += ok ? c : '_';
    if (out.size() == 64) break;
  }
  return out.empty() ? std::string("sensor") : out;
}
}  // namespace

std::unique_ptr<fleet::SensorPublisher> publisher_from_args(const Args& args, const std::string& default_sensor,
                                                            bool keep_identities) {
  for (const char* o : {"mqtt-ca", "mqtt-cert", "mqtt-key", "mqtt-sensor", "mqtt-position", "mqtt-confirm", "mqtt-timeout", "mqtt-resend-after", "mqtt-homeassistant",
                        "mqtt-homeassistant-prefix"})
    if (args.has(o) && !args.has("mqtt")) throw InputError(std::string("--") + o + " needs --mqtt URL");
  const auto url = args.get("mqtt");
  if (!url) return nullptr;
  fleet::PublisherConfig c;
  c.url = fleet::parse_mqtt_url(*url);
  if (args.has("mqtt-ca") || args.has("mqtt-cert") || args.has("mqtt-key")) {
    if (!c.url.tls) throw InputError("--mqtt-ca/--mqtt-cert/--mqtt-key need an mqtts:// URL");
    c.tls = fleet::TlsFiles{args.get_or("mqtt-ca", ""), args.get_or("mqtt-cert", ""), args.get_or("mqtt-key", "")};
    if (c.tls->cert_file.empty() != c.tls->key_file.empty()) throw InputError("--mqtt-cert and --mqtt-key go together");
  }
  c.sensor_id = args.get_or("mqtt-sensor", topic_safe(default_sensor));
  if (auto p = args.get("mqtt-position")) {
    const auto comma = p->find(',');
    if (comma == std::string::npos) throw InputError("--mqtt-position: expected LAT,LON, got '" + *p + "'");
    const double lat = parse_si_number(p->substr(0, comma), "--mqtt-position latitude");
    const double lon = parse_si_number(p->substr(comma + 1), "--mqtt-position longitude");
    if (!(std::fabs(lat) <= 90.0) || !(std::fabs(lon) <= 180.0))
      throw InputError("--mqtt-position: latitude must be within -90..90 and longitude within -180..180");
    c.lat = lat;
    c.lon = lon;
  }
  const std::string confirm = args.get_or("mqtt-confirm", "broker");
  if (confirm != "broker" && confirm != "collector")
    throw InputError("--mqtt-confirm: expected broker or collector, got '" + confirm + "'");
  c.confirm_by_collector = confirm == "collector";
  c.timeout_s = args.number_or("mqtt-timeout", 10.0);
  if (!(c.timeout_s > 0 && c.timeout_s <= 3600)) throw InputError("--mqtt-timeout must be within (0, 3600] s");
  c.resend_after_s = args.number_or("mqtt-resend-after", 30.0);
  if (!(c.resend_after_s >= 0 && c.resend_after_s <= 86400)) throw InputError("--mqtt-resend-after must be within 0..86400 s");
  c.keep_identities = keep_identities;
  if (args.has("mqtt-homeassistant-prefix") && !args.has("mqtt-homeassistant"))
    throw InputError("--mqtt-homeassistant-prefix needs --mqtt-homeassistant");
  if (args.has("mqtt-homeassistant")) {
    c.homeassistant_prefix = args.get_or("mqtt-homeassistant-prefix", "homeassistant");
    if (!fleet::is_topic_level(c.homeassistant_prefix))
      throw InputError("--mqtt-homeassistant-prefix: '" + c.homeassistant_prefix +
                       "' must be 1..64 characters of A-Z a-z 0-9 . _ -");
  }
  return std::make_unique<fleet::SensorPublisher>(std::move(c));
}

}  // namespace tw::cli
