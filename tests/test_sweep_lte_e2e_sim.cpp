// LTE sweeps end to end through the simulated radio (SoapySDR driver towerwatch-sim rendering a scene file
// written here, with a receiver error of +20 ppm): `towerwatch scan --band LTE-B20` finds every LTE cell of
// the band exactly once on its true EARFCN with its PCI, ports, bandwidth and an SFN that agrees with the
// scene's frame clock; a mixed GSM + LTE list takes the receiver error from the GSM cell; `calibrate` on an
// LTE band alone measures the receiver error from the LTE cells.
// Truth: the scene itself (cells, first_sfn, delay_us, receiver_ppm) and TS 36.101 table 5.7.3-1 for the
// EARFCN frequencies (B20: 791 MHz + 0.1 MHz (N - 6150)).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "support/test_support.hpp"

using nlohmann::json;
using tw::test::json_lines;
using tw::test::run_towerwatch;

namespace {

struct LteTruth {
  int earfcn, pci, ports, prb;
  double power_dbfs;
  int first_sfn;
  double delay_us;
};
// Two cells of different PCIs on EARFCN 6300 (806.0 MHz) and one on 6420 (818.0 MHz), all in B20; one in B3
// (EARFCN 1300, 1815.0 MHz) that a B20 sweep must not report.
// The two on 6300 have different N_ID(2) (151 mod 3 = 1, 302 mod 3 = 2: 36.211 6.11.1), as planned networks do.
const std::vector<LteTruth> kB20 = {{6300, 151, 1, 50, -72.0, 28, 0.0},
                                    {6300, 302, 4, 25, -76.0, 517, 3.2},
                                    {6420, 77, 2, 15, -78.0, 1000, 12.5}};
const LteTruth kB3 = {1300, 5, 2, 25, -75.0, 3, 0.0};
constexpr double kReceiverPpm = 20.0;

std::string write_scene(const tw::test::TempDir& dir) {
  json lte = json::array();
  for (const auto& c : kB20)
    lte.push_back({{"name", "B20-" + std::to_string(c.pci)}, {"earfcn", c.earfcn}, {"pci", c.pci}, {"ports", c.ports},
                   {"bandwidth_prb", c.prb}, {"power_dbfs", c.power_dbfs}, {"first_sfn", c.first_sfn},
                   {"delay_us", c.delay_us}, {"pdsch_load", 0.3}, {"pdcch_load", 0.5}});
  lte.push_back({{"name", "B3-5"}, {"earfcn", kB3.earfcn}, {"pci", kB3.pci}, {"ports", kB3.ports},
                 {"bandwidth_prb", kB3.prb}, {"power_dbfs", kB3.power_dbfs}, {"first_sfn", kB3.first_sfn}});
  json gsm = json::array();
  gsm.push_back({{"name", "gsm-62"}, {"arfcn", 62}, {"bsic", 21}, {"mcc", 262}, {"mnc", "01"}, {"lac", 1234},
                 {"ci", 30001}, {"power_dbfs", -40.0}, {"t3212", 20}});
  const json scene = {{"name", "lte-sweep-e2e"}, {"seed", 9},         {"noise_dbfs", -75.0},
                      {"receiver_ppm", kReceiverPpm}, {"cells", gsm}, {"lte_cells", lte}};
  const auto path = dir / "scene.json";
  tw::test::write_file(path, scene.dump());
  return path.string();
}

const json& summary_of(const std::vector<json>& events) {
  static const json none;
  for (const auto& e : events)
    if (e["type"] == "sweep_summary") return e;
  ADD_FAILURE() << "no sweep_summary";
  return none;
}

// Every B20 cell of the scene exactly once, nothing else LTE.
void expect_b20_cells(const std::vector<json>& events) {
  std::map<std::pair<int, int>, json> found;
  for (const auto& e : events)
    if (e["type"] == "cell" && e["rat"] == "LTE") {
      const auto key = std::make_pair(e["earfcn"].get<int>(), e["pci"].get<int>());
      EXPECT_FALSE(found.count(key)) << "reported twice: " << e.dump();
      found[key] = e;
    }
  EXPECT_EQ(found.size(), kB20.size());
  for (const auto& c : kB20) {
    SCOPED_TRACE("PCI " + std::to_string(c.pci));
    const auto it = found.find({c.earfcn, c.pci});
    ASSERT_NE(it, found.end()) << "EARFCN " << c.earfcn << " PCI " << c.pci << " missing";
    const json& f = it->second;
    EXPECT_EQ(f["band"], "LTE-B20");
    EXPECT_DOUBLE_EQ(f["freq_hz"].get<double>(), 791e6 + 100e3 * (c.earfcn - 6150));
    EXPECT_EQ(f["duplex"], "FDD");
    EXPECT_EQ(f["ports"], c.ports);
    EXPECT_EQ(f["bandwidth_prb"], c.prb);
    EXPECT_EQ(f["cp"], "normal");
    // eNodeBs are exact in the scene: the offset left after the receiver error is measurement noise.
    EXPECT_LT(std::fabs(f["cfo_residual_ppb"].get<double>()), 100.0) << f.dump();
    // The SFN at sfn_time_s (stream time) against the scene's frame clock: frame i starts at
    // delay_us + 10 ms i of the receiver's time, with SFN first_sfn + i (mod 1024). The receiver's clock
    // runs 20 ppm off nominal: receiver time = stream time x (1 + 20e-6).
    ASSERT_TRUE(f["sfn"].is_number_integer()) << f.dump();
    ASSERT_TRUE(f["sfn_time_s"].is_number()) << f.dump();
    const double t = f["sfn_time_s"].get<double>() * (1 + kReceiverPpm * 1e-6);
    const double frames = (t - c.delay_us * 1e-6) / 0.010;
    const double i = std::round(frames);
    EXPECT_LT(std::fabs(frames - i), 0.02) << "frame start off the scene's frame clock: " << f.dump();
    EXPECT_EQ(f["sfn"].get<int>(), (c.first_sfn + static_cast<int>(i)) % 1024) << f.dump();
  }
}

class SweepLteE2eSim : public tw::test::SimSceneTest {
 protected:
  std::string write_scene_file() override { return write_scene(dir); }
};

}  // namespace

TEST_F(SweepLteE2eSim, Band20FindsEveryCellOnceOnItsTrueEarfcn) {
  auto scan = run_towerwatch({"scan", "--device", device, "--band", "LTE-B20", "--json"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  const auto events = json_lines(scan.out);
  expect_b20_cells(events);
  for (const auto& e : events) EXPECT_NE(e.value("rat", ""), "GSM") << e.dump();
  const json& s = summary_of(events);
  EXPECT_EQ(s["bands"], json({"LTE-B20"}));
  // 43 tunings of up to 7 EARFCNs (sweep_plan: 300 EARFCNs, 2.4 Msps, 100 ppm), all searched.
  EXPECT_EQ(s["tunings"], 43);
  EXPECT_EQ(s["lte_tunings"], 43);
  EXPECT_EQ(s["tunings_done"], 43);
  EXPECT_EQ(s["lte_cells"], 3);
  // (A cell is found by its own offset's search, 16 kHz off at +20 ppm, and sometimes once more by a neighbour
  // whose window just reaches it: 84 of its 87 kHz; expect_b20_cells checks none is reported twice.)
  // No GSM cell: the receiver error from the LTE cells (unique at 800 MHz: 125 ppm between candidates).
  EXPECT_EQ(s["lte_receiver_error_source"], "lte");
  EXPECT_NEAR(s["lte_receiver_error_ppm"].get<double>(), kReceiverPpm, 0.1);
  EXPECT_FALSE(s["interrupted"].get<bool>());
  EXPECT_TRUE(scan.err.empty()) << "--json is quiet on stderr: " << scan.err;
  // The band's noise floor (power census of the LTE tunings, rule J1): most tunings hold no cell, so the
  // median of their floors is the scene's receiver noise, -75 dBFS over 2.4 MHz = -78.8 dBFS/MHz.
  ASSERT_TRUE(s["lte_noise_floor_dbfs_per_mhz"].contains("LTE-B20")) << s.dump();
  EXPECT_NEAR(s["lte_noise_floor_dbfs_per_mhz"]["LTE-B20"].get<double>(), -75.0 - 10.0 * std::log10(2.4), 1.0);
}

TEST_F(SweepLteE2eSim, MixedGsmAndLteListTakesTheReceiverErrorFromGsm) {
  // The human output this time: the GSM table, then the LTE one with its receiver error line.
  auto scan = run_towerwatch({"scan", "--device", device, "--band", "GSM900,LTE-B20", "--mode", "sync"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  const std::string& out = scan.out;
  // "error left over the cells +20.000 ppm" (GSM), then the LTE line taking it over.
  EXPECT_NE(out.find("error left over the cells +20.0"), std::string::npos) << out;
  EXPECT_NE(out.find("LTE: 3 cells"), std::string::npos) << out;
  EXPECT_NE(out.find("receiver error +20.0"), std::string::npos) << out;
  EXPECT_NE(out.find("ppm (gsm)"), std::string::npos) << out;
  // One row per LTE cell: EARFCN, MHz, PCI first.
  auto row = [&](int earfcn, double mhz, int pci) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%-6d %-10.1f %-4d", earfcn, mhz, pci);
    return out.find(buf) != std::string::npos;
  };
  for (const auto& c : kB20)
    EXPECT_TRUE(row(c.earfcn, 791.0 + 0.1 * (c.earfcn - 6150), c.pci)) << "EARFCN " << c.earfcn << " PCI " << c.pci << "\n" << out;
  EXPECT_FALSE(row(kB3.earfcn, 1815.0, kB3.pci)) << out;
  // The GSM cell: ARFCN 62 (935 + 0.2 x 62 = 947.4 MHz, 45.005 clause 2) with BSIC 21 in the GSM table.
  char gsm_row[64];
  std::snprintf(gsm_row, sizeof gsm_row, "%-6d %-10.1f %-5d", 62, 947.4, 21);
  EXPECT_NE(out.find(gsm_row), std::string::npos) << out;
}

TEST_F(SweepLteE2eSim, CalibrateOnLteAloneMeasuresTheReceiverError) {
  // No GSM band listed: the error comes from the LTE cells (eNodeBs on the 100 kHz raster, TS 36.101 5.7.3),
  // and is stored for the simulated radio's serial like a GSM calibration.
  auto cal = run_towerwatch({"calibrate", "--device", device, "--band", "LTE-B20", "--json"});
  ASSERT_EQ(cal.exit_code, 0) << cal.err;
  const auto events = json_lines(cal.out);
  ASSERT_EQ(events.size(), 1u) << cal.out;
  const json& c = events[0];
  EXPECT_EQ(c["type"], "calibration");
  EXPECT_EQ(c["source"], "lte");
  EXPECT_NEAR(c["receiver_error_ppm"].get<double>(), kReceiverPpm, 0.1);
  EXPECT_NEAR(c["correction_ppm"].get<double>(), (1.0 / (1.0 + kReceiverPpm * 1e-6) - 1.0) * 1e6, 0.1);
  EXPECT_EQ(c["cells_used"], static_cast<int>(kB20.size()));
  ASSERT_TRUE(c["stored"].is_string());
  // The stored correction is what the next scan applies: its LTE windows narrow to the calibrated drift.
  auto scan = run_towerwatch({"scan", "--device", device, "--band", "LTE-B20", "--json"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  const auto scanned = json_lines(scan.out);
  expect_b20_cells(scanned);
  EXPECT_EQ(summary_of(scanned)["ppm_source"], "calibration");
}
