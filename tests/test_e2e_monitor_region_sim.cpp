// `towerwatch monitor --region eu` end to end: the real binary and the simulated radio (realtime=0) over the
// built-in scene "region-eu" (tools/synth/scenes_builtin.cpp), whose cells are the truth here (loaded through
// the synthesizer's scene API, not restated). The runs keep one GSM channel and one EARFCN (--arfcn,
// --earfcn) at 2.4 Msps so they stay short; the whole region at 20 Msps is tools/bench/bench_region.
//   - GSM and LTE bands in one monitor: every sweep stores the GSM900 cell with the identity the scene gives
//     it and the B20 cell with its PCI and a MIB; learning then scoring raises no alert on this legitimate network;
//   - --interval on the stream clock: sweeps are exactly the interval apart on the monitor's clock, the time
//     between them skipped by the simulated radio (not rendered: a day would take hours);
//   - a short soak (6 stream hours, 24 sweeps): resident memory (rss_kb of every monitor_sweep, and its peak
//     rss_peak_kb) stays below 150 MB and does not grow (the last quarter's maximum within 4 MB of the first quarter's). The 24-hour
//     soak is tools/bench/bench_region (BM_RegionSoak).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "src/store/store.hpp"
#include "support/test_support.hpp"
#include "tools/synth/scene.hpp"

using nlohmann::json;

namespace {

const char* kDevice = "driver=towerwatch-sim,realtime=0,scene=region-eu";

}  // namespace

TEST(E2eMonitorRegion, GsmAndLteCellsEverySweepAtTheInterval) {
  tw::test::TempDir dir;
  ::setenv("TW_CONFIG_DIR", dir.path().c_str(), 1);   // no stored calibration of the simulated radio's serial
  const auto db = dir / "site.db";
  const auto r = tw::test::run_towerwatch({"monitor", "--device", kDevice, "--region", "eu", "--arfcn", "20", "--earfcn",
                                           "6300", "--rate", "2.4M", "--db", db.string(), "--learn", "30m", "--clock",
                                           "stream", "--interval", "10m", "--max-sweeps", "4", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = tw::test::json_lines(r.out);
  const auto start = tw::test::lines_of_type(lines, "monitor_start");
  ASSERT_EQ(start.size(), 1u);
  EXPECT_EQ(start[0]["bands"], json({"LTE-B20", "E-GSM900"}));
  const auto sweeps = tw::test::lines_of_type(lines, "monitor_sweep");
  ASSERT_EQ(sweeps.size(), 4u);
  for (std::size_t k = 0; k < sweeps.size(); ++k) {
    EXPECT_EQ(sweeps[k]["cells"], 2) << sweeps[k].dump();
    EXPECT_GT(sweeps[k]["rss_kb"].get<double>(), 0.0);
    EXPECT_GT(sweeps[k]["cpu_s"].get<double>(), 0.0);
    EXPECT_EQ(sweeps[k]["learning"].get<bool>(), k < 3) << "learning 30 min, sweeps 10 min apart";
    if (k > 0) {
      // 10 min from sweep start to sweep start on the stream clock (1 ms: the clock's rounding).
      const auto dt = sweeps[k]["time_unix_ms"].get<std::int64_t>() - sweeps[k - 1]["time_unix_ms"].get<std::int64_t>();
      EXPECT_NEAR(static_cast<double>(dt), 600000.0, 1.0);
    }
  }
  EXPECT_TRUE(tw::test::lines_of_type(lines, "alert").empty()) << r.out;

  // What was stored: the scene's GSM cell on ARFCN 20 and its LTE cell on EARFCN 6300, every sweep.
  const auto scene = tw::synth::load_scene_with_lte("region-eu");
  const auto gsm = std::find_if(scene.scene.cells.begin(), scene.scene.cells.end(), [](const auto& c) { return c.arfcn == 20; });
  const auto lte = std::find_if(scene.lte_cells.begin(), scene.lte_cells.end(), [](const auto& c) { return c.earfcn == 6300; });
  ASSERT_NE(gsm, scene.scene.cells.end());
  ASSERT_NE(lte, scene.lte_cells.end());
  tw::store::Store store(db);
  const auto infos = store.sweeps();
  ASSERT_EQ(infos.size(), 4u);
  for (const auto& info : infos) {
    const auto s = store.load_sweep(info.id);
    int seen_gsm = 0, seen_lte = 0;
    for (const auto& c : s.cells) {
      if (c.rat == "GSM" && c.arfcn == 20) {
        ++seen_gsm;
        EXPECT_EQ(c.bsic, gsm->bsic);
        EXPECT_EQ(c.mcc, gsm->mcc);
        EXPECT_EQ(c.lac, gsm->lac);
        EXPECT_EQ(c.ci, gsm->ci);
      } else if (c.rat == "LTE" && c.arfcn == 6300) {
        ++seen_lte;
        // At 2.4 Msps the 10 MHz cell's SIB1 is out of reach (its MIB is not): the cell is its PCI and MIB.
        EXPECT_EQ(c.params.value("pci", -1), lte->pci) << c.params.dump();
        EXPECT_TRUE(c.params.contains("mib") && c.params["mib"].is_string()) << c.params.dump();
      }
    }
    EXPECT_EQ(seen_gsm, 1) << "sweep " << info.id;
    EXPECT_EQ(seen_lte, 1) << "sweep " << info.id;
  }
}

TEST(E2eMonitorRegion, SixStreamHoursKeepResidentMemoryFlat) {
  tw::test::TempDir dir;
  ::setenv("TW_CONFIG_DIR", dir.path().c_str(), 1);
  const auto r = tw::test::run_towerwatch({"monitor", "--device", kDevice, "--region", "eu", "--rat", "gsm", "--arfcn",
                                           "20", "--rate", "2.4M", "--db", (dir / "soak.db").string(), "--learn", "1h",
                                           "--clock", "stream", "--interval", "15m", "--max-sweeps", "24", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto sweeps = tw::test::lines_of_type(tw::test::json_lines(r.out), "monitor_sweep");
  ASSERT_EQ(sweeps.size(), 24u);
  const double hours = static_cast<double>(sweeps.back()["time_unix_ms"].get<std::int64_t>() -
                                           sweeps.front()["time_unix_ms"].get<std::int64_t>()) / 3600e3;
  EXPECT_NEAR(hours, 23 * 0.25, 1e-3);
  double q1 = 0, q4 = 0;
  for (std::size_t k = 0; k < sweeps.size(); ++k) {
    const double mb = sweeps[k]["rss_kb"].get<double>() / 1024.0;
    EXPECT_LE(mb, 150.0) << "sweep " << k;
    EXPECT_LE(sweeps[k]["rss_peak_kb"].get<double>() / 1024.0, 150.0) << "sweep " << k;
    EXPECT_EQ(sweeps[k]["cells"], 1) << "sweep " << k;
    if (k < 6) q1 = std::max(q1, mb);
    if (k >= 18) q4 = std::max(q4, mb);
  }
  EXPECT_LE(q4, q1 + 4.0) << "resident memory grew: first quarter max " << q1 << " MB, last " << q4 << " MB";
}
