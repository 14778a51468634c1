// The LTE cell search (dsp/lte/cell_search.*) under a rogue eNodeB that controls every sample it sees.
// Octet 0 chooses the input mode (bit 0) and the search's configuration (bits 2-3: see search_config), the
// rest is the mode's input:
//   raw (bit 0 = 0): cs8 IQ at 1.92 Msps, at most 2 radio frames (38400 samples; longer input is cut). Bit 1
//      set: the samples repeat cyclically to fill 2 frames (a short input becomes a periodic signal, which
//      the 5 ms folding of the PSS search and the 40 ms PBCH combining see many times).
//   synthesized (bit 0 = 1): the octets of kSceneOctets choose a one-cell LTE scene (PCI, ports, bandwidth,
//      CP, FDD/TDD and its configurations, CFI, MIB phich-Duration / phich-Resource / SFN, EPRE, noise,
//      carrier and clock errors, delay, load, fading, DC and IQ impairments, 20..40 ms) rendered by the LTE
//      synthesizer (tools/synth/lte) at 1800 MHz, searched with max_cfo_hz 7.5 kHz (the scene's carrier
//      and clock errors reach +-12 kHz: sometimes outside); any octets after those are cs8 interference added to the
//      first samples at up to the noise power (so they cannot outshine a strong cell).
// Octets 26-27 reach the MIB bits a conforming eNodeB does not send: bits 0-9 the spare bits, bit 13 set:
// bits 10-12 are the dl-Bandwidth code sent (6 and 7 are outside the enumeration of 36.331 6.2.2), whatever
// bandwidth the cell occupies.
//
// Invariants, every reported cell: PCI 0..503 = 3 N_ID(1) + N_ID(2), N_ID(1) 0..167, N_ID(2) 0..2 (36.211
// 6.11); duplex "FDD"/"TDD", cp "normal"/"extended"; frame_start_sample 0..19199, pss_sample 0..9599; every
// double finite; when the MIB is decoded: ports 1, 2 or 4 (36.212 5.3.1.1), the MIB of 36.331 6.2.2
// (dl-Bandwidth 6..100 PRB of the enumeration, SFN 0..1023, phich-Resource 1/6, 1/2, 1, 2) and mib_octets
// that unpack to it; to_json(cell).dump() is valid JSON. No exception but tw::InputError.
// Synthesized mode, cell at least 16 dB above the noise per resource element: a decoded cell with the
// scene's PCI reports exactly the MIB's bandwidth sent, PHICH duration and resource, spare bits, ports, duplex,
// CP and the SFN of the frame starting at frame_start_sample; a MIB with dl-Bandwidth code 6 or 7 is never
// reported as decoded.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dsp/lte/cell_search.hpp"
#include "dsp/lte/mib.hpp"
#include "src/core/error.hpp"
#include "src/core/log.hpp"
#include "tests/fuzz/fuzz_common.hpp"
#include "tools/synth/lte/lte_cell_config.hpp"
#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

namespace {

namespace dl = tw::dsp::lte;
namespace sl = tw::synth::lte;
using cf32 = std::complex<float>;

constexpr double kRate = 1.92e6;
constexpr double kCarrier = 1.8e9;
constexpr std::size_t kFrame = 19200;
constexpr std::size_t kMaxSamples = 2 * kFrame;
// Octets of the synthesized mode's scene (after octet 0), see synthesized().
constexpr std::size_t kSceneOctets = 28;

// Octet 0 bits 2-3 choose how much the search does per PSS peak passed on: each peak costs an SSS search
// over 8 x 168 hypotheses and usually a PBCH attempt, about 20 ms under ASan and coverage (one strong cell
// passes 40-50 peaks with the product's defaults: ghosts of its PSS in time and frequency). The search
// passes at most max(4, 4 max_cells) + 2 pss_candidates peaks:
//   0: max_cells 1, pss_candidates 0 (no relaxed threshold): at most 4 peaks, the fastest
//   1 (bit 2): max_cells 4, pss_candidates 0: at most 16
//   2 (bit 3): max_cells 1, the default relaxed threshold (pss_candidates 30, coherence test): at most 64
//   3: max_cells 4 and the defaults: at most 76
// Every profile: carrier 1800 MHz (one crystal), max_cfo_hz 7.5 kHz (3 coarse CFO hypotheses instead of the
// default's 97), at most 8 half-frames and 4 PBCH frames (the input holds at most 40 ms).
constexpr int kProfiles = 4;
dl::CellSearchConfig search_config(int profile) {
  dl::CellSearchConfig c;
  c.carrier_hz = kCarrier;
  c.max_cfo_hz = 7.5e3;
  c.max_half_frames = 8;
  c.max_pbch_frames = 4;
  c.max_cells = (profile & 1) ? 4 : 1;
  if (!(profile & 2)) c.pss_candidates = 0.0;
  return c;
}

std::string describe(const dl::LteCell& c) { return to_json(c).dump(); }

// Checks of every reported cell (see the top of the file).
void check_cell(const dl::LteCell& c) {
  TW_FUZZ_CHECK(c.n_id_1 >= 0 && c.n_id_1 <= 167 && c.n_id_2 >= 0 && c.n_id_2 <= 2, "N_ID " + describe(c));
  TW_FUZZ_CHECK(c.pci == 3 * c.n_id_1 + c.n_id_2 && c.pci >= 0 && c.pci <= 503, "PCI " + describe(c));
  TW_FUZZ_CHECK(c.duplex == "FDD" || c.duplex == "TDD", "duplex " + c.duplex);
  TW_FUZZ_CHECK(c.cp == "normal" || c.cp == "extended", "cp " + c.cp);
  TW_FUZZ_CHECK(c.frame_start_sample >= 0 && c.frame_start_sample < static_cast<std::int64_t>(kFrame),
                "frame_start_sample " + std::to_string(c.frame_start_sample));
  TW_FUZZ_CHECK(c.pss_sample >= 0 && c.pss_sample < static_cast<int>(kFrame / 2), "pss_sample " + std::to_string(c.pss_sample));
  for (double v : {c.rsrp_dbfs, c.rsrq_db, c.sinr_db, c.cfo_hz, c.pss_metric, c.sss_score})
    TW_FUZZ_CHECK(std::isfinite(v), "a measurement is not finite: rsrp " + std::to_string(c.rsrp_dbfs) + " rsrq " +
                                        std::to_string(c.rsrq_db) + " sinr " + std::to_string(c.sinr_db) + " cfo " +
                                        std::to_string(c.cfo_hz) + " pss " + std::to_string(c.pss_metric) + " sss " +
                                        std::to_string(c.sss_score));
  // The coarse grid, the fine grid and the SSS phase move the CFO a few kHz past max_cfo_hz (7.5 kHz), never a
  // whole subcarrier spacing (15 kHz) further.
  TW_FUZZ_CHECK(std::fabs(c.cfo_hz) <= 7.5e3 + 15e3, "CFO " + std::to_string(c.cfo_hz) + " far outside the search");
  if (c.mib_decoded) {
    TW_FUZZ_CHECK(c.ports == 1 || c.ports == 2 || c.ports == 4, "ports " + std::to_string(c.ports));
    const int bw = c.mib.bandwidth_prb;
    TW_FUZZ_CHECK(bw == 6 || bw == 15 || bw == 25 || bw == 50 || bw == 75 || bw == 100, "dl-Bandwidth " + std::to_string(bw));
    TW_FUZZ_CHECK(c.mib.sfn >= 0 && c.mib.sfn <= 1023, "SFN " + std::to_string(c.mib.sfn));
    const auto& r = c.mib.phich_resource;
    TW_FUZZ_CHECK(r == "1/6" || r == "1/2" || r == "1" || r == "2", "phich-Resource " + r);
    // The octets reported are the MIB reported (36.331 6.2.2; they are the decoded block's, whose SFN may be
    // that of another 40 ms block than the frame at frame_start_sample).
    dl::Mib again;
    try {
      again = dl::unpack_mib(c.mib_octets, c.mib.sfn % 4);
    } catch (const tw::InputError& e) {
      TW_FUZZ_CHECK(false, std::string("reported mib_octets do not unpack: ") + e.what());
    }
    TW_FUZZ_CHECK(again.bandwidth_prb == bw && again.phich_extended == c.mib.phich_extended &&
                      again.phich_resource == r,
                  "mib_octets disagree with the MIB: " + describe(c));
  } else {
    TW_FUZZ_CHECK(c.ports == 0, "ports " + std::to_string(c.ports) + " without a MIB");
  }
  const std::string text = to_json(c).dump();
  const auto back = nlohmann::json::parse(text, nullptr, false);
  TW_FUZZ_CHECK(!back.is_discarded() && back.is_object() && back.value("pci", -1) == c.pci, "to_json: " + text);
}

// TW_FUZZ_PRINT=1 in the environment prints the scene and every cell found (to see what an input does).
const bool g_print = std::getenv("TW_FUZZ_PRINT") != nullptr;

// One CellSearch per profile for the whole run, as a scanner keeps one (its work buffers are reused).
std::vector<dl::LteCell> search(std::span<const cf32> iq, std::uint8_t octet0) {
  static std::array<std::unique_ptr<dl::CellSearch>, kProfiles> searches = [] {
    std::array<std::unique_ptr<dl::CellSearch>, kProfiles> a;
    for (int p = 0; p < kProfiles; ++p) a[static_cast<std::size_t>(p)] = std::make_unique<dl::CellSearch>(search_config(p));
    return a;
  }();
  dl::CellSearch& cs = *searches[static_cast<std::size_t>((octet0 >> 2) & 3)];
  try {
    auto cells = cs.execute(iq);
    if (g_print)
      for (const auto& c : cells) std::fprintf(stderr, "cell %s\n", describe(c).c_str());
    TW_FUZZ_CHECK(cells.size() <= static_cast<std::size_t>(cs.config().max_cells), "more cells than max_cells: " + std::to_string(cells.size()));
    for (const auto& c : cells) check_cell(c);
    return cells;
  } catch (const tw::InputError&) {
    return {};
  }
}

void raw(std::uint8_t mode, std::span<const std::uint8_t> in) {
  const std::size_t n_in = std::min(in.size() / 2, kMaxSamples);
  const bool tile = (mode & 2) != 0 && n_in > 0;
  std::vector<cf32> iq(tile ? kMaxSamples : n_in);
  for (std::size_t i = 0; i < iq.size(); ++i) {
    const std::size_t j = i % n_in;
    iq[i] = cf32(static_cast<std::int8_t>(in[2 * j]) / 128.0f, static_cast<std::int8_t>(in[2 * j + 1]) / 128.0f);
  }
  (void)search(iq, mode);
}

// Reads the scene octets in order; missing octets read as 0.
struct Octets {
  std::span<const std::uint8_t> d;
  std::size_t i = 0;
  std::uint8_t u8() { return i < d.size() ? d[i++] : (++i, 0); }
  int s8() { return static_cast<std::int8_t>(u8()); }
  int u16() { return (u8() << 8) | u8(); }
};

void synthesized(std::uint8_t mode, std::span<const std::uint8_t> in) {
  Octets o{in.first(std::min(in.size(), kSceneOctets))};
  sl::LteCellConfig c;
  c.earfcn = -1;
  c.freq_hz = kCarrier;
  c.pci = o.u16() % 504;                                                            // 0, 1
  c.ports = std::array{1, 2, 4}[o.u8() % 3];                                        // 2
  c.bandwidth_prb = std::array{6, 15, 25, 50, 75, 100}[o.u8() % 6];                 // 3
  const std::uint8_t phich = o.u8();                                                // 4
  c.phich_extended = (phich & 1) != 0;
  c.phich_resource = std::array{"1/6", "1/2", "1", "2"}[(phich >> 1) & 3];
  c.first_sfn = o.u16() % 1024;                                                     // 5, 6
  c.first_sfn_set = true;
  const std::uint8_t flags = o.u8();                                                // 7
  c.normal_cp = (flags & 1) == 0;
  c.duplex = (flags & 2) ? sl::Duplex::TDD : sl::Duplex::FDD;
  c.tdd_config = (flags >> 2) % 7;
  c.special_subframe_config = o.u8() % (c.normal_cp ? 10 : 8);                      // 8
  c.cfi = 1 + o.u8() % 3;                                                           // 9
  c.power_dbfs = -100.0 + 0.3 * o.u8();                                             // 10: -100 .. -23.5
  tw::synth::SceneWithLte s;
  s.scene.noise_dbfs = -110.0 + 0.25 * o.u8();                                      // 11: -110 .. -46.25
  c.freq_offset_hz = 50.0 * o.s8();                                                 // 12: +-6.4 kHz
  c.delay_us = o.u16() % 10000;                                                     // 13, 14
  c.pdsch_load = o.u8() / 255.0;                                                    // 15
  c.pdcch_load = o.u8() / 255.0;                                                    // 16
  c.multipath = std::array{"none", "none", "none", "epa", "eva", "etu", "tu", "none"}[o.u8() % 8];  // 17
  c.doppler_hz = 2.0 * o.u8();                                                      // 18: 0 .. 510 Hz
  s.scene.receiver_ppm = o.s8() / 40.0;                                             // 19: +-3.2 ppm (+-5.8 kHz)
  const std::uint8_t dc = o.u8();                                                   // 20
  s.scene.dc_offset_dbfs = dc == 0 ? -200.0 : -90.0 + 0.3 * dc;
  s.scene.iq_gain_imbalance_db = o.s8() / 50.0;                                     // 21: +-2.6 dB
  s.scene.iq_phase_imbalance_deg = o.s8() / 20.0;                                   // 22: +-6.4 degrees
  const std::size_t samples = static_cast<std::size_t>(20 + o.u8() % 21) * 1920;   // 23: 20 .. 40 ms
  s.scene.seed = o.u16();                                                           // 24, 25
  const int mib_bits = o.u16();                                                     // 26, 27
  c.mib_spare = mib_bits & 0x3ff;
  if (mib_bits & (1 << 13)) c.mib_dl_bandwidth_code = (mib_bits >> 10) & 7;
  s.lte_cells.push_back(c);

  std::vector<cf32> iq(samples);
  try {
    tw::synth::SceneRenderer r(s, kCarrier, kRate);
    r.render(iq);
  } catch (const tw::InputError& e) {
    TW_FUZZ_CHECK(false, std::string("the synthesizer refuses a valid cell: ") + e.what());
  }
  // Interference: the octets after the scene, cs8 at up to the noise power.
  const std::span<const std::uint8_t> extra = in.size() > kSceneOctets ? in.subspan(kSceneOctets) : std::span<const std::uint8_t>{};
  const float amp = static_cast<float>(std::pow(10.0, s.scene.noise_dbfs / 20.0) / (128.0 * std::sqrt(2.0)));
  for (std::size_t i = 0; i < extra.size() / 2 && i < iq.size(); ++i)
    iq[i] += amp * cf32(static_cast<std::int8_t>(extra[2 * i]), static_cast<std::int8_t>(extra[2 * i + 1]));

  if (g_print) std::fprintf(stderr, "scene %s\n", tw::synth::scene_to_json(s).dump().c_str());
  const auto cells = search(iq, mode);
  // Per-RE SNR = EPRE / (noise / 128) (tools/synth/lte/lte_snr_trial.hpp).
  const double snr_re = c.power_dbfs - s.scene.noise_dbfs + 10.0 * std::log10(128.0);
  if (snr_re < 16.0) return;
  // The dl-Bandwidth the MIB says (36.331 6.2.2 enumeration n6..n100); 0 for the codes 6, 7.
  const int code = c.mib_dl_bandwidth_code;
  const int bandwidth_sent = code < 0 ? c.bandwidth_prb : code < 6 ? std::array{6, 15, 25, 50, 75, 100}[code] : 0;
  for (const auto& f : cells) {
    if (f.pci != c.pci || !f.mib_decoded) continue;
    const std::string what = "scene " + tw::synth::scene_to_json(s).dump() + " found " + describe(f);
    TW_FUZZ_CHECK(bandwidth_sent != 0, "a MIB outside the dl-Bandwidth enumeration decoded: " + what);
    TW_FUZZ_CHECK(f.mib.bandwidth_prb == bandwidth_sent, "bandwidth: " + what);
    TW_FUZZ_CHECK((((f.mib_octets[1] & 3) << 8) | f.mib_octets[2]) == c.mib_spare, "spare bits: " + what);
    TW_FUZZ_CHECK(f.mib.phich_extended == c.phich_extended && f.mib.phich_resource == c.phich_resource, "PHICH: " + what);
    TW_FUZZ_CHECK(f.ports == c.ports, "ports: " + what);
    TW_FUZZ_CHECK(f.duplex == sl::duplex_name(c.duplex) && f.cp == (c.normal_cp ? "normal" : "extended"), "duplex/CP: " + what);
    // SFN of the frame that starts at frame_start_sample (or one 10 ms frame period later/earlier: the
    // frame nearest to it in the synthesizer's timing).
    const double t = static_cast<double>(f.frame_start_sample) / kRate;
    const std::int64_t i0 = sl::frame_index_at(c, s.scene.receiver_ppm, t + 0.005);
    TW_FUZZ_CHECK(f.mib.sfn == sl::sfn_of_frame(c, i0), "SFN (expected " + std::to_string(sl::sfn_of_frame(c, i0)) + "): " + what);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* p = std::getenv("TW_FUZZ_PRINT");   // 2: the search's debug log too
  tw::log::set_level(p && std::string(p) == "2" ? tw::log::Level::debug : tw::log::Level::quiet);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 1 + 2 * kMaxSamples) return -1;
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  if (data[0] & 1)
    synthesized(data[0], rest);
  else
    raw(data[0], rest);
  return 0;
}
