// Sensitivity of the LTE cell search (dsp/lte/cell_search.hpp): success rate versus SNR of (a) PSS/SSS
// (right PCI and frame timing) and (b) the MIB (right MIB, SFN and antenna ports), each point N single-cell
// scenes from the LTE synthesizer with different seeds: random PCI, SFN, frame timing and receiver clock error
// within +-100 ppm at 1815 MHz (carrier and sampling clock from one crystal), a 2-port 10 MHz cell half
// loaded, 80 ms at 1.92 Msps, AWGN or EPA 5 Hz fading (36.101 annex B.2). Also pure noise (ghost cells).
//   build-*/tools/bench/bench_lte_snr                     (TW_LTE_SNR_TRIALS=N trials per point, default 40)
//   build-*/tools/bench/bench_lte_snr --benchmark_filter=Awgn
//   TW_LTE_SNR_VERBOSE=1: every failed trial on stderr; =2: the search's debug log as well.
// SNR: per resource element (EPRE over the noise in 15 kHz, = the SNR in the central 1.08 MHz of a loaded
// carrier); the counter snr_1m92_db gives the same point over the 1.92 MHz band (2.5 dB lower).
// Counters: sync (PSS/SSS success rate), mib (MIB success rate), wrong_cells (cells reported that were not
// sent, summed over the trials), trials; BM_Awgn3Cells: three equal cells per scene, cell_sync / cell_mib per cell.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "src/core/log.hpp"
#include "tools/synth/lte/lte_snr_trial.hpp"

namespace {

namespace sl = tw::synth::lte;

int trials() {
  const char* e = std::getenv("TW_LTE_SNR_TRIALS");
  const int n = e ? std::atoi(e) : 40;
  return n > 0 ? n : 40;
}

// report_sss_only: the receiver reports every cell whose SSS passes (undecoded_min_score lowered to
// sss_min_score), so that "sync" measures PSS/SSS alone rather than "reported" (by default a cell whose MIB
// fails is reported only with a strong SSS).
void sweep(benchmark::State& state, const std::string& multipath, double doppler_hz, bool report_sss_only = false, int n_cells = 1) {
  sl::SnrTrialConfig cfg;
  cfg.cells = n_cells;
  cfg.snr_db = static_cast<double>(state.range(0));
  cfg.multipath = multipath;
  cfg.doppler_hz = doppler_hz;
  auto scfg = sl::snr_trial_search_config(cfg);
  if (report_sss_only) scfg.undecoded_min_score = scfg.sss_min_score;
  tw::dsp::lte::CellSearch search(scfg);
  const int n = trials();
  // TW_LTE_SNR_VERBOSE=2: the search's own debug log (PSS peaks, SSS scores, CRC checks) as well.
  if (const char* v = std::getenv("TW_LTE_SNR_VERBOSE"); v && std::atoi(v) >= 2) tw::log::set_level(tw::log::Level::debug);
  int sync = 0, mib = 0, wrong = 0, cells_sent = 0, cells_synced = 0, cells_mib = 0;
  for (auto _ : state) {
    for (int t = 0; t < n; ++t) {
      // Seeds differ per trial and per SNR point (independent draws at every point).
      const auto r = sl::run_snr_trial(cfg, static_cast<std::uint64_t>(1000003 * (state.range(0) + 100) + t), search);
      if (std::getenv("TW_LTE_SNR_VERBOSE") && (!r.mib_ok || r.wrong_cells))
        std::fprintf(stderr, "snr %g seed %llu pci %d ppm %.1f: sync %d mib_decoded %d sfn %d/%d ports %d wrong %d mib %02x%02x%02x/%02x%02x%02x %s\n", cfg.snr_db,
                     static_cast<unsigned long long>(1000003 * (state.range(0) + 100) + t), r.truth.pci, r.truth.receiver_ppm,
                     r.sync_ok, r.mib_decoded, r.sfn_found, r.sfn_sent, r.ports_found, r.wrong_cells, r.mib_found[0], r.mib_found[1],
                     r.mib_found[2], r.mib_sent[0], r.mib_sent[1], r.mib_sent[2], r.wrong_desc.c_str());
      sync += r.sync_ok;
      mib += r.mib_ok;
      wrong += r.wrong_cells;
      cells_sent += r.cells_sent;
      cells_synced += r.cells_synced;
      cells_mib += r.cells_mib_ok;
    }
  }
  state.counters["snr_re_db"] = cfg.snr_db;
  state.counters["snr_1m92_db"] = cfg.snr_db - sl::snr_re_minus_snr_1m92_db();
  state.counters["sync"] = static_cast<double>(sync) / n;
  state.counters["mib"] = static_cast<double>(mib) / n;
  state.counters["wrong_cells"] = wrong;
  state.counters["trials"] = n;
  if (n_cells > 1) {
    state.counters["cell_sync"] = static_cast<double>(cells_synced) / cells_sent;
    state.counters["cell_mib"] = static_cast<double>(cells_mib) / cells_sent;
  }
}

void BM_Awgn(benchmark::State& state) { sweep(state, "none", 0.0); }
void BM_Epa5(benchmark::State& state) { sweep(state, "epa", 5.0); }
void BM_AwgnSssOnly(benchmark::State& state) { sweep(state, "none", 0.0, true); }
void BM_Epa5SssOnly(benchmark::State& state) { sweep(state, "epa", 5.0, true); }
// Three cells of equal power (distinct PCIs, own timing and SFN) on the EARFCN: sync / mib count trials where
// every cell was right; cell_sync / cell_mib the fraction of cells.
void BM_Awgn3Cells(benchmark::State& state) { sweep(state, "none", 0.0, false, 3); }
BENCHMARK(BM_AwgnSssOnly)->DenseRange(-15, -8, 1)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_Epa5SssOnly)->DenseRange(-12, 0, 1)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_Awgn)->DenseRange(-15, -6, 1)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_Epa5)->DenseRange(-12, 2, 1)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_Awgn3Cells)->DenseRange(-13, -7, 1)->Iterations(1)->Unit(benchmark::kSecond);

// Receiver noise alone: every cell reported is a ghost.
void BM_NoiseOnly(benchmark::State& state) {
  sl::SnrTrialConfig cfg;
  cfg.cell_present = false;
  tw::dsp::lte::CellSearch search(sl::snr_trial_search_config(cfg));
  const int n = trials();
  int wrong = 0;
  for (auto _ : state)
    for (int t = 0; t < n; ++t) wrong += sl::run_snr_trial(cfg, static_cast<std::uint64_t>(777000 + t), search).wrong_cells;
  state.counters["wrong_cells"] = wrong;
  state.counters["trials"] = n;
}
BENCHMARK(BM_NoiseOnly)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
