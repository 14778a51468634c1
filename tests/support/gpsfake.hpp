// The real gpsd in the tests: gpsfake (Debian gpsd-clients) runs a gpsd on a loopback port of the test's own and
// replays an NMEA log the test writes. Header-only (the hw suites link only tw_hw and test_support).
// NMEA sentences are built here by NMEA 0183 rules: "$" + fields + "*" + the XOR of every character between
// them in two upper-case hex digits; latitude ddmm.mmmm, longitude dddmm.mmmm (4 decimals of minutes:
// 1/600000 degree, about 0.19 m, is the rounding a track survives).
#pragma once
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "loopback_port.hpp"
#include "support/test_support.hpp"

namespace tw::test {

inline std::string nmea_sentence(const std::string& body) {
  unsigned char x = 0;
  for (char c : body) x ^= static_cast<unsigned char>(c);
  char cs[8];
  std::snprintf(cs, sizeof cs, "*%02X", x);
  return "$" + body + cs;
}

// ddmm.mmmm,N / dddmm.mmmm,E
inline std::string nmea_coord(double v, bool lat) {
  const char hemi = lat ? (v >= 0 ? 'N' : 'S') : (v >= 0 ? 'E' : 'W');
  v = std::fabs(v);
  int deg = static_cast<int>(v);
  double min = std::round((v - deg) * 60.0 * 10000.0) / 10000.0;
  if (min >= 60.0) {
    ++deg;
    min -= 60.0;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, lat ? "%02d%07.4f,%c" : "%03d%07.4f,%c", deg, min, hemi);
  return buf;
}

// hhmmss.ss of second `s` of the day.
inline std::string nmea_time(int s) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d.00", (s / 3600) % 24, (s / 60) % 60, s % 60);
  return buf;
}

// A fix at second `s`: GGA (quality 1, 8 satellites, HDOP 0.9, altitude 545.4 m) and RMC (status A).
inline std::string nmea_fix(int s, double lat, double lon) {
  const std::string t = nmea_time(s), la = nmea_coord(lat, true), lo = nmea_coord(lon, false);
  return nmea_sentence("GPGGA," + t + "," + la + "," + lo + ",1,08,0.9,545.4,M,46.9,M,,") + "\n" +
         nmea_sentence("GPRMC," + t + ",A," + la + "," + lo + ",022.4,084.4,031226,003.1,W") + "\n";
}

// What a receiver without a fix sends: GGA quality 0 with empty position, RMC status V.
inline std::string nmea_no_fix(int s) {
  const std::string t = nmea_time(s);
  return nmea_sentence("GPGGA," + t + ",,,,,0,00,99.99,,,,,,") + "\n" +
         nmea_sentence("GPRMC," + t + ",V,,,,,,,031226,,,N") + "\n";
}

// Why gpsfake cannot run here (empty: it can).
inline std::string gpsfake_unavailable() {
  if (std::system("command -v gpsfake >/dev/null 2>&1") != 0) return "gpsfake not installed (Debian gpsd-clients)";
  if (std::system("PATH=\"$PATH:/usr/sbin:/sbin\" command -v gpsd >/dev/null 2>&1") != 0)
    return "gpsd not installed (Debian gpsd)";
  return {};
}

inline bool port_accepts(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = s >= 0 && ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  if (s >= 0) ::close(s);
  return ok;
}

// One gpsfake (and its gpsd) in its own process group, killed with the group when the object goes.
class GpsFake {
 public:
  // `once`: replay the log once (-1) and let gpsd go when it ends; else repeat it.
  GpsFake(const std::filesystem::path& nmea, int port, double cycle_s, bool once, const std::filesystem::path& log)
      : port_(port) {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      const std::string path = std::string(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin") + ":/usr/sbin:/sbin";
      ::setenv("PATH", path.c_str(), 1);
      std::FILE* f = std::freopen(log.c_str(), "w", stdout);
      (void)f;
      ::dup2(::fileno(stdout), 2);
      const std::string p = std::to_string(port), c = std::to_string(cycle_s);
      if (once)
        ::execlp("gpsfake", "gpsfake", "-q", "-n", "-1", "-P", p.c_str(), "-c", c.c_str(), nmea.c_str(), nullptr);
      else
        ::execlp("gpsfake", "gpsfake", "-q", "-n", "-P", p.c_str(), "-c", c.c_str(), nmea.c_str(), nullptr);
      ::_exit(127);
    }
    ::setpgid(pid_, pid_);
  }
  ~GpsFake() { stop(); }
  GpsFake(const GpsFake&) = delete;
  GpsFake& operator=(const GpsFake&) = delete;

  // Waits until gpsd accepts connections on the port (false after the timeout).
  bool wait_listening(double timeout_s = 20.0) const {
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    while (std::chrono::steady_clock::now() < end) {
      if (port_accepts(port_)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // gpsfake and its gpsd, at once (SIGKILL to the group: the socket closes under the client).
  void stop() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
    // gpsd may have been reparented: wait until the port is really free.
    for (int i = 0; i < 100 && port_accepts(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  int port() const { return port_; }

 private:
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace tw::test

// Skips the test (outside CI) or fails it (CI set) when gpsfake cannot run here.
#define TW_REQUIRE_GPSFAKE()                                                                  \
  do {                                                                                        \
    const std::string why_ = ::tw::test::gpsfake_unavailable();                               \
    if (!why_.empty()) {                                                                      \
      if (::tw::test::running_in_ci()) FAIL() << "gpsfake cannot run in CI: " << why_;        \
      GTEST_SKIP() << "gpsfake cannot run here (" << why_ << "): skipping the gpsd test";     \
    }                                                                                         \
  } while (0)
