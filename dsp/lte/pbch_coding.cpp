#include "dsp/lte/pbch_coding.hpp"

extern "C" {
#include <osmocom/core/conv.h>
}

#include <array>
#include <string>

#include "src/core/error.hpp"

namespace tw::dsp::lte {

std::uint16_t crc16(std::span<const std::uint8_t> bits) {
  std::uint16_t reg = 0;
  for (std::size_t i = 0; i < bits.size(); ++i) {
    if (bits[i] > 1) throw InputError("crc16: bit " + std::to_string(i) + " is not 0/1");
    const bool fb = ((reg >> 15) & 1u) != bits[i];
    reg = static_cast<std::uint16_t>(reg << 1);
    if (fb) reg ^= 0x1021u;
  }
  return reg;
}

std::uint16_t crc_mask_for_ports(int ports) {
  switch (ports) {
    case 1: return 0x0000;
    case 2: return 0xFFFF;
    case 4: return 0x5555;
    default: throw InputError("PBCH antenna ports: " + std::to_string(ports) + " is not 1, 2 or 4");
  }
}

namespace {
struct ConvTables {
  std::array<std::array<std::uint8_t, 2>, 64> next_output{};
  std::array<std::array<std::uint8_t, 2>, 64> next_state{};
  osmo_conv_code code{};
  ConvTables() {
    // libosmocoding's state: the last K-1 = 6 input bits, the most recent in the LSB (as its tail-biting
    // encoder loads it). Register r: bit 0 = current input (D^0), bit i = input i steps ago (D^i).
    static constexpr unsigned gens[3] = {0133, 0171, 0165};
    for (unsigned s = 0; s < 64; ++s) {
      for (unsigned b = 0; b < 2; ++b) {
        const unsigned r = (s << 1) | b;
        unsigned out = 0;
        for (unsigned g : gens) {
          unsigned p = 0;
          for (int i = 0; i < 7; ++i) p ^= ((g >> (6 - i)) & 1u) & ((r >> i) & 1u);  // MSB of g taps D^0
          out = (out << 1) | p;  // first output stream in the MSB
        }
        next_output[s][b] = static_cast<std::uint8_t>(out);
        next_state[s][b] = static_cast<std::uint8_t>(r & 63u);
      }
    }
    code.N = 3;
    code.K = 7;
    code.len = kBchCodedIn;
    code.term = CONV_TERM_TAIL_BITING;
    code.next_output = reinterpret_cast<const std::uint8_t(*)[2]>(next_output.data());
    code.next_state = reinterpret_cast<const std::uint8_t(*)[2]>(next_state.data());
  }
};
}  // namespace

const osmo_conv_code& pbch_conv_code() {
  static const ConvTables t;
  return t.code;
}

std::vector<int> conv_rate_match_map(int d_bits, int e_bits) {
  if (d_bits < 1 || d_bits > 1 << 16) throw InputError("rate matching: D = " + std::to_string(d_bits) + " out of range");
  if (e_bits < 0 || e_bits > 1 << 20) throw InputError("rate matching: E = " + std::to_string(e_bits) + " out of range");
  // Table 5.1.4-2: inter-column permutation pattern of the convolutional sub-block interleaver.
  static constexpr int perm[32] = {1, 17, 9,  25, 5, 21, 13, 29, 3, 19, 11, 27, 7, 23, 15, 31,
                                   0, 16, 8, 24, 4, 20, 12, 28, 2, 18, 10, 26, 6, 22, 14, 30};
  constexpr int C = 32;
  const int R = (d_bits + C - 1) / C;
  const int nd = R * C - d_bits;  // dummy bits at the head of the matrix
  const int kpi = R * C;
  // v_k for one stream: the index within the stream (or -1 for <NULL>), read column by column.
  std::vector<int> v(static_cast<std::size_t>(kpi));
  int idx = 0;
  for (int col = 0; col < C; ++col) {
    for (int row = 0; row < R; ++row) {
      const int y = row * C + perm[col];
      v[static_cast<std::size_t>(idx++)] = y < nd ? -1 : y - nd;
    }
  }
  std::vector<int> map(static_cast<std::size_t>(e_bits));
  if (e_bits == 0) return map;
  const int kw = 3 * kpi;
  int k = 0;
  for (long long j = 0; k < e_bits; ++j) {
    const int w = static_cast<int>(j % kw);
    const int stream = w / kpi;
    const int y = v[static_cast<std::size_t>(w % kpi)];
    if (y >= 0) map[static_cast<std::size_t>(k++)] = stream * d_bits + y;
  }
  return map;
}

int pbch_bits_per_frame(bool normal_cp) { return normal_cp ? 480 : 432; }
int pbch_bits_total(bool normal_cp) { return 4 * pbch_bits_per_frame(normal_cp); }

}  // namespace tw::dsp::lte
