// One captured frame to the message it carries: link layer -> IP -> UDP (hw/pcap_packet) -> GSMTAP on the
// GSMTAP port (gsmtap_reader) or MAC-LTE (the "mac-lte" start string in UDP on any port, or link type 147:
// mac_lte_reader), or Wireshark's exported PDUs (link type 252: exported_pdu_reader). Everything else is a skip with its reason, counted in PacketCounters. Pure: the fuzz
// harness fuzz_pcap_packet runs exactly this.
#pragma once
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "src/capture/captured_message.hpp"

namespace tw::capture {

inline constexpr std::uint16_t kGsmtapPort = 4729;   // IANA-assigned GSMTAP port

using PacketResult = std::variant<CapturedGsmBlock, CapturedLteRrc, std::string>;

// `original_length`: the frame's length on the wire; a frame cut by the capture's snaplen is skipped
// ("frame_cut_by_snaplen") rather than read in part.
PacketResult decode_packet(int link_type, std::span<const std::uint8_t> frame, std::uint32_t original_length,
                           std::uint16_t gsmtap_port = kGsmtapPort);

struct PacketCounters {
  std::uint64_t frames = 0, gsm_blocks = 0, lte_messages = 0;
  std::map<std::string, std::uint64_t> skipped;   // reason -> frames
  void count(const PacketResult& r);
  std::uint64_t skipped_total() const;
  nlohmann::json to_json() const;                 // {"frames","gsm_blocks","lte_messages","skipped":{...}}
  std::string summary() const;                    // one line for stderr
};

}  // namespace tw::capture
