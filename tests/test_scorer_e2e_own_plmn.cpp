// End to end, no baseline: a catcher on a PLMN of its own among a legitimate network of 8 GSM cells of two
// operators (262-01, 262-02) and a railway GSM-R cell (262-10 on R-GSM ARFCN 960, TS 45.005 clause 2). The
// scenes are written here, played by the simulated radio and decoded by the real receiver through
// `towerwatch demo --json --scene FILE --band R-GSM900` (R-GSM900 holds E-GSM and P-GSM). Truths: the scene
// (which cell is the rogue and its PLMN), the operator list the run reads (Debian's, or one the test writes
// and names with TW_PROVIDERS_XML), ITU-T E.212 for MCC 001.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "src/cells/operator_names.hpp"
#include "support/test_support.hpp"

namespace {

using nlohmann::json;
using tw::test::json_lines;
using tw::test::lines_of_type;
using tw::test::run_towerwatch;

json cell(const std::string& name, int arfcn, int bsic, int mcc, const std::string& mnc, int lac, int ci,
          std::vector<int> neighbors, double power) {
  return {{"name", name}, {"arfcn", arfcn}, {"bsic", bsic}, {"mcc", mcc}, {"mnc", mnc}, {"lac", lac}, {"ci", ci},
          {"neighbors", neighbors}, {"power_dbfs", power}, {"t3212", 20}};
}

// 262-01 on 10/14/18/22, 262-02 on 40/44/48/52 (two LACs each, reciprocal lists), GSM-R on 960.
json network() {
  const std::vector<int> a = {10, 14, 18, 22}, b = {40, 44, 48, 52};
  json cells = json::array();
  for (std::size_t i = 0; i < 4; ++i) {
    std::vector<int> na, nb;
    for (std::size_t k = 0; k < 4; ++k)
      if (k != i) na.push_back(a[k]), nb.push_back(b[k]);
    const int n = static_cast<int>(i);
    cells.push_back(cell("a" + std::to_string(i), a[i], 10 + n, 262, "01", i < 2 ? 1234 : 1235, 10011 + n, na, -36.0 - 3 * n));
    cells.push_back(cell("b" + std::to_string(i), b[i], 20 + n, 262, "02", i < 2 ? 3101 : 3102, 21001 + n, nb, -38.0 - 3 * n));
  }
  cells.push_back(cell("gsm-r", 960, 5, 262, "10", 100, 501, {962, 965}, -48.0));
  return cells;
}

struct Run {
  std::vector<json> cells, alerts;
  std::string out, err;
};

Run demo(const tw::test::TempDir& dir, const json& cells, const std::string& tag, bool as_json = true) {
  const json scene = {{"name", "own-plmn-" + tag}, {"seed", 11}, {"noise_dbfs", -75.0}, {"cells", cells}};
  const auto path = dir / (tag + ".json");
  tw::test::write_file(path, scene.dump());
  std::vector<std::string> args = {"demo", "--scene", path.string(), "--band", "R-GSM900"};
  if (as_json) args.push_back("--json");
  const auto r = run_towerwatch(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Run out{{}, {}, r.out, r.err};
  if (!as_json) return out;
  const auto lines = json_lines(r.out);
  out.cells = lines_of_type(lines, "cell");
  out.alerts = lines_of_type(lines, "alert");
  return out;
}

const json* at(const std::vector<json>& cells, int arfcn) {
  for (const auto& c : cells)
    if (c.value("arfcn", -1) == arfcn) return &c;
  return nullptr;
}

std::set<std::string> rules(const json& alert) {
  std::set<std::string> s;
  for (const auto& r : alert["reasons"]) s.insert(r["rule"].get<std::string>());
  return s;
}

class OwnPlmnE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("TW_CONFIG_DIR", (dir / "config").c_str(), 1);
    if (!tw::cells::operator_list_info().loaded) {   // the same default file the binary reads
      if (tw::test::running_in_ci()) FAIL() << tw::cells::operator_list_info().error;
      GTEST_SKIP() << "no operator list: " << tw::cells::operator_list_info().error;
    }
  }
  void TearDown() override {
    ::unsetenv("TW_CONFIG_DIR");
    ::unsetenv("TW_PROVIDERS_XML");
  }
  tw::test::TempDir dir;
};

TEST_F(OwnPlmnE2E, CatcherOnItsOwnPlmnAlertsAndTheNetworkWithGsmRDoesNot) {
  // The legitimate network and the GSM-R cell: every cell decoded, named from the list, no alert.
  const auto legit = demo(dir, network(), "legit");
  ASSERT_EQ(legit.cells.size(), 9u) << legit.out;
  for (const auto& c : legit.cells) {
    const auto op = tw::cells::lookup_operator(c["mcc"].get<int>(), c["mnc"].get<std::string>());
    if (op) EXPECT_EQ(c["operator"], op->name) << c.dump();
    else EXPECT_TRUE(c["operator"].is_null()) << c.dump();
  }
  ASSERT_NE(at(legit.cells, 960), nullptr);
  EXPECT_TRUE((*at(legit.cells, 960))["operator"].is_null());   // 262-10 is not in the list
  EXPECT_TRUE(at(legit.cells, 10) && (*at(legit.cells, 10))["operator"].is_string());
  for (const auto& a : legit.alerts) ADD_FAILURE() << "false alarm: " << a.dump();

  // A catcher on 262-99 (not in the list), parameters like the network's: M2 + M3 without a baseline.
  auto cells = network();
  cells.push_back(cell("rogue", 30, 7, 262, "99", 4711, 99, {10, 14, 40}, -40.0));
  const auto own = demo(dir, cells, "own");
  ASSERT_EQ(own.cells.size(), 10u);
  ASSERT_EQ(own.alerts.size(), 1u) << own.out;
  EXPECT_EQ(own.alerts[0]["cell"]["arfcn"], 30);
  EXPECT_TRUE(own.alerts[0]["cell"]["operator"].is_null());
  const auto ids = rules(own.alerts[0]);
  EXPECT_TRUE(ids.count("M2") && ids.count("M3")) << own.alerts[0].dump();

  // The SDR default 001-01 (E.212 test network): M1 + M2.
  cells.back()["mcc"] = 1;
  cells.back()["mnc"] = "01";
  const auto test_plmn = demo(dir, cells, "test-plmn");
  ASSERT_EQ(test_plmn.alerts.size(), 1u) << test_plmn.out;
  EXPECT_EQ(test_plmn.alerts[0]["cell"]["arfcn"], 30);
  const auto ids2 = rules(test_plmn.alerts[0]);
  EXPECT_TRUE(ids2.count("M1") && ids2.count("M2")) << test_plmn.alerts[0].dump();
}

TEST_F(OwnPlmnE2E, AnotherOperatorListNamedByTheEnvironment) {
  // A list (written here) that knows 262-99 as a campus network: names in the text table and the records;
  // the lone 262-99 cell keeps M2 only and does not alert.
  const auto list = dir / "providers.xml";
  tw::test::write_file(list,
                       "<?xml version=\"1.0\"?><serviceproviders format=\"2.0\"><country code=\"de\"><name>Germany</name>"
                       "<provider><name>Test Telekom</name><gsm><network-id mcc=\"262\" mnc=\"01\"/></gsm></provider>"
                       "<provider><name>Test Vodafone</name><gsm><network-id mcc=\"262\" mnc=\"02\"/></gsm></provider>"
                       "<provider><name>Test Campus</name><gsm><network-id mcc=\"262\" mnc=\"99\"/></gsm></provider>"
                       "</country></serviceproviders>");
  ::setenv("TW_PROVIDERS_XML", list.c_str(), 1);
  auto cells = network();
  cells.push_back(cell("campus", 30, 7, 262, "99", 4711, 99, {10, 14, 40}, -40.0));
  const auto r = demo(dir, cells, "campus");
  EXPECT_EQ((*at(r.cells, 10))["operator"], "Test Telekom");
  EXPECT_EQ((*at(r.cells, 40))["operator"], "Test Vodafone");
  EXPECT_EQ((*at(r.cells, 30))["operator"], "Test Campus");
  EXPECT_TRUE(r.alerts.empty()) << r.out;
  const auto text = demo(dir, cells, "campus-text", false);
  EXPECT_NE(text.out.find("Test Campus"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Test Vodafone"), std::string::npos) << text.out;

  // No list at all (the fallback): names are null, a warning names the file, the run still succeeds; the
  // catcher of 001-01 is still flagged (M1 is built in, E.212).
  ::setenv("TW_PROVIDERS_XML", (dir / "absent.xml").c_str(), 1);
  cells.back()["mcc"] = 1;
  cells.back()["mnc"] = "01";
  const auto none = demo(dir, cells, "no-list");
  for (const auto& c : none.cells) EXPECT_TRUE(c["operator"].is_null()) << c.dump();
  EXPECT_NE(none.err.find("absent.xml"), std::string::npos) << none.err;
  ASSERT_EQ(none.alerts.size(), 1u) << none.out;
  EXPECT_EQ(none.alerts[0]["cell"]["arfcn"], 30);
}

}  // namespace
