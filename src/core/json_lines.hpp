// Machine-readable output: one JSON object per line on stdout, each with a "type" key.
#pragma once
#include <nlohmann/json.hpp>

namespace tw {

// Writes `event` as one line and flushes (so a consumer reading a pipe sees it at once). Thread-safe.
// Throws tw::InputError if the object has no "type" key (a programming error caught in tests).
void emit_json_line(const nlohmann::json& event);

}  // namespace tw
