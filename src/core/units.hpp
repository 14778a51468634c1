// Numbers as users type them: "947.4M", "1.083333M", "250k", "2.4e6", "-73".
#pragma once
#include <string_view>

namespace tw {

// Parses a decimal number with an optional SI suffix k/K (1e3), M (1e6), G (1e9).
// Throws tw::InputError naming `what` (an option or field name) on anything else.
double parse_si_number(std::string_view text, std::string_view what);

}  // namespace tw
