#include "src/core/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>

namespace tw::log {
namespace {
std::atomic<Level> g_level{Level::warn};
std::mutex g_mutex;

void emit(const char* tag, std::string_view message) {
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fprintf(stderr, "towerwatch: %s%.*s\n", tag, static_cast<int>(message.size()), message.data());
}
}  // namespace

void set_level(Level l) { g_level = l; }
Level level() { return g_level; }

void warn(std::string_view m) {
  if (g_level >= Level::warn) emit("warning: ", m);
}
void warn_once(std::string_view m) {
  if (g_level < Level::warn) return;
  {
    static std::set<std::string, std::less<>> seen;
    std::lock_guard<std::mutex> lock(g_mutex);
    if (seen.count(m)) return;
    if (seen.size() < 256) seen.emplace(m);
  }
  emit("warning: ", m);
}
void info(std::string_view m) {
  if (g_level >= Level::info) emit("", m);
}
void debug(std::string_view m) {
  if (g_level >= Level::debug) emit("debug: ", m);
}

}  // namespace tw::log
