// The per-SIB decoders of src/lte/sibN.cpp and the IEs they share (TS 36.331 6.3.x), registered in the table
// of bcch_dl_sch.cpp. Internal to tw_lte.
#pragma once
#include "src/lte/lte_rrc.hpp"
#include "src/lte/uper_reader.hpp"

namespace tw::lte::detail {

Sib1 decode_sib1(UperReader& r);
Sib2 decode_sib2(UperReader& r);
Sib3 decode_sib3(UperReader& r);
Sib4 decode_sib4(UperReader& r);
Sib5 decode_sib5(UperReader& r);
Sib6 decode_sib6(UperReader& r);
Sib7 decode_sib7(UperReader& r);
Sib8 decode_sib8(UperReader& r);
Sib9 decode_sib9(UperReader& r);
Sib10 decode_sib10(UperReader& r);
Sib11 decode_sib11(UperReader& r);

// Shared IEs (rrc_ie.cpp).
constexpr int kMaxCellIntra = 16, kMaxCellBlack = 16, kMaxCellInter = 16, kMaxFreq = 8;  // 6.4 constants
SpeedStateScaleFactors read_speed_state_scale_factors(UperReader& r, const char* field);
MobilityStateParameters read_mobility_state_parameters(UperReader& r, const char* field);
PhysCellIdRange read_phys_cell_id_range(UperReader& r, const char* field);
std::vector<PhysCellIdRange> read_black_cell_list(UperReader& r, const char* field);
int read_q_rx_lev_min(UperReader& r, const char* field);        // Q-RxLevMin -70..-22
int read_p_max(UperReader& r, const char* field);                // P-Max -30..33
int read_reselection_threshold(UperReader& r, const char* field);  // 0..31
int read_cell_reselection_priority(UperReader& r, const char* field);  // 0..7
int read_t_reselection(UperReader& r, const char* field);        // 0..7
unsigned read_q_offset_range(UperReader& r, const char* field);  // 31 values
int read_q_qual_min(UperReader& r, const char* field);           // Q-QualMin-r9 -34..-3
// The extension additions of a SEQUENCE whose preamble said so (skipped, counted).
unsigned skip_additions_if(UperReader& r, const UperReader::Preamble& p);

}  // namespace tw::lte::detail
