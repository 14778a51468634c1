#include "src/cli/command.hpp"

namespace tw::cli {

int run_monitor(const std::vector<std::string>& argv) {
  const HelpText help{
      "[--device ARGS] [--db FILE]",
      "Not yet available: comes with the baseline and scorer issue.",
      {},
      "towerwatch monitor --help"};
  // Options are not declared yet: accept anything so --help always works.
  for (const auto& a : argv)
    if (a == "--help" || a == "-h") {
      print_help("monitor", help);
      return 0;
    }
  return not_yet_available("monitor", "the baseline and scorer issue");
}

}  // namespace tw::cli
