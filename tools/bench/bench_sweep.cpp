// Sweep and wideband receiver throughput.
//
// BM_WidebandDecode/threads: the GsmPipeline (polyphase filterbank + a receiver per carrier found by the
// census) over 1 s of the built-in "city" scene (six cells) rendered in memory at 13 Msps (65 channels),
// with 1, 2 and 4 receiver threads. xRT = signal seconds per wall second (>= 1: keeps up with the radio).
//
// BM_SweepEgsm900/rate_khz/fraction_permille: a full E-GSM900 System Information sweep through the simulated
// radio (SoapySDR driver towerwatch-sim, realtime=0, so the radio is as fast as the sweep asks) over a scene
// of 8 cells spread across the band, at 2.4 Msps (RTL-SDR) and 20 Msps with HackRF's usable fraction.
// Counters: tunings; signal_s (sample time read: settling, census, dwell); min_s (the physical minimum,
// tunings x dwell); signal_ratio = signal_s / min_s (< 1: the adaptive dwell ended tunings early);
// wall_s and cpu_s of the whole sweep (rendering the simulated signal included); cells found and cells_si
// (with SI1, SI2, SI3, SI4 all seen).
//
// BM_SweepLteB20/rate_ksps/shared: a whole LTE-B20 sweep (uncalibrated: 100 ppm windows) through the simulated
// radio (realtime=0) over three B20 cells (EARFCN 6200, 6300, 6400; receiver +20 ppm), SIB decoding included.
// shared 0: every EARFCN searched alone (the baseline); 1: one PSS search per group of EARFCNs. Counters:
// tunings, signal_s (sample time read), cpu_s (process CPU of the sweep, the simulated radio's rendering
// included), cpu_per_signal (<= 1: keeps up on one core), cells_mib (distinct PCIs with a MIB, of 3).
//   SOAPY_SDR_PLUGIN_PATH=build-NAME/soapy-modules build-NAME/tools/bench/bench_sweep
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/pipeline/gsm_pipeline.hpp"
#include "src/sweep/band_plan.hpp"
#include "src/sweep/scan_session.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

namespace {

using tw::cf32;

struct Capture {
  std::vector<cf32> iq;
  double centre_hz = 0.0;
  double rate = 13e6;
};

const Capture& city_13m() {
  static Capture* c = [] {
    auto* cap = new Capture;
    const auto scene = tw::synth::builtin_scene("city");
    cap->centre_hz = tw::synth::scene_center_freq_hz(scene, cap->rate);
    tw::synth::SceneRenderer ren(scene, cap->centre_hz, cap->rate);
    cap->iq.resize(static_cast<std::size_t>(1.0 * cap->rate));
    for (std::size_t i = 0; i < cap->iq.size(); i += 1 << 16)
      ren.render(std::span<cf32>(cap->iq).subspan(i, std::min<std::size_t>(1 << 16, cap->iq.size() - i)));
    return cap;
  }();
  return *c;
}

void BM_WidebandDecode(benchmark::State& state) {
  const Capture& cap = city_13m();
  std::size_t receivers = 0, blocks = 0;
  for (auto _ : state) {
    tw::GsmPipelineConfig cfg;
    cfg.sample_rate_hz = cap.rate;
    cfg.center_freq_hz = cap.centre_hz;
    cfg.center_freq_known = true;
    cfg.threads = static_cast<unsigned>(state.range(0));
    tw::GsmPipeline p(cfg);
    blocks = 0;
    p.on_block([&](const tw::GsmChannelBlock&) { ++blocks; });
    for (std::size_t i = 0; i < cap.iq.size(); i += 1 << 16)
      p.execute(std::span<const cf32>(cap.iq).subspan(i, std::min<std::size_t>(1 << 16, cap.iq.size() - i)));
    p.finish();
    receivers = 0;
    for (const auto& c : p.channels()) receivers += c.receiver ? 1 : 0;
  }
  const double signal_s = static_cast<double>(cap.iq.size()) / cap.rate;
  state.counters["xRT"] = benchmark::Counter(signal_s * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["receivers"] = static_cast<double>(receivers);
  state.counters["blocks"] = static_cast<double>(blocks);
}
BENCHMARK(BM_WidebandDecode)
    ->Arg(1)
    ->Arg(2)
    ->Arg(4)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()  // CPU column: every thread of the process
    ->UseRealTime()
    ->MinTime(2.0);

// Cells across E-GSM900, at both ends of the band and at the edges of the tunings of both plans.
std::string write_egsm_scene() {
  const auto path = std::filesystem::temp_directory_path() / "towerwatch-bench-egsm900.json";
  nlohmann::json cells = nlohmann::json::array();
  const int arfcns[] = {975, 1000, 20, 42, 62, 85, 110, 124};
  int i = 0;
  for (int a : arfcns) {
    std::string name = "c";
    name += std::to_string(a);   // (not "c" + std::string: GCC 12 warns -Wrestrict falsely on it)
    cells.push_back({{"name", name}, {"arfcn", a}, {"bsic", 8 + i}, {"mcc", 262}, {"mnc", "01"},
                     {"lac", 100 + i}, {"ci", 1000 + a}, {"power_dbfs", -35.0 - 2.0 * i}, {"t3212", 20}});
    ++i;
  }
  const nlohmann::json scene{{"name", "bench-egsm900"}, {"seed", 11}, {"noise_dbfs", -75.0}, {"cells", cells}};
  std::ofstream(path) << scene.dump();
  return path.string();
}

void BM_SweepEgsm900(benchmark::State& state) {
  static const std::string scene = write_egsm_scene();
  ::setenv("SOAPY_SDR_PLUGIN_PATH", TW_BUILD_DIR "/soapy-modules", 0);
  ::setenv("SOAPY_SDR_ROOT", "/nonexistent-towerwatch-bench", 0);
  tw::sweep::ScanRequest rq;
  rq.device_args = "driver=towerwatch-sim,realtime=0,scene=" + scene;
  rq.bands = tw::sweep::parse_band_list("GSM900");
  rq.sample_rate_hz = static_cast<double>(state.range(0)) * 1e3;
  rq.usable_fraction = static_cast<double>(state.range(1)) / 1000.0;
  rq.ppm = 0.0;
  rq.mode = tw::sweep::ScanMode::full;
  tw::sweep::ScanOutcome out;
  double cpu_s = 0.0;
  for (auto _ : state) {
    const std::clock_t c0 = std::clock();  // process CPU time: every thread
    out = tw::sweep::run_scan_session(rq, nullptr);
    cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  }
  std::size_t with_si = 0;
  for (const auto& c : out.merge.cells) {
    int have = 0;
    for (const auto& s : c.value("si_seen", nlohmann::json::array()))
      for (const char* want : {"SI1", "SI2", "SI3", "SI4"}) have += s == want ? 1 : 0;
    with_si += have == 4 ? 1 : 0;
  }
  const double min_s = static_cast<double>(out.plan.tunings.size()) * out.plan.dwell_s;
  state.counters["tunings"] = static_cast<double>(out.plan.tunings.size());
  state.counters["analysed"] = static_cast<double>(out.sweep.tunings_analysed);
  state.counters["signal_s"] = out.sweep.stream_s;
  state.counters["min_s"] = min_s;
  state.counters["signal_ratio"] = out.sweep.stream_s / min_s;
  state.counters["wall_s"] = out.sweep.elapsed_s;
  state.counters["wall_ratio"] = out.sweep.elapsed_s / min_s;
  state.counters["cpu_s"] = cpu_s;
  state.counters["cells"] = static_cast<double>(out.merge.cells.size());
  state.counters["cells_si"] = static_cast<double>(with_si);
}
BENCHMARK(BM_SweepEgsm900)
    ->Args({2400, 800})
    ->Args({20000, 880})
    ->Args({13000, 800})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

std::string write_b20_scene() {
  const auto path = std::filesystem::temp_directory_path() / "towerwatch-bench-lte-b20.json";
  nlohmann::json cells = nlohmann::json::array();
  int i = 0;
  for (int e : {6200, 6300, 6400}) {
    cells.push_back({{"earfcn", e}, {"pci", 60 + 101 * i}, {"ports", 2}, {"bandwidth_prb", 50},
                     {"power_dbfs", -68.0 - 3.0 * i}, {"mcc", 262}, {"mnc", "01"}, {"tac", 100 + i},
                     {"cell_identity", 5000 + i}});
    ++i;
  }
  const nlohmann::json scene{{"name", "bench-lte-b20"}, {"seed", 12}, {"noise_dbfs", -80.0}, {"receiver_ppm", 20.0},
                             {"lte_cells", cells}};
  std::ofstream(path) << scene.dump();
  return path.string();
}

void BM_SweepLteB20(benchmark::State& state) {
  static const std::string scene = write_b20_scene();
  ::setenv("SOAPY_SDR_PLUGIN_PATH", TW_BUILD_DIR "/soapy-modules", 0);
  ::setenv("SOAPY_SDR_ROOT", "/nonexistent-towerwatch-bench", 0);
  tw::sweep::ScanRequest rq;
  rq.device_args = "driver=towerwatch-sim,realtime=0,scene=" + scene;
  rq.bands = tw::sweep::parse_band_list("LTE-B20");
  rq.sample_rate_hz = static_cast<double>(state.range(0)) * 1e3;
  rq.use_stored_calibration = false;   // uncalibrated: the windows cover 100 ppm
  rq.mode = tw::sweep::ScanMode::full;
  rq.lte_shared_search = state.range(1) != 0;
  tw::sweep::ScanOutcome out;
  double cpu_s = 0.0;
  for (auto _ : state) {
    const std::clock_t c0 = std::clock();
    out = tw::sweep::run_scan_session(rq, nullptr);
    cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  }
  std::set<int> mib;
  for (const auto& c : out.sweep.records)
    if (c.value("rat", "") == "LTE" && c.contains("mib") && c["mib"].is_string()) mib.insert(c["pci"].get<int>());
  state.counters["tunings"] = static_cast<double>(out.plan.tunings.size());
  state.counters["signal_s"] = out.sweep.stream_s;
  state.counters["cpu_s"] = cpu_s;
  state.counters["cpu_per_signal"] = cpu_s / out.sweep.stream_s;
  state.counters["cells_mib"] = static_cast<double>(mib.size());
}
BENCHMARK(BM_SweepLteB20)
    ->Args({2400, 0})
    ->Args({2400, 1})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
