#include "tools/synth/lte/pbch_encoder.hpp"

#include <cmath>
#include <string>

extern "C" {
#include <osmocom/core/conv.h>
}

#include "dsp/lte/lte_signals.hpp"
#include "dsp/lte/pbch_coding.hpp"
#include "src/core/error.hpp"

namespace tw::synth::lte {

namespace dl = tw::dsp::lte;

std::vector<std::uint8_t> bch_encode(std::span<const std::uint8_t, 3> mib, int ports, bool normal_cp) {
  const std::uint16_t mask = dl::crc_mask_for_ports(ports);   // throws for a bad port count
  // c(0..39): a(0..23) then the 16 parity bits p0..p15, each XORed with x_ant (5.3.1.1).
  std::array<std::uint8_t, dl::kBchCodedIn> c{};
  for (int i = 0; i < dl::kMibBits; ++i) c[static_cast<std::size_t>(i)] = (mib[static_cast<std::size_t>(i / 8)] >> (7 - i % 8)) & 1u;
  const std::uint16_t parity = dl::crc16(std::span<const std::uint8_t>(c.data(), dl::kMibBits)) ^ mask;
  for (int i = 0; i < dl::kBchCrcBits; ++i) c[static_cast<std::size_t>(dl::kMibBits + i)] = (parity >> (15 - i)) & 1u;
  // 5.1.3.1: d^(i)_k, libosmocoding's output interleaved (out[3k + i]).
  std::array<std::uint8_t, 3 * dl::kBchCodedIn> d{};
  osmo_conv_encode(&dl::pbch_conv_code(), c.data(), d.data());
  // 5.1.4.2: map[e] = i * D + k of the coded bit sent as e(e).
  const int e_bits = dl::pbch_bits_total(normal_cp);
  const std::vector<int> map = dl::conv_rate_match_map(dl::kBchCodedIn, e_bits);
  std::vector<std::uint8_t> e(static_cast<std::size_t>(e_bits));
  for (int i = 0; i < e_bits; ++i) {
    const int idx = map[static_cast<std::size_t>(i)];
    const int stream = idx / dl::kBchCodedIn, k = idx % dl::kBchCodedIn;
    e[static_cast<std::size_t>(i)] = d[static_cast<std::size_t>(3 * k + stream)];
  }
  return e;
}

void pbch_scramble(std::span<std::uint8_t> bits, int pci) {
  if (pci < 0 || pci > 503) throw InputError("pci: " + std::to_string(pci) + " is outside 0..503");
  std::vector<std::uint8_t> c(bits.size());
  dl::gold_sequence(static_cast<std::uint32_t>(pci), c);
  for (std::size_t i = 0; i < bits.size(); ++i) bits[i] ^= c[i];
}

void pbch_precode(std::span<const std::uint8_t> b, int ports, std::vector<std::vector<cf32>>& out) {
  if (ports != 1 && ports != 2 && ports != 4) throw InputError("ports: " + std::to_string(ports) + " is not 1, 2 or 4");
  const std::size_t m = b.size() / 2;
  if (b.size() % 2 != 0 || m % static_cast<std::size_t>(ports) != 0)
    throw std::invalid_argument("pbch_precode: bit count does not fit the layers");
  // 7.1.2 QPSK: (1 - 2 b(2i)) / sqrt2 + j (1 - 2 b(2i+1)) / sqrt2.
  const float a = static_cast<float>(1.0 / std::sqrt(2.0));
  auto qpsk = [&](std::size_t i) { return cf32(a * (1.0f - 2.0f * b[2 * i]), a * (1.0f - 2.0f * b[2 * i + 1])); };
  out.resize(static_cast<std::size_t>(ports));
  for (auto& v : out) v.assign(m, cf32{});
  if (ports == 1) {
    for (std::size_t i = 0; i < m; ++i) out[0][i] = qpsk(i);
    return;
  }
  if (ports == 2) {
    // 6.3.3.3: x0(i) = d(2i), x1(i) = d(2i+1). 6.3.4.3: y0(2i) = x0, y1(2i) = -x1*, y0(2i+1) = x1,
    // y1(2i+1) = x0*, all / sqrt2.
    for (std::size_t i = 0; i < m / 2; ++i) {
      const cf32 x0 = qpsk(2 * i), x1 = qpsk(2 * i + 1);
      out[0][2 * i] = a * x0;
      out[1][2 * i] = -a * std::conj(x1);
      out[0][2 * i + 1] = a * x1;
      out[1][2 * i + 1] = a * std::conj(x0);
    }
    return;
  }
  // 4 ports: x_v(i) = d(4i + v); SFBC on ports 0/2 for symbols 4i, 4i+1 and on ports 1/3 for 4i+2, 4i+3.
  for (std::size_t i = 0; i < m / 4; ++i) {
    const cf32 x0 = qpsk(4 * i), x1 = qpsk(4 * i + 1), x2 = qpsk(4 * i + 2), x3 = qpsk(4 * i + 3);
    out[0][4 * i] = a * x0;
    out[2][4 * i] = -a * std::conj(x1);
    out[0][4 * i + 1] = a * x1;
    out[2][4 * i + 1] = a * std::conj(x0);
    out[1][4 * i + 2] = a * x2;
    out[3][4 * i + 2] = -a * std::conj(x3);
    out[1][4 * i + 3] = a * x3;
    out[3][4 * i + 3] = a * std::conj(x2);
  }
}

}  // namespace tw::synth::lte
