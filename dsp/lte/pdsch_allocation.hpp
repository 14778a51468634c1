// The PDSCH resources of a System Information (SI-RNTI) DCI: resource allocation type 2 (TS 36.213
// 7.1.6.3: RIV of format 1A localized/distributed and of format 1C with N_RB^step), virtual to physical
// resource block mapping (TS 36.211 6.2.3.1 localized, 6.2.3.2 distributed: gap table 6.2.3.2-1, block
// interleaver with N_null, slot-wise hopping) and modulation / TBS (TS 36.213 7.1.7: QPSK, format 1A
// I_TBS = I_MCS over column N_PRB^1A, format 1C table 7.1.7.2.3-1).
#pragma once
#include <vector>

#include "dsp/lte/dci.hpp"
#include "dsp/lte/dci_parse.hpp"

namespace tw::dsp::lte {

struct PdschAllocation {
  std::vector<int> prb_slot0, prb_slot1;  // physical resource blocks n_PRB of each slot, ascending
  int n_prb = 0;                          // PRBs per slot (L_CRBs)
  int i_tbs = 0;
  int tbs = 0;                            // transport block size, bits
  int qm = 2;                             // modulation order (QPSK)
};

// Resource indication value (36.213 7.1.6.3): start and length of a contiguous set of (virtual) blocks.
struct RivAllocation {
  int rb_start = 0;
  int l_crb = 0;
};
// RIV = n (L - 1) + start when L - 1 <= floor(n / 2), else n (n - L + 1) + (n - 1 - start).
int riv_encode(int rb_start, int l_crb, int n);
// Inverse of riv_encode; n_max bounds start + L (N_VRB). Throws tw::InputError naming "riv" for a value
// that is no allocation within n_max.
RivAllocation riv_decode(int riv, int n, int n_max);

// N_gap (36.211 table 6.2.3.2-1) is n_gap() of dsp/lte/dci_parse.hpp.
// 36.211 6.2.3.2: N_VRB^DL of distributed blocks: 2 min(N_gap, N_RB - N_gap) for N_gap,1,
// floor(N_RB / 2 N_gap) 2 N_gap for N_gap,2.
int n_vrb_distributed(int n_rb, int gap);
// 36.213 table 7.1.6.1-1: RBG size P (1, 2, 3, 4 for N_RB <= 10, 11..26, 27..63, 64..110).
int rbg_size(int n_rb);
// 36.213 7.1.6.3: N_RB^step of format 1C (2 for N_RB 6..49, 4 for 50..110).
int n_rb_step(int n_rb);
// 36.211 6.2.3.2: the PRB carrying distributed VRB n_vrb in slot parity `slot` (0 even, 1 odd).
int distributed_vrb_to_prb(int n_vrb, int slot, int n_rb, int gap);

// 36.213 7.1.6.3 + 7.1.7 for a DCI with SI-RNTI (or P-RNTI / RA-RNTI): format 1A (I_TBS = I_MCS, 0..26,
// N_PRB^1A = 3 when the TPC field's LSB is 1 else 2, 36.212 5.3.3.1.3) or 1C (I_TBS 0..31). Throws
// tw::InputError naming the field (n_rb_dl, riv, gap, mcs) for anything outside the specification.
PdschAllocation si_allocation(const Dci& dci, int n_rb_dl);

}  // namespace tw::dsp::lte
