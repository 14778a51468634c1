// NR cell records in the scorer's observation and the store's key: the GSCN is the channel, SS-RSRP the level,
// the PCI at the GSCN the identity (two PCIs on one GSCN are two cells; one PCI on two GSCNs too).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "src/core/error.hpp"
#include "src/scorer/observation.hpp"
#include "src/store/store.hpp"
#include "support/scorer_test_support.hpp"

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

// The rules that need no global cell identity judge NR cells as the others: F1 (a carrier offset far from the
// sweep's common receiver error; base stations keep +-0.05 ppm, TS 38.104 6.5.1) and S1's in-sweep part (a
// cell far above every other of its RAT).
TEST(NrObservation, OffsetAndPowerRulesApply) {
  tw::SweepObservations s;
  const int gscns[] = {4604, 4610, 4620, 4630, 4640};
  for (int i = 0; i < 5; ++i) {
    auto r = nr_record(100 + i, gscns[i], -80.0 + i);
    r["freq_hz"] = 1842.05e6 + 1e6 * i;
    r["cfo_hz"] = 180.0 + 10 * i;   // about 0.1 ppm: the receiver's own error, shared
    s.cells.push_back(tw::CellObservation::from_cell_record(r, 1000, "s"));
  }
  auto rogue = nr_record(7, 4650, -40.0);   // 40 dB above the others, its own oscillator 5 ppm off
  rogue["freq_hz"] = 1847.05e6;
  rogue["cfo_hz"] = 180.0 + 5e-6 * 1847.05e6;
  s.cells.push_back(tw::CellObservation::from_cell_record(rogue, 1000, "s"));
  EXPECT_EQ(tw::test::reasons_of(s, 4650, "F1").size(), 1u);
  EXPECT_EQ(tw::test::reasons_of(s, 4650, "S1").size(), 1u);
  EXPECT_TRUE(tw::test::reasons_of(s, 4604, "F1").empty());
  EXPECT_TRUE(tw::test::reasons_of(s, 4604, "S1").empty());
}
