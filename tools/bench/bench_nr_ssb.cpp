// NR SSB search and PBCH receiver (dsp/nr/ssb_receiver) on synthesized SS/PBCH blocks (tools/synth/nr):
//   BM_Detect/<channel>/<snr>/<combine>: success rates vs SNR per SSB resource element (EPRE over the noise per
//     subcarrier), one 15 kHz case-A SSB per 20 ms period (random PCI, SSB index, SFN, MIB) in 45 ms at
//     3.84 Msps (3 occasions, the first 1 ms in); combine 0: each occasion searched alone (combine_period_ms 0,
//     the single-SSB search), 1: PSS/SSS combined over the 20 ms occasions (combine_period_ms 20); AWGN
//     (channel 0) or block Rayleigh fading with 36.101 EPA taps (channel 1, one draw per SSB: a simple
//     TDL); search window +-10 kHz around a random +-5 kHz offset. Counters: pci (PSS/SSS found the PCI),
//     mib (PBCH decoded with the MIB sent), wrong (a PCI or MIB not sent), trials (TW_NR_SSB_TRIALS, default 100).
//   BM_NoiseOnly/<ms>: cells reported from noise alone over 20 or 80 ms at 15.36 Msps, every n3 raster point.
//   BM_SearchPerGscn/<scs>/<ms>/<combine>: CPU per raster point searched: 20 or 80 ms at 15.36 Msps, +-100 ppm
//     (n3 at 15 kHz, n78 at 30 kHz), one cell present; combine as BM_Detect.
//   build/tools/bench/bench_nr_ssb --benchmark_filter=Detect
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <vector>

#include "dsp/nr/ssb_receiver.hpp"
#include "tools/synth/nr/nr_renderer.hpp"

namespace {

namespace nr = tw::dsp::nr;
namespace sn = tw::synth::nr;

int trials() {
  const char* e = std::getenv("TW_NR_SSB_TRIALS");
  const int n = e ? std::atoi(e) : 100;
  return n > 0 ? n : 100;
}

void add_noise(std::vector<nr::cf32>& x, double sigma2, std::mt19937_64& rng) {
  std::normal_distribution<float> n(0.0f, static_cast<float>(std::sqrt(sigma2 / 2)));
  for (auto& v : x) v += nr::cf32(n(rng), n(rng));
}

void BM_Detect(benchmark::State& state) {
  const bool fading = state.range(0) == 1;
  const double snr_db = static_cast<double>(state.range(1));
  const bool combine = state.range(2) == 1;
  const double fs = 3.84e6, scs = 15e3;
  int ok_pci = 0, ok_mib = 0, wrong = 0, n = 0;
  std::mt19937_64 rng(42 + state.range(1) + 1000 * state.range(0));   // same captures for both modes
  for (auto _ : state) {
    for (int t = 0; t < trials(); ++t) {
      sn::NrCellConfig c;
      c.gscn = 4604;
      c.pci = static_cast<int>(rng() % 1008);
      c.first_sfn = static_cast<int>(rng() % 512) * 2;
      c.first_sfn_set = true;
      c.ssb_indices = {static_cast<int>(rng() % 4)};
      c.coreset_zero = static_cast<int>(rng() % 16);
      c.k_ssb_msb = static_cast<int>(rng() % 2);
      c.multipath = fading ? "epa" : "none";
      c.freq_offset_hz = (static_cast<double>(rng() % 10001) - 5000.0);
      // EPRE = SNR x noise per subcarrier; total noise power 1 over fs.
      c.power_dbfs = snr_db + 10 * std::log10(scs / fs);
      const auto chain_ssb = sn::NrCellChain(c, rng(), 0.0).ssbs_between(0.0, 0.07);
      const double t0 = chain_ssb.front().t_s - 0.001;   // 45 ms from 1 ms before the first SSB
      std::vector<nr::cf32> x(static_cast<std::size_t>(0.045 * fs));
      sn::NrCellChain chain(c, rng(), 0.0);
      chain.render_add(x, t0, fs, *nr::gscn_to_hz(4604));
      add_noise(x, 1.0, rng);
      nr::NrReceiverConfig cfg;
      cfg.search.max_cfo_hz = 10e3;
      cfg.search.combine_period_ms = combine ? 20.0 : 0.0;
      nr::NrReceiver rx(cfg);
      nr::NrRasterPoint pt{4604, 368410, 3, *nr::gscn_to_hz(4604), 0.0, 15, nr::SsbCase::A, 4};
      const auto cells = rx.execute(x, fs, {pt});
      ++n;
      bool pci = false, mib = false;
      for (const auto& cell : cells) {
        if (cell.ssb.pci != c.pci) {
          ++wrong;
          continue;
        }
        pci = true;
        if (cell.mib_decoded) {
          bool sent = false;   // the SFN of one of the capture's occasions
          for (const auto& s : chain_ssb)
            if (s.t_s >= t0 && cell.sfn == s.sfn) sent = true;
          if (cell.mib_bits == sn::nr_mib_bits(c, cell.sfn) && sent &&
              cell.ssb_index == c.ssb_indices[0])
            mib = true;
          else
            ++wrong;
        }
      }
      ok_pci += pci;
      ok_mib += mib;
    }
  }
  state.counters["pci"] = static_cast<double>(ok_pci) / n;
  state.counters["mib"] = static_cast<double>(ok_mib) / n;
  state.counters["wrong"] = wrong;
  state.counters["trials"] = n;
}
BENCHMARK(BM_Detect)
    ->ArgsProduct({{0, 1}, {-10, -8, -6, -5, -4, -3, -2, -1, 0, 2, 4, 6, 8, 10}, {0, 1}})
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

void BM_NoiseOnly(benchmark::State& state) {
  const double fs = 15.36e6, fc = 1842.5e6;
  std::mt19937_64 rng(7);
  int cells = 0, searches = 0;
  for (auto _ : state) {
    std::vector<nr::cf32> x(static_cast<std::size_t>(state.range(0) * 1e-3 * fs));
    add_noise(x, 1e-4, rng);
    nr::NrReceiverConfig cfg;
    cfg.search.combine_period_ms = 20.0;
    nr::NrReceiver rx(cfg);
    cells += static_cast<int>(rx.execute(x, fs, nr::raster_points_in_capture(fc, fs, {3})).size());
    ++searches;
  }
  state.counters["cells"] = cells;
  state.counters["captures"] = searches;
}
BENCHMARK(BM_NoiseOnly)->Arg(20)->Arg(80)->Iterations(10)->Unit(benchmark::kSecond);

void BM_SearchPerGscn(benchmark::State& state) {
  const int scs = static_cast<int>(state.range(0));
  const double fs = 15.36e6;
  sn::NrCellConfig c;
  c.gscn = scs == 15 ? 4604 : 7880;
  c.pci = 99;
  c.power_dbfs = -60;
  const auto ref = *nr::gscn_to_hz(c.gscn);
  std::vector<nr::cf32> x(static_cast<std::size_t>(state.range(1) * 1e-3 * fs));
  sn::NrCellChain(c, 1, 0.0).render_add(x, 0.0, fs, ref);
  std::mt19937_64 rng(3);
  add_noise(x, 1e-6, rng);
  nr::NrRasterPoint pt{c.gscn, -1, 0, ref, 0.0, scs, scs == 15 ? nr::SsbCase::A : nr::SsbCase::C, scs == 15 ? 4 : 8};
  nr::NrReceiverConfig cfg;
  cfg.search.combine_period_ms = state.range(2) == 1 ? 20.0 : 0.0;
  nr::NrReceiver rx(cfg);
  for (auto _ : state) benchmark::DoNotOptimize(rx.execute(x, fs, {pt}));
  state.counters["max_cfo_khz"] = 100e-6 * ref / 1e3;
}
BENCHMARK(BM_SearchPerGscn)->ArgsProduct({{15, 30}, {20, 80}, {0, 1}})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
