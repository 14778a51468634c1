// TS 44.018 10.5.2.13 frequency list decoding.
#include "src/gsm/frequency_list.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "src/gsm/bit_reader.hpp"

namespace tw::gsm {

const char* frequency_list_format_name(FrequencyListFormat format) {
  switch (format) {
    case FrequencyListFormat::bit_map_0: return "bit_map_0";
    case FrequencyListFormat::range_1024: return "range_1024";
    case FrequencyListFormat::range_512: return "range_512";
    case FrequencyListFormat::range_256: return "range_256";
    case FrequencyListFormat::range_128: return "range_128";
    case FrequencyListFormat::variable_bit_map: return "variable_bit_map";
  }
  return "?";
}

namespace {

// Mathematical modulo (result in 0..m-1) for possibly negative n.
int mod(int n, int m) { return ((n % m) + m) % m; }

// Number of bits of W(k) for a range of 2^range_log2 (10.5.2.13.3-6: W(1) has log2(range) bits, each
// further level of the tree one bit less). Returns 0 when the field would have no bits.
unsigned w_bits(unsigned range_log2, unsigned k) {
  unsigned level = 0;
  while ((k >> (level + 1)) != 0) ++level;  // level = floor(log2(k))
  return level >= range_log2 ? 0 : range_log2 - level;
}

// F(K) from the W(k) tree, 10.5.2.13.3 (range 1024) and Annex J, generalised with R = range:
//   INDEX = K, J = greatest power of 2 <= INDEX, N = W(INDEX)
//   while INDEX > 1:
//     if 2*INDEX < 3*J: INDEX -= J/2; N = (N + W(INDEX) - R/J - 1) mod (2R/J - 1) + 1   (left child)
//     else:             INDEX -= J;   N = (N + W(INDEX) - 1) mod (2R/J - 1) + 1         (right child)
//     J /= 2
int inverse_w(const std::vector<int>& w, int k, int range) {
  int index = k;
  int j = 1;
  while (j * 2 <= index) j *= 2;
  int n = w[static_cast<std::size_t>(index)];
  while (index > 1) {
    if (2 * index < 3 * j) {
      index -= j / 2;
      n = mod(n + w[static_cast<std::size_t>(index)] - range / j - 1, 2 * range / j - 1) + 1;
    } else {
      index -= j;
      n = mod(n + w[static_cast<std::size_t>(index)] - 1, 2 * range / j - 1) + 1;
    }
    j /= 2;
  }
  return n;
}

void decode_range(BitReader& r, unsigned range_log2, std::vector<int>& w) {
  w.assign(1, 0);  // w[0] unused
  for (unsigned k = 1;; ++k) {
    const unsigned nb = w_bits(range_log2, k);
    if (nb == 0 || r.remaining() < nb) break;
    w.push_back(static_cast<int>(r.bits(nb, "W(k)")));
  }
}

}  // namespace

FrequencyListResult decode_frequency_list(std::span<const std::uint8_t> field, std::uint8_t format_bits) {
  FrequencyListResult res;
  if (field.empty()) {
    res.error = "frequency list: empty field";
    return res;
  }
  const std::uint8_t id = field[0] & format_bits;
  std::array<bool, 1024> in_set{};
  auto add = [&](int arfcn) { in_set[static_cast<std::size_t>(mod(arfcn, 1024))] = true; };

  try {
    if ((id & 0xc0) == 0x00) {
      // 10.5.2.1b.2 / 10.5.2.13.2 bit map 0: 16 octets, ARFCN n (1..124) is bit ((n-1) mod 8) of
      // octet 17 - (n-1) div 8 (octet 2 = field[0]).
      res.format = FrequencyListFormat::bit_map_0;
      if (field.size() < 16) {
        res.error = "frequency list (bit map 0): needs 16 octets, has " + std::to_string(field.size());
        return res;
      }
      for (int n = 1; n <= 124; ++n) {
        const std::size_t octet = 15 - static_cast<std::size_t>((n - 1) / 8);
        if ((field[octet] >> ((n - 1) % 8)) & 1) add(n);
      }
    } else if ((id & 0xc0) != 0x80) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "frequency list: reserved format identifier (octet 0x%02x)", field[0]);
      res.error = buf;
      return res;
    } else if ((id & 0x08) == 0) {
      // 10.5.2.13.3 range 1024: bits 8,7 = 10, bit 4 = 0, bit 3 = F0, W(1) starts at bit 2.
      res.format = FrequencyListFormat::range_1024;
      if (field.size() < 2) {
        res.error = "frequency list (range 1024): needs at least 2 octets";
        return res;
      }
      BitReader r(field);
      r.skip(5, "format");
      const bool f0 = r.bit("F0");
      if (f0) add(0);
      std::vector<int> w;
      decode_range(r, 10, w);
      for (std::size_t k = 1; k < w.size(); ++k) {
        if (w[k] != 0) add(inverse_w(w, static_cast<int>(k), 1024));
      }
    } else {
      // 10.5.2.13.4-7: bits 4,3,2 = 100 (512), 101 (256), 110 (128), 111 (variable bit map),
      // bit 1 + next 9 bits = ORIG-ARFCN (F(0), always in the set).
      const unsigned sub = (id >> 1) & 0x3;
      BitReader r(field);
      r.skip(7, "format");
      if (field.size() < 3) {
        res.error = "frequency list: needs at least 3 octets for ORIG-ARFCN";
        return res;
      }
      const int orig = static_cast<int>(r.bits(10, "ORIG-ARFCN"));
      add(orig);
      if (sub == 3) {
        // 10.5.2.13.7 variable bit map: RRFCN n (bit n after ORIG-ARFCN) -> ARFCN (ORIG + n) mod 1024.
        res.format = FrequencyListFormat::variable_bit_map;
        for (int n = 1; !r.at_end(); ++n) {
          if (r.bit("RRFCN")) add(orig + n);
        }
      } else {
        static constexpr unsigned kLog2[3] = {9, 8, 7};
        static constexpr FrequencyListFormat kFmt[3] = {FrequencyListFormat::range_512,
                                                        FrequencyListFormat::range_256,
                                                        FrequencyListFormat::range_128};
        res.format = kFmt[sub];
        const int range = 1 << kLog2[sub];
        std::vector<int> w;
        decode_range(r, kLog2[sub], w);
        for (std::size_t k = 1; k < w.size(); ++k) {
          if (w[k] != 0) add(orig + inverse_w(w, static_cast<int>(k), range));
        }
      }
    }
  } catch (const tw::InputError& e) {
    res.error = std::string("frequency list: ") + e.what();
    return res;
  }
  for (int a = 0; a < 1024; ++a) {
    if (in_set[static_cast<std::size_t>(a)]) res.arfcns.push_back(static_cast<std::uint16_t>(a));
  }
  res.ok = true;
  return res;
}

}  // namespace tw::gsm
