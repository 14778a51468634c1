// Channel decoding of the TS0 blocks (TS 45.003): xCCH (clause 4.1: BCCH, CCCH, SDCCH, SACCH) and SCH
// (clause 4.7), on libosmocore's Viterbi decoder, CRC check and bit packing. The code definitions are built
// here from the spec's polynomials, so the receiver needs libosmocore only (libosmocoding pulls libosmogsm and
// its GnuTLS chain into every start). The results are those of libosmocoding's gsm0503_xcch_decode and
// gsm0503_sch_decode bit for bit (tests/test_dsp_gsm0503_decode.cpp compares them).
// Soft bits: +127 a confident 0, -127 a confident 1 (osmocom's sbit_t).
#pragma once
#include <cstdint>

namespace tw::gsm {

// Four bursts of 116 soft bits each (57 data, the two stealing flags, 57 data: 45.003 clause 4.1.5) to the
// 23 octets of the block; false when the fire code (clause 4.1.2) does not hold.
bool xcch_decode(std::uint8_t octets[23], const std::int8_t bursts[4 * 116]);

// The SCH's 78 coded soft bits (the 39 before and the 39 after its extended training sequence) to its 25
// information bits in 4 octets (LSB first, as osmocom packs them); false when the parity (clause 4.7) fails.
bool sch_decode(std::uint8_t sb_info[4], const std::int8_t coded[78]);

}  // namespace tw::gsm
