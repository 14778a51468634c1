// X.691 UNALIGNED PER primitives (see uper_reader.hpp). Clause numbers are those of X.691 (02/2021).
#include "src/lte/uper_reader.hpp"

namespace tw::lte {
namespace {

unsigned bits_for_range(std::uint64_t range) {  // minimum bits for 0..range-1 (10.5.7.1 / 10.5.6 unaligned)
  unsigned n = 0;
  while (n < 64 && (std::uint64_t{1} << n) < range) ++n;
  return n;
}

}  // namespace

UperReader::UperReader(std::span<const std::uint8_t> data, std::string root)
    : data_(data), end_bit_(data.size() * 8) {
  if (!root.empty()) path_.push_back(std::move(root));
}

UperReader::UperReader(std::span<const std::uint8_t> data, std::size_t n_bits, std::string root)
    : UperReader(data, std::move(root)) {
  if (n_bits < end_bit_) end_bit_ = n_bits;
}

std::string UperReader::where(const char* field) const {
  std::string s;
  for (const auto& p : path_) {
    if (p.empty()) continue;
    if (!s.empty() && p.front() != '[') s += '.';
    s += p;
  }
  if (field && *field) {
    if (!s.empty() && field[0] != '[') s += '.';
    s += field;
  }
  return s;
}

void UperReader::fail(const char* field, const std::string& what) const {
  throw tw::InputError(where(field) + ": " + what);
}

void UperReader::need(std::size_t n, const char* field) const {
  if (bits_left() < n) {
    fail(field, std::to_string(bits_left()) + " bits left, needs " + std::to_string(n));
  }
}

std::uint64_t UperReader::bits(unsigned n, const char* field) {
  if (n > 64) fail(field, "field wider than 64 bits");
  need(n, field);
  std::uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i, ++pos_) v = (v << 1) | ((data_[pos_ / 8] >> (7 - pos_ % 8)) & 1u);
  return v;
}

std::int64_t UperReader::constrained(std::int64_t lb, std::int64_t ub, const char* field) {
  if (ub < lb) fail(field, "empty constraint");  // a decoder bug, not input
  const auto range = static_cast<std::uint64_t>(ub - lb) + 1;
  const std::uint64_t v = bits(bits_for_range(range), field);
  if (v >= range) {
    fail(field, "value " + std::to_string(lb + static_cast<std::int64_t>(v)) + " outside " + std::to_string(lb) +
                    ".." + std::to_string(ub));
  }
  return lb + static_cast<std::int64_t>(v);
}

unsigned UperReader::enumerated(unsigned n_root, const char* field) {
  const auto range = static_cast<std::uint64_t>(n_root);
  const std::uint64_t v = bits(bits_for_range(range), field);
  if (v >= range) fail(field, "enumeration index " + std::to_string(v) + " outside 0.." + std::to_string(n_root - 1));
  return static_cast<unsigned>(v);
}

unsigned UperReader::enumerated_ext(unsigned n_root, const char* field) {
  if (boolean(field)) return n_root + normally_small(field);  // 13.3: extension value
  return enumerated(n_root, field);
}

unsigned UperReader::choice(unsigned n_root, const char* field) {
  if (n_root == 1) return 0;  // 23.4: a single alternative has no index
  const std::uint64_t v = bits(bits_for_range(n_root), field);
  if (v >= n_root) fail(field, "CHOICE index " + std::to_string(v) + " outside 0.." + std::to_string(n_root - 1));
  return static_cast<unsigned>(v);
}

unsigned UperReader::choice_ext(unsigned n_root, bool* is_ext, const char* field) {
  *is_ext = boolean(field);                                  // 23.5: extension bit
  if (*is_ext) return n_root + normally_small(field);         // 23.8: normally small non-negative whole number
  return choice(n_root, field);
}

std::size_t UperReader::length(std::size_t lb, std::size_t ub, const char* field) {
  if (ub >= 65536) fail(field, "size constraint of 64K or more (not used by TS 36.331 BCCH)");
  return static_cast<std::size_t>(constrained(static_cast<std::int64_t>(lb), static_cast<std::int64_t>(ub), field));
}

std::size_t UperReader::unconstrained_length(const char* field) {
  // 10.9.3.6-10.9.3.8 (unaligned: no alignment): 0xxxxxxx (0..127), 10xxxxxx xxxxxxxx (128..16383),
  // 11xxxxxx: a fragment of m x 16K items.
  if (bits(1, field) == 0) return static_cast<std::size_t>(bits(7, field));
  if (bits(1, field) == 0) return static_cast<std::size_t>(bits(14, field));
  const auto m = bits(6, field);
  fail(field, "fragmented length (" + std::to_string(m) +
                  " x 16K, X.691 10.9.3.8) cannot occur in a BCCH-DL-SCH message");
}

unsigned UperReader::normally_small(const char* field) {
  if (bits(1, field) == 0) return static_cast<unsigned>(bits(6, field));  // 10.6.1
  fail(field, "normally small number of 64 or more (X.691 10.6.2) cannot occur in TS 36.331 BCCH");
}

UperReader::Preamble UperReader::preamble(bool extensible, unsigned n_optional, const char* field) {
  Preamble p;
  if (n_optional > 32) fail(field, "more than 32 optional components");  // decoder bug guard
  if (extensible) p.extended = boolean(field);
  p.n_optional = n_optional;
  p.optional_mask = static_cast<std::uint32_t>(bits(n_optional, field));
  return p;
}

std::vector<std::optional<UperReader>> UperReader::extension_additions(const char* field) {
  auto s = scope(field);
  // 18.8: "normally small length" (10.9.3.4) of the bitmap: 0 + (n-1) in 6 bits for n <= 64.
  if (bits(1, "extensionAdditionsBitmap") != 0) {
    fail("extensionAdditionsBitmap", "more than 64 extension additions (X.691 10.9.3.4) cannot occur here");
  }
  const auto n = static_cast<unsigned>(bits(6, "extensionAdditionsBitmap")) + 1;
  const std::uint64_t bitmap = bits(n, "extensionAdditionsBitmap");
  std::vector<std::optional<UperReader>> out(n);
  for (unsigned i = 0; i < n; ++i) {
    if (((bitmap >> (n - 1 - i)) & 1u) == 0) continue;
    std::string name("extensionAddition[");
    name.append(std::to_string(i));
    name.push_back(']');
    out[i] = open_type(name.c_str());  // 18.9: each addition is an open type
  }
  return out;
}

unsigned UperReader::skip_extension_additions(const char* field) {
  unsigned present = 0;
  for (const auto& a : extension_additions(field)) present += a.has_value() ? 1u : 0u;
  return present;
}

UperReader UperReader::open_type(const char* field) {
  const std::size_t n = unconstrained_length(field);
  need(n * 8, field);
  UperReader sub(data_.subspan(0, 0));
  // The open type starts at an arbitrary bit position: copy its octets so that the sub-reader starts at bit 0.
  sub.owned_ = std::make_shared<std::vector<std::uint8_t>>();
  sub.owned_->reserve(n);
  for (std::size_t i = 0; i < n; ++i) sub.owned_->push_back(static_cast<std::uint8_t>(bits(8, field)));
  sub.data_ = std::span<const std::uint8_t>(*sub.owned_);
  sub.end_bit_ = n * 8;
  sub.path_ = path_;
  sub.path_.emplace_back(field);
  return sub;
}

void UperReader::skip_open_type(const char* field) {
  const std::size_t n = unconstrained_length(field);
  need(n * 8, field);
  pos_ += n * 8;
}

std::vector<bool> UperReader::bit_string(std::size_t n_bits, const char* field) {
  need(n_bits, field);
  std::vector<bool> v(n_bits);
  for (std::size_t i = 0; i < n_bits; ++i) v[i] = bits(1, field) != 0;
  return v;
}

std::vector<std::uint8_t> UperReader::octet_string(std::size_t n_octets, const char* field) {
  need(n_octets * 8, field);
  std::vector<std::uint8_t> v(n_octets);
  for (auto& o : v) o = static_cast<std::uint8_t>(bits(8, field));
  return v;
}

std::vector<std::uint8_t> UperReader::octet_string(std::size_t lb, std::size_t ub, const char* field) {
  return octet_string(length(lb, ub, field), field);
}

std::vector<std::uint8_t> UperReader::octet_string_unconstrained(const char* field) {
  return octet_string(unconstrained_length(field), field);
}

}  // namespace tw::lte
