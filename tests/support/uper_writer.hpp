// A test-side UNALIGNED PER bit writer (ITU-T X.691), written independently of src/lte/uper_reader: tests
// build BCCH-DL-SCH messages field by field from the TS 36.331 ASN.1 with it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tw::test {

class UperWriter {
 public:
  // n bits of v, most significant first.
  UperWriter& put(std::uint64_t v, unsigned n) {
    for (unsigned i = n; i-- > 0;) bits_.push_back(static_cast<std::uint8_t>((v >> i) & 1u));
    return *this;
  }
  UperWriter& boolean(bool b) { return put(b ? 1 : 0, 1); }
  // Constrained whole number lb..ub in the minimum number of bits of the range (X.691 10.5.7.1).
  UperWriter& whole(std::int64_t v, std::int64_t lb, std::int64_t ub) {
    if (v < lb || v > ub) throw std::logic_error("test writer: value outside its constraint");
    return put(static_cast<std::uint64_t>(v - lb), width(static_cast<std::uint64_t>(ub - lb) + 1));
  }
  // The same without the range check: writes an out-of-range code into the field's bits.
  UperWriter& raw_whole(std::uint64_t code, std::int64_t lb, std::int64_t ub) {
    return put(code, width(static_cast<std::uint64_t>(ub - lb) + 1));
  }
  UperWriter& enumerated(unsigned index, unsigned n_values) { return whole(index, 0, n_values - 1); }
  // Unconstrained length determinant (10.9.3.6/10.9.3.7, unaligned).
  UperWriter& length(std::size_t n) {
    if (n < 128) return put(n, 8);
    if (n < 16384) return put(0x8000u | n, 16);
    throw std::logic_error("test writer: fragmented lengths are not written");
  }
  UperWriter& octets(const std::vector<std::uint8_t>& o) {
    for (auto b : o) put(b, 8);
    return *this;
  }
  // An open type (10.2): the octets of `inner` (padded with zero bits to an octet) with their length.
  UperWriter& open_type(const UperWriter& inner) {
    const auto o = inner.bytes();
    length(o.size());
    return octets(o);
  }
  // Extension additions of a SEQUENCE (18.7-18.9): bitmap length (normally small length), bitmap, open types.
  // An empty vector element is an absent addition.
  UperWriter& extension_additions(const std::vector<std::vector<std::uint8_t>>& additions) {
    put(0, 1).put(additions.size() - 1, 6);
    for (const auto& a : additions) boolean(!a.empty());
    for (const auto& a : additions) {
      if (!a.empty()) length(a.size()).octets(a);
    }
    return *this;
  }
  UperWriter& append(const UperWriter& w) {
    bits_.insert(bits_.end(), w.bits_.begin(), w.bits_.end());
    return *this;
  }
  std::size_t size() const { return bits_.size(); }
  std::vector<std::uint8_t> bytes() const {
    std::vector<std::uint8_t> o((bits_.size() + 7) / 8, 0);
    for (std::size_t i = 0; i < bits_.size(); ++i) o[i / 8] |= static_cast<std::uint8_t>(bits_[i] << (7 - i % 8));
    return o;
  }
  std::string hex() const {
    static const char* d = "0123456789abcdef";
    std::string s;
    for (auto b : bytes()) {
      s += d[b >> 4];
      s += d[b & 15];
    }
    return s;
  }

 private:
  static unsigned width(std::uint64_t range) {
    unsigned n = 0;
    while ((std::uint64_t{1} << n) < range) ++n;
    return n;
  }
  std::vector<std::uint8_t> bits_;
};

}  // namespace tw::test
