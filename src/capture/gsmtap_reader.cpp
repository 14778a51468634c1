#include "src/capture/gsmtap_reader.hpp"

namespace tw::capture {

namespace {
// libosmocore gsmtap.h (the constants towerwatch's own src/output/gsmtap.cpp writes through that header).
constexpr std::uint8_t kVersion = 2;
constexpr std::uint8_t kTypeUm = 0x01, kTypeLteRrc = 0x0d;
constexpr std::uint16_t kArfcnPcs = 0x8000, kArfcnUplink = 0x4000, kArfcnMask = 0x3fff;
constexpr std::uint8_t kChanAcch = 0x80;
// GSMTAP_LTE_RRC_SUB_*: BCCH_BCH_Message 4, BCCH_DL_SCH_Message 5, PCCH_Message 6.
constexpr std::uint8_t kLteBcchBch = 4, kLteBcchDlSch = 5, kLtePcch = 6;
constexpr std::size_t kHeaderOctets = 16;
constexpr std::size_t kGsmBlockOctets = 23;  // 184 bits (45.003 4.1, the xCCH block)

const char* um_channel(std::uint8_t sub_type) {
  const bool acch = sub_type & kChanAcch;
  switch (sub_type & 0x7f) {
    case 0x01: return acch ? nullptr : "BCCH";
    case 0x02: return acch ? nullptr : "CCCH";
    case 0x04: return acch ? nullptr : "AGCH";
    case 0x05: return acch ? nullptr : "PCH";
    case 0x06: return acch ? "SACCH" : "SDCCH";
    case 0x07: return acch ? "SACCH/C4" : "SDCCH/4";
    case 0x08: return acch ? "SACCH/C8" : "SDCCH/8";
    default: return nullptr;   // RACH (uplink), TCH, PACCH, PDTCH, CBCH, voice: not read
  }
}
}  // namespace

const char* channel_name(CapturedLteRrc::Channel c) {
  switch (c) {
    case CapturedLteRrc::Channel::bcch_bch: return "BCCH-BCH";
    case CapturedLteRrc::Channel::bcch_dl_sch: return "BCCH-DL-SCH";
    case CapturedLteRrc::Channel::pcch: return "PCCH";
  }
  return "?";
}

GsmtapResult read_gsmtap(std::span<const std::uint8_t> d) {
  if (d.size() < kHeaderOctets) return std::string("gsmtap_truncated");
  if (d[0] != kVersion) return std::string("gsmtap_bad_version");
  const std::size_t hdr_len = static_cast<std::size_t>(d[1]) * 4;
  if (hdr_len < kHeaderOctets || hdr_len > d.size()) return std::string("gsmtap_bad_hdr_len");
  const std::uint8_t type = d[2];
  const std::uint16_t arfcn_field = static_cast<std::uint16_t>(d[4] << 8 | d[5]);
  const auto signal = static_cast<std::int8_t>(d[6]);
  const auto snr = static_cast<std::int8_t>(d[7]);
  const std::uint32_t fn = std::uint32_t(d[8]) << 24 | std::uint32_t(d[9]) << 16 | std::uint32_t(d[10]) << 8 | d[11];
  const std::uint8_t sub_type = d[12];
  const auto payload = d.subspan(hdr_len);

  if (type == kTypeUm) {
    if (arfcn_field & kArfcnUplink) return std::string("gsm_uplink");
    const char* ch = um_channel(sub_type);
    if (!ch) return std::string("gsm_subtype_other");
    // SDCCH and SACCH carry one phone's dedicated signalling (LAPDm frames, 44.006), not the cell's broadcast:
    // the CCCH parser and its redaction do not apply to them (a LAPDm header can look like a CCCH message
    // and hide an identity where the paging parser does not look), and no parser of dedicated messages
    // exists yet. Counted, not read.
    if ((sub_type & 0x7f) >= 0x06) return std::string("gsm_dedicated_channel");
    if (payload.size() != kGsmBlockOctets) return std::string("gsm_bad_length");
    CapturedGsmBlock b;
    b.arfcn = arfcn_field & kArfcnMask;
    b.pcs1900 = arfcn_field & kArfcnPcs;
    b.tn = d[3] & 7;
    b.fn = fn;
    b.channel = ch;
    b.signal_dbm = signal;
    b.snr_db = snr;
    for (std::size_t i = 0; i < kGsmBlockOctets; ++i) b.octets[i] = payload[i];
    return b;
  }
  if (type == kTypeLteRrc) {
    CapturedLteRrc m;
    if (sub_type == kLteBcchBch) m.channel = CapturedLteRrc::Channel::bcch_bch;
    else if (sub_type == kLteBcchDlSch) m.channel = CapturedLteRrc::Channel::bcch_dl_sch;
    else if (sub_type == kLtePcch) m.channel = CapturedLteRrc::Channel::pcch;
    else return std::string("lte_rrc_subtype_other");   // DL/UL-CCCH, DCCH (a UE's own signalling), MBMS, NB-IoT
    if (payload.empty()) return std::string("lte_rrc_empty");
    m.framing = "gsmtap";
    const int earfcn = arfcn_field & kArfcnMask;
    if (earfcn != 0) m.earfcn = earfcn;
    // towerwatch writes SFN*10+subframe (src/output/gsmtap.cpp); other writers vary: kept only when in range.
    if (fn < 10240) {
      m.sfn = static_cast<int>(fn / 10);
      m.subframe = static_cast<int>(fn % 10);
    }
    m.signal_dbm = signal;
    m.snr_db = snr;
    m.octets.assign(payload.begin(), payload.end());
    return m;
  }
  return std::string("gsmtap_type_other");
}

}  // namespace tw::capture
