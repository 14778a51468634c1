#include "support/test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace tw::test {

namespace fs = std::filesystem;

fs::path find_shared_dir() {
  if (const char* env = std::getenv("TW_SHARED_DIR")) {
    if (fs::is_directory(env)) return fs::path(env);
  }
  const fs::path candidate = fs::path(TW_SOURCE_DIR).parent_path() / "shared";
  if (fs::is_directory(candidate)) return candidate;
  return {};
}

bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) != "" && std::string(ci) != "false" && std::string(ci) != "0";
}

TempDir::TempDir() {
  std::random_device rd;
  for (int i = 0; i < 100; ++i) {
    auto p = fs::temp_directory_path() / ("towerwatch-test-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string towerwatch_binary() {
  if (const char* env = std::getenv("TW_BINARY")) return env;
  return std::string(TW_BUILD_DIR) + "/towerwatch";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> v;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) v.push_back(nlohmann::json::parse(line));
  return v;
}

int spawn_towerwatch(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(127);
    if (!freopen("/dev/null", "r", stdin)) _exit(127);
    std::vector<std::string> full{towerwatch_binary()};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& s : full) cargv.push_back(s.data());
    cargv.push_back(nullptr);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  return pid;
}

RunResult run_towerwatch(const std::vector<std::string>& args) {
  TempDir tmp;
  const auto out_path = tmp / "stdout";
  const auto err_path = tmp / "stderr";
  const pid_t pid = spawn_towerwatch(args, out_path, err_path);
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

std::vector<nlohmann::json> lines_of_type(const std::vector<nlohmann::json>& lines, const std::string& type) {
  std::vector<nlohmann::json> v;
  for (const auto& l : lines)
    if (l.value("type", "") == type) v.push_back(l);
  return v;
}

std::vector<nlohmann::json> complete_json_lines(const fs::path& p) {
  std::string text = fs::exists(p) ? read_file(p) : std::string();
  const auto cut = text.rfind('\n');
  return json_lines(cut == std::string::npos ? std::string() : text.substr(0, cut + 1));
}

}  // namespace tw::test
