// A message a collector receives from PREFIX/SENSOR/KIND, checked as attacker input: anyone who can publish
// to the broker can send anything. Checks, in order: size (kMaxPayload), topic shape, nesting depth and
// NUL bytes in the raw text, JSON (UTF-8 validated by the parser), the head (msg_id = SENSOR:EPOCH:SEQ
// matching the topic, epoch 16 hex digits, seq 1..2^53, floor < seq, sweep >= 1, time within 2000..2100,
// lat/lon in range), then per kind the members the collector stores (types, ranges, string sizes).
// A rejection names the member and why.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "src/scorer/observation.hpp"

namespace tw::fleet {

inline constexpr std::size_t kMaxPayload = 64 * 1024;
inline constexpr int kMaxDepth = 16;

struct FleetMessage {
  std::string sensor, kind;           // from the topic
  std::string msg_id, epoch;
  std::int64_t seq = 0, floor = 0, sweep = 0, time_unix_ms = 0;
  std::optional<double> lat, lon;
  nlohmann::json body;                // the whole payload
  CellObservation cell;               // kind "cell"
  std::string cell_key;               // kind "alert": the alerted cell's key
  double score = 0.0;                 // kind "alert"
  std::int64_t n_cells = 0;           // kind "sweep"
};

enum class TopicKind { data, status, ack, fleet, other };

// The kind of a topic under the prefix: data (cell/alert/sweep of a sensor), status, ack (the collector's
// own), fleet (PREFIX/fleet/...), other (not ours / malformed). `sensor` and `kind` are set for data.
TopicKind classify_topic(const std::string& prefix, const std::string& topic, std::string& sensor, std::string& kind);

// false with the reason in `why` for anything malformed; even then out.epoch and out.seq are set (seq > 0)
// when the head's epoch and seq were valid (the collector marks that sequence number handled).
bool parse_fleet_message(const std::string& sensor, const std::string& kind, std::string_view payload,
                         FleetMessage& out, std::string& why);

}  // namespace tw::fleet
