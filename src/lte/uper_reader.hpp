// Unaligned PER reader (ITU-T X.691, UNALIGNED variant) for the subset of ASN.1 that BCCH-DL-SCH uses
// (TS 36.331 6.2.2, 6.3). Every bit comes from a possibly hostile base station: every read is bounds-checked
// and every constraint is enforced; a violation is a tw::InputError naming the ASN.1 field by its path, e.g.
// "SystemInformationBlockType1.cellAccessRelatedInfo.trackingAreaCode: 5 bits left, needs 16".
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "src/core/error.hpp"

namespace tw::lte {

class UperReader {
 public:
  explicit UperReader(std::span<const std::uint8_t> data, std::string root = {});
  // Only the first n_bits bits of `data` (at most data.size() * 8) are read.
  UperReader(std::span<const std::uint8_t> data, std::size_t n_bits, std::string root);

  // RAII: names the component being decoded (one level of the error path).
  class Scope {
   public:
    Scope(UperReader& r, std::string name) : r_(r) { r_.path_.push_back(std::move(name)); }
    ~Scope() { r_.path_.pop_back(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    UperReader& r_;
  };
  [[nodiscard]] Scope scope(std::string name) { return Scope(*this, std::move(name)); }
  // The scope of item i of a SEQUENCE OF ("[i]").
  [[nodiscard]] Scope item(std::size_t i) {
    std::string name(1, '[');
    name.append(std::to_string(i));
    name.push_back(']');
    return Scope(*this, std::move(name));
  }

  std::size_t bits_left() const { return end_bit_ - pos_; }
  std::size_t position() const { return pos_; }

  // n (0..64) bits, first bit most significant.
  std::uint64_t bits(unsigned n, const char* field);
  bool boolean(const char* field) { return bits(1, field) != 0; }  // X.691 12
  // Constrained whole number lb..ub (X.691 10.5.7, unaligned: the minimum number of bits for the range).
  std::int64_t constrained(std::int64_t lb, std::int64_t ub, const char* field);
  // ENUMERATED with n_root root values and no extension marker (X.691 13.2).
  unsigned enumerated(unsigned n_root, const char* field);
  // ENUMERATED with an extension marker (X.691 13.3): root index 0..n_root-1, or n_root + the index of the
  // extension value (normally small non-negative whole number, 10.6).
  unsigned enumerated_ext(unsigned n_root, const char* field);
  // CHOICE index (X.691 23): without an extension marker 0..n_root-1; with one, an extension alternative
  // gives n_root + its index and `*is_ext` true (the value is then an open type: open_type / skip_open_type).
  unsigned choice(unsigned n_root, const char* field);
  unsigned choice_ext(unsigned n_root, bool* is_ext, const char* field);
  // Length determinant (X.691 10.9) of a SEQUENCE OF / string with SIZE (lb..ub), ub < 64K: a constrained
  // whole number (0 bits when lb == ub).
  std::size_t length(std::size_t lb, std::size_t ub, const char* field);
  // Unconstrained length determinant (10.9.3.5-10.9.3.8.4, unaligned): 0..16383. Fragmented lengths
  // (16K items or more) cannot occur in a BCCH-DL-SCH transport block and are rejected.
  std::size_t unconstrained_length(const char* field);
  // Normally small non-negative whole number (10.6); the form for values >= 64 is rejected (cannot occur).
  unsigned normally_small(const char* field);

  // SEQUENCE preamble (X.691 18.1-18.3): the extension bit (when `extensible`), then one bit per
  // OPTIONAL/DEFAULT root component, first component in the most significant bit of `optional_mask`.
  struct Preamble {
    bool extended = false;
    std::uint32_t optional_mask = 0;
    unsigned n_optional = 0;
    bool present(unsigned i) const { return ((optional_mask >> (n_optional - 1 - i)) & 1u) != 0; }
  };
  Preamble preamble(bool extensible, unsigned n_optional, const char* field);

  // Extension additions of a SEQUENCE whose extension bit was set (X.691 18.7-18.9): the bitmap's length
  // (normally small length), the bitmap, then each present addition as an open type. All are skipped
  // (their contents are checked only for length); returns the number present.
  unsigned skip_extension_additions(const char* field);
  // The same, returning one reader per addition (std::nullopt when absent), in the order of the bitmap, for a
  // decoder that knows some of them (an extension addition group [[ ]] is a SEQUENCE in its open type, 18.9).
  std::vector<std::optional<UperReader>> extension_additions(const char* field);

  // Open type (X.691 10.2): unconstrained length in octets, then the octets. Returns a reader over them that
  // continues this reader's error path under `field`.
  UperReader open_type(const char* field);
  void skip_open_type(const char* field);

  // BIT STRING / OCTET STRING of fixed size (no length determinant in UNALIGNED PER, X.691 16.9, 17.6).
  std::vector<bool> bit_string(std::size_t n_bits, const char* field);
  std::vector<std::uint8_t> octet_string(std::size_t n_octets, const char* field);
  // OCTET STRING with SIZE (lb..ub) (17.8) or unconstrained (17.8, general length).
  std::vector<std::uint8_t> octet_string(std::size_t lb, std::size_t ub, const char* field);
  std::vector<std::uint8_t> octet_string_unconstrained(const char* field);

  // The error path of this reader, joined with '.', plus `field`.
  std::string where(const char* field) const;
  [[noreturn]] void fail(const char* field, const std::string& what) const;

 private:
  void need(std::size_t n, const char* field) const;

  std::span<const std::uint8_t> data_;
  std::size_t end_bit_;
  std::size_t pos_ = 0;
  std::vector<std::string> path_;
  std::shared_ptr<std::vector<std::uint8_t>> owned_;  // an open type's octets (copied: arbitrary bit offset)
};

}  // namespace tw::lte
