#include "src/capture/mac_lte_reader.hpp"

#include <cstring>

namespace tw::capture {

namespace {
constexpr std::size_t kStartLen = sizeof(kMacLteStartString) - 1;
// Radio type, direction and RNTI type values (packet-mac-lte.h).
constexpr std::uint8_t kFdd = 1, kTdd = 2, kUplink = 0, kDownlink = 1;
constexpr std::uint8_t kNoRnti = 0, kPRnti = 1, kSiRnti = 4;
constexpr std::uint8_t kCrcSuccess = 1;
}  // namespace

bool has_mac_lte_start_string(std::span<const std::uint8_t> p) {
  return p.size() >= kStartLen && std::memcmp(p.data(), kMacLteStartString, kStartLen) == 0;
}

MacLteResult read_mac_lte(std::span<const std::uint8_t> f, bool with_start_string) {
  std::size_t at = 0;
  if (with_start_string) {
    if (!has_mac_lte_start_string(f)) return std::string("mac_lte_truncated");
    at = kStartLen;
  }
  if (f.size() < at + 3) return std::string("mac_lte_truncated");
  const std::uint8_t radio = f[at], direction = f[at + 1], rnti_type = f[at + 2];
  at += 3;
  if (radio != kFdd && radio != kTdd) return std::string("mac_lte_bad_radio_type");
  if (direction == kUplink) return std::string("mac_lte_uplink");
  if (direction != kDownlink) return std::string("mac_lte_bad_direction");

  CapturedLteRrc m;
  m.tdd = radio == kTdd;
  m.framing = with_start_string ? "mac-lte-udp" : "mac-lte";
  bool crc_failed = false, nb_iot = false;
  // Tags until the payload tag; each tag's size is fixed by the framing (or given by its own length octet).
  auto need = [&](std::size_t n) { return f.size() >= at + n; };
  for (;;) {
    if (!need(1)) return std::string("mac_lte_truncated");
    const std::uint8_t tag = f[at++];
    if (tag == 0x01) break;                                   // payload: the MAC PDU to the end
    std::size_t len = 0;
    switch (tag) {
      case 0x02: case 0x03: case 0x09: len = 2; break;        // RNTI, UE id, send preamble
      case 0x04:                                              // SFN (10 bits) << 4 | subframe (4 bits)
        if (!need(2)) return std::string("mac_lte_truncated");
        m.sfn = ((f[at] << 8 | f[at + 1]) >> 4) & 0x3ff;
        m.subframe = f[at + 1] & 0x0f;
        len = 2;
        break;
      case 0x05: case 0x06: case 0x0e: case 0x10: len = 1; break;  // predefined, retx, CE mode, UL RBs
      case 0x0f:                                              // NB mode: 1 = NB-IoT (srsRAN writes it on every PDU)
        if (!need(1)) return std::string("mac_lte_truncated");
        nb_iot = f[at] != 0;
        len = 1;
        break;
      case 0x07:                                              // CRC status
        if (!need(1)) return std::string("mac_lte_truncated");
        crc_failed = f[at] != kCrcSuccess;
        len = 1;
        break;
      case 0x0a:                                              // carrier id
        if (!need(1)) return std::string("mac_lte_truncated");
        m.carrier_id = f[at];
        len = 1;
        break;
      case 0x08: case 0x0c: case 0x0d: len = 0; break;        // flags without a value
      case 0x0b:                                              // PHY info: a length octet, then that many
        if (!need(1)) return std::string("mac_lte_truncated");
        len = 1 + static_cast<std::size_t>(f[at]);
        break;
      case 0x11:                                              // SR list: a 2-octet count of (UE id, RNTI)
        if (!need(2)) return std::string("mac_lte_truncated");
        len = 2 + 4 * static_cast<std::size_t>(f[at] << 8 | f[at + 1]);
        break;
      default:
        return std::string("mac_lte_bad_tag");
    }
    if (!need(len)) return std::string("mac_lte_truncated");
    at += len;
  }
  if (crc_failed) return std::string("mac_lte_crc_failed");
  // An NB-IoT PDU on SI-RNTI carries SIB1-NB / SI-NB (another ASN.1, 36.331 6.7): never read as LTE's.
  if (nb_iot) return std::string("mac_lte_nb_iot");
  if (rnti_type == kSiRnti) m.channel = CapturedLteRrc::Channel::bcch_dl_sch;
  else if (rnti_type == kPRnti) m.channel = CapturedLteRrc::Channel::pcch;
  else if (rnti_type == kNoRnti) m.channel = CapturedLteRrc::Channel::bcch_bch;
  else return std::string("mac_lte_rnti_other");   // C-, RA-, SPS-, M-RNTI...: a UE's traffic, never read
  if (at >= f.size()) return std::string("mac_lte_empty");
  m.octets.assign(f.begin() + static_cast<std::ptrdiff_t>(at), f.end());
  return m;
}

}  // namespace tw::capture
