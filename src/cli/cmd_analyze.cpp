#include "src/cli/command.hpp"

namespace tw::cli {

int run_analyze(const std::vector<std::string>& argv) {
  const HelpText help{
      "FILE... [--rate HZ] [--freq HZ] [--format F] [--json]",
      "Not yet available: comes with the GSM receiver issue.",
      {},
      "towerwatch analyze --help"};
  // Options are not declared yet: accept anything so --help always works.
  for (const auto& a : argv)
    if (a == "--help" || a == "-h") {
      print_help("analyze", help);
      return 0;
    }
  return not_yet_available("analyze", "the GSM receiver issue");
}

}  // namespace tw::cli
