// Where the sensor is: a PositionSource hands out time-stamped fixes that observations look up by their own
// time (the time of the tuning that heard them). Three sources:
//   gpsd   (--gps [HOST:PORT], default localhost:2947): libgps on a background thread, every TPV report kept
//          in a short history; a gpsd that goes away is reported on stderr and reconnected with backoff.
//   fixed  (--position LAT,LON[,ALT]): a surveyed site, the same fix at every time.
//   none   : no position; every lookup says "no fix".
// A lookup never presents a stale position as current: the fix valid at t is the last report received at or
// before t, and it counts only if it is a 2D/3D fix received no more than max_age before t (default 3 s;
// receivers report at 1 Hz, so three missed reports in a row mean the position is no longer known).
// Times: Fix::time_unix_ms is the system clock when towerwatch received the report (what lookups compare,
// since tunings are timed on the same clock); Fix::fix_time_unix_ms is the receiver's own time of the fix
// (GPS time as UTC), kept as reported.
#pragma once
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "hw/fix.hpp"

namespace tw {

// Great-circle distance in metres (haversine on a sphere of radius 6371008.8 m, the IUGG mean radius).
double distance_m(double lat1, double lon1, double lat2, double lon2);

// The fixes a source received, with the lookup and the plausibility filter of every positioned report:
// a fix implying a speed above kMaxSpeedMps from the last accepted one (beyond both fixes' eph and 50 m of
// slack) is a jump and is ignored, counted in rejected_jumps(). 100 m/s (360 km/h) is above any road or rail
// vehicle a sensor rides in, and far below what a receiver's multipath or cold-start glitch produces (km in
// one second). If kJumpConfirmations reports in a row are rejected and agree with each other (plausible
// speeds between them), the receiver really is elsewhere (restarted far away, or the accepted fix was the
// wrong one): the newest is accepted and the history continues from it.
class FixHistory {
 public:
  static constexpr double kMaxSpeedMps = 100.0;
  static constexpr double kJumpSlackM = 50.0;
  static constexpr int kJumpConfirmations = 3;

  explicit FixHistory(std::int64_t max_age_ms = 3000, std::size_t capacity = 200000);
  // Adds a report (fixes with mode none included: they say the position is lost). false when it was
  // ignored as a jump or as a repeat of the last report (same fix time, mode and position).
  bool add(const Fix& fix);
  // The fix valid at t (see the file comment); mode none (with time_unix_ms = t) when there is none.
  Fix at(std::int64_t t_unix_ms) const;
  // Every accepted report received in [from, to], in order.
  std::vector<Fix> between(std::int64_t from_unix_ms, std::int64_t to_unix_ms) const;
  std::size_t rejected_jumps() const { return rejected_jumps_; }
  std::size_t size() const { return fixes_.size(); }
  std::int64_t max_age_ms() const { return max_age_ms_; }

 private:
  bool plausible(const Fix& from, const Fix& to) const;
  std::int64_t max_age_ms_;
  std::size_t capacity_;
  std::deque<Fix> fixes_;              // accepted, by receipt time
  std::optional<Fix> last_positioned_; // the last accepted fix with a position
  std::vector<Fix> rejected_run_;      // consecutive rejected jumps
  std::size_t rejected_jumps_ = 0;
};

class PositionSource {
 public:
  virtual ~PositionSource() = default;
  // The fix valid at t (system clock, Unix ms). Mode none when there is none.
  virtual Fix at(std::int64_t t_unix_ms) const = 0;
  // The track: every report received in [from, to] (a fixed source gives its one position at `from`).
  virtual std::vector<Fix> track(std::int64_t from_unix_ms, std::int64_t to_unix_ms) const = 0;
  // For logs and summaries: "gpsd localhost:2947", "fixed 51.5,-0.12", "none".
  virtual std::string description() const = 0;
  // Jumps ignored so far (gpsd), 0 for the others.
  virtual std::size_t rejected_jumps() const { return 0; }
};

class NoPositionSource final : public PositionSource {
 public:
  Fix at(std::int64_t t) const override;
  std::vector<Fix> track(std::int64_t, std::int64_t) const override { return {}; }
  std::string description() const override { return "none"; }
};

class FixedPositionSource final : public PositionSource {
 public:
  FixedPositionSource(double lat, double lon, std::optional<double> alt_m);
  Fix at(std::int64_t t) const override;
  std::vector<Fix> track(std::int64_t from, std::int64_t to) const override;
  std::string description() const override;

 private:
  double lat_, lon_;
  std::optional<double> alt_;
};

// "LAT,LON[,ALT]": decimal degrees (lat -90..90, lon -180..180), altitude in metres (-1000..100000).
// tw::InputError naming --position and the field for anything else (NaN, extra fields, trailing text).
std::unique_ptr<FixedPositionSource> parse_fixed_position(const std::string& text);

struct GpsdOptions {
  std::string host = "localhost";
  std::string port = "2947";
  std::int64_t max_age_ms = 3000;
  double backoff_initial_s = 0.5;      // first delay before reconnecting; doubles up to backoff_max_s
  double backoff_max_s = 30.0;
  double silence_warning_s = 10.0;     // connected but no report for this long: said once on stderr
};
// "HOST:PORT", "HOST", ":PORT", "[v6addr]:PORT" or empty (the defaults). tw::InputError for a bad port.
GpsdOptions parse_gpsd_address(const std::string& text);

// gpsd through libgps. Never fails at construction: if gpsd is not there yet, it is retried in the background
// (reported on stderr) and lookups say "no fix" meanwhile.
class GpsdPositionSource final : public PositionSource {
 public:
  explicit GpsdPositionSource(GpsdOptions options);
  ~GpsdPositionSource() override;
  GpsdPositionSource(const GpsdPositionSource&) = delete;
  GpsdPositionSource& operator=(const GpsdPositionSource&) = delete;

  Fix at(std::int64_t t) const override;
  std::vector<Fix> track(std::int64_t from, std::int64_t to) const override;
  std::string description() const override;
  std::size_t rejected_jumps() const override;

  bool connected() const { return connected_.load(); }
  std::size_t connections() const { return connections_.load(); }   // successful connects so far
  std::size_t disconnects() const { return disconnects_.load(); }    // connections lost (gpsd gone, closed)
  std::size_t reports() const { return reports_.load(); }            // TPV reports read
  // Waits up to `seconds` for gpsd's first report (a fix or a "no fix"), so the first tuning of a run does not
  // go without a position only because the connection was still being made. false on timeout.
  bool wait_first_report(double seconds) const;

 private:
  void run();
  GpsdOptions o_;
  mutable std::mutex mu_;
  FixHistory history_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> connected_{false};
  std::atomic<std::size_t> connections_{0}, disconnects_{0}, reports_{0};
  std::thread thread_;
};

}  // namespace tw
