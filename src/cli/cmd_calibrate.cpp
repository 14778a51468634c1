#include "src/cli/command.hpp"

namespace tw::cli {

int run_calibrate(const std::vector<std::string>& argv) {
  const HelpText help{
      "[--device ARGS] [--band LIST]",
      "Not yet available: comes with the band-sweep and calibration issue.",
      {},
      "towerwatch calibrate --help"};
  // Options are not declared yet: accept anything so --help always works.
  for (const auto& a : argv)
    if (a == "--help" || a == "-h") {
      print_help("calibrate", help);
      return 0;
    }
  return not_yet_available("calibrate", "the band-sweep and calibration issue");
}

}  // namespace tw::cli
