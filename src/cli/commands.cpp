#include <algorithm>
#include <cstdio>

#include "src/cli/command.hpp"
#include "src/core/log.hpp"

namespace tw::cli {

int run_analyze(const std::vector<std::string>& argv);
int run_scan(const std::vector<std::string>& argv);
int run_monitor(const std::vector<std::string>& argv);
int run_drive(const std::vector<std::string>& argv);
int run_calibrate(const std::vector<std::string>& argv);
int run_baseline(const std::vector<std::string>& argv);
int run_synth(const std::vector<std::string>& argv);
int run_demo(const std::vector<std::string>& argv);
int run_sources(const std::vector<std::string>& argv);
int run_collect(const std::vector<std::string>& argv);

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"analyze", "decode recorded IQ captures offline (cu8, cs8, cs16, cf32, SigMF)", run_analyze},
      {"scan", "sweep bands on an SDR (or the simulated radio) and report every cell", run_scan},
      {"monitor", "fixed-site monitoring: scan continuously, learn normal, alert on change", run_monitor},
      {"drive", "sweep again and again while moving, every tuning stamped with its GPS position", run_drive},
      {"calibrate", "measure the receiver's frequency error (ppm) from GSM cells", run_calibrate},
      {"baseline", "learn / import / show the baseline of known cells", run_baseline},
      {"synth", "render a GSM scene to an IQ file with its ground truth", run_synth},
      {"demo", "the main job on the built-in default: a sweep of a built-in scene via the simulated radio", run_demo},
      {"collect", "fleet collector: sensors' MQTT messages into PostgreSQL, fleet rules across sensors", run_collect},
      {"sources", "read an IQ file or a SoapySDR device and report its stream: rate, level, gaps", run_sources},
  };
  return table;
}

namespace {
// The common options a command does not declare itself (its own help text for them wins).
std::vector<OptionSpec> common_options_not_in(const std::vector<OptionSpec>& own) {
  std::vector<OptionSpec> out;
  for (auto& o : common_options()) {
    bool declared = false;
    for (const auto& x : own) declared = declared || x.name == o.name;
    if (!declared) out.push_back(o);
  }
  return out;
}
}  // namespace

void print_help(const std::string& command, const HelpText& help) {
  std::printf("usage: towerwatch %s %s\n\n%s\n\noptions:\n", command.c_str(), help.usage.c_str(),
              help.description.c_str());
  auto print_opts = [](const std::vector<OptionSpec>& specs) {
    for (const auto& o : specs) {
      std::string left = "--" + o.name;
      if (o.takes_value) left += o.value_optional ? "[=" + o.value_name + "]" : " " + o.value_name;
      // The left column padded to 28, and at least two spaces before the help (packaging/gen_docs.sh reads it).
      left.resize(std::max<std::size_t>(left.size() + 1, 28), ' ');
      std::printf("  %s %s\n", left.c_str(), o.help.c_str());
    }
  };
  print_opts(help.options);
  print_opts(common_options_not_in(help.options));
  if (!help.example.empty()) std::printf("\nexample:\n  %s\n", help.example.c_str());
}

std::optional<Args> parse_or_help(const std::string& command, const HelpText& help,
                                  const std::vector<std::string>& argv) {
  auto specs = help.options;
  for (auto& o : common_options_not_in(help.options)) specs.push_back(o);
  Args args(command, specs, argv);
  if (args.help_requested() || args.has("help")) {
    print_help(command, help);
    return std::nullopt;
  }
  if (args.has("quiet")) log::set_level(log::Level::quiet);
  if (args.has("verbose")) log::set_level(log::Level::debug);
  return args;
}

}  // namespace tw::cli
