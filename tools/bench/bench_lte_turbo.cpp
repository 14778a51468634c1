// Throughput of the LTE turbo decoder (dsp/lte/turbo_code.hpp), one thread: the SSE butterfly max-log-MAP
// (TurboDecoder) against the textbook scalar one (turbo_decode_reference) in the same run, K = 6144 and
// K = 200 at 4 and 8 iterations (fixed: no CRC early stop), one noisy rate-1/3 block at Eb/N0 1 dB.
// Counter Mbit/s: decoded information bits (K per block) per second / 1e6.
//   build-NAME/tools/bench/bench_lte_turbo --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "dsp/lte/turbo_code.hpp"

namespace {

namespace lte = tw::dsp::lte;

struct Block {
  std::vector<float> d0, d1, d2;
};

Block noisy_block(int k) {
  std::mt19937 rng(static_cast<unsigned>(k));
  std::vector<std::uint8_t> c(static_cast<std::size_t>(k));
  for (auto& b : c) b = static_cast<std::uint8_t>(rng() & 1u);
  const auto cw = lte::turbo_encode(c);
  const double esn0 = std::pow(10.0, 1.0 / 10.0) / 3.0, sigma2 = 1.0 / (2.0 * esn0);
  std::normal_distribution<double> n(0.0, std::sqrt(sigma2));
  auto soft = [&](const std::vector<std::uint8_t>& s) {
    std::vector<float> v(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) v[i] = static_cast<float>(2.0 * ((s[i] ? -1.0 : 1.0) + n(rng)) / sigma2);
    return v;
  };
  return {soft(cw.d0), soft(cw.d1), soft(cw.d2)};
}

void set_counters(benchmark::State& state, int k) {
  state.counters["Mbit/s"] = benchmark::Counter(static_cast<double>(k) * 1e-6, benchmark::Counter::kIsIterationInvariantRate);
}

// state.range(0): K; state.range(1): iterations.
void BM_TurboDecoder(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0)), iterations = static_cast<int>(state.range(1));
  const Block b = noisy_block(k);
  lte::TurboDecoder dec(k);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(k));
  for (auto _ : state) {
    dec.execute(b.d0, b.d1, b.d2, 0, lte::TurboCrc::none, iterations, out);
    benchmark::DoNotOptimize(out.data());
  }
  set_counters(state, k);
}

void BM_TurboDecodeReference(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0)), iterations = static_cast<int>(state.range(1));
  const Block b = noisy_block(k);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(k));
  for (auto _ : state) {
    lte::turbo_decode_reference(b.d0, b.d1, b.d2, 0, lte::TurboCrc::none, iterations, out);
    benchmark::DoNotOptimize(out.data());
  }
  set_counters(state, k);
}

BENCHMARK(BM_TurboDecoder)->ArgsProduct({{6144, 200}, {4, 8}})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TurboDecodeReference)->ArgsProduct({{6144, 200}, {4, 8}})->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
