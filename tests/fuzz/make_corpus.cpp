// Writes the synthesizer-made part of the seed corpora (tests/fuzz/corpus/<harness>/syn_*): L3 blocks of every
// message the synthesizer encodes (tools/synth/l3, for the built-in scenes' cells), frequency list fields,
// xCCH/SCH soft bits of those blocks, the built-in scenes as JSON, GSM carriers as cs8 samples (gsm_receiver)
// and LTE scenes as fuzz_lte_search inputs (its synthesized mode) and as cs8 samples (its raw mode), DCI
// payloads of the synthesizer's PDCCH encoder (lte_dci) and subframes carrying PCFICH, PDCCH and PDSCH of
// System Information, and DL-SCH soft values (lte_pdsch). Run once
// after the encoders change:
//   build-fuzz/fuzz-tools/fuzz_make_corpus tests/fuzz/corpus [HARNESS...]
// With harness names (e.g. lte_search gsm_receiver) only their folders are written.
// The real-capture seeds (gr-gsm's decodes in /work/shared) come from make_corpus_shared.py.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "dsp/lte/channel_estimate.hpp"
#include "dsp/lte/dlsch_coding.hpp"
#include "dsp/lte/ofdm_demod.hpp"
#include "dsp/lte/si_schedule.hpp"
#include "dsp/lte/pdsch_allocation.hpp"
#include "tools/synth/l3/encode.hpp"
#include "tools/synth/lte/lte_cell_config.hpp"
#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/lte/pcfich_encoder.hpp"
#include "tools/synth/lte/pdcch_encoder.hpp"
#include "tools/synth/lte/pdsch_encoder.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"
#include "tests/support/lte_sib_capture.hpp"

extern "C" {
#include <osmocom/coding/gsm0503_coding.h>
}

namespace fs = std::filesystem;
namespace l3 = tw::synth::l3;

namespace {

fs::path root;
std::set<std::string> only;   // harness folders to write (empty: all)

void put(const std::string& harness, const std::string& name, const std::vector<std::uint8_t>& bytes) {
  if (!only.empty() && !only.count(harness)) return;
  fs::create_directories(root / harness);
  std::FILE* f = std::fopen((root / harness / name).c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + name);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

template <class A>
std::vector<std::uint8_t> with_mode(std::uint8_t mode, const A& a) {
  std::vector<std::uint8_t> v{mode};
  v.insert(v.end(), a.begin(), a.end());
  return v;
}

// 45.003 4.1 / 4.7 coded bits as osmocom soft bits (bit 0 -> +127, bit 1 -> -127).
std::vector<std::uint8_t> soft_xcch(const l3::L2Block& b) {
  ubit_t bursts[4 * 116];
  gsm0503_xcch_encode(bursts, b.data());
  std::vector<std::uint8_t> v{0};
  for (ubit_t u : bursts) v.push_back(static_cast<std::uint8_t>(static_cast<std::int8_t>(u ? -127 : 127)));
  return v;
}

std::vector<std::uint8_t> soft_sch(int bsic, std::uint32_t fn) {
  const std::uint32_t t1 = (fn / 1326) % 2048, t2 = fn % 26, t3p = (fn % 51 - 1) / 10;
  const std::uint8_t sb[4] = {static_cast<std::uint8_t>((bsic << 2) | (t1 >> 9)), static_cast<std::uint8_t>(t1 >> 1),
                              static_cast<std::uint8_t>(((t1 & 1) << 7) | (t2 << 2) | (t3p >> 1)),
                              static_cast<std::uint8_t>(t3p & 1)};
  ubit_t coded[78];
  gsm0503_sch_encode(coded, sb);
  std::vector<std::uint8_t> v(1 + 148, 0);
  v[0] = 1;
  for (int i = 0; i < 39; ++i) {
    v[1 + 3 + i] = static_cast<std::uint8_t>(static_cast<std::int8_t>(coded[i] ? -127 : 127));
    v[1 + 106 + i] = static_cast<std::uint8_t>(static_cast<std::int8_t>(coded[39 + i] ? -127 : 127));
  }
  return v;
}

// Samples as cs8 (I, Q interleaved), clipped.
void append_cs8(std::vector<std::uint8_t>& v, const std::vector<tw::cf32>& x) {
  auto q = [](float f) { return static_cast<std::uint8_t>(static_cast<std::int8_t>(std::clamp(std::lround(f * 128.0f), -128L, 127L))); };
  for (const auto& c : x) {
    v.push_back(q(c.real()));
    v.push_back(q(c.imag()));
  }
}

// fuzz_gsm_receiver: octet 0 (cut and CCCH configuration), then `frames` TDMA frames of one GSM cell at the
// working rate whose TS0 of frame first_fn starts at sample 0.
void gsm_receiver_seed(const std::string& name, std::uint8_t octet0, std::uint32_t first_fn, int bsic, double freq_offset_hz,
                       double power_dbfs, int frames) {
  tw::synth::Scene scene;
  scene.seed = 7;
  scene.noise_dbfs = -45.0;
  if (power_dbfs > -199.0) {
    tw::synth::CellConfig c;
    c.arfcn = 62;
    c.bsic = bsic;
    c.first_fn = first_fn;
    c.first_fn_set = true;
    c.power_dbfs = power_dbfs;
    c.freq_offset_hz = freq_offset_hz;
    scene.cells.push_back(c);
  } else {
    tw::synth::CellConfig c;   // a scene needs a cell: one far outside the band seen
    c.arfcn = 1;
    c.power_dbfs = -150.0;
    scene.cells.push_back(c);
  }
  const double rate = 1625000.0 / 6.0 * tw::synth::SceneRenderer::kWorkingSps;
  tw::synth::SceneRenderer r(scene, tw::synth::downlink_hz(62, tw::synth::GsmBand::PGSM900), rate);
  std::vector<tw::cf32> x(static_cast<std::size_t>(frames) * 5000);
  r.render(x);
  std::vector<std::uint8_t> v{octet0};
  append_cs8(v, x);
  put("gsm_receiver", name, v);
}

// fuzz_lte_search synthesized mode: the scene octets in the harness's order (fuzz_lte_search.cpp).
struct LteSeed {
  int pci = 0, ports_code = 0, bw_code = 0, phich = 0, sfn = 0, flags = 0, ssc = 7, cfi_code = 1;
  int power = 133, noise = 40, cfo = 0, delay_us = 0, pdsch = 128, pdcch = 128, multipath = 0, doppler = 0;
  int ppm = 0, dc = 0, iq_gain = 0, iq_phase = 0, duration = 10, seed = 1;
  int mib_bits = 0;   // spare bits 0-9, dl-Bandwidth code 10-12 when bit 13 is set
};
std::vector<std::uint8_t> lte_scene_octets(const LteSeed& s) {
  auto b = [](int v) { return static_cast<std::uint8_t>(v & 255); };
  return {1, b(s.pci >> 8), b(s.pci), b(s.ports_code), b(s.bw_code), b(s.phich), b(s.sfn >> 8), b(s.sfn), b(s.flags),
          b(s.ssc), b(s.cfi_code), b(s.power), b(s.noise), b(s.cfo), b(s.delay_us >> 8), b(s.delay_us), b(s.pdsch),
          b(s.pdcch), b(s.multipath), b(s.doppler), b(s.ppm), b(s.dc), b(s.iq_gain), b(s.iq_phase), b(s.duration),
          b(s.seed >> 8), b(s.seed), b(s.mib_bits >> 8), b(s.mib_bits)};
}

// fuzz_lte_search raw mode: octet 0, then `samples` cs8 samples of one LTE cell at 1800 MHz seen at 1.92 Msps.
void lte_raw_seed(const std::string& name, std::uint8_t octet0, tw::synth::lte::LteCellConfig c, std::size_t samples) {
  tw::synth::SceneWithLte s;
  s.scene.seed = 3;
  s.scene.noise_dbfs = -50.0;
  c.earfcn = -1;
  c.freq_hz = 1.8e9;
  c.first_sfn_set = true;
  c.power_dbfs = -35.0;   // EPRE: a loaded 6 PRB centre measures about -16 dBFS, well inside cs8
  c.pdsch_load = 0.5;
  c.pdcch_load = 0.5;
  s.lte_cells.push_back(c);
  tw::synth::SceneRenderer r(s, 1.8e9, 1.92e6);
  std::vector<tw::cf32> x(samples);
  r.render(x);
  std::vector<std::uint8_t> v{octet0};
  append_cs8(v, x);
  put("lte_search", name, v);
}

void lte_search_seeds() {
  LteSeed a;   // PCI 150, 2 ports, 50 PRB, phich extended 1/2, SFN 28, FDD normal CP, EPRE -60, noise -100, 30 ms
  a.pci = 150; a.ports_code = 1; a.bw_code = 3; a.phich = 1 | (1 << 1); a.sfn = 28; a.power = 133; a.noise = 40;
  a.delay_us = 1234; a.duration = 10;
  put("lte_search", "syn_scene_fdd_pci150", lte_scene_octets(a));
  auto a_defaults = lte_scene_octets(a);
  a_defaults[0] |= 12;   // the search's default thresholds, 4 cells (fuzz_lte_search.cpp: search_config)
  put("lte_search", "syn_scene_fdd_pci150_defaults", a_defaults);
  LteSeed a_spare = a;   // a rogue MIB: spare bits 10 1010 0101
  a_spare.mib_bits = 0x2a5;
  put("lte_search", "syn_scene_mib_spare", lte_scene_octets(a_spare));
  LteSeed a_bw7 = a;     // a rogue MIB: dl-Bandwidth code 7, outside the enumeration
  a_bw7.mib_bits = (1 << 13) | (7 << 10);
  put("lte_search", "syn_scene_mib_bandwidth7", lte_scene_octets(a_bw7));
  LteSeed b;   // PCI 301, 4 ports, 6 PRB, phich 2, TDD configuration 1, special subframe 6, extended CP, SFN 1023
  b.pci = 301; b.ports_code = 2; b.bw_code = 0; b.phich = 3 << 1; b.sfn = 1023; b.flags = 1 | 2 | (1 << 2);
  b.ssc = 6; b.cfi_code = 2; b.power = 150; b.noise = 60; b.cfo = 40; b.delay_us = 7000; b.ppm = -30; b.duration = 20;
  put("lte_search", "syn_scene_tdd_ext_pci301", lte_scene_octets(b));
  auto b_cells4 = lte_scene_octets(b);
  b_cells4[0] |= 4;   // 4 cells, no relaxed PSS threshold
  put("lte_search", "syn_scene_tdd_ext_pci301_cells4", b_cells4);
  LteSeed c;   // PCI 0, 1 port, 100 PRB, EPA 5 Hz, near the sensitivity, DC and IQ imbalance, interference after
  c.pci = 0; c.ports_code = 0; c.bw_code = 5; c.phich = 0; c.sfn = 512; c.power = 100; c.noise = 100; c.cfo = -90;
  c.multipath = 3; c.doppler = 3; c.dc = 100; c.iq_gain = 20; c.iq_phase = -40; c.duration = 20; c.seed = 77;
  auto cv = lte_scene_octets(c);
  for (int i = 0; i < 2000; ++i) cv.push_back(static_cast<std::uint8_t>((i * 37) ^ (i >> 3)));
  put("lte_search", "syn_scene_epa_interference", cv);
  LteSeed d;   // PCI 503, 15 PRB, ETU 300 Hz, phich 1/6
  d.pci = 503; d.ports_code = 1; d.bw_code = 1; d.phich = 0; d.sfn = 3; d.power = 140; d.noise = 60;
  d.multipath = 5; d.doppler = 150; d.duration = 0;
  put("lte_search", "syn_scene_etu_pci503", lte_scene_octets(d));

  tw::synth::lte::LteCellConfig f;
  f.pci = 77; f.ports = 2; f.bandwidth_prb = 25; f.first_sfn = 100; f.delay_us = 2500.0;
  lte_raw_seed("syn_raw_fdd_pci77", 0, f, 38400);
  tw::synth::lte::LteCellConfig t;
  t.pci = 402; t.ports = 1; t.bandwidth_prb = 6; t.duplex = tw::synth::lte::Duplex::TDD; t.tdd_config = 2;
  t.special_subframe_config = 5; t.normal_cp = false; t.first_sfn = 7; t.freq_offset_hz = 4000.0;
  lte_raw_seed("syn_raw_tdd_ext_pci402", 0, t, 38400);
  // One half-frame of a cell, repeated (octet 0 bit 1): the same SSS every 5 ms, which no real cell sends.
  lte_raw_seed("syn_raw_tiled_halfframe", 2, f, 9600);
  std::vector<std::uint8_t> noise{0};
  std::uint32_t x = 12345;
  for (int i = 0; i < 2 * 4800; ++i) {
    x = x * 1103515245u + 12345u;
    noise.push_back(static_cast<std::uint8_t>(x >> 24));
  }
  put("lte_search", "syn_raw_noise_2p5ms", noise);
}


namespace dl = tw::dsp::lte;
namespace sl = tw::synth::lte;

std::uint8_t nb_code(int n_prb) {   // the harnesses' N_RB octet: the MIB's enumeration
  const std::vector<int> e{6, 15, 25, 50, 75, 100};
  return static_cast<std::uint8_t>(std::find(e.begin(), e.end(), n_prb) - e.begin());
}

// fuzz_lte_dci: a payload of the synthesizer's pack_dci, a Dci for si_allocation, a schedule and 8 times.
void lte_dci_seed(const std::string& name, const dl::Dci& d, int n_prb, bool tdd, std::uint8_t rnti_code,
                  const std::vector<int>& periods, int window_idx, std::uint8_t sched_flags) {
  const auto bits = sl::pack_dci(d, n_prb, tdd);
  std::vector<std::uint8_t> v{static_cast<std::uint8_t>((d.format == dl::DciFormat::f1c ? 1 : 0) | (tdd ? 2 : 0) | (rnti_code << 2)),
                              nb_code(n_prb), 0, 0, 0, 0, 0};
  for (std::size_t i = 0; i < bits.size(); ++i) v[3 + i / 8] = static_cast<std::uint8_t>(v[3 + i / 8] | (bits[i] << (7 - i % 8)));
  // The same DCI's fields for si_allocation (flags: format, distributed, gap bit 3).
  const std::uint8_t flags = static_cast<std::uint8_t>((d.format == dl::DciFormat::f1c ? 1 : 0) | (d.distributed ? 2 : 0) | (d.gap << 3));
  for (std::uint8_t o : {flags, static_cast<std::uint8_t>(d.riv >> 8), static_cast<std::uint8_t>(d.riv), static_cast<std::uint8_t>(d.mcs),
                         static_cast<std::uint8_t>(d.tpc), nb_code(n_prb), std::uint8_t{0}, std::uint8_t{0}, std::uint8_t{0}})
    v.push_back(o);
  const std::vector<int> p{8, 16, 32, 64, 128, 256, 512};
  v.push_back(static_cast<std::uint8_t>(window_idx));
  v.push_back(static_cast<std::uint8_t>(periods.size()));
  for (int t : periods) v.push_back(static_cast<std::uint8_t>(std::find(p.begin(), p.end(), t) - p.begin()));
  v.push_back(sched_flags);
  v.push_back(0);
  v.push_back(0);
  for (int sfn : {0, 1, 2, 17, 64, 511, 1022, 1023}) {   // + 8: the harness reads sfn mod 1040 - 8
    v.push_back(static_cast<std::uint8_t>((sfn + 8) >> 8));
    v.push_back(static_cast<std::uint8_t>(sfn + 8));
    v.push_back(static_cast<std::uint8_t>(1 + (sfn * 7) % 10));
  }
  put("lte_dci", name, v);
}

void lte_dci_seeds() {
  dl::Dci d;   // the recording's SIB1 DCI (reference.json): 1A, N_RB 100, RIV 300, MCS 3, TPC 1
  d.riv = 300;
  d.mcs = 3;
  d.tpc = 1;
  d.rv = 0;
  lte_dci_seed("syn_1a_real_sib1_n100", d, 100, false, 0, {16, 32, 64}, 5, 0);
  dl::Dci dd = d;   // distributed with N_gap,2 (in the NDI bit for the SI-RNTI)
  dd.distributed = true;
  dd.gap = 1;
  dd.riv = dl::riv_encode(4, 8, 100);
  dd.rv = 2;
  lte_dci_seed("syn_1a_distributed_gap2_n100", dd, 100, false, 0, {8, 8, 16, 32}, 3, 0x40 | 2);
  dl::Dci t = d;   // TDD, 15 PRB, P-RNTI
  t.riv = dl::riv_encode(2, 4, 15);
  t.mcs = 9;
  t.tpc = 0;
  lte_dci_seed("syn_1a_tdd_n15_prnti", t, 15, true, 1, {8, 16}, 2, static_cast<std::uint8_t>(1 | (2 << 1)));
  dl::Dci c;   // 1C, 6 PRB
  c.format = dl::DciFormat::f1c;
  c.distributed = true;
  c.rv = -1;
  c.riv = 1;
  c.mcs = 6;
  lte_dci_seed("syn_1c_n6", c, 6, false, 0, {32}, 6, 0);
  dl::Dci c50 = c;   // 1C, 50 PRB, gap 1
  c50.gap = 1;
  c50.riv = 2;
  c50.mcs = 31;
  lte_dci_seed("syn_1c_gap_n50", c50, 50, false, 0, {512, 256, 128, 64, 32, 16, 8}, 0, 0);
  dl::Dci c75 = c;
  c75.riv = 5;
  c75.mcs = 14;
  lte_dci_seed("syn_1c_n75", c75, 75, false, 0, {64, 64}, 4, 0);
}

// fuzz_lte_pdsch grid mode: the header, then the received resource elements (channel 1 on every port, no
// noise) as int8 / 64 (amplitude 1).
struct PdschSeed {
  dl::CellParams cell;
  int subframe = 5, cfi = 2, rv = 0;
  dl::Dci dci;
  std::vector<std::uint8_t> tb;   // TBS / 8 octets; empty: a pattern
};

void lte_pdsch_seed(const std::string& name, const PdschSeed& s) {
  const dl::CellParams& cell = s.cell;
  sl::LteCellConfig cfg;
  cfg.pci = cell.pci;
  cfg.ports = cell.ports;
  cfg.bandwidth_prb = cell.n_prb;
  cfg.normal_cp = cell.normal_cp;
  cfg.phich_extended = cell.phich_extended;
  cfg.phich_resource = cell.phich_resource;
  if (cell.tdd) {
    cfg.duplex = sl::Duplex::TDD;
    cfg.tdd_config = cell.tdd_config;
    cfg.special_subframe_config = cell.special_subframe_config;
  }
  cfg.first_sfn = 0;
  cfg.first_sfn_set = true;
  cfg.pdsch_load = 0.0;
  cfg.pdcch_load = 0.0;
  sl::LteCellChain chain(cfg, 7, 0.0);
  chain.build_grid(s.subframe);
  std::vector<std::vector<tw::cf32>> grids(static_cast<std::size_t>(cell.ports));
  for (int p = 0; p < cell.ports; ++p) {
    const auto g = chain.grid(p);
    grids[static_cast<std::size_t>(p)].assign(g.begin(), g.end());
  }
  sl::pcfich_encode(cell, s.subframe, s.cfi, grids);
  sl::PdcchTx tx;
  tx.dci = s.dci;
  sl::pdcch_encode(cell, s.subframe, s.cfi, std::span<const sl::PdcchTx>(&tx, 1), grids);
  const auto alloc = dl::si_allocation(s.dci, cell.n_prb);
  std::vector<std::uint8_t> tb = s.tb;
  if (tb.empty())
    for (int i = 0; i < alloc.tbs / 8; ++i) tb.push_back(static_cast<std::uint8_t>(i * 37 + 11));
  sl::pdsch_encode(tb, cell, s.subframe, s.cfi, alloc, s.dci.rnti, s.rv, grids);
  const int ports_code = cell.ports == 1 ? 0 : cell.ports == 2 ? 1 : 2;
  const int ssc = cell.special_subframe_config < 0 ? 15 : cell.special_subframe_config;
  const int res = cell.phich_resource == "1/6" ? 0 : cell.phich_resource == "1/2" ? 1 : cell.phich_resource == "1" ? 2 : 3;
  std::vector<std::uint8_t> v{0, nb_code(cell.n_prb), static_cast<std::uint8_t>(cell.pci >> 8), static_cast<std::uint8_t>(cell.pci),
                              static_cast<std::uint8_t>((cell.normal_cp ? 0 : 1) | (cell.tdd ? 2 : 0) | ((cell.tdd ? cell.tdd_config : 7) << 2) |
                                                        (ports_code << 5) | (cell.phich_extended ? 0x80 : 0)),
                              static_cast<std::uint8_t>(ssc | (res << 4)), static_cast<std::uint8_t>(s.subframe + 1),
                              static_cast<std::uint8_t>(s.rv << 4),   // CFI from the PCFICH, this RV
                              2,                                       // noise variance 0.1
                              0,                                       // int8 values, channel 1
                              0, 0, 0, 0};
  const std::size_t n_re = grids[0].size();
  for (std::size_t i = 0; i < n_re; ++i) {
    tw::cf32 y{};
    for (const auto& g : grids) y += g[i];
    auto q = [](float f) { return static_cast<std::uint8_t>(static_cast<std::int8_t>(std::clamp(std::lround(f * 64.0f), -128L, 127L))); };
    v.push_back(q(y.real()));
    v.push_back(q(y.imag()));
  }
  put("lte_pdsch", name, v);
}

// fuzz_lte_pdsch soft mode: transmissions of one transport block as soft values +-100.
void lte_soft_seed(const std::string& name, std::uint8_t sel, std::uint8_t a, std::uint8_t b, int tbs,
                   const std::vector<std::pair<int, int>>& rv_g, int qm_code = 0) {
  std::vector<std::uint8_t> tb_bits(static_cast<std::size_t>(tbs));
  for (int i = 0; i < tbs; ++i) tb_bits[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(((i * 7) ^ (i >> 3)) & 1);
  std::vector<std::uint8_t> v{1, sel, a, b, 0, static_cast<std::uint8_t>(rv_g.size() | (qm_code << 3))};
  std::vector<std::uint8_t> body;
  const int qm = std::array{2, 4, 6}[qm_code];
  for (const auto& [rv, g] : rv_g) {
    v.push_back(static_cast<std::uint8_t>(rv + 1));
    v.push_back(static_cast<std::uint8_t>(g >> 8));
    v.push_back(static_cast<std::uint8_t>(g));
    v.push_back(0);
    for (std::uint8_t e : dl::dlsch_encode(tb_bits, g, qm, rv)) body.push_back(static_cast<std::uint8_t>(static_cast<std::int8_t>(e ? -100 : 100)));
  }
  v.resize(21, 0);
  v.insert(v.end(), body.begin(), body.end());
  put("lte_pdsch", name, v);
}

// fuzz_lte_pdsch grid mode from the real recording (../shared/captures/lte, the band-3 cell PCI 300 of
// reference.json): the first SIB1 subframe (subframe 5 of an even frame) as OFDM demodulation and channel
// estimation give it, resource elements and the channel estimates of both ports as int8 (channel mode 1, at
// body offset 132 x 256), each scaled to its largest component, the noise variance the nearest of the
// harness's table to the one the scaling implies.
void lte_pdsch_real_seed(const fs::path& shared) {
  const auto cap = tw::test::load_lte_sib_capture(shared);
  if (!cap) {
    std::fprintf(stderr, "no LTE recording under %s: real lte_pdsch seed skipped\n", shared.c_str());
    return;
  }
  dl::DlOfdmDemodulator demod(cap->cell, cap->timing);
  dl::ChannelEstimator est(cap->cell);
  dl::DlSubframe sf;
  for (std::int64_t frame = 0; frame < 9; ++frame) {
    const int sfn = (cap->timing.sfn0 + static_cast<int>(frame)) % 1024;
    if (!dl::is_sib1_subframe(sfn, 5) || !demod.execute(cap->iq, frame, 5, sf)) continue;
    est.execute(sf);
    const dl::CellParams& cell = cap->cell;
    auto peak = [](const std::vector<tw::cf32>& v) {
      float m = 1e-30f;
      for (const auto& c : v) m = std::max({m, std::fabs(c.real()), std::fabs(c.imag())});
      return m;
    };
    const float s_re = peak(sf.re) / 127.0f;
    float s_h = 1e-30f;
    for (int p = 0; p < cell.ports; ++p) s_h = std::max(s_h, peak(sf.h[static_cast<std::size_t>(p)]) / 127.0f);
    // The harness sees re / (64 s_re) and h / (64 s_h): the same soft values for noise / (4096 s_re s_h).
    const double want = sf.noise_var / (4096.0 * s_re * s_h);
    const std::vector<double> table{1.0, 0.5, 0.1, 0.01, 1e-3, 1e-6, 0.0, -1.0, 0.0, 0.0, 1e-30, 1e-45, 1e30, 2.0, 10.0, 3.4e38};
    int noise_code = 0;
    for (int i : {0, 1, 2, 3, 4, 5, 13, 14})
      if (std::fabs(std::log(table[static_cast<std::size_t>(i)] / want)) < std::fabs(std::log(table[static_cast<std::size_t>(noise_code)] / want))) noise_code = i;
    const int ports_code = cell.ports == 1 ? 0 : cell.ports == 2 ? 1 : 2;
    const int res = cell.phich_resource == "1/6" ? 0 : cell.phich_resource == "1/2" ? 1 : cell.phich_resource == "1" ? 2 : 3;
    std::vector<std::uint8_t> v{0, nb_code(cell.n_prb), static_cast<std::uint8_t>(cell.pci >> 8), static_cast<std::uint8_t>(cell.pci),
                                static_cast<std::uint8_t>((cell.normal_cp ? 0 : 1) | (7 << 2) | (ports_code << 5) | (cell.phich_extended ? 0x80 : 0)),
                                static_cast<std::uint8_t>(15 | (res << 4)), 6,
                                static_cast<std::uint8_t>(dl::sib1_rv(sfn) << 4), static_cast<std::uint8_t>(noise_code),
                                static_cast<std::uint8_t>(0 | (1 << 3)), 0, 0, 0, 132};
    auto q = [](float f, float scale) {
      return static_cast<std::uint8_t>(static_cast<std::int8_t>(std::clamp(std::lround(f / scale), -128L, 127L)));
    };
    std::vector<std::uint8_t> body(132 * 256 + 2 * sf.re.size() * static_cast<std::size_t>(cell.ports), 0);
    for (std::size_t i = 0; i < sf.re.size(); ++i) {
      body[2 * i] = q(sf.re[i].real(), s_re);
      body[2 * i + 1] = q(sf.re[i].imag(), s_re);
    }
    for (int p = 0; p < cell.ports; ++p)
      for (std::size_t i = 0; i < sf.re.size(); ++i) {
        const std::size_t j = 132 * 256 + 2 * (i + sf.re.size() * static_cast<std::size_t>(p));
        body[j] = q(sf.h[static_cast<std::size_t>(p)][i].real(), s_h);
        body[j + 1] = q(sf.h[static_cast<std::size_t>(p)][i].imag(), s_h);
      }
    v.insert(v.end(), body.begin(), body.end());
    put("lte_pdsch", "real_pci300_sfn" + std::to_string(sfn) + "_sib1", v);
    return;
  }
}

void lte_pdsch_seeds() {
  auto cell = [](int pci, int n_prb, int ports) {
    dl::CellParams c;
    c.pci = pci;
    c.n_prb = n_prb;
    c.ports = ports;
    return c;
  };
  auto si_1a = [](int n_prb, int start, int len, int mcs, int tpc, int agg, int cce) {
    dl::Dci d;
    d.riv = dl::riv_encode(start, len, n_prb);
    d.mcs = mcs;
    d.tpc = tpc;
    d.rv = 0;
    d.aggregation = agg;
    d.first_cce = cce;
    return d;
  };
  const std::vector<std::uint8_t> sib1 = {0x48, 0x48, 0x18, 0x03, 0x24, 0x7c, 0x2b, 0xff, 0xd0, 0x18, 0x10,
                                          0x21, 0x00, 0x81, 0x04, 0x4c, 0x43, 0x25, 0x23, 0x90, 0x00, 0x00};
  PdschSeed a;   // 6 PRB, 1 port, SIB1-like in subframe 5
  a.cell = cell(1, 6, 1);
  a.dci = si_1a(6, 0, 4, 2, 1, 4, 0);
  lte_pdsch_seed("syn_n6_p1_1a", a);
  PdschSeed r;   // the recording's cell (PCI 300, 100 PRB, 2 ports) and SIB1 (reference.json), RV 2
  r.cell = cell(300, 100, 2);
  r.dci = si_1a(100, 0, 4, 3, 1, 8, 0);   // RIV 300
  r.tb = sib1;
  r.rv = 2;
  lte_pdsch_seed("syn_n100_p2_real_sib1", r);
  PdschSeed c;   // 25 PRB, 2 ports, format 1C
  c.cell = cell(77, 25, 2);
  c.dci.format = dl::DciFormat::f1c;
  c.dci.distributed = true;
  c.dci.rv = -1;
  c.dci.riv = 2;
  c.dci.mcs = 10;
  c.dci.aggregation = 4;
  c.dci.first_cce = 4;
  c.cfi = 3;
  c.rv = 3;
  lte_pdsch_seed("syn_n25_p2_1c", c);
  PdschSeed t;   // 15 PRB, 4 ports, TDD configuration 1, extended CP, subframe 0 (PBCH, SSS), distributed
  t.cell = cell(301, 15, 4);
  t.cell.tdd = true;
  t.cell.tdd_config = 1;
  t.cell.special_subframe_config = 5;
  t.cell.normal_cp = false;
  t.cell.phich_resource = "1/2";
  t.subframe = 0;
  t.cfi = 3;
  t.dci = si_1a(15, 1, 6, 5, 0, 8, 0);
  t.dci.distributed = true;
  t.rv = 1;
  lte_pdsch_seed("syn_n15_p4_tdd_ext_sf0", t);
  PdschSeed g;   // 50 PRB, 1 port, distributed with N_gap,2, phich extended
  g.cell = cell(150, 50, 1);
  g.cell.phich_extended = true;
  g.cfi = 3;
  g.subframe = 4;
  g.dci = si_1a(50, 2, 6, 7, 1, 4, 8);
  g.dci.distributed = true;
  g.dci.gap = 1;
  lte_pdsch_seed("syn_n50_p1_gap2", g);
  // All-zero and all-NaN subframes (value modes 3, 4), CFI 2 forced.
  put("lte_pdsch", "zero_n6", {0, 0, 0, 1, 0, 0, 6, 2, 2, 3, 0, 0, 1, 0});
  put("lte_pdsch", "nan_n25_p2", {0, 2, 0, 7, 1 << 5, 0, 1, 3, 2, 4 | (4 << 3), 0, 0, 1, 0});
  // Soft values: the recording's SIB1 TBS (1A I_TBS 3, N_PRB^1A 3) with RV 0 and 2; format 1C I_TBS 20;
  // 6144 bits (two code blocks) with 16QAM's bit grouping.
  lte_soft_seed("soft_1a_176_rv0_rv2", 0, 3, 1, 176, {{0, 600}, {2, 600}});
  lte_soft_seed("soft_1c_776_rv1", 0x40, 20, 0, 776, {{1, 2400}});
  lte_soft_seed("soft_6144_two_blocks", 0x80, 6144 >> 8, 6144 & 255, 6144, {{0, 14000}}, 1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s tests/fuzz/corpus [HARNESS...]\n", argv[0]);
    return 2;
  }
  root = argv[1];
  for (int i = 2; i < argc; ++i) only.insert(argv[i]);
  std::vector<std::pair<std::string, l3::L2Block>> blocks;
  int n = 0;
  for (const auto& scene_name : tw::synth::builtin_scene_names()) {
    const auto scene = tw::synth::builtin_scene(scene_name);
    put("scene", "syn_" + scene_name + ".json", [&] {
      const std::string s = tw::synth::scene_to_json(scene).dump(1);
      return std::vector<std::uint8_t>(s.begin(), s.end());
    }());
    for (const auto& cell : scene.cells) {
      const std::string c = std::to_string(n++);
      blocks.emplace_back("si1_" + c, l3::encode_si1(cell));
      blocks.emplace_back("si2_" + c, l3::encode_si2(cell));
      blocks.emplace_back("si2bis_" + c, l3::encode_si2bis(cell));
      blocks.emplace_back("si2ter_" + c, l3::encode_si2ter(cell));
      int q = 0;
      for (const auto& b : l3::encode_si2quater_instances(cell)) blocks.emplace_back("si2quater_" + c + "_" + std::to_string(q++), b);
      blocks.emplace_back("si3_" + c, l3::encode_si3(cell));
      blocks.emplace_back("si4_" + c, l3::encode_si4(cell));
      blocks.emplace_back("si13_" + c, l3::encode_si13(cell));
      if (n > 6) break;
    }
  }
  l3::MobileIdentity tmsi, imsi, none;
  tmsi.tmsi = 0x2402810b;
  imsi.kind = l3::MobileIdentity::Kind::imsi;
  imsi.digits = {2, 6, 2, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0};
  none.kind = l3::MobileIdentity::Kind::none;
  blocks.emplace_back("pr1_tmsi", l3::encode_paging_request_1({tmsi}));
  blocks.emplace_back("pr1_imsi_tmsi", l3::encode_paging_request_1({imsi, tmsi}, 1, {1, 2}));
  blocks.emplace_back("pr1_none", l3::encode_paging_request_1({none}));
  blocks.emplace_back("pr2", l3::encode_paging_request_2(1, 2, &imsi, 0, {3, 1}));
  blocks.emplace_back("pr3", l3::encode_paging_request_3({1, 2, 3, 4}, 2, {1, 1}));
  l3::ImmediateAssignment ia;
  ia.arfcn = 62;
  ia.ra = 0x8f;
  ia.fn = 123456;
  ia.timing_advance = 3;
  blocks.emplace_back("ia", l3::encode_immediate_assignment(ia));
  ia.hopping = true;
  ia.maio = 3;
  ia.hsn = 17;
  ia.cell_allocation = {10, 20, 30, 40};
  ia.mobile_allocation_arfcns = {20, 40};
  blocks.emplace_back("ia_hopping", l3::encode_immediate_assignment(ia));
  blocks.emplace_back("iar", l3::encode_immediate_assignment_reject({{0x81, 1000}, {0x22, 2000}}, 10, 0));
  blocks.emplace_back("fill", l3::l2_fill_frame());
  for (const auto& [name, b] : blocks) {
    put("gsm_l3", "syn_" + name, std::vector<std::uint8_t>(b.begin(), b.end()));
    if (name.rfind("si2", 0) == 0 || name.rfind("si3", 0) == 0 || name.rfind("pr1", 0) == 0 || name == "ia")
      put("gsm_bursts", "syn_xcch_" + name, soft_xcch(b));
  }
  // Frequency lists: decode mode (octet 0 even) and round-trip mode (odd) for each format.
  const std::vector<std::vector<int>> sets = {
      {1, 5, 62, 124}, {0, 975, 1000, 1023}, {512, 520, 530, 600, 700}, {600, 610, 620, 630, 700, 720},
      {128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140}, {300, 310, 320}, {}};
  int s = 0;
  for (const auto& set : sets) {
    try {
      const auto f = l3::encode_neighbour_cells(set, false, true);
      put("gsm_frequency_list", "syn_decode_" + std::to_string(s), with_mode(0, f));
    } catch (const std::exception&) {
    }
    std::vector<std::uint8_t> rt{1};
    for (int a : set) {
      rt.push_back(static_cast<std::uint8_t>(a >> 8));
      rt.push_back(static_cast<std::uint8_t>(a));
    }
    put("gsm_frequency_list", "syn_roundtrip_" + std::to_string(s), rt);
    ++s;
  }
  put("gsm_bursts", "syn_sch_fn1", soft_sch(23, 1));
  put("gsm_bursts", "syn_sch_fn2715631", soft_sch(63, 2715631));
  put("gsm_bursts", "syn_ts0_fn", {2, 0x00, 0x29, 0x70, 0x3f});
  if (only.empty() || only.count("gsm_receiver")) {
    // FCCH at frame 1 (t = 0 is the idle frame 50), SCH, BCCH 2..5, CCCH, the next FCCH at frame 11.
    gsm_receiver_seed("syn_rx_bcch", 0, 51 * 1000 + 50, 23, 0.0, -15.0, 12);
    // FCCH 20, SCH 21, CCCH 22..25 of a cell 30 kHz off, cut at 3/4, combined CCCH known.
    gsm_receiver_seed("syn_rx_ccch_cfo", 48 | (2 << 6), 51 * 2000 + 19, 5, 30e3, -20.0, 8);
    // The FN wraps at 26*51*2048 = 2715648 (45.002 4.3.3): the FCCH of FN 0 follows FN 2715647.
    gsm_receiver_seed("syn_rx_fn_wrap", 1 | (1 << 6), 2715647, 63, -12e3, -15.0, 8);
    gsm_receiver_seed("syn_rx_noise", 0, 0, 0, 0.0, -200.0, 2);
  }
  if (only.empty() || only.count("lte_search")) lte_search_seeds();
  if (only.empty() || only.count("lte_dci")) lte_dci_seeds();
  if (only.empty() || only.count("lte_pdsch")) {
    lte_pdsch_seeds();
    lte_pdsch_real_seed("../shared");   // run from the project root, as the tests
  }
  std::printf("wrote %zu L3 blocks and their derivatives under %s\n", blocks.size(), root.c_str());
  return 0;
}
