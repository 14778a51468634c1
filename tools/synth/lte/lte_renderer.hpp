// LTE downlink synthesizer: one E-UTRA cell (TS 36.211) as a receiver at some centre frequency and sample
// rate sees it.
//
// Usage (synthetic test signals for the LTE receiver): put the cells in a scene and render it with the
// ordinary SceneRenderer, which adds receiver noise, ppm, DC and IQ impairments once for the whole scene:
//     tw::synth::SceneWithLte s;                        // tools/synth/scene.hpp
//     s.scene.seed = 1; s.scene.noise_dbfs = -100;      // noise over the whole output bandwidth
//     tw::synth::lte::LteCellConfig c;                  // tools/synth/lte/lte_cell_config.hpp
//     c.earfcn = 1300; c.pci = 150; c.ports = 2; c.bandwidth_prb = 50; c.first_sfn = 28; c.first_sfn_set = true;
//     c.power_dbfs = -60;                               // EPRE: RSRP in dBFS
//     s.lte_cells.push_back(c);
//     tw::synth::SceneRenderer r(s, tw::synth::lte::carrier_hz(c), 1.92e6);   // centre, rate [, start time]
//     std::vector<tw::cf32> x(19200); r.render(x);     // 10 ms; continue with further render() calls
// Or the JSON form: {"lte_cells":[{"earfcn":1300,"pci":150,"ports":2,"bandwidth_prb":50}]} with
// load_scene_with_lte(), or the built-in scenes "lte" and "lte-weak". The frame with SFN first_sfn starts
// at receiver time delay_us (scaled by the clock errors: lte::frame_start_time_s()); the truth file of
// `towerwatch synth` lists each cell's SFN at t = 0 and the start time and MIB of every frame.
//
// Chain per cell: per subframe the resource grid of every antenna port (PSS, SSS 6.11; CRS 6.10 of 1/2/4
// ports; PBCH 6.6 with the MIB coded per 36.212 5.3.1; with System Information (the default,
// lte_si_scheduler.hpp): PCFICH 6.7 with the cell's CFI, random PHICH 6.9, PDCCH 6.8 carrying the SI-RNTI
// DCI of SIB1 / an SI message and random C-RNTI DCIs per pdcch_load, the SI transport block on the PDSCH;
// without: an optional random control region; random PDSCH load on the other PRBs) ->
// optional multipath (each port its own Rayleigh channel of the profile, applied per OFDM symbol on the
// subcarriers) -> sum of the ports -> OFDM (6.12: FFT 128..2048 at 1.92..30.72 Msps, CP 160/144 per 2048,
// extended 512) -> resampling to the output rate with the cell's timing (delay, cell and receiver clock
// errors) -> shift to the carrier's offset from the receiver centre -> EPRE gain. Only the
// subcarriers within 0.45 * output rate of the centre are synthesized (a 20 MHz cell seen at 1.92 Msps
// costs like its visible part; a cell with none costs nothing). Clock convention as renderer.hpp.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "tools/synth/lte/lte_cell_config.hpp"

namespace tw::synth::lte {

using cf32 = std::complex<float>;

// A subcarrier is synthesized when its offset from the receiver centre is within this fraction of the
// output sample rate (an anti-alias filter's passband).
constexpr double kVisibleFraction = 0.45;

// Timing of the cell's frames: frame i (i = 0: SFN first_sfn) starts at receiver time
// delay_us + i * 10 ms / ((1 + freq_offset_hz / carrier) (1 + receiver_ppm 1e-6)).
double clock_scale(const LteCellConfig& cell, double receiver_ppm);
double frame_start_time_s(const LteCellConfig& cell, double receiver_ppm, std::int64_t frame_index);
std::int64_t frame_index_at(const LteCellConfig& cell, double receiver_ppm, double t_s);   // frame in progress at t
int sfn_of_frame(const LteCellConfig& cell, std::int64_t frame_index);                      // 0..1023
// The MIB the cell sends in frame `sfn` (36.331: bandwidth, PHICH, 8 MSBs of the SFN).
std::array<std::uint8_t, 3> mib_octets(const LteCellConfig& cell, int sfn);

class LteCellChain {
 public:
  // seed: the cell's own (random data); receiver_ppm as the scene's. Throws tw::InputError for a bad config.
  LteCellChain(const LteCellConfig& cell, std::uint64_t seed, double receiver_ppm);
  ~LteCellChain();
  LteCellChain(const LteCellChain&) = delete;
  LteCellChain& operator=(const LteCellChain&) = delete;

  const LteCellConfig& config() const;
  double apparent_carrier_hz() const;   // (carrier + freq_offset_hz) (1 + receiver_ppm 1e-6)
  // Whether any subcarrier is within kVisibleFraction * fs of center_hz.
  bool visible(double center_hz, double fs) const;
  // Adds the cell to out[0..n): sample i at receiver time t_first + i / fs, receiver centred at center_hz.
  // Seamless across calls with contiguous times; anything else resynchronises (as does a change of centre).
  void render_add(std::span<cf32> out, double t_first, double fs, double center_hz);
  void go_cold();   // forget the stream (after a seek or while invisible)
  void set_power_dbfs(double power_dbfs);   // EPRE from the next render_add on

  // For tests: builds the resource grids of the cell's subframe `subframe_index` (0 = the first subframe of
  // frame 0) over all subcarriers; grid(p)[l * 12 N_RB + k] is port p's a_{k,l} (l: symbol of the subframe).
  void build_grid(std::int64_t subframe_index);
  std::span<const cf32> grid(int port) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw::synth::lte
