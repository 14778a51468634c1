// The LTE tunings of the planner searched on rendered signal (search_lte_block with the tuning's offsets and
// window): a B20 cell (TS 36.101 table 5.7.3-1: EARFCN 6300 = 791 + 0.1 x 150 = 806.0 MHz) anywhere in a
// tuning's span, with a receiver error, is found by the offset responsible for it with its PCI, ports, its
// carrier where the scene puts it (for the middle and both ends of the tuning), and its frame start where the scene's frame clock puts it.
// Truth: the scene rendered here (tools/synth).
#include <gtest/gtest.h>

#include <cmath>

#include "src/pipeline/lte_analysis.hpp"
#include "src/sweep/band_plan.hpp"
#include "src/sweep/sweep_plan.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

using nlohmann::json;
using namespace tw;
using namespace tw::sweep;

TEST(SweepLteBlock, EveryPositionInATuningIsFoundByItsSearch) {
  SweepPlanOptions o;  // 2.4 Msps, 80% usable, 100 ppm
  const auto tunings = plan_lte_band(make_lte_band(20), o);
  // The tuning that holds EARFCN 6300 (806.0 MHz).
  const Tuning* t = nullptr;
  for (const auto& x : tunings)
    for (const auto& ch : x.lte_channels)
      if (ch.earfcn == 6300) t = &x;
  ASSERT_NE(t, nullptr);
  const double receiver_ppm = 60.0;  // 48 kHz at 806 MHz
  for (double shift : {-1.0, 0.0, 1.0}) {
    // Move the tuning so the cell sits at its lowest, middle and highest EARFCN (the worst cases).
    const double centre = 806.0e6 + shift * (t->center_hz - t->lte_channels.front().downlink_hz);
    SCOPED_TRACE("cell at " + std::to_string(806.0e6 - centre) + " Hz from the centre");
    synth::SceneWithLte s;
    s.scene.name = "block";
    s.scene.seed = 4;
    s.scene.noise_dbfs = -75.0;
    s.scene.receiver_ppm = receiver_ppm;
    synth::lte::LteCellConfig c;
    c.earfcn = 6300;
    c.band = 20;
    c.pci = 151;
    c.ports = 2;
    c.bandwidth_prb = 25;
    c.power_dbfs = -78.0;
    c.first_sfn = 40;
    c.first_sfn_set = true;
    c.pdsch_load = 0.3;
    s.lte_cells = {c};
    synth::SceneRenderer r(s, centre, o.sample_rate_hz, 0.0);
    std::vector<cf32> iq(static_cast<std::size_t>(0.08 * o.sample_rate_hz));
    r.render(iq);
    LteAnalysisOptions lo;
    lo.offsets_hz = t->lte_offsets_hz;
    lo.max_cfo_hz = t->lte_max_cfo_hz;
    const auto cells = search_lte_block(iq, o.sample_rate_hz, centre, lo);
    bool found = false;
    const double apparent = 806.0e6 * (1 + receiver_ppm * 1e-6);
    for (const auto& x : cells) {
      if (x["pci"] != 151 || !x["mib"].is_string()) continue;
      found = true;
      EXPECT_EQ(x["ports"], 2);
      EXPECT_EQ(x["bandwidth_prb"], 25);
      EXPECT_NEAR(x["apparent_carrier_hz"].get<double>(), apparent, 100.0);
      // Frame i starts at 10 ms i of the receiver's time scaled by its error; SFN 40 + i.
      const double frames = x["frame_start_s"].get<double>() * (1 + receiver_ppm * 1e-6) / 0.010;
      EXPECT_NEAR(frames, std::round(frames), 0.01);
      EXPECT_EQ(x["sfn"].get<int>(), (40 + static_cast<int>(std::round(frames))) % 1024);
    }
    EXPECT_TRUE(found) << json(cells).dump();
  }
}

// Overlapping searches of one block find a cell twice: its System Information is decoded once (one SIB1
// message for GSMTAP / --blocks) and both records carry it, equal to what the scene's cell sends.
TEST(SweepLteBlock, SystemInformationOnceForACellFoundByTwoSearches) {
  synth::SceneWithLte s;
  s.scene.name = "twice";
  s.scene.seed = 9;
  s.scene.noise_dbfs = -80.0;
  synth::lte::LteCellConfig c;
  c.earfcn = 6300;
  c.band = 20;
  c.pci = 77;
  c.ports = 1;
  c.bandwidth_prb = 6;
  c.cfi = 2;
  c.power_dbfs = -60.0;
  c.first_sfn = 100;
  c.first_sfn_set = true;
  c.system_info.tracking_area_code = 4242;
  s.lte_cells = {c};
  const double rate = 3.84e6;
  synth::SceneRenderer r(s, 806.0e6, rate, 0.0);
  std::vector<cf32> iq(static_cast<std::size_t>(0.1 * rate));
  r.render(iq);
  LteAnalysisOptions lo;
  lo.offsets_hz = {-40e3, 40e3};   // both windows hold the carrier
  lo.max_cfo_hz = 60e3;
  // Each offset searched alone: the shared search cancels a decoded cell's sync signals in the neighbouring
  // offsets' channels, so there the cell is found once only.
  lo.shared_search = false;
  std::vector<LteRrcMessage> messages;
  const auto cells = search_lte_block(iq, rate, 806.0e6, lo, &messages);
  int records = 0;
  for (const auto& x : cells) {
    if (x["pci"] != 77) continue;
    ++records;
    ASSERT_TRUE(x["sib1"].is_string()) << x.dump();
    EXPECT_EQ(x["tac"], 4242);
  }
  EXPECT_EQ(records, 2);
  int sib1 = 0;
  for (const auto& m : messages) sib1 += m.message == "SystemInformationBlockType1";
  EXPECT_EQ(sib1, 1);
}
