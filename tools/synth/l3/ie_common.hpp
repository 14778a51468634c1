// Shared pieces of the Layer 3 encoders (internal to tools/synth/l3): a bit writer with CSN.1 L/H
// (3GPP TS 44.018 clause 10.5.2 / 3GPP TS 24.007 clause 11 CSN.1), message framing with the L2 pseudo
// length (44.018 10.5.2.19), and the information elements several messages share.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/synth/l3/encode.hpp"

namespace tw::synth::l3::detail {

inline constexpr std::uint8_t kPadding = 0x2b;      // spare padding octet (44.018 10.5.2, 44.006)
inline constexpr std::uint8_t kPdRr = 0x06;         // RR management protocol discriminator, skip indicator 0

// Throws std::invalid_argument "<what>: <field> = v out of range lo..hi" unless lo <= v <= hi.
void check_range(const char* what, const char* field, long long value, long long lo, long long hi);

// Writes bits MSB first (bit 8 of an octet first) into octets [first, first + count) of a block.
// Spare bits are the 0x2B padding pattern at their position; CSN.1 "L" is the padding bit value at the
// current position, "H" its inverse. Writing past the end throws std::invalid_argument naming `what`.
class BitWriter {
 public:
  // The octets are first set to `fill` (0x2B spare padding for rest octets, 0 inside an IE).
  BitWriter(std::uint8_t* octets, std::size_t count, std::string what, std::uint8_t fill = kPadding);
  void put(std::uint32_t value, int width);
  void bit(bool b) { put(b ? 1u : 0u, 1); }
  void L();
  void H();
  void LH(bool h) { h ? H() : L(); }
  std::size_t used() const { return pos_; }
  std::size_t left() const { return size_ - pos_; }
  // The padding bit value (of 0x2B) at bit position `pos` counted from an octet boundary.
  static bool padding_bit(std::size_t pos) { return (kPadding >> (7 - pos % 8)) & 1; }

 private:
  std::uint8_t* p_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::string what_;
};

// A block filled with 0x2B, octet 0 = L2 pseudo length ((len << 2) | 0x01, 44.018 10.5.2.19 with
// 44.006 6.6: bits 2..1 = "01"), octet 1 = RR PD, octet 2 = message type.
L2Block start_block(int l2_pseudo_length, std::uint8_t message_type);

// Common IEs, each written as octets into `out` at position `at`; each returns the position after it.
// Location Area Identification (10.5.1.3): MCC/MNC in BCD, 2-digit MNC with the F filler, LAC.
std::size_t put_lai(L2Block& out, std::size_t at, int mcc, int mnc, int mnc_digits, int lac);
// Cell Options (BCCH) (10.5.2.3)
std::size_t put_cell_options(L2Block& out, std::size_t at, const CellConfig& c);
// Cell Selection Parameters (10.5.2.4)
std::size_t put_cell_selection(L2Block& out, std::size_t at, const CellConfig& c);
// RACH Control Parameters (10.5.2.29)
std::size_t put_rach_control(L2Block& out, std::size_t at, const CellConfig& c);
// Control Channel Description (10.5.2.11)
std::size_t put_control_channel_description(L2Block& out, std::size_t at, const CellConfig& c);
// Request Reference (10.5.2.30): RA, T1' = T1 mod 32, T3, T2 from the frame number of the access.
std::size_t put_request_reference(L2Block& out, std::size_t at, std::uint8_t ra, std::uint32_t fn);
// Mobile Identity value (10.5.1.4) without IEI and length octet.
std::vector<std::uint8_t> mobile_identity_value(const MobileIdentity& id);
// Selection parameters and GPRS indicator bits shared by SI3 and SI4 rest octets (10.5.2.34 / 10.5.2.35).
void put_optional_selection_parameters(BitWriter& w, const CellConfig& c);
void put_gprs_indicator(BitWriter& w, const CellConfig& c);

// ---- frequency lists (frequency_list.cpp) ----
// 44.018 Annex J: W(1..) of a set of values in 0..range-1 (range 1023, 511, 255, 127...), index 0 unused.
// Returns the W array, trimmed after the last non-zero W. Throws std::invalid_argument if no pivot exists.
std::vector<int> annex_j_encode(const std::vector<int>& set, int range);
// Width in bits of W(k) in a format whose W(1) has `w1_bits` bits (10.5.2.13.3..6).
int w_width(int w1_bits, int k);
// Frequency List value of 16 octets (10.5.2.1b / 10.5.2.22 layout) with bits 6..5 of the first octet
// left 0 for the caller. allow_bitmap0 = false for Neighbour Cell Description 2 (10.5.2.22a).
std::array<std::uint8_t, 16> encode_frequency_list16(const std::vector<int>& arfcns, bool allow_bitmap0);
// One given format: range = 1024, 512, 256 or 128; throws std::invalid_argument if the set does not fit it.
std::array<std::uint8_t, 16> encode_frequency_list_range(const std::vector<int>& arfcns, int range);

}  // namespace tw::synth::l3::detail
