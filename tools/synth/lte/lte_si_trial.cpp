#include "tools/synth/lte/lte_si_trial.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <memory>
#include <random>

#include "dsp/lte/channel_estimate.hpp"
#include "dsp/lte/dci.hpp"
#include "dsp/lte/ofdm_demod.hpp"
#include "dsp/lte/pdsch.hpp"
#include "dsp/lte/pdsch_allocation.hpp"
#include "dsp/lte/si_combiner.hpp"
#include "dsp/lte/si_receiver.hpp"
#include "dsp/lte/si_schedule.hpp"
#include "src/core/error.hpp"
#include "tools/synth/channel.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"
#include "tools/synth/lte/lte_cell_config.hpp"
#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/lte/pcfich_encoder.hpp"
#include "tools/synth/lte/pdcch_encoder.hpp"
#include "tools/synth/lte/pdsch_encoder.hpp"
#include "tools/synth/lte/sib_encoder.hpp"

namespace tw::synth::lte {

namespace dl = tw::dsp::lte;

namespace {

struct PlanFree {
  void operator()(fftwf_plan_s* p) const { fftwf_destroy_plan(p); }
};

// 36.211 6.12: symbol l of a subframe (normal CP) from the sum of the port grids `grid` (12 N_RB x 14),
// subcarrier k at k^(-) = k - N_sc/2 (k < N_sc/2) or k - N_sc/2 + 1, unitary scaling; appended to out.
class OfdmModulator {
 public:
  explicit OfdmModulator(int n_prb) : n_prb_(n_prb), n_(fft_size_for_prb(n_prb)), buf_(static_cast<std::size_t>(n_)) {
    auto* b = reinterpret_cast<fftwf_complex*>(buf_.data());
    plan_.reset(fftwf_plan_dft_1d(n_, b, b, FFTW_BACKWARD, FFTW_ESTIMATE));
  }
  int fft_size() const { return n_; }
  std::size_t subframe_samples() const { return static_cast<std::size_t>(n_) * 15; }   // 30720 Ts per ms
  void subframe(const std::vector<cf32>& grid, cf32* out) {
    const int nsc = 12 * n_prb_;
    const float scale = 1.0f / std::sqrt(static_cast<float>(n_));
    for (int l = 0; l < 14; ++l) {
      std::fill(buf_.begin(), buf_.end(), cf32{});
      for (int k = 0; k < nsc; ++k) {
        const int f = k < nsc / 2 ? k - nsc / 2 : k - nsc / 2 + 1;
        buf_[static_cast<std::size_t>((f + n_) % n_)] = grid[static_cast<std::size_t>(l * nsc + k)] * scale;
      }
      fftwf_execute(plan_.get());
      const int cp = (l % 7 == 0 ? 160 : 144) * n_ / 2048;
      for (int i = 0; i < cp; ++i) *out++ = buf_[static_cast<std::size_t>(n_ - cp + i)];
      for (int i = 0; i < n_; ++i) *out++ = buf_[static_cast<std::size_t>(i)];
    }
  }

 private:
  int n_prb_, n_;
  std::vector<cf32> buf_;
  std::unique_ptr<fftwf_plan_s, PlanFree> plan_;
};

// The scene renderer path: one cell with its System Information in a scene whose noise makes the per-RE SNR
// (EPRE over noise / FFT size, as tests/lte_si_render_support.hpp), 80 ms at the cell's natural rate from a
// random time; the receiver gets the truth's frame timing.
SiTrialResult run_si_trial_renderer(const SiTrialConfig& cfg, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  SceneWithLte s;
  s.scene.seed = seed;
  const double power = -60.0;
  const int fft = fft_size_for_prb(cfg.n_prb);
  const double fs = 15e3 * fft;
  s.scene.noise_dbfs = power - cfg.snr_db + 10.0 * std::log10(static_cast<double>(fft));
  LteCellConfig c;
  c.earfcn = 1300;
  c.pci = cfg.pci >= 0 ? cfg.pci : static_cast<int>(rng() % 504);
  c.ports = cfg.ports;
  c.bandwidth_prb = cfg.n_prb;
  c.first_sfn = static_cast<int>(rng() % 1024);
  c.first_sfn_set = true;
  c.power_dbfs = power;
  c.delay_us = 1.0 + 3.0 * uni(rng);
  c.multipath = cfg.multipath;
  c.doppler_hz = cfg.doppler_hz;
  c.pdsch_load = 0.5;
  c.pdcch_load = 0.5;
  c.system_info.freq_band_indicator = 3;
  c.on_s = cfg.cell_present ? 0.0 : 1e6;   // absent: switched on long after the capture
  s.lte_cells.push_back(c);
  const double t0 = 0.010 * uni(rng);
  SceneRenderer r(s, carrier_hz(c), fs, t0);
  std::vector<cf32> iq(static_cast<std::size_t>(std::lround(0.080 * fs)));
  r.render(iq);
  dl::CellParams cell;
  cell.pci = c.pci;
  cell.n_prb = c.bandwidth_prb;
  cell.ports = c.ports;
  dl::DlTiming timing;
  timing.sample_rate_hz = fs;
  timing.sfn0 = c.first_sfn;
  timing.frame_start_sample = (frame_start_time_s(c, 0.0, 0) - t0) * fs;
  timing.clock_scale = clock_scale(c, 0.0);
  SiTrialResult res;
  const auto sent = encode_sib1(c.system_info);
  dl::SiReceiver rx(cell, timing);
  const auto got = rx.decode_sib1(iq, res.why);
  res.sib1_reported = got.has_value();
  if (got) {
    res.tbs = got->tbs;
    res.transmissions_combined = got->transmissions;
    res.sib1_ok = got->octets.size() >= sent.size() && std::equal(sent.begin(), sent.end(), got->octets.begin()) &&
                  std::all_of(got->octets.begin() + static_cast<std::ptrdiff_t>(sent.size()), got->octets.end(), [](std::uint8_t o) { return o == 0; });
  }
  return res;
}

}  // namespace

SiTrialResult run_si_trial(const SiTrialConfig& cfg, std::uint64_t seed) {
  if (!valid_bandwidth_prb(cfg.n_prb)) throw InputError("n_prb: " + std::to_string(cfg.n_prb));
  if (cfg.ports != 1 && cfg.ports != 2 && cfg.ports != 4) throw InputError("ports: " + std::to_string(cfg.ports));
  if (cfg.cfi < 1 || cfg.cfi > 3) throw InputError("cfi: " + std::to_string(cfg.cfi));
  if (cfg.l_crb < 1 || cfg.l_crb > cfg.n_prb) throw InputError("l_crb: " + std::to_string(cfg.l_crb));
  if (!valid_multipath(cfg.multipath)) throw InputError("multipath: " + cfg.multipath);
  if (cfg.renderer) return run_si_trial_renderer(cfg, seed);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uni(0.0, 1.0);

  LteCellConfig cc;
  cc.earfcn = 1300;
  cc.pci = cfg.pci >= 0 ? cfg.pci : static_cast<int>(rng() % 504);
  cc.ports = cfg.ports;
  cc.bandwidth_prb = cfg.n_prb;
  cc.first_sfn = static_cast<int>(rng() % 1024);
  cc.first_sfn_set = true;
  cc.cfi = cfg.cfi;
  dl::CellParams cell;
  cell.pci = cc.pci;
  cell.n_prb = cc.bandwidth_prb;
  cell.ports = cc.ports;
  cell.phich_resource = cc.phich_resource;
  cell.phich_extended = cc.phich_extended;

  // SIB1 (the synthesizer's defaults) in the smallest TBS of N_PRB^1A = 3 (TPC LSB 1) that holds it.
  const auto sib1 = encode_sib1(cc.system_info);
  dl::Dci dci;
  dci.format = dl::DciFormat::f1a;
  dci.rnti = dl::kSiRnti;
  dci.aggregation = cfg.aggregation;
  dci.first_cce = 0;
  dci.riv = dl::riv_encode(0, cfg.l_crb, cfg.n_prb);
  dci.tpc = 1;
  dl::PdschAllocation alloc;
  for (dci.mcs = 0; dci.mcs <= 26; ++dci.mcs) {
    alloc = dl::si_allocation(dci, cfg.n_prb);
    if (alloc.tbs >= static_cast<int>(8 * sib1.size())) break;
  }
  if (alloc.tbs < static_cast<int>(8 * sib1.size())) throw InputError("SIB1 does not fit the allocation");
  std::vector<std::uint8_t> tb(sib1);
  tb.resize(static_cast<std::size_t>(alloc.tbs / 8), 0);

  // 9 frames from the start of the frame with SFN first_sfn; the capture is 80 ms from `lead`.
  OfdmModulator ofdm(cfg.n_prb);
  const std::size_t sub_n = ofdm.subframe_samples();
  const double fs = 15e3 * ofdm.fft_size();
  const std::size_t n_cap = static_cast<std::size_t>(std::lround(0.080 * fs));
  const auto lead = static_cast<std::size_t>(uni(rng) * 10.0 * static_cast<double>(sub_n));
  std::vector<cf32> sig(90 * sub_n, cf32{});
  SiTrialResult res;
  res.tbs = alloc.tbs;
  const bool fading = cfg.multipath != "none";
  double fading_delay = 0.0;   // FadingChannel's bulk delay (samples)
  if (cfg.cell_present) {
    LteCellChain chain(cc, seed ^ 0x51b1ULL, 0.0);
    std::vector<std::vector<cf32>> grids(static_cast<std::size_t>(cfg.ports));
    std::vector<std::vector<cf32>> port_sig(fading ? static_cast<std::size_t>(cfg.ports) : 0, std::vector<cf32>(sig.size()));
    std::vector<cf32> sum;
    for (int i = 0; i < 90; ++i) {
      const int sfn = (cc.first_sfn + i / 10) % 1024, subframe = i % 10;
      chain.build_grid(i);
      for (int p = 0; p < cfg.ports; ++p) {
        const auto g = chain.grid(p);
        grids[static_cast<std::size_t>(p)].assign(g.begin(), g.end());
      }
      if (dl::is_sib1_subframe(sfn, subframe)) {
        const int rv = dl::sib1_rv(sfn);
        dci.rv = rv;
        pcfich_encode(cell, subframe, cfg.cfi, grids);
        const PdcchTx tx{dci, 1.0f};
        PdcchFill fill;
        fill.seed = seed + static_cast<std::uint64_t>(i);
        pdcch_encode(cell, subframe, cfg.cfi, std::span(&tx, 1), grids, fill);
        pdsch_encode(tb, cell, subframe, cfg.cfi, alloc, dl::kSiRnti, rv, grids);
        const std::size_t start = static_cast<std::size_t>(i) * sub_n;
        if (start >= lead && start + sub_n <= lead + n_cap) ++res.transmissions_sent;
      }
      if (fading) {
        for (int p = 0; p < cfg.ports; ++p)
          ofdm.subframe(grids[static_cast<std::size_t>(p)], port_sig[static_cast<std::size_t>(p)].data() + static_cast<std::size_t>(i) * sub_n);
      } else {
        sum = grids[0];
        for (int p = 1; p < cfg.ports; ++p)
          for (std::size_t j = 0; j < sum.size(); ++j) sum[j] += grids[static_cast<std::size_t>(p)][j];
        ofdm.subframe(sum, sig.data() + static_cast<std::size_t>(i) * sub_n);
      }
    }
    if (fading) {
      // Each port its own Rayleigh channel (mean power 1), then summed.
      for (int p = 0; p < cfg.ports; ++p) {
        FadingChannel ch(lte_multipath_profile(cfg.multipath), cfg.doppler_hz, fs, seed * 7 + static_cast<std::uint64_t>(p) + 1);
        auto& x = port_sig[static_cast<std::size_t>(p)];
        fading_delay = ch.delay_samples();
        ch.process(x, uni(rng) * 10.0);   // a random point of the fading process
        for (std::size_t j = 0; j < sig.size(); ++j) sig[j] += x[j];
      }
    }
  }
  // The capture: 80 ms from `lead`, plus complex white Gaussian noise of variance 10^(-snr/10) per sample.
  std::vector<cf32> iq(sig.begin() + static_cast<std::ptrdiff_t>(lead), sig.begin() + static_cast<std::ptrdiff_t>(lead + n_cap));
  std::normal_distribution<float> gauss(0.0f, static_cast<float>(std::sqrt(0.5 * std::pow(10.0, -cfg.snr_db / 10.0))));
  for (auto& v : iq) v += cf32(gauss(rng), gauss(rng));

  dl::DlTiming timing;
  timing.sample_rate_hz = fs;
  timing.sfn0 = cc.first_sfn;
  timing.frame_start_sample = -static_cast<double>(lead) + fading_delay + (2.0 * uni(rng) - 1.0);
  dl::SiReceiver rx(cell, timing);
  const auto got = rx.decode_sib1(iq, res.why);
  res.sib1_reported = got.has_value();
  if (got) {
    res.sib1_ok = got->octets == tb;
    res.transmissions_combined = got->transmissions;
  }
  if (cfg.known_control) {
    // The same blocks as si_receiver (refined timing, OFDM, channel, PDSCH, combining) with the control known.
    const auto fine = dl::refine_dl_timing(cell, timing, iq);
    dl::DlOfdmDemodulator demod(cell, fine);
    dl::ChannelEstimator est(cell);
    dl::PdschDemodulator pdsch(cell);
    dl::SiCombiner comb(alloc.tbs);
    dl::DlSubframe sf;
    for (std::int64_t f = -1; f <= 9; ++f) {
      const int sfn = (cc.first_sfn + static_cast<int>(f) + 1024) % 1024;
      if (!dl::is_sib1_subframe(sfn, 5) || !demod.execute(iq, f, 5, sf)) continue;
      est.execute(sf);
      comb.add(pdsch.execute(sf, cfg.cfi, alloc, dl::kSiRnti), dl::sib1_rv(sfn));
    }
    if (comb.transmissions() > 0)
      if (const auto d = comb.decode()) res.pdsch_ok = d->octets == tb;
  }
  return res;
}

}  // namespace tw::synth::lte
