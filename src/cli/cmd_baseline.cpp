#include "src/cli/command.hpp"

namespace tw::cli {

int run_baseline(const std::vector<std::string>& argv) {
  const HelpText help{
      "learn|import FILE|show [--db FILE]",
      "Not yet available: comes with the baseline and scorer issue.",
      {},
      "towerwatch baseline --help"};
  // Options are not declared yet: accept anything so --help always works.
  for (const auto& a : argv)
    if (a == "--help" || a == "-h") {
      print_help("baseline", help);
      return 0;
    }
  return not_yet_available("baseline", "the baseline and scorer issue");
}

}  // namespace tw::cli
