// One position report of the sensor (hw/position_source.hpp has the sources and the lookup). Kept apart so
// the observations (src/scorer/observation.hpp) carry fixes without the sources' threads and locks.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace tw {

enum class FixMode { none, fix2d, fix3d };
// "none", "2d", "3d" (the words the store and the JSON records use).
const char* fix_mode_name(FixMode m);
std::optional<FixMode> fix_mode_from_name(const std::string& name);

struct Fix {
  std::int64_t time_unix_ms = 0;               // system clock when received (lookup key)
  std::optional<double> lat, lon;              // degrees WGS84; empty when mode is none
  std::optional<double> alt_m;                 // metres above mean sea level, when the receiver gives it
  FixMode mode = FixMode::none;
  std::optional<double> eph_m;                 // horizontal position error estimate (gpsd "eph", metres)
  std::optional<std::int64_t> fix_time_unix_ms;  // the receiver's time of the fix
  bool has_position() const { return mode != FixMode::none && lat && lon; }
};

}  // namespace tw
