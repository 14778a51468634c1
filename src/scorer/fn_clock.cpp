#include "src/scorer/fn_clock.hpp"

#include <cmath>
#include <cstdlib>

namespace tw::fn_clock {

namespace {
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
std::int64_t mod(std::int64_t a, std::int64_t m) {
  const std::int64_t r = a % m;
  return r < 0 ? r + m : r;
}
}  // namespace

std::int64_t frames_since_epoch(std::int64_t time_unix_ms) { return floor_div(time_unix_ms * 13, 60); }

std::int64_t phase(std::int64_t fn, std::int64_t time_unix_ms) {
  return mod(fn - mod(frames_since_epoch(time_unix_ms), kHyperframe), kHyperframe);
}

std::int64_t distance(std::int64_t a, std::int64_t b) {
  const std::int64_t d = mod(a - b, kHyperframe);
  return d > kHyperframe / 2 ? kHyperframe - d : d;
}

std::int64_t frames_in(double seconds) { return std::llround(seconds * 1000.0 * 13.0 / 60.0); }

namespace {
std::optional<std::int64_t> sync_fn_of(const nlohmann::json& p) {
  if (!p.is_object() || !p.contains("sync_fn")) return std::nullopt;
  const auto& f = p["sync_fn"];
  if (!f.is_number_integer() && !f.is_number_unsigned()) return std::nullopt;
  const std::int64_t fn = f.get<std::int64_t>();
  if (fn < 0 || fn >= kHyperframe) return std::nullopt;
  return fn;
}
std::optional<std::int64_t> sync_unix_ms_of(const nlohmann::json& p) {
  if (!p.contains("sync_unix_ms") || (!p["sync_unix_ms"].is_number_integer() && !p["sync_unix_ms"].is_number_unsigned()))
    return std::nullopt;
  return p["sync_unix_ms"].get<std::int64_t>();
}
}  // namespace

std::optional<std::int64_t> cell_phase(const CellObservation& cell) {
  const auto& p = cell.params;
  const auto fn = sync_fn_of(p);
  if (!fn) return std::nullopt;
  if (auto t = sync_unix_ms_of(p)) return phase(*fn, *t);
  std::int64_t t = cell.time_unix_ms;
  if (p.contains("sync_time_s") && p["sync_time_s"].is_number()) {
    const double s = p["sync_time_s"].get<double>();
    if (std::isfinite(s) && s >= 0.0 && s < 1e7) t += std::llround(s * 1000.0);
  }
  return phase(*fn, t);
}

std::optional<std::int64_t> wall_clock_phase(const CellObservation& cell) {
  const auto fn = sync_fn_of(cell.params);
  const auto t = fn ? sync_unix_ms_of(cell.params) : std::nullopt;
  if (!t) return std::nullopt;
  return phase(*fn, *t);
}

}  // namespace tw::fn_clock
