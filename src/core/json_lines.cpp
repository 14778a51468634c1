#include "src/core/json_lines.hpp"

#include <cstdio>
#include <mutex>

#include "src/core/error.hpp"

namespace tw {

void emit_json_line(const nlohmann::json& event) {
  static std::mutex mutex;
  if (!event.is_object() || !event.contains("type")) throw InputError("JSON output object without a \"type\" key");
  // Replace invalid UTF-8 instead of throwing: broadcast text is attacker-controlled.
  const std::string line = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace tw
