// Real servers for the fleet tests (HELPERS: no mocks where a real component is named): a mosquitto broker
// and a PostgreSQL cluster, each started by the test on loopback with its own data directory and a free
// port, stopped (and its directory removed) when the fixture goes. As root, PostgreSQL's initdb and
// postgres refuse to run: they run as the unprivileged user "nobody" (runuser), their directory handed to it.
// Neither server available: the test is skipped with the reason, or fails when CI is set (TW_SERVER_OR_SKIP).
// No test framework needed here: tools/bench uses the same servers.
#pragma once
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "loopback_port.hpp"

#include <sstream>

extern char** environ;

namespace tw::test {

// The whole file ("" when absent). Not test_support's read_file: tools/bench/bench_fleet_collect uses this
// header without GoogleTest.
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}


inline bool port_accepts(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

// Starts argv (stdout+stderr appended to `log`); returns the pid (-1 on failure).
inline pid_t spawn_logged(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}
inline int run_logged(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  const pid_t pid = spawn_logged(argv, log);
  if (pid < 0) return -1;
  int st = 0;
  ::waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// A directory outside the root-only test TempDir that an unprivileged server process can own.
class SharedTempDir {
 public:
  SharedTempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tw-fleet-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
    ::chmod(path_.c_str(), 0755);
  }
  ~SharedTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class MosquittoServer {
 public:
  // extra_conf: lines added to the listener (e.g. its TLS files).
  explicit MosquittoServer(std::string extra_conf = "") : port_(free_loopback_port()), extra_conf_(std::move(extra_conf)) {
    write_conf();
    start();
  }
  void write_conf() {
    std::ofstream conf(dir_.path() / "mosquitto.conf");
    conf << "listener " << port_ << " 127.0.0.1\n"
         << extra_conf_ << "allow_anonymous true\n"
         << "persistence true\n"
         << "persistence_location " << dir_.path().string() << "/\n"
         << "max_queued_messages 1000000\n"
         << "max_inflight_messages 100\n"
         << "log_dest stderr\n"
         << "log_type error\nlog_type warning\n";
    if (::geteuid() == 0) conf << "user root\n";
  }
  ~MosquittoServer() { stop(); }
  bool start() {
    error_.clear();
    pid_ = spawn_logged({"mosquitto", "-c", (dir_.path() / "mosquitto.conf").string()}, dir_.path() / "mosquitto.log");
    if (pid_ < 0) {
      error_ = "mosquitto not found (Debian package mosquitto)";
      return false;
    }
    for (int i = 0; i < 200; ++i) {
      if (port_accepts(port_)) return true;
      int st = 0;
      if (::waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        error_ = "mosquitto exited: " + slurp(dir_.path() / "mosquitto.log");
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    error_ = "mosquitto did not listen on port " + std::to_string(port_);
    return false;
  }
  // SIGTERM: mosquitto saves its persistence file (the sessions and queued messages) and exits.
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
  }
  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  const std::string& error() const { return error_; }
  std::string url(const std::string& prefix = "tw") const {
    return "mqtt://127.0.0.1:" + std::to_string(port_) + "/" + prefix;
  }

 private:
  SharedTempDir dir_;
  int port_;
  std::string extra_conf_;
  pid_t pid_ = -1;
  std::string error_;
};

class PostgresServer {
 public:
  PostgresServer() : port_(free_loopback_port()) {
    bin_ = find_bin();
    if (bin_.empty()) {
      error_ = "PostgreSQL server binaries not found (Debian package postgresql: /usr/lib/postgresql/*/bin)";
      return;
    }
    data_ = dir_.path() / "data";
    sock_ = dir_.path() / "sock";
    std::filesystem::create_directories(sock_);
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("nobody");
      if (!pw) {
        error_ = "no user 'nobody' to run PostgreSQL as";
        return;
      }
      ::chown(dir_.path().c_str(), pw->pw_uid, pw->pw_gid);
      ::chown(sock_.c_str(), pw->pw_uid, pw->pw_gid);
      as_user_ = {"runuser", "-u", "nobody", "--"};
    }
    const auto log = dir_.path() / "initdb.log";
    std::vector<std::string> init = as_user_;
    for (const auto& a : {(bin_ / "initdb").string(), std::string("-D"), data_.string(), std::string("-U"),
                          std::string("tw"), std::string("-A"), std::string("trust"), std::string("--no-sync"),
                          std::string("-E"), std::string("UTF8"), std::string("--locale=C")})
      init.push_back(a);
    if (run_logged(init, log) != 0) {
      error_ = "initdb failed: " + slurp(log);
      return;
    }
    start();
  }
  ~PostgresServer() { stop(); }
  bool start() {
    std::vector<std::string> a = as_user_;
    for (const auto& x : {(bin_ / "pg_ctl").string(), std::string("-D"), data_.string(), std::string("-w"),
                          std::string("-t"), std::string("60"), std::string("-l"), (dir_.path() / "pg.log").string(),
                          std::string("-o"),
                          "-p " + std::to_string(port_) + " -k " + sock_.string() + " -c listen_addresses=127.0.0.1",
                          std::string("start")})
      a.push_back(x);
    if (run_logged(a, dir_.path() / "pg_ctl.log") != 0) {
      error_ = "pg_ctl start failed: " + slurp(dir_.path() / "pg_ctl.log") + slurp(dir_.path() / "pg.log");
      running_ = false;
      return false;
    }
    running_ = true;
    return true;
  }
  void stop() {
    if (!running_) return;
    std::vector<std::string> a = as_user_;
    for (const auto& x : {(bin_ / "pg_ctl").string(), std::string("-D"), data_.string(), std::string("-m"),
                          std::string("fast"), std::string("-w"), std::string("stop")})
      a.push_back(x);
    run_logged(a, dir_.path() / "pg_ctl.log");
    running_ = false;
  }
  bool running() const { return running_; }
  const std::string& error() const { return error_; }
  std::string url() const { return "postgresql://tw@127.0.0.1:" + std::to_string(port_) + "/postgres"; }
  int port() const { return port_; }
  // The cluster's data directory (pg_hba.conf, postgresql.conf); owned by the server's user.
  const std::filesystem::path& data_dir() const { return data_; }

 private:
  static std::filesystem::path find_bin() {
    std::filesystem::path best;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
      if (std::filesystem::exists(e.path() / "bin" / "initdb") && (best.empty() || e.path() > best.parent_path()))
        best = e.path() / "bin";
    return best;
  }
  SharedTempDir dir_;
  int port_;
  std::filesystem::path bin_, data_, sock_;
  std::vector<std::string> as_user_;
  bool running_ = false;
  std::string error_;
};

}  // namespace tw::test

// In a TEST body (include support/test_support.hpp): skip (outside CI) or fail (CI set) when a server did
// not start.
#define TW_SERVER_OR_SKIP(server)                                                                  \
  do {                                                                                             \
    if (!(server).running()) {                                                                     \
      if (tw::test::running_in_ci()) FAIL() << "server needed in CI: " << (server).error();       \
      GTEST_SKIP() << "server not available: " << (server).error();                               \
    }                                                                                              \
  } while (0)
