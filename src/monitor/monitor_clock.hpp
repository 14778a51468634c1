// The monitor's clock. Learning period, sweep times and the time a finding opened all run on it.
//   wall:   the system clock (a real site).
//   stream: the time of the samples read: each completed sweep advances it by the stream seconds the sweep
//           read (SweepResult::stream_s). It starts where the previous monitor run of the same database
//           stopped (meta "monitor.clock_ms"), or at the wall-clock time for a new database. With the
//           simulated radio at realtime=0 a test drives a day of "monitoring" in seconds, deterministically.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace tw::monitor {

enum class ClockMode { wall, stream };
ClockMode clock_mode_from_name(const std::string& name);  // "wall" | "stream"; tw::InputError otherwise
const char* clock_mode_name(ClockMode mode);

// "24h", "90m", "30s", "2d", "1.5h", "500ms", "0" (a bare number is seconds). tw::InputError naming
// `what` for anything else, a negative or a non-finite value, or more than 10 years.
std::int64_t parse_duration_ms(const std::string& text, const std::string& what = "duration");

class MonitorClock {
 public:
  using WallFn = std::function<std::int64_t()>;
  MonitorClock(ClockMode mode, std::int64_t stream_start_ms, WallFn wall);
  ClockMode mode() const { return mode_; }
  std::int64_t now_ms() const;
  // A completed sweep read `seconds` of samples (stream mode moves; wall mode ignores it).
  void advance(double stream_seconds);

 private:
  ClockMode mode_;
  std::int64_t stream_ms_;
  double stream_frac_ms_ = 0.0;
  WallFn wall_;
};

}  // namespace tw::monitor
