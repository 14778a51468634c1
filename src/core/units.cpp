#include "src/core/units.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

#include "src/core/error.hpp"

namespace tw {

double parse_si_number(std::string_view text, std::string_view what) {
  std::string s(text);
  auto fail = [&]() -> double {
    throw InputError(std::string(what) + ": '" + s + "' is not a number (examples: 947.4M, 250k, 2.4e6)");
  };
  if (s.empty()) return fail();
  double scale = 1.0;
  const char last = s.back();
  if (last == 'k' || last == 'K') scale = 1e3;
  else if (last == 'M') scale = 1e6;
  else if (last == 'G') scale = 1e9;
  if (scale != 1.0) s.pop_back();
  if (s.empty()) return fail();
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || !std::isfinite(v)) {
    s = std::string(text);
    return fail();
  }
  return v * scale;
}

}  // namespace tw
