// Diagnostics go to stderr so stdout stays clean for --json output.
#pragma once
#include <string_view>

namespace tw::log {

enum class Level { quiet = 0, warn = 1, info = 2, debug = 3 };

void set_level(Level level);
Level level();

void warn(std::string_view message);
void info(std::string_view message);
void debug(std::string_view message);

}  // namespace tw::log
