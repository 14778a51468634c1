#include "src/monitor/monitor_clock.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

#include "src/core/error.hpp"

namespace tw::monitor {

ClockMode clock_mode_from_name(const std::string& name) {
  if (name == "wall") return ClockMode::wall;
  if (name == "stream") return ClockMode::stream;
  throw InputError("--clock: '" + name + "' is not a clock (wall or stream)");
}

const char* clock_mode_name(ClockMode m) { return m == ClockMode::wall ? "wall" : "stream"; }

std::int64_t parse_duration_ms(const std::string& text, const std::string& what) {
  auto bad = [&](const std::string& why) {
    return InputError(what + ": '" + text + "' " + why + " (e.g. 24h, 90m, 30s, 2d, 0)");
  };
  std::size_t n = 0;
  while (n < text.size() && (std::isdigit(static_cast<unsigned char>(text[n])) || text[n] == '.')) ++n;
  if (n == 0) throw bad("is not a duration");
  double v = 0.0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + n, v);
  if (ec != std::errc() || p != text.data() + n || !std::isfinite(v)) throw bad("is not a duration");
  const std::string unit = text.substr(n);
  double scale = 0.0;
  if (unit.empty() || unit == "s") scale = 1e3;
  else if (unit == "ms") scale = 1.0;
  else if (unit == "m" || unit == "min") scale = 60e3;
  else if (unit == "h") scale = 3600e3;
  else if (unit == "d") scale = 86400e3;
  else throw bad("has an unknown unit '" + unit + "' (ms, s, m, h, d)");
  const double ms = v * scale;
  if (ms > 10.0 * 365.25 * 86400e3) throw bad("is longer than 10 years");
  return static_cast<std::int64_t>(std::llround(ms));
}

MonitorClock::MonitorClock(ClockMode mode, std::int64_t stream_start_ms, WallFn wall)
    : mode_(mode), stream_ms_(stream_start_ms), wall_(std::move(wall)) {}

std::int64_t MonitorClock::now_ms() const { return mode_ == ClockMode::wall ? wall_() : stream_ms_; }

void MonitorClock::advance(double s) {
  if (!(s > 0.0) || !std::isfinite(s)) return;
  stream_frac_ms_ += s * 1e3;
  const double whole = std::floor(stream_frac_ms_);
  stream_ms_ += static_cast<std::int64_t>(whole);
  stream_frac_ms_ -= whole;
}

}  // namespace tw::monitor
