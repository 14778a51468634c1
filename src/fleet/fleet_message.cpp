#include "src/fleet/fleet_message.hpp"

#include <cmath>

#include "src/core/error.hpp"
#include "src/fleet/mqtt_url.hpp"
#include "src/store/store.hpp"

namespace tw::fleet {

using nlohmann::json;

namespace {

// Depth of [ { outside strings, and no NUL byte anywhere (PostgreSQL text and jsonb refuse NUL).
bool raw_ok(std::string_view p, std::string& why) {
  int depth = 0;
  bool in_string = false, escape = false;
  for (char c : p) {
    if (c == '\0') return why = "NUL byte in the payload", false;
    if (in_string) {
      if (escape) escape = false;
      else if (c == '\\') escape = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return why = "nested deeper than " + std::to_string(kMaxDepth), false;
    } else if (c == ']' || c == '}') --depth;
  }
  // An escaped NUL (\u0000) decodes to NUL: refused as well.
  if (p.find("\\u0000") != std::string_view::npos) return why = "NUL character in a string", false;
  return true;
}

struct Reject {
  std::string why;
};
[[noreturn]] void reject(const std::string& why) { throw Reject{why}; }

std::int64_t int_in(const json& j, const char* k, std::int64_t lo, std::int64_t hi) {
  if (!j.contains(k)) reject(std::string("member '") + k + "' missing");
  const auto& v = j[k];
  if (!v.is_number_integer()) reject(std::string("member '") + k + "' is not an integer");
  const std::int64_t x = v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)
                             ? hi + 1
                             : v.get<std::int64_t>();
  if (x < lo || x > hi)
    reject(std::string("member '") + k + "' = " + std::to_string(x) + " is outside " + std::to_string(lo) + ".." +
           std::to_string(hi));
  return x;
}
std::optional<std::int64_t> opt_int_in(const json& j, const char* k, std::int64_t lo, std::int64_t hi) {
  if (!j.contains(k) || j[k].is_null()) return std::nullopt;
  return int_in(j, k, lo, hi);
}
std::optional<double> opt_num_in(const json& j, const char* k, double lo, double hi) {
  if (!j.contains(k) || j[k].is_null()) return std::nullopt;
  if (!j[k].is_number()) reject(std::string("member '") + k + "' is not a number");
  const double x = j[k].get<double>();
  if (!std::isfinite(x) || x < lo || x > hi)
    reject(std::string("member '") + k + "' is outside " + std::to_string(lo) + ".." + std::to_string(hi));
  return x;
}
std::string str_of(const json& j, const char* k, std::size_t max_len) {
  if (!j.contains(k) || !j[k].is_string()) reject(std::string("member '") + k + "' is not a string");
  std::string s = j[k].get<std::string>();
  if (s.size() > max_len) reject(std::string("member '") + k + "' is longer than " + std::to_string(max_len));
  return s;
}

bool is_hex16(const std::string& s) {
  if (s.size() != 16) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

constexpr std::int64_t kMinTime = 946684800000LL;   // 2000-01-01
constexpr std::int64_t kMaxTime = 4102444800000LL;  // 2100-01-01

void check_cell(FleetMessage& m) {
  const json& b = m.body;
  // Types and ranges of what the store keeps (TS 23.003: MCC/MNC 3 digits, LAC/TAC 16 bits, CI 16 bits in
  // GSM, the E-UTRAN cell identity 28 bits; BSIC 6 bits, TS 45.002; EARFCN up to 262143, TS 36.101; NR: PCI
  // 0..1007, TS 38.211 7.4.2.1; GSCN up to 26639 and NR-ARFCN up to 3279165, TS 38.104 5.4.2.1 / 5.4.3.1;
  // SSB index below L_max 64, TS 38.213 4.1).
  const std::string rat = str_of(b, "rat", 8);
  if (rat != "GSM" && rat != "LTE" && rat != "NR") reject("member 'rat' must be GSM, LTE or NR");
  if (b.contains("band") && !b["band"].is_null()) str_of(b, "band", 32);
  if (rat == "NR") {
    opt_int_in(b, "gscn", 0, 26639);
    opt_int_in(b, "nr_arfcn", 0, 3279165);
    opt_int_in(b, "pci", 0, 1007);
    opt_int_in(b, "ssb_index", 0, 63);
    if (b.contains("mib") && !b["mib"].is_null() && (!b["mib"].is_object() || b["mib"].size() > 32))
      reject("member 'mib' is not an object of at most 32 members");
  } else {
    opt_int_in(b, rat == "LTE" ? "earfcn" : "arfcn", -1, 262143);
    opt_int_in(b, "pci", 0, 503);
  }
  opt_int_in(b, "mcc", 0, 999);
  opt_int_in(b, "lac", 0, 65535);
  opt_int_in(b, "ci", 0, 65535);
  opt_int_in(b, "tac", 0, 65535);
  opt_int_in(b, "cell_identity", 0, 268435455);
  opt_int_in(b, "bsic", 0, 63);
  if (b.contains("mnc") && !b["mnc"].is_null()) {
    const std::string mnc = str_of(b, "mnc", 3);
    if (mnc.size() < 2 || mnc.find_first_not_of("0123456789") != std::string::npos)
      reject("member 'mnc' is not 2 or 3 decimal digits");
  }
  opt_num_in(b, "freq_hz", 0, 1e11);
  opt_num_in(b, "power_dbfs", -300, 100);
  opt_num_in(b, "rsrp_dbfs", -300, 100);
  opt_num_in(b, "power_dbm", -300, 100);
  opt_num_in(b, "snr_db", -200, 300);
  opt_num_in(b, "sinr_db", -200, 300);
  opt_num_in(b, "cfo_hz", -1e7, 1e7);
  opt_num_in(b, "cfo_residual_ppb", -1e8, 1e8);
  for (const char* k : {"si_seen", "sibs_seen"}) {
    if (!b.contains(k) || b[k].is_null()) continue;
    if (!b[k].is_array() || b[k].size() > 64) reject(std::string("member '") + k + "' is not an array of at most 64");
    for (const auto& v : b[k])
      if (!v.is_string() || v.get<std::string>().size() > 32) reject(std::string("member '") + k + "' holds a non-string or a long one");
  }
  try {
    m.cell = CellObservation::from_cell_record(b, m.time_unix_ms, m.sensor);
  } catch (const InputError& e) {
    reject(e.what());
  } catch (const json::exception& e) {
    reject(std::string("cell record: ") + e.what());
  }
  m.cell.lat = m.lat;
  m.cell.lon = m.lon;
}

}  // namespace

TopicKind classify_topic(const std::string& prefix, const std::string& topic, std::string& sensor, std::string& kind) {
  if (topic.size() <= prefix.size() + 1 || topic.compare(0, prefix.size(), prefix) != 0 || topic[prefix.size()] != '/')
    return TopicKind::other;
  const std::string rest = topic.substr(prefix.size() + 1);
  const std::size_t slash = rest.find('/');
  if (slash == std::string::npos) return TopicKind::other;
  sensor = rest.substr(0, slash);
  kind = rest.substr(slash + 1);
  if (sensor == "fleet") return TopicKind::fleet;
  if (!is_topic_level(sensor)) return TopicKind::other;
  if (kind == "cell" || kind == "alert" || kind == "sweep") return TopicKind::data;
  if (kind == "status") return TopicKind::status;
  if (kind == "ack") return TopicKind::ack;
  return TopicKind::other;
}

bool parse_fleet_message(const std::string& sensor, const std::string& kind, std::string_view payload,
                         FleetMessage& m, std::string& why) {
  m = FleetMessage{};
  if (payload.size() > kMaxPayload) {
    why = "payload of " + std::to_string(payload.size()) + " bytes exceeds " + std::to_string(kMaxPayload);
    return false;
  }
  if (!raw_ok(payload, why)) return false;
  m.sensor = sensor;
  m.kind = kind;
  try {
    m.body = json::parse(payload);
  } catch (const json::exception& e) {
    why = std::string("not JSON: ") + e.what();
    return false;
  }
  try {
    const json& b = m.body;
    if (!b.is_object()) reject("not a JSON object");
    if (str_of(b, "type", 16) != kind) reject("member 'type' does not match the topic's kind '" + kind + "'");
    if (str_of(b, "sensor", 64) != sensor) reject("member 'sensor' does not match the topic's sensor");
    const std::string epoch = str_of(b, "epoch", 16);
    if (!is_hex16(epoch)) reject("member 'epoch' is not 16 lower-case hex digits");
    const std::int64_t seq = int_in(b, "seq", 1, 1LL << 53);
    m.epoch = epoch;
    m.seq = seq;
    m.floor = int_in(b, "floor", 0, m.seq - 1);
    m.msg_id = str_of(b, "msg_id", 120);
    if (m.msg_id != sensor + ":" + m.epoch + ":" + std::to_string(m.seq)) reject("member 'msg_id' is not SENSOR:EPOCH:SEQ");
    m.sweep = int_in(b, "sweep", 1, 1LL << 53);
    m.time_unix_ms = int_in(b, "time_unix_ms", kMinTime, kMaxTime);
    m.lat = opt_num_in(b, "lat", -90, 90);
    m.lon = opt_num_in(b, "lon", -180, 180);
    if (m.lat.has_value() != m.lon.has_value()) reject("members 'lat' and 'lon' go together");
    if (kind == "cell") {
      check_cell(m);
    } else if (kind == "alert") {
      const auto score = opt_num_in(b, "score", 0, 1e6);
      if (!score) reject("member 'score' missing");
      m.score = *score;
      if (!b.contains("cell") || !b["cell"].is_object()) reject("member 'cell' is not an object");
      if (!b.contains("reasons") || !b["reasons"].is_array() || b["reasons"].size() > 64)
        reject("member 'reasons' is not an array of at most 64");
      const json& c = b["cell"];
      const std::string rat = c.contains("rat") && c["rat"].is_string() ? c["rat"].get<std::string>() : "GSM";
      if (rat.size() > 8) reject("member 'cell.rat' is longer than 8");
      const auto mcc = opt_int_in(c, "mcc", 0, 999);
      std::optional<std::string> mnc;
      if (c.contains("mnc") && c["mnc"].is_string()) mnc = str_of(c, "mnc", 3);
      const auto lac = opt_int_in(c, "lac", 0, 65535);
      const auto ci = opt_int_in(c, "ci", 0, 268435455);
      const auto arfcn = opt_int_in(c, "arfcn", -1, 262143);
      m.cell_key = store::cell_key(rat, mcc ? std::optional<int>(static_cast<int>(*mcc)) : std::nullopt, mnc, lac, ci,
                                   arfcn ? static_cast<int>(*arfcn) : -1);
    } else {
      m.n_cells = int_in(b, "n_cells", 0, 100000);
    }
  } catch (const Reject& r) {
    why = r.why;
    return false;
  }
  return true;
}

}  // namespace tw::fleet
