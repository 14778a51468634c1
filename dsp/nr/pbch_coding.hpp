// NR PBCH transport channel (TS 38.212 7.1) and PBCH bit scrambling (TS 38.211 7.3.3.1), both directions:
// payload generation with the interleaver G (7.1.1), payload scrambling (7.1.2), CRC24C (7.1.3), polar code
// K = 56, N = 512, n_PC = 0, I_IL = 1 (7.1.4) and rate matching to E = 864 (7.1.5), then the 864 bits are
// scrambled with c(i + v 864), c_init = N_ID^cell, v = the SS/PBCH block index's 2 (L_max = 4) or 3 LSBs.
// The MIB itself (the 24 BCCH-BCH-Message bits) is src/nr/mib.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace tw::nr {

constexpr int kPbchPayloadBits = 32;  // A: 24 MIB bits + 8 additional timing bits (7.1.1)
constexpr int kPbchCrcBits = 24;
constexpr int kPbchK = kPbchPayloadBits + kPbchCrcBits;  // 56
constexpr int kPbchE = 864;                                // 7.1.5
constexpr int kPbchN = 512;                                // 5.3.1 for K = 56, E = 864, n_max = 9
constexpr int kPbchListSize = 8;

struct PbchPayload {
  uint32_t mib_bits;   // 24 bits, BCCH-BCH-Message incl. choice bit, MSB first
  uint16_t sfn;        // 10 bits
  bool half_frame;
  uint8_t ssb_index;   // 6 bits; for Lmax<64 only the 3 LSBs matter
  uint8_t k_ssb_msb;   // for Lmax<64 bit 4 of k_SSB
  uint8_t reserved_bits = 0;  // Lmax<64: the 2 reserved bits a_{A+6}, a_{A+7} (first in bit 1); 0 when sent
};

// 864 bits (0/1) after 38.212 7.1 and the 38.211 7.3.3.1 scrambling, ready for QPSK (38.211 7.3.3.2)
// Throws tw::InputError for a field out of range (mib_bits >= 2^24, sfn > 1023, ssb_index >= l_max, k_ssb_msb
// > 1, reserved_bits > 3, the MIB's systemFrameNumber not sfn's 6 MSBs), a PCI outside 0..1007 or l_max not
// 4, 8 or 64.
std::array<uint8_t, 864> pbch_encode(const PbchPayload& p, uint16_t pci, int l_max);

struct PbchDecoded {
  PbchPayload payload;
  double metric;  // normalised correlation of the LLRs with the re-encoded 864 bits: sum(llr (1-2b)) / sum|llr|,
                  // -1..1, 1 = every hard decision agrees
  double path_metric = 0;  // the list decoder's path metric of the accepted path
  int list_rank = 0;       // its rank in the list (0 = the most likely path)
};

// llr: 864 soft values, positive = bit 0 more likely (log P(0)/P(1)), in transmission order after QPSK demap;
// ssb_index_lsbs: the 2 (Lmax=4) or 3 (Lmax>=8) LSBs found from the DMRS. nullopt when CRC fails for all list paths.
// Also nullopt for input that carries no information (fewer than half of the values non-zero and finite),
// where the all-zero code word would otherwise pass the zero-initialised CRC. Throws tw::InputError for a
// wrong llr size, PCI, l_max or ssb_index_lsbs out of range.
std::optional<PbchDecoded> pbch_decode(std::span<const float> llr, uint16_t pci, uint8_t ssb_index_lsbs, int l_max);

// ---- the steps, for tests and tools ----

// 38.212 5.1: CRC24C, g(D) = D^24 + D^23 + D^21 + D^20 + D^17 + D^15 + D^13 + D^12 + D^8 + D^4 + D^2 + D + 1,
// register 0, bits 0/1 in order; returns p_0..p_23 with p_0 in bit 23.
uint32_t crc24c(std::span<const uint8_t> bits);

// 7.1.1: ā (the 32 bits before interleaving: MIB, SFN 4th..1st LSB, half frame, then SSB index bits 6..4 or
// k_SSB MSB and the reserved bits), and a = the interleaved sequence (a_{G(j)} = ā_i).
std::array<uint8_t, 32> pbch_payload_bits(const PbchPayload& p, int l_max);
std::array<uint8_t, 32> pbch_payload_interleave(const std::array<uint8_t, 32>& a_bar);
// Table 7.1.1-1.
const std::array<uint8_t, 32>& pbch_payload_interleaver_pattern();

}  // namespace tw::nr
