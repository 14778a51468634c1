// The subcommand table: one file per subcommand (src/cli/cmd_*.cpp), one line each in commands.cpp.
#pragma once
#include <string>
#include <vector>

#include "src/cli/args.hpp"

namespace tw::cli {

using CommandFn = int (*)(const std::vector<std::string>& argv);

struct Command {
  const char* name;
  const char* summary;
  CommandFn run;
};

const std::vector<Command>& commands();

// Help text of a subcommand: usage line, description, options (its own, then the common ones), example.
struct HelpText {
  std::string usage;
  std::string description;
  std::vector<OptionSpec> options;
  std::string example;
};
void print_help(const std::string& command, const HelpText& help);

// Parses argv with the command's options plus the common ones; sets the log level. On --help prints
// the help and returns std::nullopt (the command then exits 0).
std::optional<Args> parse_or_help(const std::string& command, const HelpText& help,
                                  const std::vector<std::string>& argv);

}  // namespace tw::cli
