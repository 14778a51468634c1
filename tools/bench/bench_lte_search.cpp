// CPU time of the LTE cell search per EARFCN: one 1.92 Msps capture of 80 ms (the default dwell) searched over +-100 ppm at
// 2.7 GHz (+-270 kHz), PSS/SSS/PBCH included.
//   build-*/tools/bench/bench_lte_search   (finds ../shared beside the checkout, or $TW_SHARED_DIR)
// BM_SearchSynth: a synthesized 2-port cell (tools/synth/lte) with noise; BM_SearchCapture: the HackRF TDD
// recording (f2360_s1.92_bw1.2_1s_hackrf.bin, first 80 ms).
//
// BM_Tuning/rate_ksps/shared: one LTE tuning of a B20 sweep as the sweep plans it (src/sweep/sweep_plan:
// 100 ppm receiver error, 80% of the rate usable) on 80 ms of a rendered scene with three cells (the middle
// and both ends of the tuning) and a 40 ppm receiver error; search_lte_block with SIB decoding, as the sweep
// runs it. shared 0: every EARFCN searched alone (the way before, the baseline); 1: one PSS search per
// group of EARFCNs sharing the correlations. Counters: earfcns, cpu_per_signal (CPU seconds per second of
// the tuning's signal: 80 ms dwell + 5 ms settling; <= 1 keeps up on one core), cells found with a MIB
// (of 3) and with SIB1.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
#include <filesystem>
#include <fstream>
#include <vector>

#include "dsp/lte/cell_search.hpp"
#include "src/core/log.hpp"
#include "src/pipeline/lte_analysis.hpp"
#include "src/sweep/band_plan.hpp"
#include "src/sweep/sweep_plan.hpp"
#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

namespace {

using tw::dsp::lte::cf32;
constexpr std::size_t kSamples = 8 * 19200;  // 80 ms: the dwell of a sweep and the default of analyze

void run(benchmark::State& state, const std::vector<cf32>& iq, double carrier_hz) {
  tw::dsp::lte::CellSearchConfig cfg;
  cfg.max_cfo_hz = 270e3;
  cfg.carrier_hz = carrier_hz;
  tw::dsp::lte::CellSearch search(cfg);
  std::size_t cells = 0;
  for (auto _ : state) {
    const auto c = search.execute(iq);
    cells = c.size();
    benchmark::DoNotOptimize(cells);
  }
  state.counters["cells"] = static_cast<double>(cells);
}

void BM_SearchSynth(benchmark::State& state) {
  tw::synth::SceneWithLte s;
  s.scene.seed = 2;
  s.scene.noise_dbfs = -75.0;
  s.scene.receiver_ppm = 30.0;
  tw::synth::lte::LteCellConfig c;
  c.earfcn = 1300;
  c.pci = 222;
  c.ports = 2;
  c.bandwidth_prb = 50;
  c.power_dbfs = -65.0;
  c.pdsch_load = 0.5;
  s.lte_cells = {c};
  const double fc = tw::synth::lte::carrier_hz(c);
  tw::synth::SceneRenderer r(s, fc, 1.92e6);
  std::vector<cf32> iq(kSamples);
  r.render(iq);
  run(state, iq, fc);
}
BENCHMARK(BM_SearchSynth)->Unit(benchmark::kMillisecond);

void BM_SearchCapture(benchmark::State& state) {
  const std::filesystem::path dir = std::getenv("TW_SHARED_DIR") ? std::filesystem::path(std::getenv("TW_SHARED_DIR"))
                                                                 : std::filesystem::path(TW_SOURCE_DIR).parent_path() / "shared";
  std::ifstream in(dir / "captures/lte/f2360_s1.92_bw1.2_1s_hackrf.bin", std::ios::binary);
  if (!in) return state.SkipWithError("capture not found (../shared/captures/lte or $TW_SHARED_DIR)");
  in.seekg(128);  // cu8 after a 128-byte header
  std::vector<unsigned char> b(2 * kSamples);
  in.read(reinterpret_cast<char*>(b.data()), static_cast<std::streamsize>(b.size()));
  std::vector<cf32> iq(kSamples);
  for (std::size_t i = 0; i < kSamples; ++i) iq[i] = cf32((b[2 * i] - 127.5f) / 128.0f, (b[2 * i + 1] - 127.5f) / 128.0f);
  run(state, iq, 2.36e9);
}
BENCHMARK(BM_SearchCapture)->Unit(benchmark::kMillisecond);

struct TuningCase {
  std::vector<cf32> iq;
  tw::sweep::Tuning tuning;
  double centre = 0.0;
};

const TuningCase& tuning_case(double rate) {
  static std::map<double, TuningCase> cache;
  auto [it, fresh] = cache.try_emplace(rate);
  if (!fresh) return it->second;
  TuningCase& tc = it->second;
  tw::sweep::SweepPlanOptions o;
  o.sample_rate_hz = rate;
  const auto tunings = tw::sweep::plan_lte_band(tw::sweep::make_lte_band(20), o);
  tc.tuning = tunings[tunings.size() / 2];
  tc.centre = tc.tuning.center_hz;
  tw::synth::SceneWithLte s;
  s.scene.name = "bench-tuning";
  s.scene.seed = 9;
  s.scene.noise_dbfs = -75.0;
  s.scene.receiver_ppm = 40.0;
  const auto& ch = tc.tuning.lte_channels;
  const int earfcns[] = {ch.front().earfcn, ch[ch.size() / 2].earfcn, ch.back().earfcn};
  int k = 0;
  for (int e : earfcns) {
    tw::synth::lte::LteCellConfig c;
    c.earfcn = e;
    c.band = 20;
    c.pci = 100 + 37 * k;
    c.ports = 2;
    c.bandwidth_prb = 6;
    c.power_dbfs = -70.0 - 3.0 * k;
    c.pdsch_load = 0.3;
    s.lte_cells.push_back(c);
    ++k;
  }
  tw::synth::SceneRenderer r(s, tc.centre, rate, 0.0);
  tc.iq.resize(static_cast<std::size_t>(0.08 * rate));
  r.render(tc.iq);
  return tc;
}

void BM_Tuning(benchmark::State& state) {
  if (std::getenv("TW_BENCH_DEBUG")) tw::log::set_level(tw::log::Level::debug);
  const double rate = static_cast<double>(state.range(0)) * 1e3;
  const TuningCase& tc = tuning_case(rate);
  tw::LteAnalysisOptions lo;
  lo.offsets_hz = tc.tuning.lte_offsets_hz;
  lo.max_cfo_hz = tc.tuning.lte_max_cfo_hz;
  lo.shared_search = state.range(1) != 0;
  std::size_t mib = 0, sib1 = 0;
  double cpu = 0.0;
  for (auto _ : state) {
    const std::clock_t c0 = std::clock();
    const auto cells = tw::search_lte_block(tc.iq, rate, tc.centre, lo);
    cpu += static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    std::set<int> with_mib, with_sib1;
    for (const auto& c : cells) {
      if (c["mib"].is_string()) with_mib.insert(c["pci"].get<int>());
      if (c.contains("sib1") && c["sib1"].is_string()) with_sib1.insert(c["pci"].get<int>());
    }
    mib = with_mib.size();
    sib1 = with_sib1.size();
  }
  const double signal_s = 0.085;
  state.counters["earfcns"] = static_cast<double>(tc.tuning.lte_offsets_hz.size());
  state.counters["window_khz"] = tc.tuning.lte_max_cfo_hz / 1e3;
  state.counters["cpu_per_signal"] = cpu / static_cast<double>(state.iterations()) / signal_s;
  state.counters["cells_mib"] = static_cast<double>(mib);
  state.counters["cells_sib1"] = static_cast<double>(sib1);
}
BENCHMARK(BM_Tuning)
    ->Args({2400, 0})
    ->Args({2400, 1})
    ->Args({20000, 0})
    ->Args({20000, 1})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
