#include "src/sweep/position_stamp.hpp"

#include <cmath>
#include <cstdio>

namespace tw::sweep {

using nlohmann::json;

json fix_json(const Fix& f) {
  const bool pos = f.has_position();
  json j{{"lat", pos ? json(*f.lat) : json(nullptr)},
         {"lon", pos ? json(*f.lon) : json(nullptr)},
         {"fix_mode", fix_mode_name(pos ? f.mode : FixMode::none)},
         {"eph", pos && f.eph_m ? json(*f.eph_m) : json(nullptr)},
         {"fix_time_unix_ms", pos && f.fix_time_unix_ms ? json(*f.fix_time_unix_ms) : json(nullptr)}};
  if (pos && f.alt_m) j["alt"] = *f.alt_m;
  return j;
}

void stamp_position(json& record, const PositionSource& source, std::int64_t tuning_unix_ms) {
  record["tuning_unix_ms"] = tuning_unix_ms;
  const json fields = fix_json(source.at(tuning_unix_ms));  // named: items() of a temporary would dangle
  for (const auto& [k, v] : fields.items()) record[k] = v;
}

std::string fix_text(const Fix& f) {
  if (!f.has_position()) return "no fix";
  char buf[96];
  if (f.eph_m)
    std::snprintf(buf, sizeof buf, "%s %.5f,%.5f ±%.0f m", fix_mode_name(f.mode), *f.lat, *f.lon, *f.eph_m);
  else
    std::snprintf(buf, sizeof buf, "%s %.5f,%.5f", fix_mode_name(f.mode), *f.lat, *f.lon);
  return buf;
}

}  // namespace tw::sweep
