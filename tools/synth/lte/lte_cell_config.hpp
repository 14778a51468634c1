// What one synthesized LTE cell (E-UTRA downlink) sends. Names follow 3GPP TS 36.211 (physical layer),
// 36.101 (EARFCN, bands, fading profiles) and 36.331 (MIB). The scene parser (tools/synth/scene.cpp,
// "lte_cells") checks the ranges and names the field it rejects.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/synth/channel.hpp"
#include "tools/synth/geometry.hpp"
#include "tools/synth/lte/sib_config.hpp"

namespace tw::synth::lte {

enum class Duplex { FDD, TDD };

struct LteCellConfig {
  std::string name;                   // free text for the truth file
  // Carrier: the EARFCN's downlink frequency (36.101 5.7.3), or freq_hz when given (then earfcn may be -1).
  int earfcn = 6300;                  // downlink EARFCN, -1: none (freq_hz given)
  int band = 0;                       // E-UTRA operating band; 0: derived from the EARFCN
  double freq_hz = 0.0;               // > 0: the carrier frequency itself (overrides the EARFCN)

  int pci = 0;                        // physical cell identity N_ID_cell = 3 N_ID(1) + N_ID(2), 0..503
  int ports = 1;                      // cell-specific reference signal antenna ports: 1, 2 or 4
  int bandwidth_prb = 25;             // N_RB_DL: 6, 15, 25, 50, 75, 100
  bool normal_cp = true;              // cyclic prefix: normal (7 symbols/slot) or extended (6)
  Duplex duplex = Duplex::FDD;
  int tdd_config = 1;                 // uplink-downlink configuration 0..6 (36.211 table 4.2-2)
  int special_subframe_config = 7;    // 0..9 normal CP, 0..7 extended CP (36.211 table 4.2-1)
  bool phich_extended = false;        // MIB phich-Duration
  std::string phich_resource = "1";   // MIB phich-Resource Ng: "1/6", "1/2", "1", "2"
  int first_sfn = 0;                  // SFN of the frame that starts at receiver time delay_us (0..1023)
  bool first_sfn_set = false;         // the scene derives first_sfn from its seed when absent
  int cfi = 2;                        // OFDM symbols of the control region (1..3; +1 for 6 PRB, 36.211 6.7)
  // What the MIB says beyond the fields above (36.331 6.2.2), for cells that break the specification: the
  // 10 spare bits (0 from a conforming eNodeB, ignored by receivers) and the 3-bit dl-Bandwidth code sent
  // (-1: the code of bandwidth_prb; 0..7 this code whatever the cell occupies; 6 and 7 are outside the
  // enumeration). The signal itself always occupies bandwidth_prb.
  int mib_spare = 0;                  // 0..1023
  int mib_dl_bandwidth_code = -1;     // -1, 0..7

  // Radio. power_dbfs is the energy per resource element (EPRE) at the receiver: every resource element
  // sent (reference signal, PSS, SSS, PBCH, control, data) adds 10^(power_dbfs/10) to E|x|^2 at the
  // receiver input, so RSRP = power_dbfs, and a fully loaded cell measures power_dbfs + 10 log10(12 N_RB).
  double power_dbfs = -60.0;
  double freq_offset_hz = 0.0;        // the eNodeB's own clock error (shifts the carrier, scales the sample clock)
  double delay_us = 0.0;              // path delay
  std::string multipath = "none";     // "none" | "tu" (45.005 TU6) | "epa" | "eva" | "etu" (36.101 annex B.2)
  double doppler_hz = 0.0;            // maximum Doppler of the fading taps
  double on_s = 0.0;                  // transmits from this time...
  std::optional<double> off_s;        // ...until this time (none: to the end)
  CellPlacement placement;            // where the eNodeB stands (tools/synth/geometry.hpp): level = RSRP (EPRE)

  // Load: fraction of the PRBs of each subframe (outside the reference signals, PSS/SSS and PBCH) filled
  // with random QPSK/16QAM/64QAM data, and of the PRBs of the control region (PCFICH/PHICH/PDCCH: random
  // QPSK). Unfilled resource elements are zero.
  double pdsch_load = 0.0;
  double pdcch_load = 0.0;

  // What SIB1 and the SI messages say (36.331; encoded by sib_encoder.hpp). The scene parser fills
  // freq_band_indicator from the band and tdd_config from the TDD parameters above unless given.
  LteSystemInfoConfig system_info;
  // System Information on the air (tools/synth/lte/lte_si_scheduler.hpp): PCFICH, PHICH, PDCCH with the
  // SI-RNTI DCI, SIB1 and the SI messages on the PDSCH. false: the control region and PDSCH as the loads say.
  bool send_system_info = true;
  int si_start_prb = -1;              // first PRB of the SI allocations (1C: rounded to N_RB^step), -1: from the seed
  bool si_format_1c = false;          // SI messages with DCI format 1C (SIB1 always 1A)
  int si_aggregation = 0;             // CCEs of the SI-RNTI PDCCH: 4 or 8, 0: chosen per subframe from the seed
  int si_repetitions = 4;             // transmissions of an SI message per window (1..40)
};

// 36.101 table 5.7.3-1: F_DL = F_DL_low + 0.1 (N_DL - N_Offs-DL) MHz, from the project's one band table
// (src/core/lte_bands.hpp). band 0: the band the EARFCN lies in. Throws tw::InputError naming the EARFCN when
// it is not a downlink EARFCN (of that band).
double earfcn_downlink_hz(int earfcn, int band = 0);
int band_of_earfcn(int earfcn);                 // 0 when no band of the table holds it
bool band_is_tdd(int band);                     // the table's TDD bands (38..43 of those supported)
// The cell's carrier (freq_hz when set, else the EARFCN's downlink frequency), without any offset.
double carrier_hz(const LteCellConfig& cell);

// The cell's natural OFDM size and rate: 128, 256, 512, 1024, 1536, 2048 for 6, 15, 25, 50, 75, 100 PRB;
// rate fft * 15 kHz (1.92 .. 30.72 Msps). Throws tw::InputError for another bandwidth.
int fft_size_for_prb(int n_prb);
bool valid_bandwidth_prb(int n_prb);

// 36.211 table 4.2-2 / 4.2-1. 'D' downlink, 'S' special, 'U' uplink (FDD: always 'D').
char subframe_type(const LteCellConfig& cell, int subframe);
// OFDM symbols of DwPTS in a special subframe (36.211 table 4.2-1, lengths in Ts / symbol length).
int dwpts_symbols(bool normal_cp, int special_subframe_config);
// OFDM symbols of subframe `subframe` that carry downlink signal (0 for an uplink subframe).
int downlink_symbols(const LteCellConfig& cell, int subframe);
// OFDM symbols of the control region in that subframe (cfi, +1 for N_RB <= 10, at most 2 in TDD subframes
// 1 and 6: 36.211 table 6.7-1).
int control_symbols(const LteCellConfig& cell, int subframe);

// "none", "tu" (tools/synth/channel.hpp), "epa", "eva", "etu" (36.101 tables B.2.1-2..4). Throws
// std::invalid_argument for another name.
std::vector<PathSpec> lte_multipath_profile(std::string_view name);
bool valid_multipath(std::string_view name);

const char* duplex_name(Duplex d);     // "FDD" | "TDD"

}  // namespace tw::synth::lte
