// PDSCH of System Information, receive side (TS 36.211 6.3, 6.4): the resource elements of an allocation
// (written once here, used by the synthesizer's tools/synth/lte/pdsch_encoder too), scrambling (6.3.1),
// transmit diversity (6.3.3.3 / 6.3.4.3: SFBC for 2 ports, SFBC + FSTD for 4) or single-port demodulation
// with the channel estimates of DlSubframe, QPSK (7.1.2) max-log soft values scaled by the post-combining SNR.
#pragma once
#include <cstdint>
#include <vector>

#include "dsp/lte/dl_subframe.hpp"
#include "dsp/lte/pdsch_allocation.hpp"

namespace tw::dsp::lte {

// 36.211 table 4.2-2: 'D', 'S' or 'U' for subframe 0..9 (FDD: 'D'). Throws tw::InputError naming
// tdd_config for a TDD cell whose configuration is unknown (-1) or outside 0..6, subframe outside 0..9.
char subframe_kind(const CellParams& cell, int subframe);
// OFDM symbols of the subframe that carry the downlink: 14 / 12, DwPTS of a special subframe (36.211 table
// 4.2-1), 0 for an uplink subframe. Throws tw::InputError naming special_subframe_config when it is needed
// and unknown.
int downlink_symbols(const CellParams& cell, int subframe);
// 36.211 6.7 table 6.7-1: OFDM symbols of the control region (CFI, +1 for N_RB <= 10, TDD subframes 1 and 6
// at most 2). Throws tw::InputError naming cfi outside 1..3.
int control_symbols(const CellParams& cell, int subframe, int cfi);

// 36.211 6.4 / 6.3.5: the PDSCH REs of `alloc` in subframe `subframe` in mapping order (k first over the
// slot's PRBs, then l, from the control region's end), as indices l * 12 n_prb + k. Skipped: the CRS of every
// port of the cell (6.10.1.2), the PBCH (subframe 0, slot 1 symbols 0..3, central 72 subcarriers), the
// PSS/SSS symbols' central 72 subcarriers (reserved ones included: FDD subframes 0 and 5; TDD SSS in 0 / 5,
// PSS in 1 / 6); for odd N_RB the part of a PRB outside the central 72 is used. Throws tw::InputError
// naming the field (n_prb, ports, pci, prb) for inputs outside the specification.
std::vector<int> pdsch_resource_elements(const CellParams& cell, int subframe, int cfi, const PdschAllocation& alloc);

// 36.211 6.3.1: c_init = n_RNTI 2^14 + q 2^13 + floor(n_s / 2) 2^9 + N_ID_cell (q = 0: one codeword).
std::uint32_t pdsch_c_init(std::uint16_t rnti, int q, int ns, int n_id_cell);

class PdschDemodulator {
 public:
  // Throws tw::InputError naming the field of a CellParams outside the specification.
  explicit PdschDemodulator(const CellParams& cell);

  // The G = 2 x (PDSCH REs) soft values of the codeword, descrambled: llr = log P(b = 0) / P(b = 1).
  // Throws tw::InputError for a subframe inconsistent with the cell (n_prb, sizes, missing channel
  // estimates), a CFI outside 1..3 or an allocation beyond the band.
  std::vector<float> execute(const DlSubframe& sf, int cfi, const PdschAllocation& alloc, std::uint16_t rnti);
  void reset() {}

  const CellParams& cell() const { return cell_; }

 private:
  CellParams cell_;
  std::vector<std::uint8_t> c_;
};

}  // namespace tw::dsp::lte
