// towerwatch: rogue cell-site (IMSI-catcher) detector. Entry point: dispatch to the subcommand table.
// Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include <SoapySDR/Modules.hpp>

#include "hw/soapy_source.hpp"
#include "src/cli/command.hpp"
#include "src/core/error.hpp"

namespace {

void usage(FILE* to) {
  std::fprintf(to,
               "usage: towerwatch COMMAND [options]   (towerwatch COMMAND --help for each)\n"
               "       towerwatch --version\n\ncommands:\n");
  for (const auto& c : tw::cli::commands()) std::fprintf(to, "  %-10s %s\n", c.name, c.summary);
}

// The simulated radio is a SoapySDR module. In the build tree it is in soapy-modules beside this binary;
// installed, in <prefix>/TW_SOAPY_MODULE_SUBDIR (packaging/CMakeLists.txt), which for the prefixes /usr (the
// .deb) and /usr/local is a directory SoapySDR searches anyway. Under any other prefix that directory is
// added here. Nothing is changed when the user set SOAPY_SDR_PLUGIN_PATH. Run before SoapySDR's first use
// (set_soapy_first_use_hook), not at start: `analyze`, `synth` or `--help` never load the module.
void point_soapy_at_sim_module() {
  if (std::getenv("SOAPY_SDR_PLUGIN_PATH")) return;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return;
  const auto build_dir = exe.parent_path() / "soapy-modules";
  if (std::filesystem::is_directory(build_dir, ec)) {
    setenv("SOAPY_SDR_PLUGIN_PATH", build_dir.c_str(), 0);
    // Loaded first, so that this build's simulated radio wins over an installed copy in SoapySDR's module
    // directory (SoapySDR keeps the first registration of a driver and warns about the second).
    const auto module = build_dir / "libtowerwatchSimSupport.so";
    if (std::filesystem::exists(module, ec)) SoapySDR::loadModule(module.string());
    return;
  }
#ifdef TW_SOAPY_MODULE_SUBDIR
  const auto installed = exe.parent_path().parent_path() / TW_SOAPY_MODULE_SUBDIR;
  if (!std::filesystem::is_directory(installed, ec)) return;
  for (const auto& searched : SoapySDR::listSearchPaths())
    if (std::filesystem::equivalent(searched, installed, ec)) return;  // SoapySDR finds it by itself
  setenv("SOAPY_SDR_PLUGIN_PATH", installed.c_str(), 0);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  tw::set_soapy_first_use_hook(&point_soapy_at_sim_module);
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
