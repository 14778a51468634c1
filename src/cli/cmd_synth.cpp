#include "src/cli/command.hpp"

namespace tw::cli {

int run_synth(const std::vector<std::string>& argv) {
  for (const auto& a : argv)
    if (a == "--help" || a == "-h") {
      print_help("synth", HelpText{"", "Not yet available.", {}, "towerwatch --help"});
      return 0;
    }
  return not_yet_available("synth", "a later change");
}

}  // namespace tw::cli
