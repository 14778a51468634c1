// GSMTAP output: every decoded block as a UDP datagram that Wireshark dissects (GSMTAP v2 header from
// libosmocore's osmocom/core/gsmtap.h, then the 23 L2 octets; for LTE the RRC message, type LTE RRC with the
// sub-type BCCH-BCH (MIB) or BCCH-DL-SCH (SIB1, SystemInformation)). Default destination 127.0.0.1:4729.
#pragma once
#include <array>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tw {

struct GsmtapBlock {
  std::optional<int> arfcn;
  bool pcs1900 = false;      // ARFCN 512..810 of PCS1900 (GSMTAP_ARFCN_F_PCS)
  std::uint32_t fn = 0;
  int tn = 0;
  std::string channel;       // "BCCH", "CCCH", "SDCCH/4", "SACCH/C4"
  double power_dbm = 0.0;    // dBFS until level calibration exists
  double snr_db = 0.0;
  std::array<std::uint8_t, 23> octets{};
};

// One LTE RRC message (TS 36.331) as received: the MIB's 3 octets on BCCH-BCH, or a BCCH-DL-SCH message.
struct GsmtapLteRrc {
  enum class Channel { bcch_bch, bcch_dl_sch };
  Channel channel = Channel::bcch_dl_sch;
  std::optional<int> earfcn;  // in the ARFCN field (14 bits; larger EARFCNs are sent as 0)
  int sfn = 0;                // frame number field: SFN * 10 + subframe
  int subframe = 0;
  double power_dbm = 0.0;     // RSRP in dBFS until level calibration exists
  double snr_db = 0.0;
  std::vector<std::uint8_t> octets;
};

class GsmtapSender {
 public:
  // `destination` is "HOST:PORT", "HOST" (port 4729) or ":PORT"; HOST is an IPv4/IPv6 address or a name.
  // Throws tw::InputError on a bad destination (naming it).
  explicit GsmtapSender(const std::string& destination);
  ~GsmtapSender();
  GsmtapSender(const GsmtapSender&) = delete;
  GsmtapSender& operator=(const GsmtapSender&) = delete;

  // Best effort, like any UDP tap: a send failure is counted, never fatal.
  void send(const GsmtapBlock& block);
  void send(const GsmtapLteRrc& message);
  std::uint64_t sent() const { return sent_; }
  std::uint64_t failed() const { return failed_; }

  // The datagram bytes for a block (header + payload), for tests.
  static std::string datagram(const GsmtapBlock& block);
  static std::string datagram(const GsmtapLteRrc& message);

 private:
  void send_datagram(const std::string& d);
  int fd_ = -1;
  sockaddr_storage dest_{};
  socklen_t dest_len_ = 0;
  std::uint64_t sent_ = 0, failed_ = 0;
};

}  // namespace tw
