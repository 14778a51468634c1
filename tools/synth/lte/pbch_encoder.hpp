// The PBCH transmit chain of the LTE synthesizer: MIB -> BCH transport channel coding (TS 36.212 5.3.1) ->
// scrambling, QPSK, layer mapping and precoding for transmit diversity (TS 36.211 6.6.1 - 6.6.3).
// The coding pieces (CRC, convolutional code, rate-matching map) are the shared ones of dsp/lte/.
#pragma once
#include <array>
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

namespace tw::synth::lte {

using cf32 = std::complex<float>;

// 36.212 5.3.1: the 24 MIB bits (MSB of octet 0 first), CRC-16 (5.1.1) masked by the antenna-port mask
// x_ant (5.3.1.1), tail-biting convolutional code (5.1.3.1), rate matching (5.1.4.2) to E = 1920 bits
// (normal CP) or 1728 (extended CP): the bits e(0..E-1), 0/1. Throws tw::InputError for ports not 1/2/4.
std::vector<std::uint8_t> bch_encode(std::span<const std::uint8_t, 3> mib, int ports, bool normal_cp);

// 36.211 6.6.1: scrambling with c(i) of c_init = N_ID_cell (7.2), restarted every frame with SFN mod 4 = 0.
void pbch_scramble(std::span<std::uint8_t> bits, int pci);

// 36.211 6.6.2 / 6.6.3 with 6.3.3.1 / 6.3.3.3 / 6.3.4.1 / 6.3.4.3: QPSK (7.1.2) of the scrambled bits, then
// for 1 port the symbols themselves, for 2 and 4 ports transmit diversity (SFBC, SFBC + FSTD for 4).
// out[p] gets M_symb = bits/2 symbols for antenna port p = 0..ports-1 (y^(p)(i) in mapping order).
void pbch_precode(std::span<const std::uint8_t> scrambled_bits, int ports, std::vector<std::vector<cf32>>& out);

}  // namespace tw::synth::lte
