// The resource-element groups of the downlink control region (TS 36.211 6.2.4) and who owns them: the
// PCFICH (6.7.4), the PHICH groups (6.9.3) and, in order, the PDCCH (6.8.5), with the PDCCH's quadruplet
// interleaving (sub-block interleaver of 36.212 5.1.4.2.1 on quadruplets, then the cyclic shift by N_ID).
//
// A REG is 4 resource elements of one OFDM symbol l not used by the cell-specific reference signals, within
// 6 subcarriers (k0, k0+6 in a PRB) where the symbol carries CRS (l = 0 always, as if ports 0 and 1 were
// configured; l = 1 with 4 ports; l = 3 with extended CP), within 4 (k0, k0+4, k0+8) elsewhere. It is
// represented by (k0, l), k0 its lowest subcarrier (the RS positions included).
#pragma once
#include <array>
#include <vector>

#include "dsp/lte/dl_subframe.hpp"

namespace tw::dsp::lte {

struct Reg {
  int l = 0;                  // OFDM symbol of the subframe
  int k0 = 0;                 // representing subcarrier
  std::array<int, 4> k{};     // the 4 subcarriers carrying the quadruplet, increasing
};

// OFDM symbols of the control region for a CFI (36.211 table 6.7-1): CFI, +1 for N_RB <= 10.
// Throws tw::InputError for a CFI outside 1..3.
int control_symbols(int cfi, int n_prb);

// 6.7.4: the 4 REGs of the PCFICH (symbol 0), quadruplet i at k = k_bar + floor(i N_RB / 2) N_sc / 2 (mod
// N_RB N_sc), k_bar = (N_sc / 2)(N_ID mod 2 N_RB).
std::array<Reg, 4> pcfich_regs(const CellParams& cell);

class ControlRegs {
 public:
  // l_ctrl: OFDM symbols of the control region (1..4). phich_mi: m_i of 36.211 table 6.9-1 (1 for FDD; 0, 1
  // or 2 in TDD). mbsfn_or_special: an MBSFN subframe or TDD subframe 1/6 (extended PHICH's other pattern).
  // Throws tw::InputError naming the field for a cell outside the specification, l_ctrl outside 1..4, an
  // extended PHICH duration with fewer than 3 control symbols (2 for mbsfn_or_special), or PHICH groups
  // that do not fit.
  ControlRegs(const CellParams& cell, int l_ctrl, int phich_mi = 1, bool mbsfn_or_special = false);

  int l_ctrl() const { return l_ctrl_; }
  // Every REG of symbols 0 .. l_ctrl-1 in the order of 6.8.5 (k0 increasing, then l).
  const std::vector<Reg>& all() const { return all_; }
  const std::array<int, 4>& pcfich() const { return pcfich_; }              // indices into all()
  const std::vector<std::array<int, 3>>& phich() const { return phich_; }   // per mapping unit m', into all()
  // The PDCCH's REGs in 6.8.5 order (indices into all()): REG m' carries quadruplet
  // pdcch_quadruplet()[m'] of the PDCCH symbol block (after the interleaving and cyclic shift).
  const std::vector<int>& pdcch() const { return pdcch_; }
  const std::vector<int>& pdcch_quadruplet() const { return quad_; }
  int n_reg_pdcch() const { return static_cast<int>(pdcch_.size()); }
  int n_cce() const { return n_reg_pdcch() / 9; }   // 6.8.1: a CCE is 9 REGs

 private:
  int l_ctrl_ = 1;
  std::vector<Reg> all_;
  std::array<int, 4> pcfich_{};
  std::vector<std::array<int, 3>> phich_;
  std::vector<int> pdcch_;
  std::vector<int> quad_;
};

// 36.212 5.1.4.2.1 on M quadruplets (32 columns, permutation table 5.1.4-2, <NULL> first, read column by
// column with the <NULL>s dropped): out[i] = the input index at output position i.
std::vector<int> subblock_interleave_order(int m);

}  // namespace tw::dsp::lte
