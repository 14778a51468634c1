// Diagnostics go to stderr so stdout stays clean for --json output.
#pragma once
#include <string_view>

namespace tw::log {

enum class Level { quiet = 0, warn = 1, info = 2, debug = 3 };

void set_level(Level level);
Level level();

void warn(std::string_view message);
// A warning about a thing rather than an event (a file's trailing bytes): printed the first time only, however
// often the thing is opened in one run. The first 256 distinct messages are remembered; later ones always print.
void warn_once(std::string_view message);
void info(std::string_view message);
void debug(std::string_view message);

}  // namespace tw::log
