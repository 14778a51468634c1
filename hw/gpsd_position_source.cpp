// GpsdPositionSource: gpsd's JSON protocol through libgps (gps_open / gps_stream / gps_waiting / gps_read) on
// a background thread. Only TPV reports are used (gpsd's time-position-velocity report: mode, lat, lon,
// altMSL, eph, time). NMEA checksum errors and garbage never reach us: gpsd drops them; what gpsd does report
// still goes through FixHistory's plausibility filter.
#include <gps.h>

#include <chrono>
#include <cmath>
#include <cstring>

#include "hw/ondemand/on_demand_libs.hpp"
#include "hw/position_source.hpp"
#include "src/core/log.hpp"

namespace tw {

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Sleeps up to `s` seconds, waking early when *stop is set.
void sleep_unless(double s, const std::atomic<bool>& stop) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(s);
  while (!stop.load() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

std::optional<double> finite(double v) { return std::isfinite(v) ? std::optional<double>(v) : std::nullopt; }

// The report gpsd just sent, if it is a TPV with a usable mode.
std::optional<Fix> fix_of_tpv(const gps_data_t& d, const char* message) {
  if (!std::strstr(message, "\"class\":\"TPV\"")) return std::nullopt;
  if (!(d.set & MODE_SET)) return std::nullopt;
  Fix f;
  f.time_unix_ms = now_ms();
  if (d.fix.time.tv_sec > 0)
    f.fix_time_unix_ms = static_cast<std::int64_t>(d.fix.time.tv_sec) * 1000 + d.fix.time.tv_nsec / 1000000;
  if (d.fix.mode >= MODE_2D) {
    const auto lat = finite(d.fix.latitude), lon = finite(d.fix.longitude);
    if (!lat || !lon || std::fabs(*lat) > 90.0 || std::fabs(*lon) > 180.0) return f;  // a 2D/3D mode without a position: no fix
    f.lat = lat;
    f.lon = lon;
    f.mode = d.fix.mode >= MODE_3D ? FixMode::fix3d : FixMode::fix2d;
    if (f.mode == FixMode::fix3d) f.alt_m = finite(d.fix.altMSL);
    if (auto e = finite(d.fix.eph); e && *e >= 0) f.eph_m = e;
  }
  return f;
}

}  // namespace

GpsdPositionSource::GpsdPositionSource(GpsdOptions options)
    : o_(std::move(options)), history_(o_.max_age_ms) {
  ondemand::require_libgps();   // loaded here, on the caller's thread: a missing libgps is a clear error
  thread_ = std::thread([this] { run(); });
}

GpsdPositionSource::~GpsdPositionSource() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

std::string GpsdPositionSource::description() const { return "gpsd " + o_.host + ":" + o_.port; }

Fix GpsdPositionSource::at(std::int64_t t) const {
  std::lock_guard<std::mutex> lock(mu_);
  return history_.at(t);
}

std::vector<Fix> GpsdPositionSource::track(std::int64_t from, std::int64_t to) const {
  std::lock_guard<std::mutex> lock(mu_);
  return history_.between(from, to);
}

std::size_t GpsdPositionSource::rejected_jumps() const {
  std::lock_guard<std::mutex> lock(mu_);
  return history_.rejected_jumps();
}

bool GpsdPositionSource::wait_first_report(double seconds) const {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (reports_.load() == 0 && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return reports_.load() > 0;
}

void GpsdPositionSource::run() {
  const std::string where = description();
  double backoff = o_.backoff_initial_s;
  bool reported_failure = false;
  std::vector<char> message(16384);
  while (!stop_.load()) {
    gps_data_t d;
    std::memset(&d, 0, sizeof d);
    if (gps_open(o_.host.c_str(), o_.port.c_str(), &d) != 0) {
      // Said once per outage (then quietly retried), so a missing gpsd does not flood the terminal.
      if (!reported_failure)
        log::warn(where + ": cannot connect (" + gps_errstr(errno) + "); retrying with backoff up to " +
                  std::to_string(static_cast<int>(o_.backoff_max_s)) + " s, positions are \"no fix\" meanwhile");
      reported_failure = true;
      sleep_unless(backoff, stop_);
      backoff = std::min(backoff * 2.0, o_.backoff_max_s);
      continue;
    }
    if (gps_stream(&d, WATCH_ENABLE | WATCH_JSON, nullptr) != 0) {
      log::warn(where + ": cannot start the report stream; reconnecting");
      gps_close(&d);
      sleep_unless(backoff, stop_);
      backoff = std::min(backoff * 2.0, o_.backoff_max_s);
      continue;
    }
    ++connections_;
    connected_.store(true);
    if (reported_failure || connections_.load() > 1) log::warn(where + ": connected");
    reported_failure = false;
    backoff = o_.backoff_initial_s;
    auto last_report = std::chrono::steady_clock::now();
    bool said_silent = false;
    while (!stop_.load()) {
      if (!gps_waiting(&d, 200000)) {
        const double quiet = std::chrono::duration<double>(std::chrono::steady_clock::now() - last_report).count();
        if (quiet > o_.silence_warning_s && !said_silent) {
          log::warn(where + ": no report for " + std::to_string(static_cast<int>(quiet)) +
                    " s (receiver unplugged or no data); positions are \"no fix\"");
          said_silent = true;
        }
        continue;
      }
      message[0] = '\0';
      errno = 0;
      if (gps_read(&d, message.data(), static_cast<int>(message.size()) - 1) == -1) {
        log::warn(where + ": connection lost (" + (errno ? std::string(std::strerror(errno)) : std::string("closed by gpsd")) +
                  "); reconnecting");
        ++disconnects_;
        reported_failure = true;  // the reconnection is said too
        break;
      }
      message.back() = '\0';
      if (auto f = fix_of_tpv(d, message.data())) {
        last_report = std::chrono::steady_clock::now();
        said_silent = false;
        ++reports_;
        std::lock_guard<std::mutex> lock(mu_);
        const std::size_t before = history_.rejected_jumps();
        const bool accepted = history_.add(*f);
        if (history_.rejected_jumps() != before && f->lat && f->lon)
          log::warn(where + ": implausible jump to " + std::to_string(*f->lat) + "," + std::to_string(*f->lon) +
                    (accepted ? " accepted: " + std::to_string(FixHistory::kJumpConfirmations) +
                                    " agreeing reports in a row put the receiver there"
                              : " ignored (faster than " + std::to_string(static_cast<int>(FixHistory::kMaxSpeedMps)) +
                                    " m/s)"));
      }
    }
    connected_.store(false);
    gps_stream(&d, WATCH_DISABLE, nullptr);
    gps_close(&d);
    if (!stop_.load()) {
      sleep_unless(backoff, stop_);
      backoff = std::min(backoff * 2.0, o_.backoff_max_s);
    }
  }
}

}  // namespace tw
