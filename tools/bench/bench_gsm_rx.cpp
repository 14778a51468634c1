// Throughput of the GSM receiver (dsp/) on the real 941 MHz capture (500 ksps, 160 ms), in multiples of
// real time ("x_realtime": seconds of signal processed per second of CPU wall time).
//   build-*/tools/bench/bench_gsm_rx   (finds ../shared beside the checkout, or $TW_SHARED_DIR)
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "dsp/channel_select.hpp"
#include "dsp/gsm/carrier_receiver.hpp"

namespace {

using tw::gsm::cf32;
constexpr double kCaptureRate = 500e3;

const std::vector<cf32>& capture() {
  static const std::vector<cf32> iq = [] {
    std::filesystem::path dir = std::getenv("TW_SHARED_DIR") ? std::filesystem::path(std::getenv("TW_SHARED_DIR"))
                                                             : std::filesystem::path(TW_SOURCE_DIR).parent_path() / "shared";
    std::ifstream in(dir / "captures/gsm/GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile", std::ios::binary);
    std::vector<cf32> v;
    if (!in) return v;
    in.seekg(0, std::ios::end);
    v.resize(static_cast<std::size_t>(in.tellg()) / sizeof(cf32));
    in.seekg(0);
    in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(cf32)));
    return v;
  }();
  return iq;
}

// Seconds of signal processed per second of CPU: the ratio to real time.
void report_realtime(benchmark::State& state, std::size_t samples) {
  state.counters["x_realtime"] = benchmark::Counter(static_cast<double>(samples) / kCaptureRate *
                                                    static_cast<double>(state.iterations()),
                                                    benchmark::Counter::kIsRate);
}

void BM_DecodeCapture(benchmark::State& state) {
  const auto& iq = capture();
  if (iq.empty()) return state.SkipWithError("capture not found (../shared/captures/gsm or $TW_SHARED_DIR)");
  std::size_t blocks = 0;
  for (auto _ : state) {
    const auto b = tw::gsm::decode_capture(iq, kCaptureRate, 0.0);
    blocks = b.size();
    benchmark::DoNotOptimize(blocks);
  }
  state.counters["blocks"] = static_cast<double>(blocks);
  report_realtime(state, iq.size());
}
BENCHMARK(BM_DecodeCapture)->Unit(benchmark::kMillisecond);

void BM_ChannelSelectOnly(benchmark::State& state) {
  const auto& iq = capture();
  if (iq.empty()) return state.SkipWithError("capture not found (../shared/captures/gsm or $TW_SHARED_DIR)");
  tw::dsp::ChannelSelectConfig cfg;
  cfg.input_rate_hz = kCaptureRate;
  cfg.half_bandwidth_hz = 180e3;
  tw::dsp::ChannelSelector sel(cfg);
  std::vector<cf32> out;
  out.reserve(200000);
  for (auto _ : state) {
    out.clear();
    sel.execute(iq, out);
    benchmark::DoNotOptimize(out.data());
  }
  report_realtime(state, iq.size());
}
BENCHMARK(BM_ChannelSelectOnly)->Unit(benchmark::kMillisecond);

void BM_ReceiverOnly(benchmark::State& state) {
  const auto& iq = capture();
  if (iq.empty()) return state.SkipWithError("capture not found (../shared/captures/gsm or $TW_SHARED_DIR)");
  tw::dsp::ChannelSelectConfig cfg;
  cfg.input_rate_hz = kCaptureRate;
  cfg.half_bandwidth_hz = 180e3;
  tw::dsp::ChannelSelector sel(cfg);
  std::vector<cf32> base;
  sel.execute(iq, base);
  for (auto _ : state) {
    tw::gsm::ReceiverConfig rc;
    rc.max_abs_tone_hz = 180e3;
    tw::gsm::GsmCarrierReceiver rx(rc);
    for (std::size_t i = 0; i < base.size(); i += 8192) rx.execute(std::span(base).subspan(i, std::min<std::size_t>(8192, base.size() - i)));
    benchmark::DoNotOptimize(rx.stats().blocks_decoded);
  }
  report_realtime(state, iq.size());
}
BENCHMARK(BM_ReceiverOnly)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
