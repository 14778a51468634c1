#include "hw/pcap_packet.hpp"

namespace tw::pcap {

namespace {

using Bytes = std::span<const std::uint8_t>;

std::uint16_t be16(Bytes b, std::size_t at) { return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]); }
std::uint32_t be32(Bytes b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) << 24 | static_cast<std::uint32_t>(b[at + 1]) << 16 |
         static_cast<std::uint32_t>(b[at + 2]) << 8 | b[at + 3];
}

constexpr std::uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd;
constexpr int kIpProtoUdp = 17;

FrameWalk skipped(Skip s) {
  FrameWalk w;
  w.skip = s;
  return w;
}

// UDP header (RFC 768) over exactly the IP payload: its length field must equal the payload's length.
FrameWalk udp(Bytes ip_payload) {
  if (ip_payload.size() < 8) return skipped(Skip::truncated_udp);
  const std::uint16_t len = be16(ip_payload, 4);
  if (len < 8 || len != ip_payload.size()) return skipped(Skip::bad_udp_length);
  FrameWalk w;
  w.kind = FrameWalk::Kind::udp;
  w.udp.src_port = be16(ip_payload, 0);
  w.udp.dst_port = be16(ip_payload, 2);
  w.udp.payload = ip_payload.subspan(8, len - 8u);
  return w;
}

// IPv4 (RFC 791 3.1): IHL in 32-bit words (options stepped over), total length over header and data; the
// captured frame may carry link padding after it (Ethernet minimum size), never less than it.
FrameWalk ipv4(Bytes p) {
  if (p.size() < 20) return skipped(Skip::truncated_ip);
  if (p[0] >> 4 != 4) return skipped(Skip::bad_ip_header);
  const std::size_t ihl = static_cast<std::size_t>(p[0] & 0x0f) * 4;
  const std::size_t total = be16(p, 2);
  if (ihl < 20 || total < ihl) return skipped(Skip::bad_ip_header);
  if (p.size() < ihl || p.size() < total) return skipped(Skip::truncated_ip);
  const std::uint16_t frag = be16(p, 6);
  if ((frag & 0x2000) || (frag & 0x1fff)) return skipped(Skip::ip_fragment);  // MF flag or fragment offset
  if (p[9] != kIpProtoUdp) return skipped(Skip::not_udp);
  return udp(p.subspan(ihl, total - ihl));
}

// IPv6 (RFC 8200 3, 4): the fixed header, then the extension headers up to UDP. A payload length of 0
// (a Jumbo Payload, RFC 2675) is not read.
FrameWalk ipv6(Bytes p) {
  if (p.size() < 40) return skipped(Skip::truncated_ip);
  if (p[0] >> 4 != 6) return skipped(Skip::bad_ip_header);
  const std::size_t payload_len = be16(p, 4);
  if (payload_len == 0) return skipped(Skip::bad_ip_header);
  if (p.size() < 40 + payload_len) return skipped(Skip::truncated_ip);
  Bytes rest = p.subspan(40, payload_len);
  int next = p[6];
  for (int hops = 0;; ++hops) {
    if (next == kIpProtoUdp) return udp(rest);
    if (hops >= 16) return skipped(Skip::bad_ip_header);
    std::size_t len = 0;
    switch (next) {
      case 0:    // Hop-by-Hop Options (4.3)
      case 43:   // Routing (4.4)
      case 60:   // Destination Options (4.6)
        if (rest.size() < 2) return skipped(Skip::truncated_ip);
        len = (static_cast<std::size_t>(rest[1]) + 1) * 8;
        break;
      case 44:   // Fragment (4.5): 8 octets; offset or M flag set means a fragment
        if (rest.size() < 8) return skipped(Skip::truncated_ip);
        if (be16(rest, 2) & 0xfff9) return skipped(Skip::ip_fragment);
        len = 8;
        break;
      case 51:   // Authentication Header (RFC 4302 2.2): length in 32-bit words minus 2
        if (rest.size() < 2) return skipped(Skip::truncated_ip);
        len = (static_cast<std::size_t>(rest[1]) + 2) * 4;
        break;
      default:   // 59 No Next Header, 50 ESP, TCP, ICMPv6, ...
        return skipped(Skip::not_udp);
    }
    if (rest.size() < len) return skipped(Skip::truncated_ip);
    next = rest[0];
    rest = rest.subspan(len);
  }
}

FrameWalk by_ethertype(std::uint16_t type, Bytes p) {
  if (type == kEtherIpv4) return ipv4(p);
  if (type == kEtherIpv6) return ipv6(p);
  return skipped(Skip::not_ip);
}

// Raw IP: the version nibble says which.
FrameWalk raw_ip(Bytes p) {
  if (p.empty()) return skipped(Skip::truncated_link);
  if (p[0] >> 4 == 4) return ipv4(p);
  if (p[0] >> 4 == 6) return ipv6(p);
  return skipped(Skip::not_ip);
}

// BSD loopback: a 4-octet address family. AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD),
// 28 (FreeBSD, DragonFly), 30 (Darwin) or 10 (Linux).
FrameWalk loopback(Bytes f, bool network_order_only) {
  if (f.size() < 4) return skipped(Skip::truncated_link);
  std::uint32_t af = be32(f, 0);
  // DLT_NULL is in the writer's byte order: a value above 0xffff is the other order.
  if (!network_order_only && af > 0xffff)
    af = (af >> 24) | ((af >> 8) & 0xff00) | ((af << 8) & 0xff0000) | (af << 24);
  const Bytes p = f.subspan(4);
  if (af == 2) return ipv4(p);
  if (af == 24 || af == 28 || af == 30 || af == 10) return ipv6(p);
  return skipped(Skip::not_ip);
}

// Ethernet II with up to 4 VLAN tags (IEEE 802.1Q 0x8100, 802.1ad 0x88a8, the older QinQ 0x9100).
FrameWalk ethernet(Bytes f) {
  if (f.size() < 14) return skipped(Skip::truncated_link);
  std::size_t at = 12;
  std::uint16_t type = be16(f, at);
  for (int tags = 0; type == 0x8100 || type == 0x88a8 || type == 0x9100; ++tags) {
    if (tags == 4) return skipped(Skip::not_ip);
    at += 4;
    if (f.size() < at + 2) return skipped(Skip::truncated_link);
    type = be16(f, at);
  }
  return by_ethertype(type, f.subspan(at + 2));
}

}  // namespace

const char* skip_name(Skip s) {
  switch (s) {
    case Skip::none: return "none";
    case Skip::unsupported_link_type: return "unsupported_link_type";
    case Skip::truncated_link: return "truncated_link";
    case Skip::not_ip: return "not_ip";
    case Skip::truncated_ip: return "truncated_ip";
    case Skip::bad_ip_header: return "bad_ip_header";
    case Skip::ip_fragment: return "ip_fragment";
    case Skip::not_udp: return "not_udp";
    case Skip::truncated_udp: return "truncated_udp";
    case Skip::bad_udp_length: return "bad_udp_length";
    case Skip::count_: break;
  }
  return "?";
}

bool link_type_supported(int t) {
  switch (t) {
    case kLinkNull: case kLinkEthernet: case kLinkRaw: case kLinkRawLinktype: case kLinkLoop: case kLinkLinuxSll:
    case kLinkMacLte: case kLinkExportedPdu: case kLinkIpv4: case kLinkIpv6: case kLinkLinuxSll2:
      return true;
    default:
      return false;
  }
}

FrameWalk walk_frame(int link_type, Bytes f) {
  switch (link_type) {
    case kLinkEthernet: return ethernet(f);
    case kLinkNull: return loopback(f, false);
    case kLinkLoop: return loopback(f, true);
    case kLinkRaw:
    case kLinkRawLinktype: return raw_ip(f);
    case kLinkIpv4: return f.empty() ? skipped(Skip::truncated_link) : ipv4(f);
    case kLinkIpv6: return f.empty() ? skipped(Skip::truncated_link) : ipv6(f);
    case kLinkLinuxSll:   // packet type, ARPHRD, address length, 8 address octets, protocol (at 14)
      if (f.size() < 16) return skipped(Skip::truncated_link);
      return by_ethertype(be16(f, 14), f.subspan(16));
    case kLinkLinuxSll2:  // protocol (at 0), reserved, interface index, ARPHRD, type, address length, address
      if (f.size() < 20) return skipped(Skip::truncated_link);
      return by_ethertype(be16(f, 0), f.subspan(20));
    case kLinkMacLte: {
      FrameWalk w;
      w.kind = FrameWalk::Kind::mac_lte_framed;
      w.payload = f;
      return w;
    }
    case kLinkExportedPdu: {
      FrameWalk w;
      w.kind = FrameWalk::Kind::exported_pdu;
      w.payload = f;
      return w;
    }
    default:
      return skipped(Skip::unsupported_link_type);
  }
}

}  // namespace tw::pcap
