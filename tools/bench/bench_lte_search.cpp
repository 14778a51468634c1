// CPU time of the LTE cell search per EARFCN: one 1.92 Msps capture of 80 ms (the default dwell) searched over +-100 ppm at
// 2.7 GHz (+-270 kHz), PSS/SSS/PBCH included.
//   build-*/tools/bench/bench_lte_search   (finds ../shared beside the checkout, or $TW_SHARED_DIR)
// BM_SearchSynth: a synthesized 2-port cell (tools/synth/lte) with noise; BM_SearchCapture: the HackRF TDD
// recording (f2360_s1.92_bw1.2_1s_hackrf.bin, first 80 ms).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "dsp/lte/cell_search.hpp"
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

}  // namespace

BENCHMARK_MAIN();
