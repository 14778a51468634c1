// Test support: render LTE cells that send System Information through the real SceneRenderer (OFDM,
// fading, noise, ppm) and decode every SI transmission the truth file lists with the receiver blocks
// (DlOfdmDemodulator, ChannelEstimator, PcfichDecoder, PdcchSearch, si_allocation, PdschDemodulator,
// SiCombiner). Timing from the truth file: the frame in progress at the first sample (its start and SFN),
// the carrier offset, the eNodeB's clock scale from the spacing of successive frame starts. The checks:
//   - the schedule against 36.331 5.2.1.2 / 5.2.3 and 36.321 5.3.1 written out here (SIB1 in subframe 5 of
//     even frames with RV 0 2 3 1 by (SFN/2) mod 4; SI message n in its window x = (n-1) w of its period,
//     RV by i mod 4; never a TDD uplink subframe);
//   - the receiver finds the CFI the cell was given, the SI-RNTI DCI of the truth's format whose allocation
//     is the truth's PRBs (and, 1A, RV), and every message combined over its transmissions equals the
//     truth's octets (zero padding to the TBS).
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dsp/lte/channel_estimate.hpp"
#include "src/core/hex.hpp"
#include "dsp/lte/dci.hpp"
#include "dsp/lte/ofdm_demod.hpp"
#include "dsp/lte/pcfich.hpp"
#include "dsp/lte/pdcch.hpp"
#include "dsp/lte/pdsch.hpp"
#include "dsp/lte/pdsch_allocation.hpp"
#include "dsp/lte/si_combiner.hpp"
#include "tools/synth/lte/lte_cell_config.hpp"
#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"
#include "tools/synth/truth.hpp"

namespace tw::test {

namespace sl = tw::synth::lte;
namespace dl = tw::dsp::lte;

struct SiCase {
  std::string name;
  int n_prb = 25;
  int ports = 2;
  int cfi = 2;
  bool normal_cp = true;
  bool tdd = false;
  int tdd_config = 1;
  int ssp = 7;
  double receiver_ppm = 0.0;
  std::string multipath = "none";
  double doppler_hz = 0.0;
  double snr_db = 12.0;           // per resource element
  bool si_1c = false;
  bool two_cells = false;         // a second cell on the same EARFCN, second_cell_db relative; the stronger is decoded
  double second_cell_db = -4.0;
  double pdsch_load = 0.5, pdcch_load = 0.5;
  std::uint64_t seed = 1;
  int window_ms = 20;             // si-WindowLength
  bool more_sibs = false;         // SIB4 + SIB5 in SI-2 every 32 frames, SIB3 in SI-1 every 16 (else the default: SI-1)
};

// si-Periodicity of SI message n (1-based) as the case schedules it.
inline int si_period(const SiCase& k, int n) { return k.more_sibs && n == 2 ? 32 : 16; }

inline int natural_fft(int n_prb) { return sl::fft_size_for_prb(n_prb); }

// 36.211 table 4.2-2 ('D', 'S', 'U'), written out for the schedule check.
inline char tdd_type(int config, int sf) {
  static const char* t[7] = {"DSUUUDSUUU", "DSUUDDSUUD", "DSUDDDSUDD", "DSUUUDDDDD", "DSUUDDDDDD", "DSUDDDDDDD", "DSUUUDSUUD"};
  return t[config][sf];
}

inline sl::LteCellConfig si_cell(const SiCase& k, int pci, double power_dbfs, double delay_us) {
  sl::LteCellConfig c;
  c.pci = pci;
  c.ports = k.ports;
  c.bandwidth_prb = k.n_prb;
  c.cfi = k.cfi;
  c.normal_cp = k.normal_cp;
  if (k.tdd) {
    c.earfcn = 38000;   // band 38
    c.duplex = sl::Duplex::TDD;
    c.tdd_config = k.tdd_config;
    c.special_subframe_config = k.ssp;
  } else {
    c.earfcn = 1300;   // band 3
  }
  c.first_sfn = 32;   // the first SI message's window starts with frame 0 of the render
  c.first_sfn_set = true;
  c.power_dbfs = power_dbfs;
  c.delay_us = delay_us;
  c.multipath = k.multipath;
  c.doppler_hz = k.doppler_hz;
  c.pdsch_load = k.pdsch_load;
  c.pdcch_load = k.pdcch_load;
  c.si_format_1c = k.si_1c;
  c.system_info.tracking_area_code = 4242;
  c.system_info.cell_identity = static_cast<std::uint32_t>(0x1234500 + pci);
  c.system_info.freq_band_indicator = k.tdd ? 38 : 3;
  c.system_info.si_window_ms = k.window_ms;
  if (k.more_sibs) {
    sl::Sib4Config s4;
    s4.intra_freq_neigh_cell_list.push_back(sl::NeighbourCell{});
    s4.intra_freq_neigh_cell_list.back().phys_cell_id = 77;
    c.system_info.sib4 = s4;
    sl::Sib5Config s5;
    s5.carriers.push_back(sl::InterFreqCarrier{});
    s5.carriers.back().dl_carrier_freq = 6300;
    c.system_info.sib5 = s5;
    c.system_info.scheduling = {sl::SchedulingEntry{16, {3}}, sl::SchedulingEntry{32, {4, 5}}};
  }
  return c;
}

struct SiRenderResult {
  int transmissions = 0;      // listed in the truth and wholly inside the render
  int decoded_messages = 0;   // messages whose combined decode equals the truth
  std::map<std::string, int> sent;   // transmissions per message in the truth
  int sib1_seen = 0, si_seen = 0;
  bool disabled = false;      // the truth says the (first) cell sends no System Information, and why
  std::string disabled_reason;
};

// What the cell search and the MIB would tell of a rendered cell (its configuration), and the timing the truth
// file gives (the receiver's coarse timing).
inline dl::CellParams cell_params_of(const SiCase& k, const sl::LteCellConfig& cfg) {
  dl::CellParams cell;
  cell.pci = cfg.pci;
  cell.n_prb = cfg.bandwidth_prb;
  cell.normal_cp = cfg.normal_cp;
  cell.ports = cfg.ports;
  cell.tdd = k.tdd;
  cell.tdd_config = k.tdd ? k.tdd_config : -1;
  cell.special_subframe_config = k.tdd ? k.ssp : -1;
  cell.phich_extended = cfg.phich_extended;
  cell.phich_resource = cfg.phich_resource;
  return cell;
}

inline dl::DlTiming timing_of(const nlohmann::json& truth_cell, double fs) {
  dl::DlTiming tm;
  tm.sample_rate_hz = fs;
  tm.carrier_offset_hz = truth_cell["offset_hz"].get<double>();
  tm.frame_start_sample = truth_cell["frame_at_start_t_s"].get<double>() * fs;
  tm.sfn0 = truth_cell["sfn_at_start"].get<int>();
  return tm;
}

// Renders 32 ms of the case and decodes every cell's SI transmissions.
inline SiRenderResult render_and_decode(const SiCase& k) {
  SiRenderResult res;
  synth::SceneWithLte s;
  s.scene.seed = k.seed;
  s.scene.receiver_ppm = k.receiver_ppm;
  const double power = -60.0;
  const int fft = natural_fft(k.n_prb);
  const double fs = 15e3 * fft;
  // SNR per RE: EPRE / (noise power / FFT size) (a RE of amplitude a arrives as a after the 1/N FFT).
  s.scene.noise_dbfs = power - k.snr_db + 10.0 * std::log10(static_cast<double>(fft));
  s.lte_cells.push_back(si_cell(k, 101, power, 2.0));
  if (k.two_cells) s.lte_cells.push_back(si_cell(k, 236, power + k.second_cell_db, 3.5));
  const double fc = sl::carrier_hz(s.lte_cells[0]);
  synth::SceneRenderer r(s, fc, fs);
  std::vector<std::complex<float>> iq(static_cast<std::size_t>(0.032 * fs));
  r.render(iq);
  synth::TruthRecorder rec;
  const nlohmann::json truth = rec.to_json(r, static_cast<double>(iq.size()) / fs);

  for (std::size_t ci = 0; ci < s.lte_cells.size(); ++ci) {
    if (k.two_cells && (ci == 0) != (k.second_cell_db < 0)) continue;   // the weaker one is interference
    SCOPED_TRACE("cell " + std::to_string(ci));
    const auto& tc = truth["lte_cells"][ci];
    const auto& cfg = r.lte_cells()[ci];
    const dl::CellParams cell = cell_params_of(k, cfg);
    dl::DlTiming tm = timing_of(tc, fs);
    const auto& frames = tc["frames"];
    EXPECT_GE(frames.size(), 2u);
    tm.clock_scale = frames.size() >= 2 ? 0.010 / (frames[1]["t_s"].get<double>() - frames[0]["t_s"].get<double>()) : 1.0;
    dl::DlOfdmDemodulator demod(cell, tm);
    dl::ChannelEstimator est(cell);
    dl::PcfichDecoder pcfich(cell);
    dl::PdcchSearch search(cell);
    dl::PdschDemodulator pdsch(cell);
    const std::uint16_t si_rnti[] = {dl::kSiRnti};
    std::map<std::string, dl::SiCombiner> comb;
    std::map<std::string, std::string> hex;
    const int w = cfg.system_info.si_window_ms;
    if (tc.contains("si_disabled")) {
      res.disabled = true;
      res.disabled_reason = tc["si_disabled"].get<std::string>();
      EXPECT_FALSE(tc.contains("si_transmissions"));
      continue;
    }
    EXPECT_TRUE(tc.contains("si_transmissions"));
    for (const auto& t : tc["si_transmissions"]) {
      const int sfn = t["sfn"].get<int>(), sub = t["subframe"].get<int>(), rv = t["rv"].get<int>();
      const std::string msg = t["message"].get<std::string>();
      SCOPED_TRACE(msg + " SFN " + std::to_string(sfn) + " subframe " + std::to_string(sub));
      ++res.sent[msg];
      // The schedule, from the specifications.
      static constexpr int kRv[4] = {0, 2, 3, 1};
      if (k.tdd) { EXPECT_EQ(tdd_type(k.tdd_config, sub), 'D'); }
      if (msg == "SIB1") {
        EXPECT_EQ(sub, 5);
        EXPECT_EQ(sfn % 2, 0);
        EXPECT_EQ(rv, kRv[(sfn / 2) % 4]);
        EXPECT_EQ(t["dci_format"], "1A");
        ++res.sib1_seen;
      } else {
        const int n = std::stoi(msg.substr(3));
        const int period = si_period(k, n);
        const int x = (n - 1) * w;
        const int i = (10 * sfn + sub) % (10 * period) - x;
        EXPECT_GE(i, 0);
        EXPECT_LT(i, w);
        EXPECT_FALSE(sub == 5 && sfn % 2 == 0);
        EXPECT_EQ(rv, kRv[((i % 4) + 4) % 4]);
        EXPECT_EQ(t["dci_format"], k.si_1c ? "1C" : "1A");
        ++res.si_seen;
      }
      const std::int64_t frame = ((sfn - tm.sfn0) % 1024 + 1024) % 1024;
      dl::DlSubframe sf;
      if (!demod.execute(iq, frame, sub, sf)) continue;
      ++res.transmissions;
      est.execute(sf);
      const int cfi = pcfich.execute(sf);
      // 36.211 table 6.7-1: TDD subframes 1 and 6 have at most 2 control symbols (CFI 2, or 1 for N_RB <= 10).
      const bool short_ctrl = k.tdd && (sub == 1 || sub == 6);
      EXPECT_EQ(cfi, short_ctrl ? std::min(cfg.cfi, cell.n_prb <= 10 ? 1 : 2) : cfg.cfi);
      if (cfi < 1) continue;
      const auto dcis = search.execute(sf, cfi, si_rnti);
      EXPECT_EQ(dcis.size(), 1u);
      if (dcis.empty()) continue;
      const auto& d = dcis[0];
      EXPECT_EQ(d.format == dl::DciFormat::f1a ? "1A" : "1C", t["dci_format"].get<std::string>());
      if (d.format == dl::DciFormat::f1a) { EXPECT_EQ(d.rv, rv); }
      const auto alloc = dl::si_allocation(d, cell.n_prb);
      EXPECT_EQ(alloc.tbs, t["tbs"].get<int>());
      EXPECT_EQ(nlohmann::json(alloc.prb_slot0), t["prbs"]);
      if (alloc.tbs != t["tbs"].get<int>()) continue;
      const auto llr = pdsch.execute(sf, cfi, alloc, dl::kSiRnti);
      comb.try_emplace(msg, alloc.tbs).first->second.add(llr, rv);
      hex[msg] = t["hex"].get<std::string>();
    }
    for (const auto& [msg, c] : comb) {
      SCOPED_TRACE(msg);
      const auto out = c.decode();
      EXPECT_TRUE(out.has_value()) << "not decoded from " << c.transmissions() << " transmissions";
      if (!out) continue;
      std::string want = hex[msg];
      want.resize(2 * out->octets.size(), '0');   // zero padding to the TBS
      EXPECT_EQ(tw::hex_string(out->octets), want);
      if (tw::hex_string(out->octets) == want) ++res.decoded_messages;
    }
  }
  return res;
}

}  // namespace tw::test
