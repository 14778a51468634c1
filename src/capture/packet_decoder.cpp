#include "src/capture/packet_decoder.hpp"

#include "hw/pcap_packet.hpp"
#include "src/capture/exported_pdu_reader.hpp"
#include "src/capture/gsmtap_reader.hpp"
#include "src/capture/mac_lte_reader.hpp"

namespace tw::capture {

namespace {
template <class V>
PacketResult widen(V&& v) {
  return std::visit([](auto&& x) -> PacketResult { return PacketResult(std::forward<decltype(x)>(x)); }, std::forward<V>(v));
}
}  // namespace

PacketResult decode_packet(int link_type, std::span<const std::uint8_t> frame, std::uint32_t original_length,
                           std::uint16_t gsmtap_port) {
  if (frame.size() < original_length) return std::string("frame_cut_by_snaplen");
  const pcap::FrameWalk w = pcap::walk_frame(link_type, frame);
  switch (w.kind) {
    case pcap::FrameWalk::Kind::skipped:
      return std::string(pcap::skip_name(w.skip));
    case pcap::FrameWalk::Kind::mac_lte_framed:
      return widen(read_mac_lte(w.payload, false));
    case pcap::FrameWalk::Kind::exported_pdu:
      return widen(read_exported_pdu(w.payload, gsmtap_port));
    case pcap::FrameWalk::Kind::udp:
      if (w.udp.dst_port == gsmtap_port || w.udp.src_port == gsmtap_port) return widen(read_gsmtap(w.udp.payload));
      if (has_mac_lte_start_string(w.udp.payload)) return widen(read_mac_lte(w.udp.payload, true));
      return std::string("udp_other_port");
  }
  return std::string("?");
}

void PacketCounters::count(const PacketResult& r) {
  ++frames;
  if (std::holds_alternative<CapturedGsmBlock>(r)) ++gsm_blocks;
  else if (std::holds_alternative<CapturedLteRrc>(r)) ++lte_messages;
  else ++skipped[std::get<std::string>(r)];
}

std::uint64_t PacketCounters::skipped_total() const {
  std::uint64_t n = 0;
  for (const auto& [k, v] : skipped) n += v;
  return n;
}

nlohmann::json PacketCounters::to_json() const {
  return {{"frames", frames}, {"gsm_blocks", gsm_blocks}, {"lte_messages", lte_messages},
          {"skipped", skipped.empty() ? nlohmann::json::object() : nlohmann::json(skipped)}};
}

std::string PacketCounters::summary() const {
  std::string s = std::to_string(frames) + " frames: " + std::to_string(gsm_blocks) + " GSM blocks, " +
                  std::to_string(lte_messages) + " LTE RRC messages, " + std::to_string(skipped_total()) + " skipped";
  if (!skipped.empty()) {
    s += " (";
    bool first = true;
    for (const auto& [k, v] : skipped) {
      s += (first ? "" : ", ") + k + " " + std::to_string(v);
      first = false;
    }
    s += ")";
  }
  return s;
}

}  // namespace tw::capture
