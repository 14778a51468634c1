// The fleet end-to-end suites' pieces around the real binary (tests/test_fleet_e2e_*.cpp): a process whose
// wall clock is off (libfaketime, Debian package faketime) and `towerwatch collect` run as a child process
// whose JSON lines the test reads.
#pragma once
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace tw::test {

// libfaketime's preload library ("" when the package is missing).
inline std::string libfaketime() {
  std::error_code ec;
  for (const auto& d : std::filesystem::directory_iterator("/usr/lib", ec))
    if (std::filesystem::exists(d.path() / "faketime" / "libfaketimeMT.so.1"))
      return (d.path() / "faketime" / "libfaketimeMT.so.1").string();
  return "";
}

// While it lives, processes spawned get a wall clock shifted by `offset` (libfaketime's FAKETIME syntax,
// e.g. "-10m", "-1h"); their monotonic clock is untouched. An empty offset changes nothing.
class FakeClockForChildren {
 public:
  explicit FakeClockForChildren(const std::string& offset) : on_(!offset.empty()) {
    if (!on_) return;
    ::setenv("LD_PRELOAD", libfaketime().c_str(), 1);
    ::setenv("FAKETIME", offset.c_str(), 1);
    ::setenv("DONT_FAKE_MONOTONIC", "1", 1);
  }
  ~FakeClockForChildren() {
    if (!on_) return;
    ::unsetenv("LD_PRELOAD");
    ::unsetenv("FAKETIME");
    ::unsetenv("DONT_FAKE_MONOTONIC");
  }
  FakeClockForChildren(const FakeClockForChildren&) = delete;
  FakeClockForChildren& operator=(const FakeClockForChildren&) = delete;

 private:
  bool on_;
};

// `towerwatch collect --mqtt URL --db URL --json ARGS...`; each start() writes collectN.out / collectN.err.
class CollectorProcess {
 public:
  CollectorProcess(const TempDir& dir, std::string mqtt, std::string db) : dir_(dir), mqtt_(std::move(mqtt)), db_(std::move(db)) {}
  ~CollectorProcess() { stop(SIGKILL); }
  CollectorProcess(const CollectorProcess&) = delete;
  CollectorProcess& operator=(const CollectorProcess&) = delete;

  // Starts it with `extra` arguments (its wall clock shifted by `clock_offset`, see FakeClockForChildren)
  // and waits up to 10 s for its first JSON line.
  void start(const std::vector<std::string>& extra = {}, const std::string& clock_offset = "") {
    ++n_;
    std::vector<std::string> args{"collect", "--mqtt", mqtt_, "--db", db_, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    {
      FakeClockForChildren clock(clock_offset);
      pid_ = spawn_towerwatch(args, out_path(), err_path());
    }
    for (int i = 0; i < 200 && complete_json_lines(out_path()).empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  void stop(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
  }
  // The complete JSON lines of the current (last) run.
  std::vector<nlohmann::json> lines() const { return complete_json_lines(out_path()); }
  std::vector<nlohmann::json> fleet_alerts(const std::string& rule) const {
    std::vector<nlohmann::json> out;
    for (const auto& l : lines_of_type(lines(), "fleet_alert"))
      if (l.value("rule", "") == rule) out.push_back(l);
    return out;
  }
  std::string err() const { return read_file(err_path()); }

 private:
  std::filesystem::path out_path() const { return dir_ / ("collect" + std::to_string(n_) + ".out"); }
  std::filesystem::path err_path() const { return dir_ / ("collect" + std::to_string(n_) + ".err"); }
  const TempDir& dir_;
  std::string mqtt_, db_;
  pid_t pid_ = -1;
  int n_ = 0;
};

}  // namespace tw::test
