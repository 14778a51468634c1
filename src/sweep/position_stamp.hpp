// Every cell record of a sweep carries the position of the sensor at the time of the tuning that heard it
// (hw/position_source.hpp): "tuning_unix_ms" (system clock, the middle of the tuning's listening), "lat",
// "lon" (null without a fix), "alt" (metres, 3D fixes), "fix_mode" ("none", "2d", "3d"), "eph" (metres, the
// receiver's horizontal error estimate, when given) and "fix_time_unix_ms" (the receiver's time of the fix).
#pragma once
#include <cstdint>

#include <nlohmann/json.hpp>

#include "hw/position_source.hpp"

namespace tw::sweep {

// Writes the fields above into a cell record from the fix valid at tuning_unix_ms.
void stamp_position(nlohmann::json& record, const PositionSource& source, std::int64_t tuning_unix_ms);
// The same fields of one fix, for stderr lines and JSON events: {"lat","lon","alt","fix_mode","eph","fix_time_unix_ms"}.
nlohmann::json fix_json(const Fix& fix);
// "3d 48.10010,11.50010 ±17 m", "no fix".
std::string fix_text(const Fix& fix);

}  // namespace tw::sweep
