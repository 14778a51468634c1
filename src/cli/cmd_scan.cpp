#include "src/cli/command.hpp"

namespace tw::cli {

int run_scan(const std::vector<std::string>& argv) {
  const HelpText help{
      "[--device ARGS] [--band LIST]",
      "Not yet available: comes with the band-sweep issue.",
      {},
      "towerwatch scan --help"};
  // Options are not declared yet: accept anything so --help always works.
  for (const auto& a : argv)
    if (a == "--help" || a == "-h") {
      print_help("scan", help);
      return 0;
    }
  return not_yet_available("scan", "the band-sweep issue");
}

}  // namespace tw::cli
