#include "tools/synth/lte/lte_snr_trial.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>
#include <vector>

#include "src/core/error.hpp"
#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

namespace tw::synth::lte {

namespace {

// Uniform in [0, 1) from 53 bits of the engine (the engine's sequence is fixed by the standard; the
// library's distributions are not).
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0); }

}  // namespace

double snr_re_minus_snr_1m92_db() { return 10.0 * std::log10(128.0 / 72.0); }

dsp::lte::CellSearchConfig snr_trial_search_config(const SnrTrialConfig& cfg) {
  const double fc = earfcn_downlink_hz(cfg.earfcn);
  dsp::lte::CellSearchConfig sc;
  sc.carrier_hz = fc;
  sc.max_cfo_hz = cfg.max_ppm * 1e-6 * fc + 2e3;   // a little margin over the drawn range
  return sc;
}

SnrTrialResult run_snr_trial(const SnrTrialConfig& cfg, std::uint64_t seed, dsp::lte::CellSearch& search) {
  if (!(cfg.duration_s > 0.0) || cfg.duration_s > 2.0) throw InputError("duration_s: must lie in (0, 2] s");
  if (!std::isfinite(cfg.snr_db)) throw InputError("snr_db: must be finite");
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + 0x5eed);

  SceneWithLte s;
  s.scene.seed = seed;
  // Noise over the 1.92 MHz band: 128 subcarriers' worth of N0 * 15 kHz.
  s.scene.noise_dbfs = cfg.power_dbfs + 10.0 * std::log10(128.0) - cfg.snr_db;
  s.scene.receiver_ppm = (2.0 * uniform01(rng) - 1.0) * cfg.max_ppm;

  if (cfg.cells < 1 || cfg.cells > 3) throw InputError("cells: must lie in 1..3");
  std::vector<LteCellConfig> sent;
  for (int i = 0; i < cfg.cells; ++i) {
    LteCellConfig c;
    c.name = "snr-trial-" + std::to_string(i);
    c.earfcn = cfg.earfcn;
    c.band = band_of_earfcn(cfg.earfcn);
    c.duplex = band_is_tdd(c.band) ? Duplex::TDD : Duplex::FDD;
    do {
      c.pci = static_cast<int>(rng() % 504);
    } while (std::any_of(sent.begin(), sent.end(), [&](const LteCellConfig& o) { return o.pci == c.pci; }));
    c.ports = cfg.ports;
    c.bandwidth_prb = cfg.bandwidth_prb;
    c.first_sfn = static_cast<int>(rng() % 1024);
    c.first_sfn_set = true;
    c.delay_us = uniform01(rng) * 10000.0;
    c.power_dbfs = cfg.power_dbfs;
    c.multipath = cfg.multipath;
    c.doppler_hz = cfg.doppler_hz;
    c.pdsch_load = cfg.pdsch_load;
    c.pdcch_load = cfg.pdcch_load;
    sent.push_back(c);
  }
  const double fc = carrier_hz(sent[0]);
  if (cfg.cell_present) s.lte_cells = sent;

  SnrTrialResult res;
  res.truth.pci = cfg.cell_present ? sent[0].pci : -1;
  res.truth.receiver_ppm = s.scene.receiver_ppm;
  res.truth.cfo_hz = fc * s.scene.receiver_ppm * 1e-6;
  res.truth.delay_us = sent[0].delay_us;
  res.truth.first_sfn = sent[0].first_sfn;
  res.cells_sent = cfg.cell_present ? cfg.cells : 0;

  SceneRenderer r(s, fc, kSnrSampleRate);
  std::vector<cf32> iq(static_cast<std::size_t>(std::llround(cfg.duration_s * kSnrSampleRate)));
  r.render(iq);
  const auto cells = search.execute(iq);
  res.cells_reported = static_cast<int>(cells.size());

  for (const auto& cell : cells) {
    const std::string desc = std::to_string(cell.pci) + "@" + std::to_string(cell.frame_start_sample) +
                             (cell.mib_decoded ? "+mib " : " ");
    const auto want = std::find_if(sent.begin(), sent.end(), [&](const LteCellConfig& c) { return c.pci == cell.pci; });
    if (!cfg.cell_present || want == sent.end()) {
      res.wrong_desc += desc;
      ++res.wrong_cells;
      continue;
    }
    const LteCellConfig& c = *want;
    // Frame timing: frame_start_sample is a frame start modulo 19200 samples (the first one in the capture).
    const std::int64_t k0 = frame_index_at(c, s.scene.receiver_ppm, 0.0);
    std::int64_t k_match = 0;
    bool timing = false;
    for (std::int64_t k = k0 - 1; k <= k0 + 3 && !timing; ++k) {
      const double t = frame_start_time_s(c, s.scene.receiver_ppm, k) * kSnrSampleRate;
      for (double cand : {static_cast<double>(cell.frame_start_sample), cell.frame_start_sample + 19200.0})
        if (std::fabs(cand - t) <= 3.0) {
          timing = true;
          k_match = k;
        }
    }
    if (!timing) {
      res.wrong_desc += desc;
      ++res.wrong_cells;   // right PCI at the wrong timing: a ghost of its own
      continue;
    }
    ++res.cells_synced;
    res.sinr_db = cell.sinr_db;
    res.mib_decoded = cell.mib_decoded;
    res.sfn_sent = sfn_of_frame(c, k_match);
    if (cell.mib_decoded) {
      res.sfn_found = cell.mib.sfn;
      res.ports_found = cell.ports;
      res.mib_found = cell.mib_octets;
      res.mib_sent = mib_octets(c, res.sfn_sent);
      // cell.mib_octets are those of the 40 ms block the receiver decoded (any block of the capture), cell.mib.sfn
      // the SFN of the frame at frame_start_sample.
      const int sfn = res.sfn_sent;
      bool octets_sent = false;
      for (int d = -3; d <= 3; ++d) octets_sent = octets_sent || cell.mib_octets == mib_octets(c, ((sfn + 4 * d) % 1024 + 1024) % 1024);
      if (cell.mib.sfn == sfn && cell.ports == c.ports && cell.mib.bandwidth_prb == c.bandwidth_prb &&
          cell.mib.phich_extended == c.phich_extended && cell.mib.phich_resource == c.phich_resource && octets_sent)
        ++res.cells_mib_ok;
    }
  }
  res.sync_ok = res.cells_sent > 0 && res.cells_synced == res.cells_sent;
  res.mib_ok = res.cells_sent > 0 && res.cells_mib_ok == res.cells_sent;
  return res;
}

}  // namespace tw::synth::lte
