// Internal: information element decoders shared by the message parsers, and the parser signatures
// registered in decoder_table.cpp. Parsers throw tw::InputError (naming the field) on malformed input;
// parse_l3_block turns that into ParsedMessage::error.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "src/core/error.hpp"
#include "src/gsm/bit_reader.hpp"
#include "src/gsm/l3_message.hpp"

namespace tw::gsm::detail {

std::string hex8(std::uint32_t v);  // "0x2b"

// The block as handed to a parser: octet 0 = L2 pseudo length, 1 = skip/PD, 2 = message type.
struct L3Context {
  std::span<const std::uint8_t> block;
  std::size_t l3_end = 0;  // 1 + L2 pseudo length: end of the part before the rest octets (<= block.size())
  const ParseOptions* opts = nullptr;

  // Rest octets: everything after the L2 pseudo length's coverage up to the end of the block.
  std::span<const std::uint8_t> rest_from(std::size_t offset) const {
    return offset >= block.size() ? std::span<const std::uint8_t>{} : block.subspan(offset);
  }
};

// Reads octets of the non-rest part [pos, end), each read range-checked.
class OctetCursor {
 public:
  OctetCursor(std::span<const std::uint8_t> data, std::size_t pos, std::size_t end)
      : data_(data), pos_(pos), end_(end < data.size() ? end : data.size()) {}
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return pos_ < end_ ? end_ - pos_ : 0; }
  std::uint8_t peek(std::string_view field) const {
    need(1, field);
    return data_[pos_];
  }
  std::uint8_t u8(std::string_view field) {
    need(1, field);
    return data_[pos_++];
  }
  std::span<const std::uint8_t> take(std::size_t n, std::string_view field) {
    need(n, field);
    auto s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
  }

 private:
  void need(std::size_t n, std::string_view field) const {
    if (remaining() < n) {
      throw tw::InputError(std::string(field) + ": needs " + std::to_string(n) + " octet(s) beyond the " +
                           std::to_string(remaining()) + " left within the L2 pseudo length");
    }
  }
  std::span<const std::uint8_t> data_;
  std::size_t pos_;
  std::size_t end_;
};

// Requires the L2 pseudo length to cover at least `octets` octets after itself.
void require_pseudo_length(const L3Context& ctx, std::size_t octets, std::string_view message);

Lai decode_lai(std::span<const std::uint8_t> v);                                    // 10.5.1.3, 5 octets
RachControl decode_rach_control(std::span<const std::uint8_t> v);                   // 10.5.2.29, 3 octets
CellSelectionParameters decode_cell_selection(std::span<const std::uint8_t> v);     // 10.5.2.4, 2 octets
ControlChannelDescription decode_control_channel(std::span<const std::uint8_t> v);  // 10.5.2.11, 3 octets
CellOptions decode_cell_options(std::uint8_t v);                                    // 10.5.2.3
ChannelDescription decode_channel_description(std::span<const std::uint8_t> v);     // 10.5.2.5, 3 octets
ChannelDescription decode_packet_channel_description(std::span<const std::uint8_t> v);  // 10.5.2.25a
RequestReference decode_request_reference(std::span<const std::uint8_t> v);         // 10.5.2.30, 3 octets
RequestReference decode_starting_time(std::span<const std::uint8_t> v);            // 10.5.2.38, 2 octets
void decode_allocation_tail(OctetCursor& c, const L3Context& ctx, std::size_t max_ma_octets,
                            ImmediateAssignmentInfo& ia);  // MA + starting time of 9.1.18 / 9.1.19
NeighbourCells decode_neighbour_cells(std::span<const std::uint8_t> v, bool ncd2);  // 10.5.2.22 / 22a

// 10.5.1.4 Mobile Identity value part (after the length octet); adds it to `summary`.
void add_mobile_identity(std::span<const std::uint8_t> v, PagingSummary& summary, bool keep);
// 10.5.2.42 TMSI/P-TMSI as a 4-octet V field (Paging Request Type 2/3).
void add_packed_tmsi(std::span<const std::uint8_t> v, PagingSummary& summary, bool keep);
// Records where an identity lies (v: a span of ctx.block) for redact_identities, before it is decoded.
void note_identity(const L3Context& ctx, ParsedMessage& out, IdentityField::Coding coding, std::span<const std::uint8_t> v);

// CSN.1 pieces of the SI3/SI4 rest octets.
SelectionParameters read_selection_parameters(BitReader& r);
GprsIndicator read_gprs_indicator(BitReader& r);

// ---- parsers, one per file, registered in decoder_table.cpp ----
using ParseFn = void (*)(const L3Context&, ParsedMessage&);
void parse_si1(const L3Context&, ParsedMessage&);
void parse_si2(const L3Context&, ParsedMessage&);
void parse_si2bis(const L3Context&, ParsedMessage&);
void parse_si2ter(const L3Context&, ParsedMessage&);
void parse_si2quater(const L3Context&, ParsedMessage&);
void parse_si3(const L3Context&, ParsedMessage&);
void parse_si4(const L3Context&, ParsedMessage&);
void parse_si13(const L3Context&, ParsedMessage&);
void parse_paging_request_1(const L3Context&, ParsedMessage&);
void parse_paging_request_2(const L3Context&, ParsedMessage&);
void parse_paging_request_3(const L3Context&, ParsedMessage&);
void parse_immediate_assignment(const L3Context&, ParsedMessage&);
void parse_immediate_assignment_extended(const L3Context&, ParsedMessage&);
void parse_immediate_assignment_reject(const L3Context&, ParsedMessage&);

}  // namespace tw::gsm::detail
