#include "src/cli/args.hpp"

#include "src/core/error.hpp"
#include "src/core/units.hpp"

namespace tw::cli {

std::vector<OptionSpec> common_options() {
  return {
      {"json", false, "", "machine-readable output: one JSON object per line on stdout, each with a \"type\" key"},
      {"verbose", false, "", "more diagnostics on stderr"},
      {"quiet", false, "", "only errors on stderr"},
      {"help", false, "", "this help"},
  };
}

Args::Args(const std::string& command, const std::vector<OptionSpec>& specs, const std::vector<std::string>& argv)
    : command_(command) {
  auto find = [&](const std::string& name) -> const OptionSpec* {
    for (const auto& s : specs)
      if (s.name == name) return &s;
    return nullptr;
  };
  bool only_positionals = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_positionals || a.size() < 2 || a[0] != '-' || (a[1] != '-' && a != "-h")) {
      positionals_.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positionals = true;
      continue;
    }
    if (a == "-h" || a == "--help") {
      help_ = true;
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const OptionSpec* spec = find(name);
    if (!spec)
      throw InputError("unknown option --" + name + " for '" + command_ + "' (see: towerwatch " + command_ +
                       " --help)");
    if (!spec->takes_value) {
      if (inline_value) throw InputError("option --" + name + " takes no value");
      values_[name] = "";
      continue;
    }
    if (inline_value) {
      values_[name] = *inline_value;
    } else if (spec->value_optional) {
      values_[name] = "";
    } else {
      if (i + 1 >= argv.size()) throw InputError("option --" + name + " needs a value (" + spec->value_name + ")");
      values_[name] = argv[++i];
    }
  }
}

bool Args::has(const std::string& name) const { return values_.count(name) != 0; }

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
  auto v = get(name);
  return v ? *v : fallback;
}

std::optional<double> Args::number(const std::string& name) const {
  auto v = get(name);
  if (!v) return std::nullopt;
  return parse_si_number(*v, "--" + name);
}

double Args::number_or(const std::string& name, double fallback) const {
  auto v = number(name);
  return v ? *v : fallback;
}

}  // namespace tw::cli
