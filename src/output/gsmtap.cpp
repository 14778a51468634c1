#include "src/output/gsmtap.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <osmocom/core/gsmtap.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "src/core/error.hpp"

namespace tw {

namespace {
std::uint8_t gsmtap_sub_type(const std::string& channel) {
  if (channel == "BCCH") return GSMTAP_CHANNEL_BCCH;
  if (channel == "CCCH") return GSMTAP_CHANNEL_CCCH;
  if (channel == "SDCCH/4") return GSMTAP_CHANNEL_SDCCH4;
  if (channel == "SACCH/C4") return GSMTAP_CHANNEL_SDCCH4 | GSMTAP_CHANNEL_ACCH;
  return GSMTAP_CHANNEL_UNKNOWN;
}
std::int8_t clamp_i8(double v) { return static_cast<std::int8_t>(std::clamp(std::lround(v), -128L, 127L)); }
}  // namespace

GsmtapSender::GsmtapSender(const std::string& destination) {
  std::string host = "127.0.0.1", port = std::to_string(GSMTAP_UDP_PORT);
  const auto colon = destination.rfind(':');
  if (destination.empty()) {
  } else if (destination.front() == '[') {  // [v6]:port
    const auto close = destination.find(']');
    if (close == std::string::npos) throw InputError("--gsmtap: bad address '" + destination + "'");
    host = destination.substr(1, close - 1);
    if (close + 1 < destination.size() && destination[close + 1] == ':') port = destination.substr(close + 2);
  } else if (colon != std::string::npos && destination.find(':') == colon) {
    if (colon > 0) host = destination.substr(0, colon);
    port = destination.substr(colon + 1);
  } else {
    host = destination;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || !res)
    throw InputError("--gsmtap: cannot resolve '" + destination + "' (expected HOST:PORT, e.g. 127.0.0.1:4729)");
  // Not connected: a connected UDP socket reports the ICMP "port unreachable" of one datagram as the failure of
  // the next send, so with Wireshark capturing and nobody listening every other datagram was lost.
  fd_ = ::socket(res->ai_family, res->ai_socktype, res->ai_protocol);
  if (fd_ >= 0 && res->ai_addrlen <= sizeof dest_) {
    std::memcpy(&dest_, res->ai_addr, res->ai_addrlen);
    dest_len_ = static_cast<socklen_t>(res->ai_addrlen);
  }
  if (fd_ < 0 || dest_len_ == 0) {
    freeaddrinfo(res);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    throw InputError("--gsmtap: cannot open a UDP socket to '" + destination + "': " + std::strerror(errno));
  }
  freeaddrinfo(res);
}

GsmtapSender::~GsmtapSender() {
  if (fd_ >= 0) ::close(fd_);
}

std::string GsmtapSender::datagram(const GsmtapBlock& b) {
  gsmtap_hdr h{};
  h.version = GSMTAP_VERSION;
  h.hdr_len = sizeof(gsmtap_hdr) / 4;
  h.type = GSMTAP_TYPE_UM;
  h.timeslot = static_cast<std::uint8_t>(b.tn & 7);
  std::uint16_t arfcn = b.arfcn ? static_cast<std::uint16_t>(*b.arfcn & GSMTAP_ARFCN_MASK) : 0;
  if (b.pcs1900) arfcn |= GSMTAP_ARFCN_F_PCS;
  h.arfcn = htons(arfcn);
  h.signal_dbm = clamp_i8(b.power_dbm);
  h.snr_db = clamp_i8(b.snr_db);
  h.frame_number = htonl(b.fn);
  h.sub_type = gsmtap_sub_type(b.channel);
  std::string out(reinterpret_cast<const char*>(&h), sizeof h);
  out.append(reinterpret_cast<const char*>(b.octets.data()), b.octets.size());
  return out;
}

std::string GsmtapSender::datagram(const GsmtapLteRrc& m) {
  gsmtap_hdr h{};
  h.version = GSMTAP_VERSION;
  h.hdr_len = sizeof(gsmtap_hdr) / 4;
  h.type = GSMTAP_TYPE_LTE_RRC;
  const int earfcn = m.earfcn.value_or(0);
  h.arfcn = htons(static_cast<std::uint16_t>(earfcn >= 0 && earfcn <= GSMTAP_ARFCN_MASK ? earfcn : 0));
  h.signal_dbm = clamp_i8(m.power_dbm);
  h.snr_db = clamp_i8(m.snr_db);
  // SFN in the frame number and the subframe in sub_slot, as SCAT writes LTE RRC (fgsect/scat
  // src/scat/parsers/qualcomm/diagltelogparser.py parse_lte_rrc: frame_number = sfn, sub_slot = subfn).
  h.frame_number = htonl(static_cast<std::uint32_t>(m.sfn & 1023));
  h.sub_slot = static_cast<std::uint8_t>(m.subframe % 10);
  h.sub_type = m.channel == GsmtapLteRrc::Channel::bcch_bch ? GSMTAP_LTE_RRC_SUB_BCCH_BCH_Message
                                                             : GSMTAP_LTE_RRC_SUB_BCCH_DL_SCH_Message;
  std::string out(reinterpret_cast<const char*>(&h), sizeof h);
  out.append(reinterpret_cast<const char*>(m.octets.data()), m.octets.size());
  return out;
}

void GsmtapSender::send(const GsmtapBlock& b) { send_datagram(datagram(b)); }
void GsmtapSender::send(const GsmtapLteRrc& m) { send_datagram(datagram(m)); }

void GsmtapSender::send_datagram(const std::string& d) {
  if (::sendto(fd_, d.data(), d.size(), MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&dest_), dest_len_) ==
      static_cast<ssize_t>(d.size()))
    ++sent_;
  else
    ++failed_;
}

}  // namespace tw
