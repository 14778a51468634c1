// Helpers shared by the test suites.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/error.hpp"

namespace tw::test {

// ../shared beside the checkout. When absent: GTEST_SKIP outside CI, a failure in CI (CI=true).
// Use as:  auto shared = tw::test::shared_dir(); if (shared.empty()) return;  (after the macro below)
std::filesystem::path find_shared_dir();
bool running_in_ci();

// A fresh temporary directory, removed when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// A scene the test writes, played by the simulated radio (`device` holds its device args); calibration files
// are kept in the test's own directory (TW_CONFIG_DIR), never the user's.
class SimSceneTest : public ::testing::Test {
 protected:
  // Writes the scene into `dir` and returns its path.
  virtual std::string write_scene_file() = 0;
  void SetUp() override {
    ::setenv("TW_CONFIG_DIR", (dir / "config").c_str(), 1);
    device = "driver=towerwatch-sim,scene=" + write_scene_file();
  }
  void TearDown() override { ::unsetenv("TW_CONFIG_DIR"); }
  TempDir dir;
  std::string device;
};

// Runs the built towerwatch binary with arguments; captures stdout and stderr separately.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
RunResult run_towerwatch(const std::vector<std::string>& args);
// Starts the binary with stdout to `out` and stderr to `err` and returns at once with the child's pid (for
// tests that signal or kill it mid-run).
int spawn_towerwatch(const std::vector<std::string>& args, const std::filesystem::path& out,
                     const std::filesystem::path& err);
std::string towerwatch_binary();

std::string read_file(const std::filesystem::path& p);
// The objects of a JSON-lines text (towerwatch --json output), in order; throws on a malformed line.
std::vector<nlohmann::json> json_lines(const std::string& text);
// The lines of `lines` whose "type" is `type`, in order.
std::vector<nlohmann::json> lines_of_type(const std::vector<nlohmann::json>& lines, const std::string& type);
// The complete lines of a JSON-lines file still being written (a line being written is left out; no file: none).
std::vector<nlohmann::json> complete_json_lines(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& bytes);

// Runs f and expects a tw::InputError whose message contains every one of `needles` (the file, the field).
template <class F>
void expect_input_error(F&& f, std::initializer_list<std::string> needles) {
  try {
    f();
    ADD_FAILURE() << "no InputError thrown";
  } catch (const tw::InputError& e) {
    for (const auto& n : needles) EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << e.what() << " / " << n;
  }
}

}  // namespace tw::test

// Resolves ../shared or skips (outside CI) / fails (in CI) the current test.
#define TW_REQUIRE_SHARED(var)                                                          \
  const std::filesystem::path var = ::tw::test::find_shared_dir();                      \
  if (var.empty()) {                                                                    \
    if (::tw::test::running_in_ci()) {                                                  \
      FAIL() << "../shared is missing: CI must provide the shared captures";            \
    }                                                                                   \
    GTEST_SKIP() << "../shared is absent (captures not available): skipping this test"; \
  }
