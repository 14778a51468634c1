#include "tools/synth/lte/uper_writer.hpp"

#include <stdexcept>
#include <string>

#include "src/core/error.hpp"

namespace tw::synth::lte {

namespace {
[[noreturn]] void out_of_range(std::string_view field, long long v, long long lb, long long ub) {
  throw InputError(std::string(field) + ": " + std::to_string(v) + " is out of range " + std::to_string(lb) + ".." +
                   std::to_string(ub));
}
}  // namespace

int uper_bits_for_range(std::uint64_t range) {
  if (range == 0) throw std::invalid_argument("uper_bits_for_range: empty range");
  int n = 0;
  while (n < 64 && (std::uint64_t{1} << n) < range) ++n;
  return n;
}

void UperWriter::put_bits(std::uint64_t value, int n_bits) {
  if (n_bits < 0 || n_bits > 64) throw std::invalid_argument("put_bits: n_bits outside 0..64");
  if (n_bits < 64 && (value >> n_bits) != 0) throw std::invalid_argument("put_bits: value wider than n_bits");
  for (int i = n_bits - 1; i >= 0; --i) {
    if (n_bits_ % 8 == 0) buf_.push_back(0);
    if ((value >> i) & 1u) buf_.back() |= static_cast<std::uint8_t>(0x80u >> (n_bits_ % 8));
    ++n_bits_;
  }
}

void UperWriter::put_constrained(long long value, long long lb, long long ub, std::string_view field) {
  if (ub < lb) throw std::invalid_argument("put_constrained: ub < lb");
  if (value < lb || value > ub) out_of_range(field, value, lb, ub);
  const auto range = static_cast<std::uint64_t>(ub - lb) + 1u;
  put_bits(static_cast<std::uint64_t>(value - lb), uper_bits_for_range(range));
}

void UperWriter::put_enumerated(int index, int count, std::string_view field, bool extensible) {
  if (extensible) put_bits(0, 1);
  put_constrained(index, 0, count - 1, field);
}

void UperWriter::put_sequence_preamble(bool extensible, std::initializer_list<bool> present) {
  if (extensible) put_bits(0, 1);
  for (bool p : present) put_bool(p);
}

void UperWriter::put_choice(int index, int count, std::string_view field, bool extensible) {
  if (extensible) put_bits(0, 1);
  put_constrained(index, 0, count - 1, field);
}

void UperWriter::put_length(std::size_t n, std::size_t lb, std::size_t ub, std::string_view field) {
  if (ub >= 65536) throw std::invalid_argument("put_length: unconstrained lengths are not supported");
  if (n < lb || n > ub)
    throw InputError(std::string(field) + ": " + std::to_string(n) + " entries, the specification allows " +
                     std::to_string(lb) + ".." + std::to_string(ub));
  put_constrained(static_cast<long long>(n), static_cast<long long>(lb), static_cast<long long>(ub), field);
}

void UperWriter::put_bit_string(std::uint64_t bits, int n_bits, std::string_view field) {
  if (n_bits < 0 || n_bits > 64) throw std::invalid_argument("put_bit_string: n_bits outside 0..64");
  if (n_bits < 64 && (bits >> n_bits) != 0)
    throw InputError(std::string(field) + ": " + std::to_string(bits) + " does not fit in " + std::to_string(n_bits) + " bits");
  put_bits(bits, n_bits);
}

void UperWriter::put_octet_string(std::span<const std::uint8_t> octets, std::size_t lb, std::size_t ub,
                                  std::string_view field) {
  put_length(octets.size(), lb, ub, field);
  for (std::uint8_t o : octets) put_bits(o, 8);
}

std::vector<std::uint8_t> UperWriter::octets() const {
  if (buf_.empty()) return {0};
  return buf_;  // the unwritten low bits of the last octet are already 0
}

}  // namespace tw::synth::lte
