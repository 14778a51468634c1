// The PDSCH transmit chain of the LTE synthesizer for System Information: transport block octets -> bits
// (MSB of octet 0 first) -> DL-SCH coding (dsp/lte/dlsch_coding: CRC24A, segmentation, turbo code, rate
// matching for redundancy version rv) -> scrambling (TS 36.211 6.3.1) -> QPSK (7.1.2) -> layer mapping and
// precoding for transmit diversity (6.3.3.3 / 6.3.4.3) or port 0 -> the PDSCH REs of the allocation
// (dsp/lte/pdsch: the receiver's own RE mapping, tested against the specification's counts) of every
// port's grid, laid out as LteCellChain::build_grid: grid[p][l * 12 N_RB + k].
#pragma once
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "dsp/lte/dl_subframe.hpp"
#include "dsp/lte/pdsch_allocation.hpp"

namespace tw::synth::lte {

using cf32 = std::complex<float>;

// Maps the G = 2 x (PDSCH REs) rate-matched bits e (0/1) of one transmission: scrambled with n_RNTI = rnti,
// modulated, precoded for the cell's ports and written (amplitude times the unit-power symbol of each port)
// into grids[p], p < cell.ports; grids are resized to 12 N_RB x (14 | 12) when their size differs; REs outside
// the PDSCH are left as they are. Throws tw::InputError when e_bits.size() is not G (or for an input the
// RE mapping rejects).
void pdsch_map_bits(std::span<const std::uint8_t> e_bits, const dsp::lte::CellParams& cell, int subframe, int cfi,
                    const dsp::lte::PdschAllocation& alloc, std::uint16_t rnti,
                    std::vector<std::vector<cf32>>& grids, float amplitude = 1.0f);

// The whole chain for transport block `tb_octets` (alloc.tbs / 8 octets) with redundancy version rv: returns
// the G bits e that were mapped (before scrambling). Throws tw::InputError when the octets do not make
// alloc.tbs bits.
std::vector<std::uint8_t> pdsch_encode(std::span<const std::uint8_t> tb_octets, const dsp::lte::CellParams& cell,
                                       int subframe, int cfi, const dsp::lte::PdschAllocation& alloc,
                                       std::uint16_t rnti, int rv, std::vector<std::vector<cf32>>& grids,
                                       float amplitude = 1.0f);

}  // namespace tw::synth::lte
