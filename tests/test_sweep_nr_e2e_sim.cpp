// `towerwatch scan --band NR-n28` on the simulated radio playing two NR cells (scene "nr_cells"): every cell
// once, at its GSCN, with its PCI and the MIB fields the scene gives (sweep over the GSCN raster, src/sweep/nr_sweep).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace {
using nlohmann::json;

class SweepNrE2eSim : public tw::test::SimSceneTest {
 protected:
  std::string write_scene_file() override {
    const auto p = dir / "nr28.json";
    tw::test::write_file(p, scene().dump());
    return p.string();
  }
 public:
  static json scene() {
    return {{"name", "nr-n28"},
            {"seed", 3},
            {"noise_dbfs", -80},
            {"nr_cells",
             {{{"gscn", 1950}, {"pci", 77}, {"ssb_indices", {0, 1}}, {"power_dbfs", -65}, {"coreset_zero", 3}},
              {{"gscn", 1990}, {"pci", 600}, {"power_dbfs", -68}, {"cell_barred", true}}}}};
  }
};
}  // namespace

TEST_F(SweepNrE2eSim, BandN28FindsEveryCellAtItsGscn) {
  auto scan = tw::test::run_towerwatch({"scan", "--device", device, "--band", "NR-n28", "--rate", "7.68M", "--json"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  std::map<int, json> by_pci;
  json summary;
  for (const auto& e : tw::test::json_lines(scan.out)) {
    if (e["type"] == "cell") {
      ASSERT_EQ(e["rat"], "NR") << e.dump();
      EXPECT_FALSE(by_pci.count(e["pci"].get<int>())) << "reported twice: " << e.dump();
      by_pci[e["pci"].get<int>()] = e;
    }
    if (e["type"] == "sweep_summary") summary = e;
  }
  ASSERT_EQ(by_pci.size(), 2u) << scan.out;
  for (const auto& c : SweepNrE2eSim::scene()["nr_cells"]) {
    const json& got = by_pci.at(c["pci"].get<int>());
    EXPECT_EQ(got["gscn"], c["gscn"]);
    EXPECT_EQ(got["band"], "NR-n28");
    ASSERT_TRUE(got["mib"].is_object()) << got.dump();
    EXPECT_EQ(got["mib"]["cell_barred"], c.value("cell_barred", false));
    EXPECT_EQ(got["mib"]["pdcch_config_sib1"]["control_resource_set_zero"], c.value("coreset_zero", 0));
    EXPECT_NEAR(got["rsrp_dbfs"].get<double>(), c["power_dbfs"].get<double>(), 2.0);
  }
  EXPECT_EQ(summary["bands"], json({"NR-n28"}));
  EXPECT_EQ(summary["nr_cells"], 2);
  EXPECT_GT(summary["nr_tunings"].get<int>(), 10);
}
