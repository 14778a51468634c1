// NR cell records in the scorer's observation and the store's key: the GSCN is the channel, SS-RSRP the level,
// the PCI at the GSCN the identity (two PCIs on one GSCN are two cells; one PCI on two GSCNs too).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "src/core/error.hpp"
#include "src/scorer/observation.hpp"
#include "src/store/store.hpp"

namespace {
nlohmann::json nr_record(int pci, int gscn, double rsrp) {
  return {{"type", "cell"}, {"rat", "NR"}, {"gscn", gscn}, {"nr_arfcn", 368410}, {"band", "NR-n3"}, {"pci", pci},
          {"ssb_index", 0}, {"rsrp_dbfs", rsrp}, {"sinr_db", 20.0}, {"cfo_hz", -37.0}, {"freq_hz", 1842.05e6}};
}
}  // namespace

TEST(NrObservation, GscnLevelAndKey) {
  const auto o = tw::CellObservation::from_cell_record(nr_record(500, 4604, -41.5), 1000, "s");
  EXPECT_EQ(o.rat, "NR");
  EXPECT_EQ(o.arfcn, 4604);
  EXPECT_DOUBLE_EQ(o.power_dbfs, -41.5);
  EXPECT_DOUBLE_EQ(o.snr_db, 20.0);
  EXPECT_FALSE(o.ci);
  const auto k1 = tw::store::cell_key(o);
  const auto k2 = tw::store::cell_key(tw::CellObservation::from_cell_record(nr_record(501, 4604, -41.5), 1000, "s"));
  const auto k3 = tw::store::cell_key(tw::CellObservation::from_cell_record(nr_record(500, 4605, -41.5), 1000, "s"));
  EXPECT_NE(k1, k2);
  EXPECT_NE(k1, k3);
  EXPECT_NE(k1.find("500"), std::string::npos);
  EXPECT_THROW(tw::CellObservation::from_cell_record(nr_record(1008, 4604, -41.5), 1000, "s"), tw::InputError);
}
