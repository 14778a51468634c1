// JSON form of a parsed L3 message, keys named as in TS 44.018 ("mcc", "lac", "ci", "t3212", ...).
// Identity values appear only when the message was parsed with ParseOptions::keep_identities.
#pragma once
#include <nlohmann/json.hpp>

#include "src/gsm/l3_message.hpp"

namespace tw::gsm {

nlohmann::json to_json(const ParsedMessage& message);

}  // namespace tw::gsm
