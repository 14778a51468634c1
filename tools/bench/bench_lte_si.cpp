// LTE System Information (dsp/lte/si_receiver.hpp): speed on the live recording and SIB1 sensitivity.
//   build/tools/bench/bench_lte_si --benchmark_filter=Capture     (speed; ../shared beside the checkout or
//                                                                  $TW_SHARED_DIR)
//   build/tools/bench/bench_lte_si --benchmark_filter=Sib1        (sensitivity; TW_LTE_SI_TRIALS=N per point,
//                                                                  default 20; TW_LTE_SI_VERBOSE=1 failures)
//
// (1) Speed: ../shared/captures/lte/f1815.3_s19.2_bw20_0.08s_hackrf.bin (20 MHz band-3 cell, 80 ms at
// 19.2 Msps). BM_CaptureSiReceiver is what `towerwatch analyze` runs: a new SiReceiver (CRS timing
// refinement included), decode_sib1, SIB1 parsed (src/lte) for its schedule, decode_si. Per block, over the
// very subframes the receiver demodulates (SIB1 subframes and SI windows): BM_CaptureRefineTiming,
// BM_CaptureOfdmDemod (+ channel estimate: BM_CaptureOfdmDemodChannel), BM_CapturePcfichPdcch,
// BM_CapturePdschCombine (PDSCH soft values + combining + turbo decoding). Same-run baselines:
// BM_CaptureBaselineCellSearch (channel selection to 1.92 Msps + cell search + MIB of the same 80 ms, what
// finds the cell before any SIB) and BM_CaptureBaselineOfdmAll (every one of the 80 subframes demodulated).
// Counters: cpu_per_signal = CPU seconds per second of signal (<= 1.25 for the 0.1 s CPU target over
// 80 ms), subframes = subframes the benchmark processed per iteration.
//
// (2) Sensitivity: SIB1 success rate over 80 ms (every SIB1 transmission of the capture combined) versus SNR per
// RE, trials of tools/synth/lte/lte_si_trial.hpp (the GRID-LEVEL path: transmit pieces -> OFDM 36.211 6.12 ->
// channel -> AWGN; not the scene renderer), a 2-port FDD cell, SIB1 in 4 PRB (DCI 1A, N_PRB^1A = 3, CFI 2,
// aggregation 4). BM_Sib1Awgn/<n_prb>, BM_Sib1Epa5/<n_prb>: the sweep in 1 dB steps upward until two points
// reach 100 %; counters snr90_db (the 90 % point, linear interpolation between the points around it; NaN
// when not reached), p<snr> the success rate of each point (p_m6 = -6 dB), wrong_sib1 (a SIB1 reported
// with other octets), trials. BM_Sib1*KnownControl: the same with CFI, DCI and RVs known (PDSCH + combining
// alone). BM_Sib1*Renderer: the scene renderer path (tools/synth/lte/lte_renderer, which sends SIB1 since
// the h-render merge). BM_Sib1NoiseOnly/<n_prb>: noise alone, sib1_from_noise must be 0.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dsp/channel_select.hpp"
#include "dsp/lte/cell_search.hpp"
#include "dsp/lte/channel_estimate.hpp"
#include "dsp/lte/dci.hpp"
#include "dsp/lte/ofdm_demod.hpp"
#include "dsp/lte/pcfich.hpp"
#include "dsp/lte/pdcch.hpp"
#include "dsp/lte/pdsch.hpp"
#include "dsp/lte/pdsch_allocation.hpp"
#include "dsp/lte/si_combiner.hpp"
#include "dsp/lte/si_receiver.hpp"
#include "dsp/lte/si_schedule.hpp"
#include "src/core/error.hpp"
#include "src/lte/bcch_dl_sch.hpp"
#include "tests/support/lte_sib_capture.hpp"
#include "tools/synth/lte/lte_si_trial.hpp"

namespace {

namespace dl = tw::dsp::lte;
using dl::cf32;

constexpr double kSignalS = 0.080;

std::filesystem::path shared_dir() {
  if (const char* e = std::getenv("TW_SHARED_DIR")) return e;
  return std::filesystem::path(TW_SOURCE_DIR).parent_path() / "shared";
}

// The recording, its cell and timing (as tests/support/lte_sib_capture.hpp finds them), loaded once.
const tw::test::LteSibCapture* capture() {
  static const std::optional<tw::test::LteSibCapture> c = [] {
    std::optional<tw::test::LteSibCapture> r;
    try {
      if (std::filesystem::exists(shared_dir() / "captures/lte")) r = tw::test::load_lte_sib_capture(shared_dir());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_lte_si: %s\n", e.what());
    }
    return r;
  }();
  return c ? &*c : nullptr;
}

// 36.331 6.2.2 codes -> the receiver's schedule (as src/pipeline/lte_system_info.cpp).
std::optional<dl::SiSchedule> schedule_of(const std::vector<std::uint8_t>& sib1_octets) {
  const auto msg = tw::lte::decode_bcch_dl_sch(sib1_octets);
  if (!msg.sib1) return std::nullopt;
  static constexpr int kWindowMs[] = {1, 2, 5, 10, 15, 20, 40};
  dl::SiSchedule s;
  for (const auto& si : msg.sib1->scheduling) {
    if (si.si_periodicity > 6) return std::nullopt;
    s.periodicity_rf.push_back(8 << si.si_periodicity);
  }
  if (msg.sib1->si_window_length > 6) return std::nullopt;
  s.window_ms = kWindowMs[msg.sib1->si_window_length];
  return s;
}

// The work of one analysis: what BM_CaptureSiReceiver must find, and the subframes it demodulates.
struct SiWork {
  dl::DlTiming timing;                              // refined
  dl::SiSchedule schedule;
  std::vector<std::pair<std::int64_t, int>> sfs;    // (frame from sfn0, subframe)
  std::vector<dl::DlSubframe> demodulated;          // with channel estimates
  std::vector<int> cfi;
  struct Tx {
    std::size_t sf = 0;
    dl::Dci dci;
    int si = 0;     // 0 SIB1, n SI message n
    int rv = 0;
  };
  std::vector<Tx> txs;
  int blocks = 0;  // SIB1 + SI messages decoded by the receiver
};

const SiWork* work() {
  static const std::optional<SiWork> w = []() -> std::optional<SiWork> {
    const auto* cap = capture();
    if (!cap) return std::nullopt;
    SiWork w;
    dl::SiReceiver rx(cap->cell, cap->coarse);
    std::string why;
    const auto sib1 = rx.decode_sib1(cap->iq, why);
    if (!sib1) return std::nullopt;
    const auto sched = schedule_of(sib1->octets);
    if (!sched) return std::nullopt;
    w.schedule = *sched;
    w.blocks = 1 + static_cast<int>(rx.decode_si(cap->iq, w.schedule).size());
    w.timing = rx.timing();
    dl::DlOfdmDemodulator demod(cap->cell, w.timing);
    dl::ChannelEstimator est(cap->cell);
    dl::PcfichDecoder pcfich(cap->cell);
    dl::PdcchSearch pdcch(cap->cell);
    const std::uint16_t si_rnti[] = {dl::kSiRnti};
    for (std::int64_t f = -2; f <= 10; ++f) {
      const int sfn = static_cast<int>(((w.timing.sfn0 + f) % 1024 + 1024) % 1024);
      for (int s = 0; s < 10; ++s) {
        const bool sib1_sf = dl::is_sib1_subframe(sfn, s);
        const auto opp = dl::si_message_at(w.schedule, sfn, s);
        if (!sib1_sf && !opp) continue;
        dl::DlSubframe sf;
        if (!demod.execute(cap->iq, f, s, sf)) continue;
        est.execute(sf);
        w.sfs.emplace_back(f, s);
        const int cfi = pcfich.execute(sf);
        w.cfi.push_back(cfi);
        if (cfi >= 1) {
          for (const auto& d : pdcch.execute(sf, cfi, si_rnti))
            w.txs.push_back({w.demodulated.size(), d, sib1_sf ? 0 : opp->n,
                             d.format == dl::DciFormat::f1a && d.rv >= 0 ? d.rv : (sib1_sf ? dl::sib1_rv(sfn) : opp->rv)});
        }
        w.demodulated.push_back(std::move(sf));
      }
    }
    return w;
  }();
  return w ? &*w : nullptr;
}

void per_signal(benchmark::State& state, double subframes) {
  state.counters["cpu_per_signal"] =
      benchmark::Counter(kSignalS * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["subframes"] = subframes;
}

#define TW_NEED_WORK()                                                        \
  const auto* cap = capture();                                                \
  const auto* w = work();                                                     \
  if (!cap || !w) {                                                           \
    state.SkipWithError("../shared LTE recording absent or SIB1 not decoded"); \
    return;                                                                   \
  }

// What analyze runs: SIB1, its schedule, the SI messages.
void BM_CaptureSiReceiver(benchmark::State& state) {
  TW_NEED_WORK();
  int blocks = 0;
  for (auto _ : state) {
    dl::SiReceiver rx(cap->cell, cap->coarse);
    std::string why;
    const auto sib1 = rx.decode_sib1(cap->iq, why);
    blocks = sib1 ? 1 : 0;
    if (sib1)
      if (const auto s = schedule_of(sib1->octets)) blocks += static_cast<int>(rx.decode_si(cap->iq, *s).size());
    benchmark::DoNotOptimize(blocks);
  }
  if (blocks != w->blocks) state.SkipWithError("decoded a different number of SI blocks");
  per_signal(state, static_cast<double>(w->sfs.size()));
  state.counters["si_blocks"] = blocks;
}
BENCHMARK(BM_CaptureSiReceiver)->Unit(benchmark::kMillisecond);

void BM_CaptureRefineTiming(benchmark::State& state) {
  TW_NEED_WORK();
  for (auto _ : state) benchmark::DoNotOptimize(dl::refine_dl_timing(cap->cell, cap->coarse, cap->iq));
  per_signal(state, 0);
}
BENCHMARK(BM_CaptureRefineTiming)->Unit(benchmark::kMillisecond);

void ofdm(benchmark::State& state, bool with_channel, bool all_subframes) {
  TW_NEED_WORK();
  dl::DlOfdmDemodulator demod(cap->cell, w->timing);
  dl::ChannelEstimator est(cap->cell);
  dl::DlSubframe sf;
  std::vector<std::pair<std::int64_t, int>> sfs = w->sfs;
  if (all_subframes) {
    sfs.clear();
    for (std::int64_t f = -1; f <= 9; ++f)
      for (int s = 0; s < 10; ++s) sfs.emplace_back(f, s);
  }
  int n = 0;
  for (auto _ : state) {
    n = 0;
    for (const auto& [f, s] : sfs) {
      if (!demod.execute(cap->iq, f, s, sf)) continue;
      ++n;
      if (with_channel) est.execute(sf);
      benchmark::DoNotOptimize(sf.re.data());
    }
  }
  per_signal(state, n);
}
void BM_CaptureOfdmDemod(benchmark::State& state) { ofdm(state, false, false); }
void BM_CaptureOfdmDemodChannel(benchmark::State& state) { ofdm(state, true, false); }
void BM_CaptureBaselineOfdmAll(benchmark::State& state) { ofdm(state, false, true); }
BENCHMARK(BM_CaptureOfdmDemod)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CaptureOfdmDemodChannel)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CaptureBaselineOfdmAll)->Unit(benchmark::kMillisecond);

void BM_CapturePcfichPdcch(benchmark::State& state) {
  TW_NEED_WORK();
  dl::PcfichDecoder pcfich(cap->cell);
  dl::PdcchSearch pdcch(cap->cell);
  const std::uint16_t si_rnti[] = {dl::kSiRnti};
  std::size_t dcis = 0;
  for (auto _ : state) {
    dcis = 0;
    for (const auto& sf : w->demodulated) {
      const int cfi = pcfich.execute(sf);
      if (cfi >= 1) dcis += pdcch.execute(sf, cfi, si_rnti).size();
    }
    benchmark::DoNotOptimize(dcis);
  }
  if (dcis != w->txs.size()) state.SkipWithError("found a different number of SI-RNTI DCIs");
  per_signal(state, static_cast<double>(w->demodulated.size()));
  state.counters["dcis"] = static_cast<double>(dcis);
}
BENCHMARK(BM_CapturePcfichPdcch)->Unit(benchmark::kMillisecond);

void BM_CapturePdschCombine(benchmark::State& state) {
  TW_NEED_WORK();
  dl::PdschDemodulator pdsch(cap->cell);
  int decoded = 0;
  for (auto _ : state) {
    std::vector<std::optional<dl::SiCombiner>> comb(w->schedule.periodicity_rf.size() + 1);
    for (const auto& t : w->txs) {
      const auto alloc = dl::si_allocation(t.dci, cap->cell.n_prb);
      const auto llr = pdsch.execute(w->demodulated[t.sf], w->cfi[t.sf], alloc, dl::kSiRnti);
      auto& c = comb[static_cast<std::size_t>(t.si)];
      if (!c) c.emplace(alloc.tbs);
      if (c->tbs_bits() == alloc.tbs) c->add(llr, t.rv);
    }
    decoded = 0;
    for (const auto& c : comb) decoded += c && c->decode();
    benchmark::DoNotOptimize(decoded);
  }
  if (decoded != w->blocks) state.SkipWithError("decoded a different number of SI blocks");
  per_signal(state, static_cast<double>(w->txs.size()));
  state.counters["si_blocks"] = decoded;
}
BENCHMARK(BM_CapturePdschCombine)->Unit(benchmark::kMillisecond);

// Baseline: finding the cell in the same 80 ms (channel selection to 1.92 Msps, PSS/SSS, PBCH).
void BM_CaptureBaselineCellSearch(benchmark::State& state) {
  TW_NEED_WORK();
  tw::dsp::ChannelSelectConfig sel_cfg;
  sel_cfg.input_rate_hz = cap->coarse.sample_rate_hz;
  sel_cfg.half_bandwidth_hz = 0.75e6;
  sel_cfg.output_rate_hz = 1.92e6;
  dl::CellSearchConfig cfg;
  cfg.carrier_hz = 1815.3e6;
  std::size_t cells = 0;
  for (auto _ : state) {
    tw::dsp::ChannelSelector sel(sel_cfg);
    std::vector<cf32> base;
    sel.execute(cap->iq, base);
    dl::CellSearch search(cfg);
    cells = search.execute(base).size();
    benchmark::DoNotOptimize(cells);
  }
  per_signal(state, 0);
  state.counters["cells"] = static_cast<double>(cells);
}
BENCHMARK(BM_CaptureBaselineCellSearch)->Unit(benchmark::kMillisecond);

int si_trials() {
  const char* e = std::getenv("TW_LTE_SI_TRIALS");
  const int n = e ? std::atoi(e) : 20;
  return n > 0 ? n : 20;
}

std::string point_name(int snr) { return snr < 0 ? "p_m" + std::to_string(-snr) : "p_" + std::to_string(snr); }

void sib1_sweep(benchmark::State& state, const std::string& multipath, double doppler_hz, int snr_from, bool known_control = false, bool renderer = false) {
  namespace sl = tw::synth::lte;
  sl::SiTrialConfig cfg;
  cfg.n_prb = static_cast<int>(state.range(0));
  cfg.multipath = multipath;
  cfg.doppler_hz = doppler_hz;
  cfg.known_control = known_control;
  cfg.renderer = renderer;
  const int n = si_trials();
  const bool verbose = std::getenv("TW_LTE_SI_VERBOSE") != nullptr;
  double snr90 = std::nan("");
  int wrong = 0;
  for (auto _ : state) {
    double prev_snr = 0.0, prev_p = -1.0;
    int full = 0;
    for (int snr = snr_from; snr <= snr_from + 30 && full < 2; ++snr) {
      cfg.snr_db = snr;
      int ok = 0;
      for (int t = 0; t < n; ++t) {
        const auto seed = static_cast<std::uint64_t>(1000003) * static_cast<std::uint64_t>(snr + 100) + static_cast<std::uint64_t>(t) * 7919 +
                          static_cast<std::uint64_t>(cfg.n_prb);
        const auto r = sl::run_si_trial(cfg, seed);
        ok += known_control ? r.pdsch_ok : r.sib1_ok;
        wrong += r.sib1_reported && !r.sib1_ok;
        if (verbose && !(known_control ? r.pdsch_ok : r.sib1_ok))
          std::fprintf(stderr, "n_prb %d %s snr %d seed %llu: sent %d, %s\n", cfg.n_prb, multipath.c_str(), snr,
                       static_cast<unsigned long long>(seed), r.transmissions_sent, r.why.c_str());
      }
      const double p = static_cast<double>(ok) / n;
      state.counters[point_name(snr)] = p;
      if (std::isnan(snr90) && p >= 0.9) snr90 = prev_p < 0.0 ? snr : prev_snr + (0.9 - prev_p) / (p - prev_p) * (snr - prev_snr);
      full = p >= 1.0 ? full + 1 : 0;
      prev_snr = snr;
      prev_p = p;
    }
  }
  state.counters["snr90_db"] = snr90;
  state.counters["wrong_sib1"] = wrong;
  state.counters["trials"] = n;
}
void BM_Sib1Awgn(benchmark::State& state) { sib1_sweep(state, "none", 0.0, -11); }
void BM_Sib1Epa5(benchmark::State& state) { sib1_sweep(state, "epa", 5.0, -6); }
BENCHMARK(BM_Sib1Awgn)->Arg(6)->Arg(25)->Arg(100)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_Sib1Epa5)->Arg(6)->Arg(25)->Arg(100)->Iterations(1)->Unit(benchmark::kSecond);
// The same trials decoded with the CFI, DCI and RVs known: what PDSCH + combining alone reach (the gap to the
// above is the control channels': PCFICH credibility and the SI-RNTI PDCCH).
void BM_Sib1AwgnKnownControl(benchmark::State& state) { sib1_sweep(state, "none", 0.0, -10, true); }
void BM_Sib1Epa5KnownControl(benchmark::State& state) { sib1_sweep(state, "epa", 5.0, -8, true); }
BENCHMARK(BM_Sib1AwgnKnownControl)->Arg(6)->Arg(25)->Arg(100)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_Sib1Epa5KnownControl)->Arg(6)->Arg(25)->Arg(100)->Iterations(1)->Unit(benchmark::kSecond);
// The scene renderer path (tools/synth/lte/lte_renderer sends SIB1 since h-render): half loaded cell, its own
// SIB1 allocation and PDCCH aggregation.
void BM_Sib1AwgnRenderer(benchmark::State& state) { sib1_sweep(state, "none", 0.0, -8, false, true); }
void BM_Sib1Epa5Renderer(benchmark::State& state) { sib1_sweep(state, "epa", 5.0, -6, false, true); }
BENCHMARK(BM_Sib1AwgnRenderer)->Arg(6)->Arg(25)->Arg(100)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_Sib1Epa5Renderer)->Arg(6)->Arg(25)->Arg(100)->Iterations(1)->Unit(benchmark::kSecond);

void BM_Sib1NoiseOnly(benchmark::State& state) {
  namespace sl = tw::synth::lte;
  sl::SiTrialConfig cfg;
  cfg.n_prb = static_cast<int>(state.range(0));
  cfg.cell_present = false;
  const int n = 5 * si_trials();
  int reported = 0;
  for (auto _ : state)
    for (int t = 0; t < n; ++t) reported += sl::run_si_trial(cfg, static_cast<std::uint64_t>(555000 + t)).sib1_reported;
  state.counters["sib1_from_noise"] = reported;
  state.counters["trials"] = n;
}
BENCHMARK(BM_Sib1NoiseOnly)->Arg(6)->Arg(25)->Arg(100)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
