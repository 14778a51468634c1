// Shared helpers of the libFuzzer harnesses (tests/fuzz/README.md).
#pragma once
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace tw::fuzz {

// An invariant that does not hold is a finding: print it and abort so libFuzzer saves the input.
[[noreturn]] inline void invariant_failed(const char* cond, const char* file, int line, const std::string& what) {
  std::fprintf(stderr, "INVARIANT FAILED %s:%d: %s: %s\n", file, line, cond, what.c_str());
  std::abort();
}

#define TW_FUZZ_CHECK(cond, what)                                                  \
  do {                                                                             \
    if (!(cond)) ::tw::fuzz::invariant_failed(#cond, __FILE__, __LINE__, (what));  \
  } while (0)

// A private scratch folder of this process (files written by the harness for the readers that take a path),
// under /dev/shm when it exists (no disk writes for millions of runs). libFuzzer usually ends with _Exit,
// skipping atexit: the folders of processes that are gone are removed when the next harness starts.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    std::filesystem::path base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    const std::string prefix = "towerwatch-fuzz-";
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(base, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind(prefix, 0) != 0) continue;
      const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
      if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) std::filesystem::remove_all(e.path(), ec);
    }
    auto d = base / (prefix + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);
    });
    return d;
  }();
  return dir;
}

inline void write_bytes(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
}

}  // namespace tw::fuzz
