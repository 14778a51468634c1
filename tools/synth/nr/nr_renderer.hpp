// NR synthesizer: the SS/PBCH blocks of one cell as a receiver at some centre frequency and rate sees them.
// Per SSB sent (38.213 4.1: the burst's candidate positions of case A/B/C in half-frame 0 of every frame
// whose SFN is a multiple of ssb_period_ms / 10; 5 ms periods use both half-frames): the 4 x 240 grid
// (38.211 7.4.3.1: PSS, SSS, PBCH with pbch_encode's 864 bits as QPSK, PBCH DMRS with i_SSB / n_hf) ->
// optional block fading (36.101 B.2 taps, Rayleigh, one draw per SSB) -> OFDM synthesized sample by sample
// at the output rate (any rate: each subcarrier a complex exponential from the useful part's start, the
// cyclic prefix its continuation; 38.211 5.3.1) -> shift to SS_REF's offset from the centre, EPRE gain.
// The per-symbol carrier phase restart of 38.211 5.4 is not modelled (the receiver estimates per symbol).
// Clock convention as renderer.hpp: frame i (SFN first_sfn + i) starts at delay_us + i x 10 ms / scale.
#pragma once
#include <complex>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dsp/nr/pbch_dmrs.hpp"
#include "tools/synth/nr/nr_cell_config.hpp"

namespace tw::synth::nr {

using cf32 = std::complex<float>;

// One SSB the cell sends.
struct NrSsbTruth {
  double t_s = 0.0;          // receiver time of symbol 0's cyclic prefix start
  int ssb_index = 0;
  int sfn = 0;
  int half_frame = 0;
  std::uint32_t mib_bits = 0;
};

// The SSB grid of a cell's SSB (PSS, SSS, PBCH DMRS, PBCH from the 864 scrambled bits), unit EPRE.
dsp::nr::SsbGrid build_ssb_grid(int pci, int i_ssb_bar, const std::array<std::uint8_t, 864>& pbch_bits);

class NrCellChain {
 public:
  NrCellChain(const NrCellConfig& cell, std::uint64_t seed, double receiver_ppm);
  ~NrCellChain();
  NrCellChain(const NrCellChain&) = delete;
  NrCellChain& operator=(const NrCellChain&) = delete;

  const NrCellConfig& config() const;
  double apparent_ss_ref_hz() const;
  bool visible(double center_hz, double fs) const;   // the PSS/SSS inside 0.5 fs
  void render_add(std::span<cf32> out, double t_first, double fs, double center_hz);
  void set_power_dbfs(double power_dbfs);
  // The SSBs that start within [t0, t1).
  std::vector<NrSsbTruth> ssbs_between(double t0, double t1) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw::synth::nr
