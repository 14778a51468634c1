// One captured frame through the whole packet decoding of pcap input (src/capture/packet_decoder:
// link layer -> IPv4/IPv6 -> UDP -> GSMTAP or MAC-LTE, or Wireshark exported PDUs -> message) and on to the message parsers the pipeline
// runs next (GSM: parse and redact, src/gsm; LTE BCCH-DL-SCH and PCCH: src/lte). The first octet picks the link
// type (every one walk_frame reads, and one it does not), the second the GSMTAP port (4729 or another); the
// rest is the frame. Invariants: a skip has a non-empty reason; a GSM block comes from a GSMTAP datagram inside
// the frame (Um: 16+ header and 23 octets; A-bis as QCSuper writes it: 16+ header and an RR message of 2..22
// octets, the block rebuilt); an LTE message has octets, all inside the frame;
// redacting a block never changes its message type; only tw::InputError comes out of the LTE decoder.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>

#include "src/capture/packet_decoder.hpp"
#include "src/core/error.hpp"
#include "src/gsm/l3_message.hpp"
#include "src/lte/bcch_dl_sch.hpp"
#include "src/lte/pcch.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr int kLinkTypes[] = {0, 1, 12, 101, 108, 113, 147, 228, 229, 276, 105, 252};
  if (size < 2) return 0;
  const int link_type = kLinkTypes[data[0] % (sizeof kLinkTypes / sizeof kLinkTypes[0])];
  const std::uint16_t port = data[1] & 1 ? 4729 : 5000;
  const std::span<const std::uint8_t> frame(data + 2, size - 2);
  // Original length: the frame, or more (cut by the snaplen) for odd second octets.
  const auto original = static_cast<std::uint32_t>(frame.size() + (data[1] & 2 ? 1 : 0));
  const auto r = tw::capture::decode_packet(link_type, frame, original, port);
  if (const auto* why = std::get_if<std::string>(&r)) {
    TW_FUZZ_CHECK(!why->empty(), "empty skip reason");
    return 0;
  }
  TW_FUZZ_CHECK(original == frame.size(), "a frame cut by the snaplen was read");
  if (const auto* g = std::get_if<tw::capture::CapturedGsmBlock>(&r)) {
    TW_FUZZ_CHECK(frame.size() >= 16 + 2, "GSM block from a frame of " + std::to_string(frame.size()) + " octets");
    TW_FUZZ_CHECK(g->tn >= 0 && g->tn < 8, "timeslot");
    auto octets = g->octets;
    const auto as_received = tw::gsm::parse_l3_block(octets);
    tw::gsm::ParseOptions opts;
    const auto parsed = tw::gsm::parse_l3_block_redacting(octets, opts);
    TW_FUZZ_CHECK(parsed.kind == as_received.kind, "redaction changed the message");
    const auto again = tw::gsm::parse_l3_block(octets);
    TW_FUZZ_CHECK(again.kind == as_received.kind || !as_received.ok, "the redacted block is another message");
    return 0;
  }
  const auto& m = std::get<tw::capture::CapturedLteRrc>(r);
  TW_FUZZ_CHECK(!m.octets.empty() && m.octets.size() < frame.size(), "LTE message of " + std::to_string(m.octets.size()) + " octets");
  if (m.sfn) TW_FUZZ_CHECK(*m.sfn >= 0 && *m.sfn < 1024, "SFN");
  if (m.channel == tw::capture::CapturedLteRrc::Channel::pcch) {
    try {
      const auto p = tw::lte::decode_pcch(m.octets);
      TW_FUZZ_CHECK(p.records >= 0 && p.records <= 16 && p.s_tmsi + p.imsi + p.other == p.records, "paging counts");
    } catch (const tw::InputError&) {
    }
  }
  if (m.channel == tw::capture::CapturedLteRrc::Channel::bcch_dl_sch) {
    try {
      (void)tw::lte::decode_bcch_dl_sch(m.octets);
    } catch (const tw::InputError&) {
    }
  }
  return 0;
}
