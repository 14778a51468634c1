// One captured frame walked down to its UDP payload (pure: no libpcap, no I/O; every octet is attacker input).
// Link types (tcpdump.org link-layer header types): Ethernet (1) with 802.1Q/802.1ad VLAN tags, BSD loopback
// DLT_NULL (0, the address family in the writer's byte order: both orders are read) and DLT_LOOP (108, network
// order), raw IP (DLT_RAW 12 / LINKTYPE_RAW 101, LINKTYPE_IPV4 228, LINKTYPE_IPV6 229), Linux cooked capture
// SLL (113) and SLL2 (276), USER0 (147): MAC-LTE framed PDUs as srsRAN and LTESniffer write them (no IP), and
// Wireshark's "Export PDUs" (252, DLT_WIRESHARK_UPPER_PDU: tags naming the dissector, then the PDU; no IP).
// IPv4 (RFC 791: header options stepped over) and IPv6 (RFC 8200: Hop-by-Hop, Routing, Destination Options,
// Fragment and AH extension headers walked). IP fragments are not reassembled: every fragment (the first
// too, whose UDP length cannot be checked against the datagram) is counted and skipped; GSMTAP and MAC-LTE
// datagrams are far below any MTU. A frame is either a whole UDP datagram whose lengths agree at every layer
// or a skip with its reason; never a part of one.
#pragma once
#include <cstdint>
#include <span>

namespace tw::pcap {

inline constexpr int kLinkNull = 0, kLinkEthernet = 1, kLinkRaw = 12, kLinkRawLinktype = 101, kLinkLoop = 108,
                     kLinkLinuxSll = 113, kLinkMacLte = 147, kLinkExportedPdu = 252, kLinkIpv4 = 228, kLinkIpv6 = 229, kLinkLinuxSll2 = 276;

// Why a frame was skipped (one counter each; names in skip_name).
enum class Skip {
  none,
  unsupported_link_type,  // a link type not listed above
  truncated_link,         // shorter than its link-layer header (or VLAN tags)
  not_ip,                 // ARP, 802.3 frames, other address families / protocols
  truncated_ip,           // the IP header or the datagram its length announces is not all captured
  bad_ip_header,          // wrong version, IHL < 5, total length < header, too many IPv6 extension headers
  ip_fragment,            // IPv4 MF/offset or an IPv6 Fragment header: not reassembled
  not_udp,                // TCP, ICMP, ESP, ...
  truncated_udp,          // fewer than 8 octets after the IP header
  bad_udp_length,         // the UDP length disagrees with the IP payload length
  count_
};
const char* skip_name(Skip s);

struct UdpDatagram {
  std::uint16_t src_port = 0, dst_port = 0;
  std::span<const std::uint8_t> payload;
};

// The result of walking one frame: a UDP datagram, a MAC-LTE framed PDU (link type 147) or an exported PDU
// (link type 252) (`payload` is the whole frame for both), or a skip.
struct FrameWalk {
  enum class Kind { udp, mac_lte_framed, exported_pdu, skipped } kind = Kind::skipped;
  UdpDatagram udp;
  std::span<const std::uint8_t> payload;  // mac_lte_framed, exported_pdu
  Skip skip = Skip::none;
};

FrameWalk walk_frame(int link_type, std::span<const std::uint8_t> frame);
// Is this a link type walk_frame reads?
bool link_type_supported(int link_type);

}  // namespace tw::pcap
