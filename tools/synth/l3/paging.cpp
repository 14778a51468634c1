// PAGING REQUEST TYPE 1, 2 and 3, 3GPP TS 44.018 clauses 9.1.22, 9.1.23, 9.1.24.
#include <stdexcept>

#include "tools/synth/l3/ie_common.hpp"

namespace tw::synth::l3 {
namespace {

// Octet 3 of the paging messages: Channel Needed (10.5.2.8, bits 6-5 first, bits 8-7 second channel)
// and Page Mode (10.5.2.26, bits 2-1; bits 4-3 spare).
std::uint8_t page_mode_octet(const char* what, int page_mode, ChannelNeeded cn) {
  detail::check_range(what, "page_mode", page_mode, 0, 3);
  detail::check_range(what, "channel needed (first)", cn[0], 0, 3);
  detail::check_range(what, "channel needed (second)", cn[1], 0, 3);
  return static_cast<std::uint8_t>(cn[1] << 6 | cn[0] << 4 | page_mode);
}

void put_tmsi(L2Block& b, std::size_t at, std::uint32_t tmsi) {  // TMSI/P-TMSI (10.5.2.42), V
  b[at] = static_cast<std::uint8_t>(tmsi >> 24);
  b[at + 1] = static_cast<std::uint8_t>(tmsi >> 16);
  b[at + 2] = static_cast<std::uint8_t>(tmsi >> 8);
  b[at + 3] = static_cast<std::uint8_t>(tmsi);
}

}  // namespace

L2Block encode_paging_request_1(const std::vector<MobileIdentity>& ids, int page_mode, ChannelNeeded channel_needed) {
  if (ids.empty() || ids.size() > 2) {
    throw std::invalid_argument("Paging Request Type 1: needs 1 or 2 mobile identities, got " +
                                std::to_string(ids.size()));
  }
  L2Block b = detail::start_block(0, 0x21);
  b[3] = page_mode_octet("Paging Request Type 1", page_mode, channel_needed);
  std::size_t at = 4;
  // Mobile Identity 1: LV; Mobile Identity 2: TLV with IEI 0x17
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto v = detail::mobile_identity_value(ids[i]);
    if (i == 1) b[at++] = 0x17;
    b[at++] = static_cast<std::uint8_t>(v.size());
    for (auto o : v) b[at++] = o;
  }
  b[0] = static_cast<std::uint8_t>(((at - 1) << 2) | 0x01);  // L2 pseudo length: octets after it
  // P1 Rest Octets (10.5.2.23): all L, spare padding
  return b;
}

L2Block encode_paging_request_2(std::uint32_t tmsi1, std::uint32_t tmsi2, const MobileIdentity* third, int page_mode,
                                ChannelNeeded channel_needed) {
  L2Block b = detail::start_block(0, 0x22);
  b[3] = page_mode_octet("Paging Request Type 2", page_mode, channel_needed);
  put_tmsi(b, 4, tmsi1);
  put_tmsi(b, 8, tmsi2);
  std::size_t at = 12;
  if (third) {  // Mobile Identity 3: TLV, IEI 0x17
    const auto v = detail::mobile_identity_value(*third);
    if (at + 2 + v.size() > b.size()) {
      throw std::invalid_argument("Paging Request Type 2: third identity does not fit");
    }
    b[at++] = 0x17;
    b[at++] = static_cast<std::uint8_t>(v.size());
    for (auto o : v) b[at++] = o;
  }
  b[0] = static_cast<std::uint8_t>(((at - 1) << 2) | 0x01);
  // P2 Rest Octets (10.5.2.24): all L, spare padding
  return b;
}

L2Block encode_paging_request_3(const std::array<std::uint32_t, 4>& tmsis, int page_mode, ChannelNeeded channel_needed) {
  // L2 pseudo length 19: PD, type, page mode (1), 4 TMSIs (16); P3 Rest Octets (3)
  L2Block b = detail::start_block(19, 0x24);
  b[3] = page_mode_octet("Paging Request Type 3", page_mode, channel_needed);
  for (std::size_t i = 0; i < 4; ++i) put_tmsi(b, 4 + 4 * i, tmsis[i]);
  // P3 Rest Octets (10.5.2.25): all L, spare padding
  return b;
}

}  // namespace tw::synth::l3
