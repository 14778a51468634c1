#include "src/cli/command.hpp"

namespace tw::cli {

int run_sources(const std::vector<std::string>& argv) {
  for (const auto& a : argv)
    if (a == "--help" || a == "-h") {
      print_help("sources", HelpText{"", "Not yet available.", {}, "towerwatch --help"});
      return 0;
    }
  return not_yet_available("sources", "a later change");
}

}  // namespace tw::cli
