// Region monitor (issue 19): `towerwatch monitor --region eu` through the simulated radio at 20 Msps.
//
// BM_RegionSweep: one sweep as the monitor runs it (the monitor's plan: sweep::plan_sweep of region_bands("eu")
// with the simulated radio's usable fraction, uncalibrated so the LTE windows cover 100 ppm; sweep::run_sweep,
// receivers on one thread) over the built-in scene "region-eu" (GSM900 ARFCN 20, 62; DCS1800 530, 570; LTE
// B20 EARFCN 6300, B3 1575, B7 3100). CPU is the process's (getrusage: every thread), the simulated radio's
// rendering included; the radio alone is then measured by reading the same samples at the same tunings
// again without analysing them (radio_cpu_s), so analysis = cpu_s - radio_cpu_s. Counters:
//   air_s            the signal the sweep listened to, as the radio's stream clock counts it (SweepResult::stream_s)
//   cpu_s, cpu_per_air   <= 1: the sweep keeps up with its air time on one core (the goal)
//   radio_cpu_s      rendering the simulated signal of those samples
//   <band>_air_s, <band>_cpu_s, <band>_radio_cpu_s   per band (E-GSM900, DCS1800, LTE-B20, LTE-B3, LTE-B7)
//   gsm_found / gsm_truth, lte_found / lte_truth   cells found (GSM: ARFCN+BSIC; LTE: EARFCN+PCI with a MIB)
//                                                  vs the scene's cells in the swept bands
// Env TW_REGION_RAT=gsm|lte keeps one technology's bands (filter_rats); TW_REGION_EARFCN=6300,1575,3100 keeps
// only these EARFCNs of the LTE bands.
//
// BM_RegionSoak (opt-in: runs only when TW_SOAK_HOURS is set): `monitor --region eu --clock stream
// --interval TW_SOAK_INTERVAL_S (default 300) --learn 1h` in process (monitor::run_monitor, an SQLite store
// in a temporary directory) for TW_SOAK_HOURS hours of stream time, the time between sweeps skipped by the
// simulated radio (SoapySource::skip_time). Every sweep's monitor_sweep event gives its rss_kb (VmRSS
// after the sweep, the heap trimmed), rss_peak_kb (VmHWM, the peak so far) and cpu_s: the curve goes to stderr (one line per sweep; TW_SOAK_CSV=FILE writes it as CSV too). Counters:
// sweeps, rss_max_mb, rss_peak_mb, rss_q1_max_mb (the first quarter's maximum), rss_q4_max_mb (the last quarter's),
// growth_mb = q4 - q1, cpu_per_air (mean), cells (mean per sweep). TW_REGION_RAT and TW_REGION_EARFCN apply.
//   SOAPY_SDR_PLUGIN_PATH=build/soapy-modules build/tools/bench/bench_region --benchmark_filter=RegionSweep
//   TW_SOAK_HOURS=24 TW_REGION_EARFCN=6300,1575,3100 build/tools/bench/bench_region --benchmark_filter=RegionSoak
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/core/process_stats.hpp"
#include "src/monitor/monitor.hpp"
#include "src/sweep/band_plan.hpp"
#include "src/sweep/cell_merge.hpp"
#include "src/sweep/scan_session.hpp"
#include "src/sweep/sweep_runner.hpp"
#include "tools/synth/scene.hpp"

namespace {

using nlohmann::json;

void use_sim_module() {
  ::setenv("SOAPY_SDR_PLUGIN_PATH", TW_BUILD_DIR "/soapy-modules", 0);
  ::setenv("SOAPY_SDR_ROOT", "/nonexistent-towerwatch-bench", 0);
}

std::vector<tw::sweep::SweepBand> region_eu_bands() {
  auto bands = tw::sweep::region_bands("eu");
  if (const char* r = std::getenv("TW_REGION_RAT")) bands = tw::sweep::filter_rats(bands, r);
  if (const char* e = std::getenv("TW_REGION_EARFCN")) {
    std::set<int> keep;
    std::string list = e;
    for (std::size_t p = 0; p <= list.size();) {
      std::size_t q = std::min(list.find(',', p), list.size());
      keep.insert(std::stoi(list.substr(p, q - p)));
      p = q + 1;
    }
    for (auto& b : bands) std::erase_if(b.lte_channels, [&](const tw::LteChannel& c) { return !keep.count(c.earfcn); });
    std::erase_if(bands, [](const tw::sweep::SweepBand& b) { return b.is_lte() && b.lte_channels.empty(); });
  }
  return bands;
}

tw::sweep::ScanRequest region_request(const std::vector<tw::sweep::SweepBand>& bands) {
  tw::sweep::ScanRequest rq;
  rq.device_args = "driver=towerwatch-sim,realtime=0,scene=region-eu";
  rq.bands = bands;
  rq.sample_rate_hz = 20e6;
  rq.use_stored_calibration = false;   // as a new site: the LTE windows cover 100 ppm
  rq.mode = tw::sweep::ScanMode::full;
  rq.threads = 1;                      // one core
  return rq;
}

// The scene's cells in the swept bands: GSM (ARFCN, BSIC), LTE (EARFCN, PCI).
struct Truth {
  std::set<std::pair<int, int>> gsm, lte;
};
Truth region_truth(const std::vector<tw::sweep::SweepBand>& bands) {
  const auto scene = tw::synth::load_scene_with_lte("region-eu");
  Truth t;
  for (const auto& c : scene.scene.cells)
    for (const auto& b : bands)
      for (const auto& ch : b.channels)
        if (ch.arfcn == c.arfcn) t.gsm.insert({c.arfcn, c.bsic});
  for (const auto& c : scene.lte_cells)
    for (const auto& b : bands)
      for (const auto& ch : b.lte_channels)
        if (ch.earfcn == c.earfcn) t.lte.insert({c.earfcn, c.pci});
  return t;
}

struct TuningCost {
  std::string band;
  double center_hz = 0.0;
  double cpu_s = 0.0;
  std::uint64_t samples = 0;
};

void BM_RegionSweep(benchmark::State& state) {
  use_sim_module();
  const auto bands = region_eu_bands();
  const auto rq = region_request(bands);
  tw::sweep::SweepPlanOptions po = tw::sweep::plan_options_of(rq);
  const auto first = tw::sweep::plan_sweep(bands, po);
  tw::sweep::ScanDevice dev = tw::sweep::open_scan_device(rq, first.tunings.front().center_hz);
  po.usable_fraction = tw::sweep::usable_fraction_for_driver(dev.driver);   // as the monitor plans
  const auto plan = tw::sweep::plan_sweep(bands, po);
  tw::sweep::SweepRunOptions ro;
  ro.mode = rq.mode;
  ro.threads = rq.threads;
  ro.adaptive_dwell = rq.adaptive_dwell;
  ro.lte_shared_search = rq.lte_shared_search;

  tw::sweep::SweepResult r;
  std::vector<TuningCost> tunings;
  double cpu_s = 0.0;
  for (auto _ : state) {
    tunings.clear();
    double mark_cpu = tw::process_cpu_s();
    std::uint64_t mark_n = dev.source->sample_counter();
    auto close_last = [&] {
      if (tunings.empty()) return;
      tunings.back().cpu_s = tw::process_cpu_s() - mark_cpu;
      tunings.back().samples = dev.source->sample_counter() - mark_n;
    };
    const double c0 = tw::process_cpu_s();
    r = tw::sweep::run_sweep(*dev.source, plan, ro, [&](const tw::sweep::SweepProgress& p) {
      close_last();
      tunings.push_back({p.band, p.center_hz, 0.0, 0});
      mark_cpu = tw::process_cpu_s();
      mark_n = dev.source->sample_counter();
    });
    close_last();
    cpu_s = tw::process_cpu_s() - c0;
  }
  // The radio alone: the same samples at the same tunings, read and dropped.
  std::vector<tw::cf32> buf(1 << 16);
  std::map<std::string, double> band_air, band_cpu, band_radio;
  double radio_cpu_s = 0.0;
  for (const auto& t : tunings) {
    const double c0 = tw::process_cpu_s();
    dev.source->retune(t.center_hz);
    for (std::uint64_t got = 0; got < t.samples;) {
      const auto rr = dev.source->read(std::span<tw::cf32>(buf.data(), std::min<std::uint64_t>(buf.size(), t.samples - got)));
      got += rr.count;
      if (rr.end_of_stream) break;
    }
    const double radio = tw::process_cpu_s() - c0;
    radio_cpu_s += radio;
    band_air[t.band] += static_cast<double>(t.samples) / rq.sample_rate_hz;
    band_cpu[t.band] += t.cpu_s;
    band_radio[t.band] += radio;
  }
  const auto merged = tw::sweep::merge_sweep_cells(r.records);
  const Truth truth = region_truth(bands);
  std::size_t gsm_found = 0, lte_found = 0;
  for (const auto& c : merged.cells) {
    if (c.value("rat", "GSM") == "LTE") {
      if (c.contains("earfcn") && c["earfcn"].is_number_integer() && c.contains("mib") && c["mib"].is_string() &&
          truth.lte.count({c["earfcn"].get<int>(), c["pci"].get<int>()}))
        ++lte_found;
    } else if (c.contains("arfcn") && c.contains("bsic") && c["bsic"].is_number_integer() &&
               truth.gsm.count({c["arfcn"].get<int>(), c["bsic"].get<int>()})) {
      ++gsm_found;
    }
  }
  state.counters["tunings"] = static_cast<double>(plan.tunings.size());
  state.counters["air_s"] = r.stream_s;
  state.counters["cpu_s"] = cpu_s;
  state.counters["cpu_per_air"] = cpu_s / r.stream_s;
  state.counters["radio_cpu_s"] = radio_cpu_s;
  state.counters["cells"] = static_cast<double>(merged.cells.size());
  state.counters["gsm_found"] = static_cast<double>(gsm_found);
  state.counters["gsm_truth"] = static_cast<double>(truth.gsm.size());
  state.counters["lte_found"] = static_cast<double>(lte_found);
  state.counters["lte_truth"] = static_cast<double>(truth.lte.size());
  for (const auto& [band, air] : band_air) {
    state.counters[band + "_air_s"] = air;
    state.counters[band + "_cpu_s"] = band_cpu[band];
    state.counters[band + "_radio_cpu_s"] = band_radio[band];
  }
  std::fprintf(stderr, "%-9s %12s %8s %8s %9s\n", "band", "tuning MHz", "air s", "CPU s", "radio s");
  for (std::size_t k = 0; k < tunings.size(); ++k)
    std::fprintf(stderr, "%-9s %12.1f %8.3f %8.2f\n", tunings[k].band.c_str(), tunings[k].center_hz / 1e6,
                 static_cast<double>(tunings[k].samples) / rq.sample_rate_hz, tunings[k].cpu_s);
  for (const auto& [band, air] : band_air)
    std::fprintf(stderr, "%-9s %12s %8.3f %8.2f %9.2f\n", band.c_str(), "(band)", air, band_cpu[band], band_radio[band]);
}
BENCHMARK(BM_RegionSweep)->Iterations(1)->Unit(benchmark::kSecond)->MeasureProcessCPUTime()->UseRealTime();

void BM_RegionSoak(benchmark::State& state) {
  const char* hours_env = std::getenv("TW_SOAK_HOURS");
  if (!hours_env) {
    state.SkipWithError("opt-in: set TW_SOAK_HOURS (e.g. 24) to run the soak");
    for (auto _ : state) {
    }
    return;
  }
  use_sim_module();
  const double hours = std::stod(hours_env);
  const double interval_s = std::getenv("TW_SOAK_INTERVAL_S") ? std::stod(std::getenv("TW_SOAK_INTERVAL_S")) : 300.0;
  const auto dir = std::filesystem::temp_directory_path() / ("towerwatch-soak-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  struct Point {
    std::int64_t sweep = 0;
    double hour = 0.0, rss_mb = 0.0, peak_mb = 0.0, cpu_s = 0.0, air_s = 0.0;
    int cells = 0;
  };
  std::vector<Point> curve;
  for (auto _ : state) {
    curve.clear();
    std::filesystem::remove(dir / "soak.db");
    tw::monitor::MonitorOptions o;
    o.scan = region_request(region_eu_bands());
    o.db_path = dir / "soak.db";
    o.clock = tw::monitor::ClockMode::stream;
    o.core.learn_ms = 3600LL * 1000;
    o.interval_s = interval_s;
    o.max_sweeps = static_cast<std::int64_t>(hours * 3600.0 / interval_s + 0.5);
    std::int64_t t0 = -1;
    o.emit = [&](const json& e) {
      if (e.value("type", "") != "monitor_sweep") return;
      if (t0 < 0) t0 = e["time_unix_ms"].get<std::int64_t>();
      Point p;
      p.sweep = e["sweep_id"].get<std::int64_t>();
      p.hour = static_cast<double>(e["time_unix_ms"].get<std::int64_t>() - t0) / 3600e3;
      p.rss_mb = e["rss_kb"].get<double>() / 1024.0;
      p.peak_mb = e["rss_peak_kb"].get<double>() / 1024.0;
      p.cpu_s = e["cpu_s"].get<double>();
      p.air_s = e["stream_s"].get<double>();
      p.cells = e["cells"].get<int>();
      curve.push_back(p);
      std::fprintf(stderr, "soak sweep %4lld  stream h %6.2f  rss %7.2f MB  peak %7.2f MB  cpu %7.2f s  air %6.2f s  cells %d\n",
                   static_cast<long long>(p.sweep), p.hour, p.rss_mb, p.peak_mb, p.cpu_s, p.air_s, p.cells);
    };
    tw::monitor::run_monitor(o);
  }
  std::filesystem::remove_all(dir);
  if (curve.empty()) {
    state.SkipWithError("no sweep completed");
    return;
  }
  if (const char* csv = std::getenv("TW_SOAK_CSV")) {
    std::ofstream out(csv);
    out << "sweep,stream_hour,rss_mb,peak_mb,cpu_s,air_s,cells\n";
    for (const auto& p : curve)
      out << p.sweep << ',' << p.hour << ',' << p.rss_mb << ',' << p.peak_mb << ',' << p.cpu_s << ',' << p.air_s << ',' << p.cells << '\n';
  }
  const std::size_t q = std::max<std::size_t>(1, curve.size() / 4);
  double q1 = 0, q4 = 0, mx = 0, cpu = 0, air = 0, cells = 0;
  for (std::size_t i = 0; i < curve.size(); ++i) {
    if (i < q) q1 = std::max(q1, curve[i].rss_mb);
    if (i >= curve.size() - q) q4 = std::max(q4, curve[i].rss_mb);
    mx = std::max(mx, curve[i].rss_mb);
    cpu += curve[i].cpu_s;
    air += curve[i].air_s;
    cells += curve[i].cells;
  }
  state.counters["sweeps"] = static_cast<double>(curve.size());
  state.counters["stream_hours"] = curve.back().hour;
  state.counters["rss_max_mb"] = mx;
  state.counters["rss_peak_mb"] = curve.back().peak_mb;   // VmHWM: the largest resident set of the whole run
  state.counters["rss_q1_max_mb"] = q1;
  state.counters["rss_q4_max_mb"] = q4;
  state.counters["growth_mb"] = q4 - q1;
  state.counters["cpu_per_air"] = cpu / air;
  state.counters["cells"] = cells / static_cast<double>(curve.size());
}
BENCHMARK(BM_RegionSoak)->Iterations(1)->Unit(benchmark::kSecond)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
