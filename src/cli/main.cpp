// towerwatch: rogue cell-site (IMSI-catcher) detector. Entry point: dispatch to the subcommand table.
// Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "src/cli/command.hpp"
#include "src/core/error.hpp"

namespace {

void usage(FILE* to) {
  std::fprintf(to, "usage: towerwatch COMMAND [options]   (towerwatch COMMAND --help for each)\n\ncommands:\n");
  for (const auto& c : tw::cli::commands()) std::fprintf(to, "  %-10s %s\n", c.name, c.summary);
}

// The simulated radio is a SoapySDR module built beside this binary; make it findable unless the
// user pointed SOAPY_SDR_PLUGIN_PATH elsewhere.
void point_soapy_at_sim_module() {
  if (std::getenv("SOAPY_SDR_PLUGIN_PATH")) return;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return;
  auto dir = exe.parent_path() / "soapy-modules";
  if (std::filesystem::is_directory(dir, ec)) setenv("SOAPY_SDR_PLUGIN_PATH", dir.c_str(), 0);
}

}  // namespace

int main(int argc, char** argv) {
  point_soapy_at_sim_module();
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(stdout);
    return 0;
  }
  if (name == "--version") {
    std::printf("towerwatch %s\n", TW_VERSION);
    return 0;
  }
  std::vector<std::string> rest(argv + 2, argv + argc);
  for (const auto& c : tw::cli::commands()) {
    if (name != c.name) continue;
    try {
      return c.run(rest);
    } catch (const tw::InputError& e) {
      std::fprintf(stderr, "towerwatch %s: error: %s\n", c.name, e.what());
      return 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "towerwatch %s: error: %s\n", c.name, e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "towerwatch: unknown command '%s'\n", name.c_str());
  usage(stderr);
  return 2;
}
