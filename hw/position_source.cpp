#include "hw/position_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "src/core/error.hpp"

namespace tw {

const char* fix_mode_name(FixMode m) {
  switch (m) {
    case FixMode::fix2d: return "2d";
    case FixMode::fix3d: return "3d";
    case FixMode::none: break;
  }
  return "none";
}

std::optional<FixMode> fix_mode_from_name(const std::string& name) {
  if (name == "none") return FixMode::none;
  if (name == "2d") return FixMode::fix2d;
  if (name == "3d") return FixMode::fix3d;
  return std::nullopt;
}

double distance_m(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kR = 6371008.8;
  constexpr double kRad = M_PI / 180.0;
  const double p1 = lat1 * kRad, p2 = lat2 * kRad;
  const double dp = (lat2 - lat1) * kRad, dl = (lon2 - lon1) * kRad;
  const double a = std::sin(dp / 2) * std::sin(dp / 2) + std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
  return 2.0 * kR * std::asin(std::min(1.0, std::sqrt(a)));
}

// ---------------------------------------------------------------------------------------------------------
FixHistory::FixHistory(std::int64_t max_age_ms, std::size_t capacity)
    : max_age_ms_(max_age_ms), capacity_(std::max<std::size_t>(capacity, 16)) {}

bool FixHistory::plausible(const Fix& a, const Fix& b) const {
  // The receiver's fix times measure the interval best; receipt times when it gave none.
  double dt_s = static_cast<double>(b.time_unix_ms - a.time_unix_ms) / 1e3;
  if (a.fix_time_unix_ms && b.fix_time_unix_ms && *b.fix_time_unix_ms > *a.fix_time_unix_ms)
    dt_s = static_cast<double>(*b.fix_time_unix_ms - *a.fix_time_unix_ms) / 1e3;
  dt_s = std::max(dt_s, 1.0);  // reports come at most a few per second; never divide by ~0
  const double d = distance_m(*a.lat, *a.lon, *b.lat, *b.lon);
  const double allowed = kMaxSpeedMps * dt_s + a.eph_m.value_or(0.0) + b.eph_m.value_or(0.0) + kJumpSlackM;
  return d <= allowed;
}

bool FixHistory::add(const Fix& f) {
  if (!fixes_.empty()) {
    const Fix& last = fixes_.back();
    if (f.fix_time_unix_ms && last.fix_time_unix_ms == f.fix_time_unix_ms && last.mode == f.mode &&
        last.lat == f.lat && last.lon == f.lon)
      return false;  // gpsd repeats a cycle's report when a later sentence of it adds nothing new
    if (!last.fix_time_unix_ms && f.fix_time_unix_ms && last.mode == f.mode && last.lat == f.lat && last.lon == f.lon) {
      // The same fix completed by a later sentence of its cycle (GGA has no date: gpsd's first report of a
      // session has no time until RMC comes): one report, known since the first.
      const std::int64_t since = last.time_unix_ms;
      fixes_.back() = f;
      fixes_.back().time_unix_ms = since;
      if (f.has_position()) last_positioned_ = fixes_.back();
      return false;
    }
  }
  if (f.has_position()) {
    if (last_positioned_ && !plausible(*last_positioned_, f)) {
      ++rejected_jumps_;
      // Consecutive rejected fixes that agree with each other: the receiver is really there.
      if (!rejected_run_.empty() && !plausible(rejected_run_.back(), f)) rejected_run_.clear();
      rejected_run_.push_back(f);
      if (static_cast<int>(rejected_run_.size()) < kJumpConfirmations) return false;
    }
    rejected_run_.clear();
    last_positioned_ = f;
  }
  fixes_.push_back(f);
  while (fixes_.size() > capacity_) fixes_.pop_front();
  return true;
}

Fix FixHistory::at(std::int64_t t) const {
  Fix none;
  none.time_unix_ms = t;
  // The last report received at or before t.
  auto it = std::upper_bound(fixes_.begin(), fixes_.end(), t,
                             [](std::int64_t v, const Fix& f) { return v < f.time_unix_ms; });
  if (it == fixes_.begin()) return none;
  const Fix& f = *std::prev(it);
  if (!f.has_position() || t - f.time_unix_ms > max_age_ms_) return none;
  return f;
}

std::vector<Fix> FixHistory::between(std::int64_t from, std::int64_t to) const {
  std::vector<Fix> out;
  for (const auto& f : fixes_)
    if (f.time_unix_ms >= from && f.time_unix_ms <= to) out.push_back(f);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
Fix NoPositionSource::at(std::int64_t t) const {
  Fix f;
  f.time_unix_ms = t;
  return f;
}

FixedPositionSource::FixedPositionSource(double lat, double lon, std::optional<double> alt_m)
    : lat_(lat), lon_(lon), alt_(alt_m) {}

Fix FixedPositionSource::at(std::int64_t t) const {
  Fix f;
  f.time_unix_ms = t;
  f.lat = lat_;
  f.lon = lon_;
  f.alt_m = alt_;
  f.mode = alt_ ? FixMode::fix3d : FixMode::fix2d;
  f.fix_time_unix_ms = t;  // a surveyed position holds at every time
  return f;
}

std::vector<Fix> FixedPositionSource::track(std::int64_t from, std::int64_t) const { return {at(from)}; }

std::string FixedPositionSource::description() const {
  std::ostringstream s;
  s.precision(9);
  s << "fixed " << lat_ << "," << lon_;
  if (alt_) s << "," << *alt_;
  return s.str();
}

namespace {
double parse_field(const std::string& text, const std::string& field, const std::string& whole) {
  if (text.empty()) throw InputError("--position '" + whole + "': " + field + " is empty");
  const char* b = text.c_str();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(b, &end);
  if (end == b || *end != '\0' || errno == ERANGE || !std::isfinite(v) ||
      text.find_first_not_of("+-.0123456789eE") != std::string::npos)
    throw InputError("--position '" + whole + "': " + field + " '" + text + "' is not a decimal number");
  return v;
}
}  // namespace

std::unique_ptr<FixedPositionSource> parse_fixed_position(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t c = text.find(',', start);
    parts.push_back(text.substr(start, c == std::string::npos ? std::string::npos : c - start));
    if (c == std::string::npos) break;
    start = c + 1;
  }
  if (parts.size() < 2 || parts.size() > 3)
    throw InputError("--position '" + text + "': expected LAT,LON or LAT,LON,ALT (decimal degrees, metres)");
  const double lat = parse_field(parts[0], "latitude", text);
  const double lon = parse_field(parts[1], "longitude", text);
  if (lat < -90.0 || lat > 90.0) throw InputError("--position '" + text + "': latitude is outside -90..90");
  if (lon < -180.0 || lon > 180.0) throw InputError("--position '" + text + "': longitude is outside -180..180");
  std::optional<double> alt;
  if (parts.size() == 3) {
    alt = parse_field(parts[2], "altitude", text);
    if (*alt < -1000.0 || *alt > 100000.0)
      throw InputError("--position '" + text + "': altitude is outside -1000..100000 m");
  }
  return std::make_unique<FixedPositionSource>(lat, lon, alt);
}

GpsdOptions parse_gpsd_address(const std::string& text) {
  GpsdOptions o;
  if (text.empty()) return o;
  std::string host = text, port;
  if (text.front() == '[') {  // [v6]:port
    const auto close = text.find(']');
    if (close == std::string::npos) throw InputError("--gps '" + text + "': unclosed '[' in the address");
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') throw InputError("--gps '" + text + "': expected ':' after ']'");
      port = text.substr(close + 2);
    }
  } else if (const auto c = text.rfind(':'); c != std::string::npos) {
    if (text.find(':') != c) throw InputError("--gps '" + text + "': write an IPv6 address as [ADDR]:PORT");
    host = text.substr(0, c);
    port = text.substr(c + 1);
  }
  if (!host.empty()) o.host = host;
  if (!port.empty() || text.back() == ':') {
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) < 1 || std::stoi(port) > 65535)
      throw InputError("--gps '" + text + "': port '" + port + "' is not a number 1..65535");
    o.port = port;
  }
  if (o.host.find_first_of(" \t\r\n") != std::string::npos) throw InputError("--gps '" + text + "': bad host name");
  return o;
}

}  // namespace tw
