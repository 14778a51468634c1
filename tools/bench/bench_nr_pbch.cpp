// NR PBCH channel decoding (dsp/nr/pbch_coding: 38.211 descrambling, rate recovery, SCL-8 polar decoding with
// CRC24C, payload descrambling): CPU time per PBCH block, and the MIB success rate versus SNR on the coded bits
// alone: the 864 bits QPSK-modulated (432 symbols), AWGN at Es/N0 per QPSK symbol (= SNR per PBCH resource
// element with a perfect channel estimate), exact LLRs. Success = CRC passes and every payload field is the one
// sent; wrong = CRC passes with a different payload. Random payload, PCI and SSB index per trial, L_max = 8.
//   build-*/tools/bench/bench_nr_pbch --benchmark_filter=Decode
//   build-*/tools/bench/bench_nr_pbch --benchmark_filter=Awgn   (TW_NR_PBCH_TRIALS=N per point, default 1000)
// BM_AwgnMib's counters: mib (success rate), wrong, trials; BM_NoiseOnly: accepted blocks out of trials.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "dsp/nr/pbch_coding.hpp"
#include "tools/synth/nr/pbch_awgn.hpp"

namespace {

namespace nr = tw::nr;

int trials() {
  const char* e = std::getenv("TW_NR_PBCH_TRIALS");
  const int n = e ? std::atoi(e) : 1000;
  return n > 0 ? n : 1000;
}

nr::PbchPayload random_payload(std::mt19937& rng) {
  nr::PbchPayload p{};
  p.sfn = static_cast<std::uint16_t>(rng() % 1024);
  p.mib_bits = (static_cast<std::uint32_t>(p.sfn >> 4) << 17) | (rng() & 0x1FFFFu);
  p.half_frame = (rng() & 1u) != 0;
  p.ssb_index = static_cast<std::uint8_t>(rng() % 8);
  p.k_ssb_msb = static_cast<std::uint8_t>(rng() & 1u);
  return p;
}

// state.range(0): SNR in dB (x10 for the decode-time runs: 1000 = noiseless).
void BM_PbchDecode(benchmark::State& state) {
  std::mt19937 rng(1);
  const auto p = random_payload(rng);
  const double snr = static_cast<double>(state.range(0));
  const auto llr = tw::synth::nr::qpsk_awgn_llr(nr::pbch_encode(p, 500, 8), snr, rng);
  for (auto _ : state) {
    auto d = nr::pbch_decode(llr, 500, static_cast<std::uint8_t>(p.ssb_index & 7), 8);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_PbchDecode)->Arg(20)->Arg(-5)->Unit(benchmark::kMicrosecond);

void BM_PbchEncode(benchmark::State& state) {
  std::mt19937 rng(2);
  const auto p = random_payload(rng);
  for (auto _ : state) {
    auto f = nr::pbch_encode(p, 500, 8);
    benchmark::DoNotOptimize(f);
  }
}
BENCHMARK(BM_PbchEncode)->Unit(benchmark::kMicrosecond);

// state.range(0): Es/N0 x 10 (dB).
void BM_AwgnMib(benchmark::State& state) {
  const double snr = static_cast<double>(state.range(0)) / 10.0;
  const int n = trials();
  int ok = 0, wrong = 0;
  for (auto _ : state) {
    std::mt19937 rng(static_cast<unsigned>(1000 + state.range(0)));
    for (int t = 0; t < n; ++t) {
      const auto p = random_payload(rng);
      const auto pci = static_cast<std::uint16_t>(rng() % 1008);
      const auto d = nr::pbch_decode(tw::synth::nr::qpsk_awgn_llr(nr::pbch_encode(p, pci, 8), snr, rng), pci, p.ssb_index, 8);
      if (!d) continue;
      const auto& q = d->payload;
      if (q.mib_bits == p.mib_bits && q.sfn == p.sfn && q.half_frame == p.half_frame && q.ssb_index == p.ssb_index &&
          q.k_ssb_msb == p.k_ssb_msb) {
        ++ok;
      } else {
        ++wrong;
      }
    }
  }
  state.counters["mib"] = static_cast<double>(ok) / n;
  state.counters["wrong"] = wrong;
  state.counters["trials"] = n;
}
BENCHMARK(BM_AwgnMib)->DenseRange(-110, -40, 5)->Iterations(1)->Unit(benchmark::kSecond);

void BM_NoiseOnly(benchmark::State& state) {
  const int n = 10 * trials();
  int accepted = 0;
  for (auto _ : state) {
    std::mt19937 rng(3);
    std::normal_distribution<float> noise(0.0f, 3.0f);
    std::vector<float> l(864);
    for (int t = 0; t < n; ++t) {
      for (auto& v : l) v = noise(rng);
      if (nr::pbch_decode(l, static_cast<std::uint16_t>(t % 1008), static_cast<std::uint8_t>(t % 8), 8)) ++accepted;
    }
  }
  state.counters["accepted"] = accepted;
  state.counters["trials"] = n;
}
BENCHMARK(BM_NoiseOnly)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
