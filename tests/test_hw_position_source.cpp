// PositionSource (hw/position_source.hpp): the lookup by time and the jump filter on fixes of known times and
// places; --position and --gps parsing; and gpsd itself through gpsfake replaying NMEA tracks written here
// (garbage lines, a jump, no fix, gpsd killed and restarted). Truth: the positions written into the NMEA
// (within its rounding of 1/600000 degree) and the times the test gives.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

#include "hw/position_source.hpp"
#include "support/gpsfake.hpp"
#include "support/test_support.hpp"

using tw::Fix;
using tw::FixHistory;
using tw::FixMode;

namespace {

constexpr double kNmeaRoundingDeg = 1.0 / 600000.0;  // 4 decimals of minutes

Fix fix_at(std::int64_t t, double lat, double lon, std::optional<std::int64_t> fix_time = std::nullopt) {
  Fix f;
  f.time_unix_ms = t;
  f.lat = lat;
  f.lon = lon;
  f.mode = FixMode::fix3d;
  f.eph_m = 5.0;
  f.fix_time_unix_ms = fix_time ? fix_time : std::optional<std::int64_t>(t);
  return f;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool wait_for(const std::function<bool()>& cond, double timeout_s) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return cond();
}

// stderr of the process into a file while the object lives (the source reports there).
class StderrCapture {
 public:
  explicit StderrCapture(const std::filesystem::path& p) : path_(p) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~StderrCapture() { restore(); }
  std::string text() {
    std::fflush(stderr);
    return tw::test::read_file(path_);
  }
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }

 private:
  std::filesystem::path path_;
  int saved_ = -1;
};

// A straight track north-east from 48.1 N 11.5 E: point i at second i, 0.0001 degree per second on each axis
// (about 13.5 m/s: a car in town).
double track_lat(int i) { return 48.1 + 0.0001 * i; }
double track_lon(int i) { return 11.5 + 0.0001 * i; }

// Index of the track point a fix stands on, or -1.
int track_index(const Fix& f, int n) {
  for (int i = 0; i < n; ++i)
    if (std::fabs(*f.lat - track_lat(i)) <= kNmeaRoundingDeg && std::fabs(*f.lon - track_lon(i)) <= kNmeaRoundingDeg)
      return i;
  return -1;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
TEST(FixHistoryTest, LookupReturnsTheFixValidAtTheTimeAndNeverAStaleOne) {
  FixHistory h(3000);
  ASSERT_TRUE(h.add(fix_at(10'000, 48.0, 11.0)));
  ASSERT_TRUE(h.add(fix_at(11'000, 48.0001, 11.0)));
  EXPECT_EQ(h.at(9'999).mode, FixMode::none) << "before the first report there is no fix";
  EXPECT_DOUBLE_EQ(*h.at(10'500).lat, 48.0) << "the last report at or before t";
  EXPECT_DOUBLE_EQ(*h.at(11'000).lat, 48.0001);
  EXPECT_DOUBLE_EQ(*h.at(14'000).lat, 48.0001) << "3 s old: still valid";
  EXPECT_EQ(h.at(14'001).mode, FixMode::none) << "older than 3 s: no fix, not the last position";
  EXPECT_FALSE(h.at(14'001).lat);
  // A report without a fix ends the position at once, even though the last fix is recent.
  Fix lost;
  lost.time_unix_ms = 12'000;
  ASSERT_TRUE(h.add(lost));
  EXPECT_EQ(h.at(12'500).mode, FixMode::none);
  EXPECT_DOUBLE_EQ(*h.at(11'999).lat, 48.0001) << "before the loss the fix held";
  EXPECT_EQ(h.between(10'000, 11'000).size(), 2u);
  EXPECT_EQ(h.between(0, 20'000).size(), 3u);
}

TEST(FixHistoryTest, AJumpIsIgnoredAndThreeAgreeingReportsElsewhereAreBelieved) {
  FixHistory h(3000);
  ASSERT_TRUE(h.add(fix_at(1'000, 48.0, 11.0)));
  // 0.01 degree of latitude in 1 s: about 1112 m/s, far above 100 m/s.
  EXPECT_FALSE(h.add(fix_at(2'000, 48.01, 11.0)));
  EXPECT_EQ(h.rejected_jumps(), 1u);
  EXPECT_DOUBLE_EQ(*h.at(2'500).lat, 48.0) << "the jump is not the current position";
  // 0.0005 degree (56 m) in 1 s from the last accepted one: plausible.
  EXPECT_TRUE(h.add(fix_at(3'000, 48.0005, 11.0)));
  // Three reports in a row 50 km away that agree with each other: the receiver is there.
  EXPECT_FALSE(h.add(fix_at(4'000, 48.45, 11.0)));
  EXPECT_FALSE(h.add(fix_at(5'000, 48.4501, 11.0)));
  EXPECT_TRUE(h.add(fix_at(6'000, 48.4502, 11.0)));
  EXPECT_DOUBLE_EQ(*h.at(6'000).lat, 48.4502);
  EXPECT_EQ(h.rejected_jumps(), 4u);
  // Two jumps that disagree with each other do not confirm one another.
  EXPECT_FALSE(h.add(fix_at(7'000, 10.0, 11.0)));
  EXPECT_FALSE(h.add(fix_at(8'000, -10.0, 11.0)));
  EXPECT_FALSE(h.add(fix_at(9'000, 10.0, 11.0)));
  EXPECT_TRUE(h.add(fix_at(9'500, 48.4503, 11.0)));
}

TEST(FixHistoryTest, TheSpeedLimitUsesTheReceiversFixTimes) {
  FixHistory h(3000);
  // Received 0.2 s apart (a replay), but 10 s apart by the receiver's clock: 900 m in 10 s = 90 m/s, allowed.
  ASSERT_TRUE(h.add(fix_at(1'000, 48.0, 11.0, 100'000)));
  EXPECT_TRUE(h.add(fix_at(1'200, 48.0081, 11.0, 110'000)));
  // The same distance in 1 s by the receiver's clock: 900 m/s, refused.
  EXPECT_FALSE(h.add(fix_at(1'400, 48.0162, 11.0, 111'000)));
}

TEST(FixHistoryTest, DistanceOnTheSphere) {
  // One degree of latitude on a sphere of radius 6371008.8 m is pi/180 * R.
  EXPECT_NEAR(tw::distance_m(48.0, 11.0, 49.0, 11.0), M_PI / 180.0 * 6371008.8, 1e-6);
  // One degree of longitude at latitude 60: R cos(60) * pi/180 (to 0.01 %: the great circle is a bit shorter).
  EXPECT_NEAR(tw::distance_m(60.0, 11.0, 60.0, 12.0), 0.5 * M_PI / 180.0 * 6371008.8, 6.0);
}

TEST(PositionParse, FixedPositionsAreValidatedWithErrorsNamingTheField) {
  auto p = tw::parse_fixed_position("51.4778,-0.0014");
  const Fix f = p->at(1234);
  EXPECT_DOUBLE_EQ(*f.lat, 51.4778);
  EXPECT_DOUBLE_EQ(*f.lon, -0.0014);
  EXPECT_EQ(f.mode, FixMode::fix2d);
  EXPECT_EQ(f.time_unix_ms, 1234);
  auto q = tw::parse_fixed_position("-33.8568,151.2153,12.5");
  EXPECT_EQ(q->at(0).mode, FixMode::fix3d);
  EXPECT_DOUBLE_EQ(*q->at(0).alt_m, 12.5);
  tw::test::expect_input_error([] { tw::parse_fixed_position("91,0"); }, {"--position", "latitude", "-90..90"});
  tw::test::expect_input_error([] { tw::parse_fixed_position("0,180.5"); }, {"--position", "longitude"});
  tw::test::expect_input_error([] { tw::parse_fixed_position("nan,0"); }, {"--position", "latitude"});
  tw::test::expect_input_error([] { tw::parse_fixed_position("1,2,3,4"); }, {"--position", "LAT,LON"});
  tw::test::expect_input_error([] { tw::parse_fixed_position("48.1"); }, {"--position", "LAT,LON"});
  tw::test::expect_input_error([] { tw::parse_fixed_position("48.1x,11"); }, {"--position", "latitude", "48.1x"});
  tw::test::expect_input_error([] { tw::parse_fixed_position("48,11,"); }, {"--position", "altitude", "empty"});
  tw::test::expect_input_error([] { tw::parse_fixed_position("48,11,200000"); }, {"--position", "altitude"});
}

TEST(PositionParse, GpsdAddresses) {
  auto d = tw::parse_gpsd_address("");
  EXPECT_EQ(d.host, "localhost");
  EXPECT_EQ(d.port, "2947");
  d = tw::parse_gpsd_address("10.0.0.5:3000");
  EXPECT_EQ(d.host, "10.0.0.5");
  EXPECT_EQ(d.port, "3000");
  d = tw::parse_gpsd_address("gps.local");
  EXPECT_EQ(d.host, "gps.local");
  EXPECT_EQ(d.port, "2947");
  d = tw::parse_gpsd_address("[::1]:4000");
  EXPECT_EQ(d.host, "::1");
  EXPECT_EQ(d.port, "4000");
  tw::test::expect_input_error([] { tw::parse_gpsd_address("host:99999"); }, {"--gps", "port"});
  tw::test::expect_input_error([] { tw::parse_gpsd_address("host:abc"); }, {"--gps", "port"});
  tw::test::expect_input_error([] { tw::parse_gpsd_address("::1:4000"); }, {"--gps", "IPv6"});
}

// ---------------------------------------------------------------------------------------------------------
// gpsd through gpsfake: a 40-point track with garbage lines, one jump (valid checksum, 50 km off) and a run of
// no-fix reports at the end.
TEST(GpsdPositionSourceTest, FixesMatchTheNmeaTrackGarbageAndJumpsAreIgnoredNoFixIsNoFix) {
  TW_REQUIRE_GPSFAKE();
  tw::test::TempDir dir;
  constexpr int kPoints = 40;
  std::string nmea;
  for (int i = 0; i < kPoints; ++i) {
    if (i == 5) nmea += "garbage line without a dollar\n";
    if (i == 9) nmea += "$GPGGA,120009.00,4806.0540,N,01130.0540,E,1,08,0.9,545.4,M,46.9,M,,*00\n";  // bad checksum
    if (i == 12) nmea += "\x01\x02\xff\xfe$GPRMC,broken\n";
    if (i == 20) nmea += tw::test::nmea_fix(12 * 3600 + i, track_lat(i) + 0.45, track_lon(i));  // 50 km north
    nmea += tw::test::nmea_fix(12 * 3600 + i, track_lat(i), track_lon(i));
  }
  for (int i = kPoints; i < kPoints + 30; ++i) nmea += tw::test::nmea_no_fix(12 * 3600 + i);
  tw::test::write_file(dir / "track.nmea", nmea);
  const int port = tw::test::free_loopback_port();
  ASSERT_GT(port, 0);
  StderrCapture err(dir / "stderr.txt");
  tw::test::GpsFake fake(dir / "track.nmea", port, 0.05, true, dir / "gpsfake.log");
  ASSERT_TRUE(fake.wait_listening()) << tw::test::read_file(dir / "gpsfake.log");
  tw::GpsdOptions o;
  o.host = "127.0.0.1";
  o.port = std::to_string(port);
  o.backoff_initial_s = 0.1;
  const std::int64_t t0 = now_ms();
  tw::GpsdPositionSource src(o);
  // Until the no-fix reports come (gpsd reports mode 1 for GGA quality 0 / RMC V).
  std::vector<Fix> fixes;
  const bool saw_no_fix = wait_for(
      [&] {
        fixes = src.track(t0, now_ms());
        return !fixes.empty() && fixes.back().mode == FixMode::none;
      },
      30.0);
  err.restore();
  ASSERT_TRUE(saw_no_fix) << "no no-fix report; stderr:\n" << err.text() << "\ngpsfake:\n"
                          << tw::test::read_file(dir / "gpsfake.log");
  int positioned = 0, last_index = -1;
  for (const auto& f : fixes) {
    if (!f.has_position()) continue;
    ++positioned;
    const int i = track_index(f, kPoints);
    ASSERT_GE(i, 0) << "fix " << *f.lat << "," << *f.lon << " is not on the track (the jump or garbage got through)";
    EXPECT_GT(i, last_index) << "fixes out of order";
    last_index = i;
    EXPECT_EQ(f.mode, FixMode::fix3d);
    ASSERT_TRUE(f.eph_m) << "gpsd gives eph for GGA with HDOP";
    EXPECT_GT(*f.eph_m, 0.0);
    ASSERT_TRUE(f.alt_m);
    EXPECT_NEAR(*f.alt_m, 545.4, 1e-6);
  }
  // gpsd may merge the first sentences of a session; every later point arrives.
  EXPECT_GE(positioned, kPoints - 3);
  EXPECT_EQ(last_index, kPoints - 1);
  EXPECT_EQ(src.rejected_jumps(), 1u) << "the one jump";
  EXPECT_NE(err.text().find("implausible jump"), std::string::npos) << err.text();
  // A fix time from RMC (2026-12-03 = 031226) at the point's second.
  const Fix& last = *std::find_if(fixes.rbegin(), fixes.rend(), [](const Fix& f) { return f.has_position(); });
  ASSERT_TRUE(last.fix_time_unix_ms);
  EXPECT_EQ(*last.fix_time_unix_ms % 86'400'000, (12 * 3600 + kPoints - 1) * 1000LL);
  // Now: no fix (the receiver said so), not the last position.
  EXPECT_EQ(src.at(now_ms()).mode, FixMode::none);
  EXPECT_FALSE(src.at(now_ms()).lat);
  // Looked up at the time it was received, the last positioned fix is the current one then.
  EXPECT_DOUBLE_EQ(*src.at(last.time_unix_ms).lat, *last.lat);
}

TEST(GpsdPositionSourceTest, GpsdKilledMidRunIsReportedAndReconnectedAfterARestart) {
  TW_REQUIRE_GPSFAKE();
  tw::test::TempDir dir;
  std::string nmea;
  for (int i = 0; i < 30; ++i) nmea += tw::test::nmea_fix(12 * 3600 + i, track_lat(i), track_lon(i));
  tw::test::write_file(dir / "track.nmea", nmea);
  const int port = tw::test::free_loopback_port();
  ASSERT_GT(port, 0);
  StderrCapture err(dir / "stderr.txt");
  auto fake = std::make_unique<tw::test::GpsFake>(dir / "track.nmea", port, 0.05, false, dir / "gpsfake1.log");
  ASSERT_TRUE(fake->wait_listening());
  tw::GpsdOptions o;
  o.host = "127.0.0.1";
  o.port = std::to_string(port);
  o.backoff_initial_s = 0.1;
  o.backoff_max_s = 0.5;
  tw::GpsdPositionSource src(o);
  ASSERT_TRUE(wait_for([&] { return src.at(now_ms()).has_position(); }, 20.0)) << "no fix from the first gpsd";
  EXPECT_EQ(src.connections(), 1u);
  fake->stop();  // gpsd gone: the socket closes under the source
  ASSERT_TRUE(wait_for([&] { return src.disconnects() >= 1; }, 10.0));
  EXPECT_FALSE(src.connected());
  const std::int64_t lost = now_ms();
  // 3 s later the last position is stale: no fix.
  std::this_thread::sleep_for(std::chrono::milliseconds(3200));
  EXPECT_EQ(src.at(now_ms()).mode, FixMode::none);
  EXPECT_EQ(src.connections(), 1u) << "nothing to connect to while gpsd is down";
  // gpsd back on the same port: reconnected, fixes again.
  fake = std::make_unique<tw::test::GpsFake>(dir / "track.nmea", port, 0.05, false, dir / "gpsfake2.log");
  ASSERT_TRUE(fake->wait_listening());
  ASSERT_TRUE(wait_for([&] { return src.connections() >= 2 && src.at(now_ms()).has_position(); }, 20.0))
      << err.text();
  const Fix f = src.at(now_ms());
  EXPECT_GT(f.time_unix_ms, lost);
  EXPECT_GE(track_index(f, 30), 0);
  fake->stop();
  err.restore();
  const std::string text = err.text();
  EXPECT_NE(text.find("connection lost"), std::string::npos) << text;
  EXPECT_NE(text.find(": connected"), std::string::npos) << text;
}

TEST(GpsdPositionSourceTest, NoGpsdAtAllIsNoFixNeverAnError) {
  tw::test::TempDir dir;
  const int port = tw::test::free_loopback_port();
  ASSERT_GT(port, 0);
  StderrCapture err(dir / "stderr.txt");
  tw::GpsdOptions o;
  o.host = "127.0.0.1";
  o.port = std::to_string(port);
  o.backoff_initial_s = 0.05;
  {
    tw::GpsdPositionSource src(o);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_FALSE(src.connected());
    EXPECT_EQ(src.at(now_ms()).mode, FixMode::none);
    EXPECT_TRUE(src.track(0, now_ms()).empty());
  }
  err.restore();
  const std::string text = err.text();
  EXPECT_NE(text.find("cannot connect"), std::string::npos) << text;
  // Said once per outage, not once per attempt.
  EXPECT_EQ(text.find("cannot connect"), text.rfind("cannot connect")) << text;
}
