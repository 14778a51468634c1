#include "dsp/gsm/gsm0503_decode.hpp"

#include <array>

extern "C" {
#include <osmocom/core/bits.h>
#include <osmocom/core/conv.h>
#include <osmocom/core/crcgen.h>
}

namespace tw::gsm {
namespace {

// The rate 1/2, constraint length 5 code of the xCCH and the SCH (45.003 clauses 4.1.3 and 4.7):
// G0 = 1 + D^3 + D^4, G1 = 1 + D + D^3 + D^4. In libosmocore's tables a state is the last K-1 = 4 input
// bits (the newest in bit 0) and an output holds the N = 2 code bits, the first in the higher bit.
constexpr unsigned kG0 = 0x19, kG1 = 0x1b;   // bit i: the coefficient of D^i

struct Trellis {
  std::uint8_t next_output[16][2];
  std::uint8_t next_state[16][2];
};

constexpr Trellis make_trellis() {
  Trellis t{};
  for (unsigned s = 0; s < 16; ++s)
    for (unsigned b = 0; b < 2; ++b) {
      const unsigned reg = (s << 1) | b;   // bit 0: the input now, bit i: the input i steps ago
      const unsigned c0 = static_cast<unsigned>(__builtin_parity(reg & kG0));
      const unsigned c1 = static_cast<unsigned>(__builtin_parity(reg & kG1));
      t.next_output[s][b] = static_cast<std::uint8_t>((c0 << 1) | c1);
      t.next_state[s][b] = static_cast<std::uint8_t>(reg & 15u);
    }
  return t;
}
constexpr Trellis kTrellis = make_trellis();

// 184 data + 40 parity bits (4 tail bits flushed): 456 coded bits.
const osmo_conv_code kXcchCode = {2, 5, 224, CONV_TERM_FLUSH, kTrellis.next_output, kTrellis.next_state,
                                  nullptr, nullptr, nullptr};
// 25 data + 10 parity bits (4 tail bits flushed): 78 coded bits.
const osmo_conv_code kSchCode = {2, 5, 35, CONV_TERM_FLUSH, kTrellis.next_output, kTrellis.next_state,
                                 nullptr, nullptr, nullptr};

// 45.003 clause 4.1.2, the fire code g(D) = (D^23 + 1)(D^17 + D^3 + 1): D^40 + D^26 + D^23 + D^17 + D^3 + 1;
// the parity bits are the inverted remainder.
const osmo_crc64gen_code kFireCrc40 = {40, 0x0004820009ULL, 0, 0xffffffffffULL};
// 45.003 clause 4.7, the SCH's g(D) = D^10 + D^8 + D^6 + D^5 + D^4 + D^2 + 1, inverted remainder.
const osmo_crc16gen_code kSchCrc10 = {10, 0x0175, 0, 0x03ff};

}  // namespace

bool xcch_decode(std::uint8_t octets[23], const std::int8_t bursts[4 * 116]) {
  // 45.003 clause 4.1.5: burst B's 114 interleaved bits are its 57 + 57 data bits around the stealing flags.
  // Clause 4.1.4: coded bit k sits in burst k mod 4 at position j = 2((49k) mod 57) + ((k mod 8) div 4).
  std::array<sbit_t, 456> coded;
  for (int k = 0; k < 456; ++k) {
    const int b = k & 3;
    const int j = 2 * ((49 * k) % 57) + ((k & 7) >> 2);
    coded[static_cast<std::size_t>(k)] = bursts[b * 116 + (j < 57 ? j : j + 2)];
  }
  std::array<ubit_t, 224> bits;
  osmo_conv_decode(&kXcchCode, coded.data(), bits.data());
  if (osmo_crc64gen_check_bits(&kFireCrc40, bits.data(), 184, bits.data() + 184) != 0) return false;
  osmo_ubit2pbit_ext(octets, 0, bits.data(), 0, 184, 1);
  return true;
}

bool sch_decode(std::uint8_t sb_info[4], const std::int8_t coded[78]) {
  std::array<ubit_t, 35> bits;
  osmo_conv_decode(&kSchCode, coded, bits.data());
  if (osmo_crc16gen_check_bits(&kSchCrc10, bits.data(), 25, bits.data() + 25) != 0) return false;
  osmo_ubit2pbit_ext(sb_info, 0, bits.data(), 0, 25, 1);
  return true;
}

}  // namespace tw::gsm
