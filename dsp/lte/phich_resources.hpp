// PHICH resources (TS 36.211 6.9): the number of PHICH groups and where their resource-element groups lie
// in the control region (6.9.3).
#pragma once
#include <array>
#include <string>
#include <vector>

namespace tw::dsp::lte {

// Ng of the MIB's phich-Resource: "1/6", "1/2", "1", "2". Throws tw::InputError naming phich_resource.
double phich_ng(const std::string& phich_resource);
// 6.9: N_group = ceil(Ng (N_RB / 8)) for normal CP, 2 ceil(Ng (N_RB / 8)) for extended CP (FDD; TDD
// multiplies by m_i of table 6.9-1, the caller's phich_mi).
int phich_groups(int n_prb, const std::string& phich_resource, bool normal_cp);
// PHICH mapping units m' (6.9.3): ceil(Ng (N_RB / 8)) m_i for both CPs (extended CP: two groups per unit).
int phich_mapping_units(int n_prb, const std::string& phich_resource, int phich_mi = 1);
// m_i of 36.211 table 6.9-1: 1 for FDD (and for a TDD cell whose configuration is not known yet, -1);
// TDD uplink-downlink configuration 0..6: 0, 1 or 2 per subframe (0 in uplink subframes). Throws
// tw::InputError naming tdd_config (outside -1..6) or subframe (outside 0..9).
int phich_mi(bool tdd, int tdd_config, int subframe);

// Where the 3 REGs of each mapping unit go (6.9.3 steps 1-10): n_free[l'] = REGs of symbol l' not assigned
// to the PCFICH (n_0, n_1, n_2). Result[m'][i] = {l'_i, n_i}: symbol l'_i and the n_i-th REG (in increasing
// frequency) of that symbol's REGs not assigned to the PCFICH. Normal duration: l'_i = 0; extended: l'_i = i,
// or (floor(m'/2) + i + 1) mod 2 in MBSFN subframes and TDD subframes 1 and 6 (mbsfn_or_special).
// Throws tw::InputError when a needed symbol has no free REG or the units do not fit (3 units per REG...).
struct PhichReg {
  int l;
  int n;
};
std::vector<std::array<PhichReg, 3>> phich_reg_positions(int n_id_cell, int units, bool extended_duration,
                                                        bool mbsfn_or_special, const std::array<int, 3>& n_free);

}  // namespace tw::dsp::lte
