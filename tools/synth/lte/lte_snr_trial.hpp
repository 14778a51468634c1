// Sensitivity trials of the LTE cell search (dsp/lte/cell_search.hpp) against the LTE synthesizer: one
// single-cell scene rendered at a given SNR with a random PCI, SFN, frame timing and receiver clock error
// (carrier and sampling clock from one crystal), searched, and scored against the truth the synthesizer
// uses. Shared by tools/bench/bench_lte_snr.cpp (the sweep) and tests/test_dsp_lte_snr.cpp.
//
// SNR definitions (power_dbfs of a synthesized cell is its energy per resource element, EPRE):
//   per-RE SNR  = EPRE / (noise power in one 15 kHz subcarrier) = EPRE / (N0 * 15 kHz). At 1.92 Msps with
//                 noise N over the whole band: N / 128 per subcarrier. For a fully loaded carrier this is also
//                 the SNR in the 1.08 MHz of the central 6 PRB (72 subcarriers).
//   1.92 MHz SNR = the central 6 PRB's power (72 EPRE) over the noise in the 1.92 MHz band
//                 = per-RE SNR - 10 log10(128 / 72) = per-RE SNR - 2.50 dB.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "dsp/lte/cell_search.hpp"

namespace tw::synth::lte {

constexpr double kSnrSampleRate = 1.92e6;

// 10 log10(128 / 72): per-RE SNR minus the SNR over the 1.92 MHz band.
double snr_re_minus_snr_1m92_db();

struct SnrTrialConfig {
  double snr_db = 0.0;              // per-RE SNR (see above)
  bool cell_present = true;         // false: receiver noise alone (the ghost-cell check)
  std::string multipath = "none";   // "none" (AWGN) | "epa" | "eva" | "etu" | "tu"
  double doppler_hz = 0.0;          // maximum Doppler of the fading
  int earfcn = 1300;                // band 3, 1815 MHz
  int ports = 2;
  int bandwidth_prb = 50;
  double pdsch_load = 0.5;          // the rest of the grid carries data (the PBCH is not alone)
  double pdcch_load = 0.5;
  double max_ppm = 100.0;           // receiver clock error drawn uniformly in +- this
  double duration_s = 0.080;        // capture length
  double power_dbfs = -60.0;        // EPRE; the noise is set from it and snr_db
  int cells = 1;                    // 1..3 cells of equal power on the EARFCN, distinct PCIs, each with its own
                                    // timing and SFN; every one must be found (the SNR is each cell's)
};

// What the trial sent (drawn from the seed).
struct SnrTrialTruth {
  int pci = -1;
  double receiver_ppm = 0.0;
  double cfo_hz = 0.0;              // the carrier's offset as the receiver sees it
  double delay_us = 0.0;
  int first_sfn = 0;
};

struct SnrTrialResult {
  SnrTrialTruth truth;              // of the first cell
  bool sync_ok = false;             // PSS/SSS: a reported cell with the right PCI and frame timing (+-3 samples),
                                    // for every cell sent
  bool mib_ok = false;              // ... whose MIB, SFN and antenna ports are all right (every cell)
  int cells_sent = 0, cells_synced = 0, cells_mib_ok = 0;
  int cells_reported = 0;
  int wrong_cells = 0;              // reported cells that are not the cell sent (any cell in pure noise)
  double sinr_db = 0.0;             // the receiver's CRS SINR of the cell found (sync_ok), per RE
  // Of the (last) cell found, for diagnostics: whether its MIB decoded, and what it gave against the truth.
  bool mib_decoded = false;
  int sfn_found = -1, sfn_sent = -1;
  int ports_found = 0;
  std::array<std::uint8_t, 3> mib_found{}, mib_sent{};
  std::string wrong_desc;           // the wrong cells: "PCI@frame_start_sample[+mib] " each
};

// The cell search configuration the trials use: the receiver's defaults with the CFO range and the one-crystal
// carrier of the EARFCN (max_ppm at its downlink frequency). Throws tw::InputError for an unknown EARFCN.
dsp::lte::CellSearchConfig snr_trial_search_config(const SnrTrialConfig& cfg);

// Renders one trial (everything random drawn from `seed`) and runs `search` on it.
SnrTrialResult run_snr_trial(const SnrTrialConfig& cfg, std::uint64_t seed, dsp::lte::CellSearch& search);

}  // namespace tw::synth::lte
