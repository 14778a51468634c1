// What one synthesized NR cell sends: its SS/PBCH blocks (TS 38.211 7.4.2-7.4.3, 38.213 4.1) with the MIB
// (38.331 6.2.2) it carries. The scene parser (tools/synth/scene.cpp, "nr_cells") checks ranges and names
// the field it rejects.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dsp/nr/ssb_grid.hpp"

namespace tw::synth::nr {

struct NrCellConfig {
  std::string name;
  // SSB position: gscn (38.104 5.4.3.1), or ss_ref_hz itself when given (then gscn may be -1).
  int gscn = 4604;
  double ss_ref_hz = 0.0;
  int band = 0;                 // 0: the first supported band whose raster holds the GSCN
  int scs_khz = 0;              // SSB subcarrier spacing, 0: the band's first raster
  std::string ssb_case;         // "A" "B" "C", "": the band's
  int l_max = 0;                // 4 or 8, 0: from the frequency (38.213 4.1)
  int pci = 0;                  // 0..1007
  std::vector<int> ssb_indices = {0};   // the SSBs of the burst that are sent (0 .. l_max-1)
  int ssb_period_ms = 20;       // 5, 10, 20, 40, 80, 160
  int first_sfn = 0;            // SFN of the frame that starts at receiver time delay_us
  bool first_sfn_set = false;
  // MIB (38.331 6.2.2) fields other than the SFN, and the PBCH payload's k_SSB MSB (38.212 7.1.1).
  int scs_common_khz = 15;      // subCarrierSpacingCommon: 15 or 30 (FR1)
  int ssb_subcarrier_offset = 0;   // k_SSB 4 LSBs, 0..15
  int k_ssb_msb = 0;               // 0..1
  int dmrs_type_a_position = 2;    // 2 or 3
  int coreset_zero = 0;            // pdcch-ConfigSIB1.controlResourceSetZero 0..15
  int search_space_zero = 0;       // pdcch-ConfigSIB1.searchSpaceZero 0..15
  bool cell_barred = false;
  bool intra_freq_reselection_allowed = true;
  // Radio: EPRE of every SSB resource element at the receiver (SS-RSRP = power_dbfs).
  double power_dbfs = -60.0;
  double freq_offset_hz = 0.0;
  double delay_us = 0.0;
  std::string multipath = "none";  // "none" | "epa" | "eva" | "etu" (36.101 B.2 taps, Rayleigh, one draw per SSB)
  double on_s = 0.0;
  std::optional<double> off_s;
};

// The cell with everything derived filled in (band, SCS, case, L_max, SS_REF, GSCN); throws tw::InputError
// naming the field.
NrCellConfig resolve_nr_cell(const NrCellConfig& cell);
// 38.331 BCCH-BCH-Message (choice bit + MIB, 24 bits, first bit as bit 23) for a frame's SFN.
std::uint32_t nr_mib_bits(const NrCellConfig& cell, int sfn);
double nr_ss_ref_hz(const NrCellConfig& cell);   // resolved cell

NrCellConfig parse_nr_cell(const nlohmann::json& v, const std::string& path);   // path: "nr_cells[0]"
nlohmann::json nr_cell_to_json(const NrCellConfig& cell, bool with_frequency = true);

}  // namespace tw::synth::nr
