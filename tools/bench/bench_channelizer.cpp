// Throughput of the wideband polyphase channelizer (dsp/pfb_channelizer.hpp) and of the power census
// (dsp/power_census.hpp), one thread. Counters: Msps = input samples per second / 1e6; xRT = multiple of
// real time at that input rate (Msps / (fs / 1e6)).
//   build-NAME/tools/bench/bench_channelizer --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "dsp/pfb_channelizer.hpp"
#include "dsp/power_census.hpp"

namespace {

using tw::dsp::cf32;

std::vector<cf32> noise(std::size_t n) {
  std::mt19937 rng(1);
  std::normal_distribution<float> g(0.0f, 0.1f);
  std::vector<cf32> x(n);
  for (auto& v : x) v = cf32(g(rng), g(rng));
  return x;
}

void set_counters(benchmark::State& state, double fs, std::size_t block) {
  const double n = static_cast<double>(state.iterations()) * static_cast<double>(block);
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
  state.counters["Msps"] = benchmark::Counter(n / 1e6, benchmark::Counter::kIsRate);
  state.counters["xRT"] = benchmark::Counter(n / fs, benchmark::Counter::kIsRate);
}

// state.range(0): fs in kHz; state.range(1): taps per branch.
void BM_PfbChannelizer(benchmark::State& state) {
  const double fs = static_cast<double>(state.range(0)) * 1e3;
  tw::dsp::PfbChannelizerConfig cfg;
  cfg.input_rate_hz = fs;
  cfg.taps_per_branch = static_cast<unsigned>(state.range(1));
  tw::dsp::PfbChannelizer ch(cfg);
  const std::size_t block = 1 << 16;
  const auto x = noise(block);
  std::vector<std::vector<cf32>> out;
  for (auto _ : state) {
    ch.execute(x, out);
    benchmark::DoNotOptimize(out[0].data());
  }
  set_counters(state, fs, block);
  state.SetLabel("M=" + std::to_string(ch.num_channels()) + " D=" + std::to_string(ch.decimation()) +
                 " L=" + std::to_string(ch.prototype_length()));
}
BENCHMARK(BM_PfbChannelizer)
    ->Args({2400, 14})
    ->Args({10000, 14})
    ->Args({13000, 14})
    ->Args({20000, 14})
    ->Unit(benchmark::kMillisecond);

void BM_PowerCensus(benchmark::State& state) {
  const double fs = static_cast<double>(state.range(0)) * 1e3;
  tw::dsp::PowerCensusConfig cfg;
  cfg.sample_rate_hz = fs;
  tw::dsp::PowerCensus pc(cfg);
  const std::size_t block = 1 << 16;
  const auto x = noise(block);
  for (auto _ : state) {
    pc.execute(x);
    benchmark::DoNotOptimize(pc.frames());
  }
  set_counters(state, fs, block);
}
BENCHMARK(BM_PowerCensus)->Arg(2400)->Arg(13000)->Arg(20000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
