// The CLI's contract: subcommand table, --help for each, exit codes (0 ok, 1 runtime, 2 usage/input).
#include <gtest/gtest.h>

#include "src/cli/command.hpp"
#include "support/test_support.hpp"

using tw::test::run_towerwatch;

TEST(Cli, NoArgumentsIsUsageError) {
  auto r = run_towerwatch({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("usage: towerwatch"), std::string::npos);
}

TEST(Cli, UnknownCommandIsUsageError) {
  auto r = run_towerwatch({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos);
}

TEST(Cli, EverySubcommandHasHelpWithExample) {
  for (const auto& c : tw::cli::commands()) {
    auto r = run_towerwatch({c.name, "--help"});
    EXPECT_EQ(r.exit_code, 0) << c.name;
    EXPECT_NE(r.out.find(std::string("usage: towerwatch ") + c.name), std::string::npos) << c.name;
    EXPECT_NE(r.out.find("example:"), std::string::npos) << c.name << " --help has no example";
  }
}
