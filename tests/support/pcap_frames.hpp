// Test frames built octet by octet from the RFCs and link-type definitions (tcpdump.org link-layer header
// types), and pcap files written with libpcap's own dump functions (pcap_open_dead + pcap_dump_open), so
// that what towerwatch reads is what libpcap writes.
#pragma once
#include <pcap/pcap.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tw::test {

using Octets = std::vector<std::uint8_t>;

inline void put16(Octets& o, std::uint16_t v) {
  o.push_back(static_cast<std::uint8_t>(v >> 8));
  o.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(Octets& o, std::uint32_t v) {
  put16(o, static_cast<std::uint16_t>(v >> 16));
  put16(o, static_cast<std::uint16_t>(v));
}
inline Octets cat(Octets a, const Octets& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
inline Octets bytes_of(const std::string& s) { return Octets(s.begin(), s.end()); }

// UDP (RFC 768), checksum 0 (none, allowed over IPv4).
inline Octets udp(std::uint16_t src, std::uint16_t dst, const Octets& payload, int length_delta = 0) {
  Octets o;
  put16(o, src);
  put16(o, dst);
  put16(o, static_cast<std::uint16_t>(8 + payload.size() + length_delta));
  put16(o, 0);
  return cat(o, payload);
}

// IPv4 (RFC 791) with `option_words` 32-bit words of NOP options and a correct header checksum.
inline Octets ipv4(const Octets& payload, int protocol = 17, int option_words = 0, std::uint16_t flags_fragment = 0x4000) {
  Octets h;
  const int ihl = 5 + option_words;
  h.push_back(static_cast<std::uint8_t>(0x40 | ihl));
  h.push_back(0);
  put16(h, static_cast<std::uint16_t>(ihl * 4 + payload.size()));
  put16(h, 0x1234);
  put16(h, flags_fragment);
  h.push_back(64);
  h.push_back(static_cast<std::uint8_t>(protocol));
  put16(h, 0);
  put32(h, 0x7f000001);
  put32(h, 0x7f000001);
  for (int i = 0; i < option_words * 4; ++i) h.push_back(1);   // NOP
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < h.size(); i += 2) sum += static_cast<std::uint32_t>(h[i] << 8 | h[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  h[10] = static_cast<std::uint8_t>(~sum >> 8);
  h[11] = static_cast<std::uint8_t>(~sum);
  return cat(h, payload);
}

// An IPv6 extension header (RFC 8200 4.3-4.6): next header, length in 8-octet units beyond the first, padding.
struct Ipv6Ext {
  int type;            // 0 Hop-by-Hop, 43 Routing, 60 Destination Options, 44 Fragment
  int units = 0;       // (length / 8) - 1 (Fragment: always 0)
  std::uint16_t fragment = 0;   // Fragment: offset << 3 | M
};
inline Octets ipv6(const Octets& payload, const std::vector<Ipv6Ext>& ext = {}, int last_next = 17) {
  Octets body;
  for (std::size_t i = 0; i < ext.size(); ++i) {
    const int next = i + 1 < ext.size() ? ext[i + 1].type : last_next;
    Octets e{static_cast<std::uint8_t>(next), static_cast<std::uint8_t>(ext[i].type == 44 ? 0 : ext[i].units)};
    if (ext[i].type == 44) {
      put16(e, ext[i].fragment);
      put32(e, 0xabcd);
    } else {
      e.resize(static_cast<std::size_t>(ext[i].units + 1) * 8, 0);   // PadN-free: Pad1 options (0)
      if (ext[i].type == 43) { e[2] = 0; e[3] = 0; }                  // routing type 0, segments left 0
    }
    body = cat(body, e);
  }
  body = cat(body, payload);
  Octets h{0x60, 0, 0, 0};
  put16(h, static_cast<std::uint16_t>(body.size()));
  h.push_back(static_cast<std::uint8_t>(ext.empty() ? last_next : ext[0].type));
  h.push_back(64);
  for (int i = 0; i < 15; ++i) h.push_back(0);
  h.push_back(1);   // ::1
  for (int i = 0; i < 15; ++i) h.push_back(0);
  h.push_back(1);
  return cat(h, body);
}

// Ethernet II with optional VLAN tags (TPIDs).
inline Octets ethernet(std::uint16_t ethertype, const Octets& payload, const std::vector<std::uint16_t>& vlan_tpids = {}) {
  Octets o{0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
  for (auto tpid : vlan_tpids) {
    put16(o, tpid);
    put16(o, 42);   // PCP 0, DEI 0, VID 42
  }
  put16(o, ethertype);
  return cat(o, payload);
}
// Linux cooked capture v1 (LINKTYPE_LINUX_SLL): packet type, ARPHRD, address length, 8 address octets, protocol.
inline Octets sll(std::uint16_t protocol, const Octets& payload) {
  Octets o;
  put16(o, 0);        // to us
  put16(o, 772);      // ARPHRD_LOOPBACK
  put16(o, 6);
  for (int i = 0; i < 8; ++i) o.push_back(0);
  put16(o, protocol);
  return cat(o, payload);
}
// Linux cooked capture v2 (LINKTYPE_LINUX_SLL2): protocol, reserved, interface index, ARPHRD, packet type,
// address length, 8 address octets.
inline Octets sll2(std::uint16_t protocol, const Octets& payload) {
  Octets o;
  put16(o, protocol);
  put16(o, 0);
  put32(o, 1);
  put16(o, 772);
  o.push_back(0);
  o.push_back(6);
  for (int i = 0; i < 8; ++i) o.push_back(0);
  return cat(o, payload);
}
// BSD loopback: the address family as a 32-bit number in the given byte order.
inline Octets null_link(std::uint32_t family, bool big_endian, const Octets& payload) {
  Octets o;
  if (big_endian) put32(o, family);
  else for (int i = 0; i < 4; ++i) o.push_back(static_cast<std::uint8_t>(family >> (8 * i)));
  return cat(o, payload);
}

struct TimedFrame {
  double time_s = 0.0;
  Octets data;
  std::uint32_t original_length = 0;   // 0: data.size()
};

// Writes a pcap file with libpcap (microsecond timestamps).
inline void write_pcap(const std::string& path, int link_type, const std::vector<TimedFrame>& frames) {
  pcap_t* dead = pcap_open_dead(link_type, 262144);
  if (!dead) throw std::runtime_error("pcap_open_dead");
  pcap_dumper_t* d = pcap_dump_open(dead, path.c_str());
  if (!d) {
    pcap_close(dead);
    throw std::runtime_error("pcap_dump_open " + path);
  }
  for (const auto& f : frames) {
    pcap_pkthdr h{};
    h.ts.tv_sec = static_cast<long>(f.time_s);
    h.ts.tv_usec = static_cast<long>((f.time_s - static_cast<double>(h.ts.tv_sec)) * 1e6 + 0.5);
    h.caplen = static_cast<std::uint32_t>(f.data.size());
    h.len = f.original_length ? f.original_length : h.caplen;
    pcap_dump(reinterpret_cast<u_char*>(d), &h, f.data.data());
  }
  pcap_dump_close(d);
  pcap_close(dead);
}

// MAC-LTE framing (packet-mac-lte.h): [start string] radio type, direction, RNTI type, tags, payload tag.
inline Octets mac_lte(bool start_string, std::uint8_t rnti_type, const Octets& pdu, int sfn = 0, int subframe = 5,
                      std::uint8_t direction = 1, const Octets& extra_tags = {}) {
  Octets o;
  if (start_string) o = bytes_of("mac-lte");
  o.push_back(1);           // FDD
  o.push_back(direction);
  o.push_back(rnti_type);
  o.push_back(0x02);        // RNTI tag
  put16(o, rnti_type == 4 ? 0xffff : rnti_type == 1 ? 0xfffe : 0x1234);
  o.push_back(0x04);        // SFN/subframe tag
  put16(o, static_cast<std::uint16_t>(sfn << 4 | subframe));
  o = cat(o, extra_tags);
  o.push_back(0x01);        // payload
  return cat(o, pdu);
}

}  // namespace tw::test
