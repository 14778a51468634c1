#include "src/cli/command.hpp"

namespace tw::cli {

int run_demo(const std::vector<std::string>& argv) {
  for (const auto& a : argv)
    if (a == "--help" || a == "-h") {
      print_help("demo", HelpText{"", "Not yet available.", {}, "towerwatch --help"});
      return 0;
    }
  return not_yet_available("demo", "a later change");
}

}  // namespace tw::cli
