// End to end through the simulated radio (SoapySDR driver towerwatch-sim rendering a scene file written
// here): `towerwatch calibrate` measures the scene's receiver error, `towerwatch scan` sweeps GSM850,
// E-GSM900, DCS1800 and PCS1900 and reports every cell of the scene exactly once with its identity.
// Truth: the scene itself (cells, receiver_ppm).
#include <gtest/gtest.h>

#include <csignal>
#include <cmath>
#include <cstdlib>
#include <map>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "support/test_support.hpp"

using nlohmann::json;
using tw::test::json_lines;
using tw::test::run_towerwatch;

namespace {

struct TruthCell {
  int arfcn, bsic, lac, ci;
  double power_dbfs;
};
// Two cells in GSM900, two in DCS1800. At +73 ppm the DCS carriers appear 133 kHz high, nearer the next
// ARFCN's raster point than their own.
const std::vector<TruthCell> kCells = {{62, 21, 1234, 30001, -35}, {66, 22, 1234, 30002, -42},
                                       {600, 25, 1240, 40001, -40}, {604, 26, 1240, 40002, -46}};
constexpr double kReceiverPpm = 73.0;

std::string write_scene(const tw::test::TempDir& dir) {
  json cells = json::array();
  for (const auto& c : kCells)
    cells.push_back({{"name", "cell-" + std::to_string(c.arfcn)}, {"arfcn", c.arfcn}, {"bsic", c.bsic},
                     {"mcc", 262}, {"mnc", "01"}, {"lac", c.lac}, {"ci", c.ci}, {"power_dbfs", c.power_dbfs},
                     {"t3212", 20}});
  const json scene = {{"name", "sweep-e2e"}, {"seed", 5}, {"noise_dbfs", -75.0}, {"receiver_ppm", kReceiverPpm},
                      {"cells", cells}};
  const auto path = dir / "scene.json";
  tw::test::write_file(path, scene.dump());
  return path.string();
}

// Every scene cell exactly once, on its own ARFCN, with its BSIC and cell global identity; nothing else.
void expect_scene_cells(const std::vector<json>& events) {
  std::map<int, json> found;
  for (const auto& e : events)
    if (e["type"] == "cell") {
      EXPECT_FALSE(found.count(e["arfcn"].get<int>())) << "reported twice: " << e.dump();
      found[e["arfcn"].get<int>()] = e;
    }
  EXPECT_EQ(found.size(), kCells.size());
  for (const auto& c : kCells) {
    ASSERT_TRUE(found.count(c.arfcn)) << "ARFCN " << c.arfcn << " missing";
    const auto& f = found[c.arfcn];
    EXPECT_EQ(f["bsic"], c.bsic);
    EXPECT_EQ(f["mcc"], 262);
    EXPECT_EQ(f["mnc"], "01");
    EXPECT_EQ(f["lac"], c.lac);
    EXPECT_EQ(f["ci"], c.ci);
    EXPECT_EQ(f["band"], c.arfcn >= 512 ? "DCS1800" : "P-GSM900");
    // Base stations are exact in the scene: no residual beyond the measurement's own noise (0.05 ppm).
    EXPECT_LT(std::fabs(f["cfo_residual_ppb"].get<double>()), 50.0) << f.dump();
  }
}

const json& summary_of(const std::vector<json>& events) {
  static const json none;
  for (const auto& e : events)
    if (e["type"] == "sweep_summary") return e;
  ADD_FAILURE() << "no sweep_summary";
  return none;
}

class SweepE2eSim : public tw::test::SimSceneTest {
 protected:
  std::string write_scene_file() override { return write_scene(dir); }
};

}  // namespace

TEST_F(SweepE2eSim, CalibrateThenScanAllBandsFindsEveryCellOnce) {

  auto cal = run_towerwatch({"calibrate", "--device", device, "--json"});
  ASSERT_EQ(cal.exit_code, 0) << cal.err;
  const auto cal_events = json_lines(cal.out);
  ASSERT_EQ(cal_events.size(), 1u);
  const json& c = cal_events[0];
  EXPECT_EQ(c["type"], "calibration");
  EXPECT_NEAR(c["receiver_error_ppm"].get<double>(), kReceiverPpm, 0.05);
  EXPECT_GE(c["cells_used"].get<int>(), 2);  // the two GSM900 cells
  EXPECT_EQ(c["serial"], "TWSIM0001");
  // Stored: the correction that cancels +73 ppm is 1/(1+73e-6) - 1 = -72.9947 ppm.
  const json stored = json::parse(tw::test::read_file(dir / "config" / "calibration.json"));
  EXPECT_NEAR(stored["devices"]["TWSIM0001"]["correction_ppm"].get<double>(), -72.9947, 0.05);

  // Level calibration: dBm = dBFS + offset; GSM900 at any gain, DCS1800 at gain 0 (the gain used), PCS1900
  // none; a DCS1800 entry for another gain is not used.
  tw::test::write_file(dir / "config" / "gain_table.json",
                       R"({"version":1,"devices":{"TWSIM0001":[{"band":"GSM900","offset_db":-60},
                          {"band":"DCS1800","gain_db":20,"offset_db":-80},{"band":"DCS1800","gain_db":0,"offset_db":-55}]}})");

  // The scan applies the stored frequency correction by itself.
  auto scan = run_towerwatch({"scan", "--device", device, "--band", "all", "--gain", "0", "--json"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  const auto events = json_lines(scan.out);
  expect_scene_cells(events);
  const json& s = summary_of(events);
  EXPECT_EQ(s["ppm_source"], "calibration");
  EXPECT_TRUE(s["level_calibrated"].get<bool>());
  for (const auto& e : events)
    if (e["type"] == "cell") {
      const double offset = e["arfcn"].get<int>() >= 512 ? -55.0 : -60.0;
      EXPECT_NEAR(e["power_dbm"].get<double>(), e["power_dbfs"].get<double>() + offset, 0.051) << e.dump();
    }
  EXPECT_NEAR(s["ppm_correction"].get<double>(), -72.9947, 0.05);
  EXPECT_NEAR(s["receiver_error_ppm"].get<double>(), 0.0, 0.05);
  EXPECT_EQ(s["cells"], 4);
  EXPECT_EQ(s["bands"], json({"GSM850", "E-GSM900", "DCS1800", "PCS1900"}));
  EXPECT_EQ(s["tunings_done"], s["tunings"]);
  EXPECT_FALSE(s["interrupted"].get<bool>());
  EXPECT_TRUE(scan.err.empty()) << "--json is quiet on stderr: " << scan.err;
}

TEST_F(SweepE2eSim, UncalibratedScanPutsCellsOnTheirTrueArfcn) {
  auto scan = run_towerwatch({"scan", "--device", device, "--region", "eu", "--rat", "gsm", "--json"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  const auto events = json_lines(scan.out);
  expect_scene_cells(events);
  const json& s = summary_of(events);
  EXPECT_EQ(s["ppm_source"], "none");
  EXPECT_NEAR(s["receiver_error_ppm"].get<double>(), kReceiverPpm, 0.05);
  // The DCS cells were decoded on the neighbouring channel (carrier 133 kHz high) and moved back.
  for (const auto& e : events)
    if (e["type"] == "cell" && e["arfcn"].get<int>() >= 512) {
      EXPECT_EQ(e["observed_arfcn"], e["arfcn"].get<int>() + 1);
    }
  // --ppm overrides: the given correction cancels the error, nothing is left.
  auto fixed = run_towerwatch({"scan", "--device", device, "--band", "DCS1800", "--ppm", "-72.9947", "--mode", "sync",
                               "--json"});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  const auto fe = json_lines(fixed.out);
  EXPECT_EQ(summary_of(fe)["ppm_source"], "option");
  std::size_t dcs = 0;
  for (const auto& e : fe)
    if (e["type"] == "cell") {
      ++dcs;
      EXPECT_EQ(e["observed_arfcn"], e["arfcn"]);
      EXPECT_TRUE(e["arfcn"] == 600 || e["arfcn"] == 604) << e.dump();
    }
  EXPECT_EQ(dcs, 2u);
  // P-GSM900 with the correction: the correction moves the channel grid off the sample rate's 200 kHz raster,
  // and a channel at the top edge of a tuning lay beyond the channelizer's last row (it used to end the scan
  // with "channel_offset_hz ... outside the captured band").
  auto pgsm = run_towerwatch({"scan", "--device", device, "--band", "P-GSM900", "--ppm", "-72.9947", "--mode", "sync",
                              "--json"});
  ASSERT_EQ(pgsm.exit_code, 0) << pgsm.err;
  std::map<int, int> bsic_of;
  for (const auto& e : json_lines(pgsm.out))
    if (e["type"] == "cell") bsic_of[e["arfcn"].get<int>()] = e["bsic"].get<int>();
  EXPECT_EQ(bsic_of, (std::map<int, int>{{62, 21}, {66, 22}}));
}

TEST_F(SweepE2eSim, CensusModeReportsThePowerOfTheOccupiedChannels) {
  auto scan = run_towerwatch({"scan", "--device", device, "--band", "GSM900", "--mode", "census", "--ppm",
                              "-72.9947", "--json"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  std::map<int, double> power;
  for (const auto& e : json_lines(scan.out)) {
    EXPECT_NE(e["type"], "cell");  // census: power only
    if (e["type"] == "channel") power[e["arfcn"].get<int>()] = e["power_dbfs"].get<double>();
  }
  EXPECT_EQ(power.size(), 174u);  // every E-GSM900 channel once
  // The scene's levels (dBFS at gain 0; a 200 kHz window holds nearly all of a GSM carrier's power).
  EXPECT_NEAR(power[62], -35.0, 1.5);
  EXPECT_NEAR(power[66], -42.0, 1.5);
  // An empty channel: the noise (-75 dBFS over 2.4 MHz) in 180 kHz is about -86 dBFS.
  EXPECT_LT(power[100], -80.0);
}

// The device vanishes (vanish_after= samples) after the tunings of ARFCN 62 and 66 (P-GSM900 in sync mode: 16
// tunings, 9 of them read by then): the scan reports what those tunings heard, its summary names the failure,
// the database keeps the partial sweep, and the exit status is that of a runtime failure (1).
TEST_F(SweepE2eSim, DeviceThatVanishesMidScanReportsWhatWasHeardAndFails) {
  const auto db = dir / "scan.db";
  auto scan = run_towerwatch({"scan", "--device", device + ",vanish_after=2500000", "--band", "P-GSM900", "--ppm",
                              "-72.9947", "--mode", "sync", "--db", db.string(), "--json"});
  EXPECT_EQ(scan.exit_code, 1) << scan.err;
  EXPECT_NE(scan.err.find("towerwatch-sim"), std::string::npos) << scan.err;
  EXPECT_NE(scan.err.find("their cells are reported"), std::string::npos) << scan.err;
  const auto events = json_lines(scan.out);
  std::map<int, int> bsic_of;
  for (const auto& e : events)
    if (e["type"] == "cell") bsic_of[e["arfcn"].get<int>()] = e["bsic"].get<int>();
  EXPECT_EQ(bsic_of, (std::map<int, int>{{62, 21}, {66, 22}}));
  const json& s = summary_of(events);
  ASSERT_TRUE(s["device_error"].is_string()) << s.dump();
  EXPECT_NE(s["device_error"].get<std::string>().find("STREAM_ERROR"), std::string::npos);
  EXPECT_GT(s["tunings_done"].get<int>(), 0);
  EXPECT_LT(s["tunings_done"].get<int>(), s["tunings"].get<int>());
  EXPECT_FALSE(s["interrupted"].get<bool>());
  EXPECT_TRUE(s["sweep_id"].is_number_integer()) << "the partial sweep is stored";
}

TEST_F(SweepE2eSim, SigintEndsTheSweepWithWhatWasFound) {
  const auto out_path = dir / "out";
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (!freopen(out_path.c_str(), "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(127);
    std::vector<std::string> args{tw::test::towerwatch_binary(), "scan", "--device", device, "--band", "all",
                                  "--all-tunings", "--dwell", "1", "--ppm", "-72.9947", "--json"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const auto events = json_lines(tw::test::read_file(out_path));
  const json& s = summary_of(events);
  EXPECT_TRUE(s["interrupted"].get<bool>());
  EXPECT_LT(s["tunings_done"].get<int>(), s["tunings"].get<int>());
}
