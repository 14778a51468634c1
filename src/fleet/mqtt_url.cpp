#include "src/fleet/mqtt_url.hpp"

#include <charconv>

#include "src/core/error.hpp"

namespace tw::fleet {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 2.1 percent-decoding of the userinfo.
std::string percent_decode(const std::string& s, const std::string& what) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || hex_digit(s[i + 1]) < 0 || hex_digit(s[i + 2]) < 0)
      throw InputError("--mqtt: " + what + ": bad percent-encoding");
    const char c = static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
    if (c == '\0') throw InputError("--mqtt: " + what + ": NUL byte");
    out += c;
    i += 2;
  }
  return out;
}

}  // namespace

bool is_topic_level(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
      return false;
  return true;
}

MqttUrl parse_mqtt_url(const std::string& url) {
  MqttUrl u;
  std::string rest;
  if (url.rfind("mqtt://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("mqtts://", 0) == 0) {
    u.tls = true;
    u.port = 8883;
    rest = url.substr(8);
  } else {
    throw InputError("--mqtt: '" + url + "' must start with mqtt:// or mqtts://");
  }
  const std::size_t slash = rest.find('/');
  if (slash == std::string::npos) throw InputError("--mqtt: '" + url + "' has no /PREFIX (e.g. mqtt://host/towerwatch)");
  std::string authority = rest.substr(0, slash);
  u.prefix = rest.substr(slash + 1);
  while (!u.prefix.empty() && u.prefix.back() == '/') u.prefix.pop_back();
  if (u.prefix.empty()) throw InputError("--mqtt: '" + url + "' has an empty topic prefix");
  if (u.prefix.size() > 200) throw InputError("--mqtt: topic prefix longer than 200 characters");
  std::size_t start = 0;
  while (start <= u.prefix.size()) {
    const std::size_t end = std::min(u.prefix.find('/', start), u.prefix.size());
    if (!is_topic_level(u.prefix.substr(start, end - start)))
      throw InputError("--mqtt: topic prefix '" + u.prefix + "': level '" + u.prefix.substr(start, end - start) +
                       "' must be 1..64 characters of A-Z a-z 0-9 . _ -");
    start = end + 1;
  }
  if (const std::size_t at = authority.rfind('@'); at != std::string::npos) {
    const std::string userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const std::size_t colon = userinfo.find(':');
    u.username = percent_decode(userinfo.substr(0, colon), "user name");
    if (u.username->empty()) throw InputError("--mqtt: empty user name before '@'");
    if (colon != std::string::npos) u.password = percent_decode(userinfo.substr(colon + 1), "password");
  }
  std::string host = authority;
  std::optional<std::string> port;
  if (!host.empty() && host.front() == '[') {  // [IPv6]:port
    const std::size_t close = host.find(']');
    if (close == std::string::npos) throw InputError("--mqtt: '" + url + "': unclosed [ in the host");
    if (close + 1 < host.size()) {
      if (host[close + 1] != ':') throw InputError("--mqtt: '" + url + "': junk after ]");
      port = host.substr(close + 2);
    }
    host = host.substr(1, close - 1);
  } else if (const std::size_t colon = host.rfind(':'); colon != std::string::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) throw InputError("--mqtt: '" + url + "' has no host");
  for (char c : host)
    if (c == '/' || c == '@' || c == ' ' || static_cast<unsigned char>(c) < 0x20)
      throw InputError("--mqtt: host '" + host + "' is not a host name");
  u.host = host;
  if (port) {
    int p = 0;
    auto [ptr, ec] = std::from_chars(port->data(), port->data() + port->size(), p);
    if (port->empty() || ec != std::errc() || ptr != port->data() + port->size() || p < 1 || p > 65535)
      throw InputError("--mqtt: port '" + *port + "' is not 1..65535");
    u.port = p;
  }
  return u;
}

}  // namespace tw::fleet
