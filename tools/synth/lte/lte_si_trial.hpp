// Sensitivity trials of the LTE System Information receiver (dsp/lte/si_receiver.hpp) at the grid level:
// one FDD cell, 80 ms, whose every subframe is built from the transmit pieces (LteCellChain::build_grid: PSS,
// SSS, CRS, PBCH; in subframe 5 of the even frames also PCFICH (pcfich_encoder), the SI-RNTI DCI 1A in the
// common search space (pdcch_encoder) and SIB1 (sib_encoder) on the PDSCH with the RV of 36.321 5.3.1
// (pdsch_encoder)) -> OFDM per 36.211 6.12 at the cell's natural rate (fft_size_for_prb x 15 kHz, normal CP
// 160/144 per 2048, unitary scaling: EPRE 1) -> AWGN, or each port through its own EPA/EVA/ETU fading
// (tools/synth/channel.hpp FadingChannel) then summed, then AWGN. The capture starts at a random point of a
// frame (3 or 4 SIB1 transmissions inside), the receiver gets the true frame timing with a random error
// of up to +-1 sample (it refines it on the CRS itself); no carrier offset. Not the scene renderer
// (tools/synth/lte/lte_renderer) unless `renderer` is set (below).
//
// SNR per resource element: EPRE / (noise power in 15 kHz) = 1 / (noise variance per sample), as
// tools/synth/lte/lte_snr_trial.hpp defines it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tw::synth::lte {

struct SiTrialConfig {
  int n_prb = 25;                   // 6, 15, 25, 50, 75, 100
  int ports = 2;                    // 1, 2, 4
  int pci = -1;                     // -1: drawn from the seed
  double snr_db = 0.0;              // per RE (above)
  bool cell_present = true;         // false: noise alone (the receiver is still told a cell is there)
  std::string multipath = "none";   // "none" (AWGN) | "epa" | "eva" | "etu"
  double doppler_hz = 0.0;
  int cfi = 2;                      // 1..3
  int l_crb = 4;                    // PRBs of the SIB1 allocation (DCI 1A, localized, from PRB 0)
  int aggregation = 4;              // of the SI-RNTI PDCCH (4 or 8; CCE 0)
  bool renderer = false;            // true: the scene renderer path instead (SceneRenderer with the cell's
                                    // System Information, half loaded PDSCH/PDCCH, its own SIB1 allocation and
                                    // aggregation from the seed, its fading); cfi / l_crb / aggregation and
                                    // known_control are then not used
  bool known_control = false;       // also decode with the CFI, DCI and RVs known (PDSCH + combining alone,
                                    // the blocks of si_receiver without PCFICH/PDCCH): result.pdsch_ok
};

struct SiTrialResult {
  bool sib1_ok = false;             // SIB1 decoded with exactly the octets sent
  bool sib1_reported = false;       // the receiver reported a SIB1 (any content)
  int transmissions_sent = 0;       // SIB1 transmissions wholly inside the capture
  int transmissions_combined = 0;   // as the receiver says
  int tbs = 0;                      // the TBS sent
  std::string why;                  // the receiver's reason when nothing decoded
  bool pdsch_ok = false;            // known_control: SIB1 right from every transmission combined
};

// One trial; everything random (PCI, SFN, capture start, timing error, noise, fading) drawn from `seed`.
// Throws tw::InputError for a configuration outside the above.
SiTrialResult run_si_trial(const SiTrialConfig& cfg, std::uint64_t seed);

}  // namespace tw::synth::lte
