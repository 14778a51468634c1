// A bit writer for ITU-T X.691 (07/2002 and later) UNALIGNED PER, BASIC variant: what the LTE RRC messages of
// TS 36.331 (clause 8.1: "the UNALIGNED variant of PER") need and no more. Every put_* checks its value
// against the ASN.1 constraint and throws tw::InputError naming the field, so a bad configuration never
// turns into a wrong encoding silently. Bits are written MSB first (X.691 3.7.x: leading bit first).
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

namespace tw::synth::lte {

class UperWriter {
 public:
  // n_bits 0..64 of `value`, most significant first. Throws std::invalid_argument when value does not fit.
  void put_bits(std::uint64_t value, int n_bits);
  void put_bool(bool b) { put_bits(b ? 1u : 0u, 1); }  // X.691 12: one bit

  // X.691 13.2.2 / 11.5.7 (UNALIGNED): a constrained whole number lb..ub as a non-negative binary integer
  // (value - lb) in the fewest bits that hold ub - lb (0 bits when lb == ub).
  void put_constrained(long long value, long long lb, long long ub, std::string_view field);
  // X.691 14: the index 0..count-1 of an ENUMERATED value; with an extension marker first one bit 0 (a root
  // value; extension values are not written).
  void put_enumerated(int index, int count, std::string_view field, bool extensible = false);
  // X.691 18 / 19 preamble of a SEQUENCE: the extension bit (only when `extensible`; 0: no additions sent),
  // then one presence bit per OPTIONAL or DEFAULT component, in order.
  void put_sequence_preamble(bool extensible, std::initializer_list<bool> present);
  // X.691 23: CHOICE index 0..count-1 of the root alternatives (extension bit 0 first when extensible).
  void put_choice(int index, int count, std::string_view field, bool extensible = false);
  // X.691 11.9.4.1 / 20.6 / 16.8: the count of a SEQUENCE OF / size of a string with SIZE(lb..ub), ub < 64K:
  // a constrained whole number (nothing when lb == ub).
  void put_length(std::size_t n, std::size_t lb, std::size_t ub, std::string_view field);
  // X.691 16.9 / 16.10: BIT STRING (SIZE (n_bits)), n_bits <= 64 (fixed size: no length, no alignment in UNALIGNED).
  void put_bit_string(std::uint64_t bits, int n_bits, std::string_view field);
  // X.691 17.8: OCTET STRING (SIZE (lb..ub)): length then the octets.
  void put_octet_string(std::span<const std::uint8_t> octets, std::size_t lb, std::size_t ub, std::string_view field);

  std::size_t bit_count() const { return n_bits_; }
  // The bits written, padded with 0 bits to whole octets (X.691 10.1.3: a complete encoding is an octet
  // string; an empty encoding becomes one 0 octet).
  std::vector<std::uint8_t> octets() const;

 private:
  std::vector<std::uint8_t> buf_;
  std::size_t n_bits_ = 0;
};

// Bits needed for a constrained whole number of range `range` (= ub - lb + 1 >= 1): ceil(log2(range)).
int uper_bits_for_range(std::uint64_t range);

}  // namespace tw::synth::lte
