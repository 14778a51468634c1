// GSMTAP datagrams as Wireshark reads them: header layout of libosmocore's gsmtap.h (version 2, length
// in 32-bit words, type UM, ARFCN with the PCS flag, FN big endian, channel sub-type), then the 23 octets.
// Received on a loopback socket.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "src/core/error.hpp"
#include "src/output/gsmtap.hpp"

namespace {

TEST(Gsmtap, DatagramReachesALoopbackListenerWithTheHeaderWiresharkExpects) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

  tw::GsmtapSender sender("127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
  tw::GsmtapBlock b;
  b.arfcn = 600;
  b.pcs1900 = true;
  b.fn = 675007;
  b.tn = 0;
  b.channel = "CCCH";
  b.power_dbm = -47.4;
  b.snr_db = 21.6;
  // A real Paging Request Type 1 (shared/captures/gsm/reference.json, fn 675007).
  const std::uint8_t ref[23] = {0x41, 0x06, 0x21, 0xa0, 0x05, 0xf4, 0x24, 0x02, 0x81, 0x0b, 0x17, 0x05,
                                0xf4, 0x18, 0x00, 0x03, 0x12, 0x2b, 0x2b, 0x2b, 0x2b, 0x2b, 0x2b};
  std::copy(std::begin(ref), std::end(ref), b.octets.begin());
  sender.send(b);
  EXPECT_EQ(sender.sent(), 1u);

  std::uint8_t buf[256];
  const ssize_t n = recv(fd, buf, sizeof buf, 0);
  close(fd);
  ASSERT_EQ(n, 16 + 23);
  EXPECT_EQ(buf[0], 2);        // GSMTAP version 2
  EXPECT_EQ(buf[1], 4);        // header length: 4 words of 32 bits
  EXPECT_EQ(buf[2], 1);        // GSMTAP_TYPE_UM
  EXPECT_EQ(buf[3], 0);        // timeslot
  EXPECT_EQ((buf[4] << 8) | buf[5], 0x8000 | 600);  // ARFCN 600 with the PCS1900 flag
  EXPECT_EQ(static_cast<std::int8_t>(buf[6]), -47);
  EXPECT_EQ(static_cast<std::int8_t>(buf[7]), 22);
  EXPECT_EQ((std::uint32_t(buf[8]) << 24) | (buf[9] << 16) | (buf[10] << 8) | buf[11], 675007u);
  EXPECT_EQ(buf[12], 2);       // GSMTAP_CHANNEL_CCCH
  EXPECT_EQ(0, std::memcmp(buf + 16, ref, 23));
}

// LTE RRC (osmocom/core/gsmtap.h: GSMTAP_TYPE_LTE_RRC 0x0d; sub-types in the order of its enum, DL-CCCH 0 ...
// BCCH-BCH 4, BCCH-DL-SCH 5, as Wireshark's packet-gsmtap.c reads them): the real SIB1 of
// shared/captures/lte/reference.json after the header, the SFN as the frame number and the subframe in sub_slot
// (as SCAT writes them: fgsect/scat diagltelogparser.py parse_lte_rrc).
TEST(Gsmtap, LteRrcBcchDlSchAndBcchBch) {
  tw::GsmtapLteRrc m;
  m.channel = tw::GsmtapLteRrc::Channel::bcch_dl_sch;
  m.earfcn = 1575;
  m.sfn = 952;
  m.subframe = 5;
  m.octets = {0x48, 0x48, 0x18, 0x03, 0x24, 0x7c, 0x2b, 0xff, 0xd0, 0x18, 0x10, 0x21, 0x00, 0x81, 0x04, 0x4c,
              0x43, 0x25, 0x23, 0x90, 0x00, 0x00};
  const std::string d = tw::GsmtapSender::datagram(m);
  ASSERT_EQ(d.size(), 16u + 22u);
  const auto* u = reinterpret_cast<const std::uint8_t*>(d.data());
  EXPECT_EQ(u[0], 2);
  EXPECT_EQ(u[1], 4);
  EXPECT_EQ(u[2], 0x0d);
  EXPECT_EQ((u[4] << 8) | u[5], 1575);
  EXPECT_EQ((std::uint32_t(u[8]) << 24) | (u[9] << 16) | (u[10] << 8) | u[11], 952u);
  EXPECT_EQ(u[12], 5);
  EXPECT_EQ(u[14], 5);
  EXPECT_EQ(0, std::memcmp(u + 16, m.octets.data(), m.octets.size()));
  m.channel = tw::GsmtapLteRrc::Channel::bcch_bch;
  m.octets = {0x68, 0x1c, 0x00};
  m.earfcn = 39150;  // beyond the 14-bit field: 0
  const std::string b = tw::GsmtapSender::datagram(m);
  ASSERT_EQ(b.size(), 16u + 3u);
  EXPECT_EQ(static_cast<std::uint8_t>(b[12]), 4);
  EXPECT_EQ(b[4], 0);
  EXPECT_EQ(b[5], 0);
}

// Wireshark captures GSMTAP on the interface; usually nothing listens on the port. Each datagram then draws an
// ICMP "port unreachable", which a connected UDP socket reports as the failure of the next send: every other
// block was lost. Every datagram must go out whether or not anybody listens.
TEST(Gsmtap, NoListenerLosesNothing) {
  int probe = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(probe, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(probe);  // the port is now closed: datagrams to it are refused
  tw::GsmtapSender sender("127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
  tw::GsmtapBlock b;
  for (int i = 0; i < 6; ++i) {
    b.fn = static_cast<std::uint32_t>(i);
    sender.send(b);
    usleep(2000);  // let the ICMP error come back between sends
  }
  EXPECT_EQ(sender.sent(), 6u);
  EXPECT_EQ(sender.failed(), 0u);
}

TEST(Gsmtap, BadDestinationIsAnInputErrorNamingIt) {
  try {
    tw::GsmtapSender s("127.0.0.1:not-a-port");
    FAIL() << "expected an InputError";
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:not-a-port"), std::string::npos);
  }
}

}  // namespace
