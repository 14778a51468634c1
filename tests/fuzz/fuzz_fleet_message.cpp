// The collector's checks of what a sensor publishes (src/fleet/fleet_message.*): anyone who can publish to the
// broker controls the topic and every payload byte. Input: the topic up to the first '\n', then the payload.
// Nothing may throw or crash; a rejection says why; an accepted message keeps the promises the collector
// builds on (src/fleet/fleet_message.hpp): its head matches the topic, its numbers are in their ranges, and a
// cell's observation carries the topic's sensor.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/fleet/fleet_message.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > tw::fleet::kMaxPayload + 256) return -1;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t nl = in.find('\n');
  const std::string topic(in.substr(0, nl == std::string_view::npos ? in.size() : nl));
  const std::string_view payload = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);

  std::string sensor, kind;
  const auto tk = tw::fleet::classify_topic("tw", topic, sensor, kind);
  if (tk != tw::fleet::TopicKind::data) return 0;
  // A data topic names one topic level (no '/', no MQTT wildcard) and one of the three kinds.
  TW_FUZZ_CHECK(!sensor.empty() && sensor.find_first_of("/+#") == std::string::npos && sensor != "fleet",
                "sensor level '" + sensor + "' of topic '" + topic + "'");
  TW_FUZZ_CHECK(kind == "cell" || kind == "alert" || kind == "sweep", "kind '" + kind + "'");

  tw::fleet::FleetMessage m;
  std::string why;
  if (!tw::fleet::parse_fleet_message(sensor, kind, payload, m, why)) {
    TW_FUZZ_CHECK(!why.empty(), "a rejection without a reason");
    return 0;
  }
  TW_FUZZ_CHECK(payload.size() <= tw::fleet::kMaxPayload, "accepted an oversized payload");
  TW_FUZZ_CHECK(payload.find('\0') == std::string_view::npos, "accepted a NUL byte");
  TW_FUZZ_CHECK(m.sensor == sensor && m.kind == kind, "head not the topic's");
  TW_FUZZ_CHECK(m.epoch.size() == 16 && m.epoch.find_first_not_of("0123456789abcdef") == std::string::npos,
                "epoch '" + m.epoch + "'");
  TW_FUZZ_CHECK(m.seq >= 1 && m.seq <= (1LL << 53) && m.floor >= 0 && m.floor < m.seq, "seq/floor");
  TW_FUZZ_CHECK(m.msg_id == sensor + ":" + m.epoch + ":" + std::to_string(m.seq), "msg_id '" + m.msg_id + "'");
  TW_FUZZ_CHECK(m.sweep >= 1 && m.time_unix_ms >= 946684800000LL && m.time_unix_ms <= 4102444800000LL, "sweep/time");
  TW_FUZZ_CHECK(m.lat.has_value() == m.lon.has_value(), "lat without lon");
  if (m.lat) TW_FUZZ_CHECK(std::isfinite(*m.lat) && std::fabs(*m.lat) <= 90 && std::fabs(*m.lon) <= 180, "position");
  TW_FUZZ_CHECK(m.body.is_object(), "body not an object");
  if (kind == "cell") {
    const auto& c = m.cell;
    TW_FUZZ_CHECK(c.sensor_id == sensor, "cell of another sensor");
    TW_FUZZ_CHECK(c.rat == "GSM" || c.rat == "LTE" || c.rat == "NR", "rat '" + c.rat + "'");
    TW_FUZZ_CHECK(!c.mcc || (*c.mcc >= 0 && *c.mcc <= 999), "mcc");
    TW_FUZZ_CHECK(!c.mnc || ((c.mnc->size() == 2 || c.mnc->size() == 3) &&
                             c.mnc->find_first_not_of("0123456789") == std::string::npos),
                  "mnc");
    TW_FUZZ_CHECK(!c.lac || (*c.lac >= 0 && *c.lac <= 65535), "lac/tac");
    TW_FUZZ_CHECK(!c.ci || (*c.ci >= 0 && *c.ci <= 268435455), "ci/cell identity");
    TW_FUZZ_CHECK(!c.bsic || (*c.bsic >= 0 && *c.bsic <= 63), "bsic");
    TW_FUZZ_CHECK(std::isfinite(c.power_dbfs) && std::isfinite(c.snr_db) && std::isfinite(c.cfo_hz), "levels");
  } else if (kind == "alert") {
    TW_FUZZ_CHECK(std::isfinite(m.score) && m.score >= 0 && m.score <= 1e6, "score");
  } else {
    TW_FUZZ_CHECK(m.n_cells >= 0 && m.n_cells <= 100000, "n_cells");
  }
  return 0;
}
