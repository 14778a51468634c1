// Command-line options of one subcommand: declared, then parsed strictly (an unknown option is an error).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tw::cli {

struct OptionSpec {
  std::string name;        // without the leading "--"
  bool takes_value = true; // false: a flag
  std::string value_name;  // for --help, e.g. "HZ"
  std::string help;
  bool value_optional = false;  // with takes_value: "--name" alone is allowed, a value only as "--name=V"
};

class Args {
 public:
  // Throws tw::InputError for an unknown option or a missing value.
  Args(const std::string& command, const std::vector<OptionSpec>& specs, const std::vector<std::string>& argv);

  bool has(const std::string& name) const;  // flag given, or option given with a value
  std::optional<std::string> get(const std::string& name) const;
  std::string get_or(const std::string& name, const std::string& fallback) const;
  std::optional<double> number(const std::string& name) const;  // SI suffixes accepted
  double number_or(const std::string& name, double fallback) const;
  const std::vector<std::string>& positionals() const { return positionals_; }
  bool help_requested() const { return help_; }

 private:
  std::string command_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
  bool help_ = false;
};

// Options every subcommand takes.
std::vector<OptionSpec> common_options();

}  // namespace tw::cli
