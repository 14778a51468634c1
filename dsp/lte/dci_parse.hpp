// Payload sizes and fields of the DCI formats of the common search space (TS 36.212 5.3.3.1): format 1A
// (5.3.3.1.3) and 1C (5.3.3.1.4), read as for the SI-RNTI / P-RNTI / RA-RNTI, with 36.213 7.1.6.3's
// resource allocation sizes. The uplink bandwidth is taken equal to the downlink's (format 0's size
// depends on it; SIB2 tells it later).
#pragma once
#include <cstdint>
#include <optional>
#include <span>

#include "dsp/lte/dci.hpp"

namespace tw::dsp::lte {

// ceil(log2(N_RB (N_RB + 1) / 2)): the RIV field of formats 0 / 1A.
int riv_bits(int n_prb);
// 36.212 5.3.3.1.1 format 0 (common search space: no SRS request; resource allocation type bit when
// N_RB^UL <= N_RB^DL), before any padding.
int dci_format0_bits(int n_prb, bool tdd);
// 36.212 5.3.3.1.3: format 1A padded with zeros to format 0's size, then one more zero when the size is one
// of 5.3.3.1.2's ambiguous sizes {12, 14, 16, 20, 24, 26, 32, 40, 44, 56}.
int dci_1a_bits(int n_prb, bool tdd);
// 36.211 table 6.2.3.2-1: N_gap (gap 0: N_gap,1; gap 1: N_gap,2, N_RB >= 50 only).
int n_gap(int n_prb, int gap);
// 36.213 7.1.6.3: N_RB_step of format 1C (2 for N_RB < 50, 4 otherwise) and N_VRB_gap1 = 2 min(N_gap,1,
// N_RB - N_gap,1).
int n_rb_step_1c(int n_prb);
int n_vrb_gap1(int n_prb);
// 36.212 5.3.3.1.4: [gap 1 bit when N_RB >= 50] + RIV over N_RB_step + 5 bits of I_TBS.
int dci_1c_riv_bits(int n_prb);
int dci_1c_bits(int n_prb);
int dci_bits(DciFormat f, int n_prb, bool tdd);

// The fields of a payload of that format's size (bits 0/1, the first bit sent first). nullopt when the bits
// are not that format's (1A: the format 0/1A flag is 0, an uplink grant). Throws tw::InputError naming the
// field for n_prb outside 6..110, a payload of another size or a bit not 0/1.
std::optional<Dci> parse_dci(DciFormat format, std::span<const std::uint8_t> bits, int n_prb, bool tdd, std::uint16_t rnti);

}  // namespace tw::dsp::lte
