#include "src/capture/gsmtap_reader.hpp"

#include <array>

#include "src/gsm/l2_pseudo_length.hpp"

namespace tw::capture {

namespace {
// libosmocore include/osmocom/core/gsmtap.h (the constants towerwatch's own src/output/gsmtap.cpp writes through).
constexpr std::uint8_t kVersion = 2, kVersion3 = 3;
constexpr std::uint8_t kTypeUm = 0x01, kTypeAbis = 0x02, kTypeLteRrc = 0x0d;
constexpr std::uint16_t kArfcnPcs = 0x8000, kArfcnUplink = 0x4000, kArfcnMask = 0x3fff;
constexpr std::uint8_t kChanAcch = 0x80;
constexpr std::size_t kHeaderOctets = 16;
constexpr std::size_t kGsmBlockOctets = 23;  // 184 bits (45.003 4.1, the xCCH block)

// GSMTAP_TYPE_* that are not read, each with the reason it is counted under.
struct TypeSkip {
  std::uint8_t type;
  const char* reason;
};
constexpr std::array<TypeSkip, 9> kTypesNotRead{{
    {0x03, "gsm_um_burst"},           // raw burst bits (gr-gsm's burst sinks)
    {0x0b, "umts_not_read"},          // UMTS RLC/MAC
    {0x0c, "umts_not_read"},          // UMTS RRC (QCSuper, SCAT)
    // LTE MAC: SCAT writes the MAC-LTE context header and then only the MAC header octets the modem logged
    // (diagltelogparser.py create_lte_mac_gsmtap_packet with mac_hdr of header_len octets), never a whole
    // transport block: a SIB would be cut. LTE_MAC_FRAMED: not seen from any producer checked; not read.
    {0x0e, "lte_mac_gsmtap_not_read"},
    {0x0f, "lte_mac_gsmtap_not_read"},
    {0x10, "gsmtap_osmocore_log"},    // libosmocore log lines (osmo-bts, osmocom-bb with GSMTAP logging)
    {0x11, "gsmtap_qc_diag"},         // raw Qualcomm DIAG frames
    {0x12, "lte_nas"},                // LTE NAS (QCSuper, SCAT): one phone's signalling, never read
    {0x08, "gprs_not_read"},          // Gb LLC
}};

// GSMTAP_LTE_RRC_SUB_* (gsmtap.h enum; the same numbering in QCSuper src/protocol/gsmtap.py and SCAT util.py
// gsmtap_lte_rrc_types): which are read, and why the others are counted.
struct LteSubType {
  const char* reason;                  // nullptr: read as `channel`
  CapturedLteRrc::Channel channel = CapturedLteRrc::Channel::bcch_dl_sch;
};
constexpr std::array<LteSubType, 23> kLteSubTypes{{
    {"lte_rrc_dedicated"},  // 0 DL-CCCH: one UE's connection setup
    {"lte_rrc_dedicated"},  // 1 DL-DCCH
    {"lte_rrc_dedicated"},  // 2 UL-CCCH
    {"lte_rrc_dedicated"},  // 3 UL-DCCH
    {nullptr, CapturedLteRrc::Channel::bcch_bch},     // 4 BCCH-BCH (MIB)
    {nullptr, CapturedLteRrc::Channel::bcch_dl_sch},  // 5 BCCH-DL-SCH (SIB1, SI)
    {nullptr, CapturedLteRrc::Channel::pcch},         // 6 PCCH (Paging)
    {"lte_rrc_mbms"},       // 7 MCCH
    {"lte_rrc_mbms"},       // 8 BCCH-BCH-MBMS (FeMBMS MIB, another ASN.1 type)
    {"lte_rrc_br"},         // 9 BCCH-DL-SCH-BR (eMTC)
    {"lte_rrc_mbms"},       // 10 BCCH-DL-SCH-MBMS
    {"lte_rrc_mbms"},       // 11 SC-MCCH
    {"lte_rrc_sidelink"},   // 12 SBCCH-SL-BCH
    {"lte_rrc_sidelink"},   // 13 SBCCH-SL-BCH-V2X
    {"lte_rrc_nb_iot"},     // 14 DL-CCCH-NB
    {"lte_rrc_nb_iot"},     // 15 DL-DCCH-NB
    {"lte_rrc_nb_iot"},     // 16 UL-CCCH-NB
    {"lte_rrc_nb_iot"},     // 17 UL-DCCH-NB
    {"lte_rrc_nb_iot"},     // 18 BCCH-BCH-NB (MIB-NB: not the LTE MIB)
    {"lte_rrc_nb_iot"},     // 19 BCCH-BCH-TDD-NB
    {"lte_rrc_nb_iot"},     // 20 BCCH-DL-SCH-NB (SIB1-NB: not SIB1)
    {"lte_rrc_nb_iot"},     // 21 PCCH-NB
    {"lte_rrc_nb_iot"},     // 22 SC-MCCH-NB
}};

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

// GSMTAP A-bis as QCSuper writes a phone's GSM RR messages (src/modules/pcap_dump.py, LOG_GSM_RR_SIGNALING_MESSAGE_C,
// protocol/gsmtap.py build_gsmtap_ip): sub-type BCCH/CCCH/SDCCH/SDCCH|ACCH (SACCH)/TCH_F|ACCH (FACCH)/RACH, the
// ARFCN field only the uplink flag (0x4000, set when the diag channel octet lacks 0x80), frame number 0; the
// payload is the diag's message with its first octet, the L2 pseudo length, cut for BCCH and CCCH (so the L3
// message from the protocol discriminator on, with what the diag logged after it: the rest octets). The block is
// rebuilt (src/gsm/l2_pseudo_length.cpp) and enters where a Um block does: same parser, same redaction.
GsmtapResult read_abis(std::span<const std::uint8_t> d, std::uint16_t arfcn_field, std::uint8_t sub_type,
                       std::span<const std::uint8_t> payload) {
  if (arfcn_field & kArfcnUplink) return std::string("gsm_abis_uplink");
  const char* ch = nullptr;
  if (sub_type == 0x01) ch = "BCCH";
  else if (sub_type == 0x02) ch = "CCCH";
  // SDCCH, SACCH, FACCH: one phone's dedicated signalling (identities, ciphering, assignments): no parser and
  // no redaction for it in towerwatch: counted, never read.
  else if ((sub_type & 0x7f) >= 0x06 && (sub_type & 0x7f) <= 0x0a) return std::string("gsm_abis_dedicated_channel");
  else return std::string("gsm_abis_subtype_other");
  auto block = tw::gsm::rebuild_ccch_block(payload);
  if (const auto* why = std::get_if<std::string>(&block)) return "gsm_abis_" + *why;
  CapturedGsmBlock b;
  // QCSuper leaves the ARFCN out (0 in the field): read as not given, as a real ARFCN 0 from another writer is.
  // The cell record then has "arfcn":null and is keyed by the PCS flag alone (src/pipeline/pcap_analysis.cpp).
  const int arfcn = arfcn_field & kArfcnMask;
  if (arfcn != 0) b.arfcn = arfcn;
  b.pcs1900 = arfcn_field & kArfcnPcs;
  b.tn = d[3] & 7;
  b.fn = std::uint32_t(d[8]) << 24 | std::uint32_t(d[9]) << 16 | std::uint32_t(d[10]) << 8 | d[11];
  b.channel = ch;
  b.signal_dbm = static_cast<std::int8_t>(d[6]);
  b.snr_db = static_cast<std::int8_t>(d[7]);
  b.octets = std::get<std::array<std::uint8_t, 23>>(block);
  return b;
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
  if (d.size() < 4) return std::string("gsmtap_truncated");
  // GSMTAP v3 (SCAT --gsmtapv3: 16-bit type and sub-type, metadata TLVs): a different header, not read.
  if (d[0] == kVersion3) return std::string("gsmtap_v3_not_read");
  if (d.size() < kHeaderOctets) return std::string("gsmtap_truncated");
  if (d[0] != kVersion) return std::string("gsmtap_bad_version");
  // hdr_len counts 32-bit words; a writer may add octets after the 16-octet header: the payload starts after them.
  const std::size_t hdr_len = static_cast<std::size_t>(d[1]) * 4;
  if (hdr_len < kHeaderOctets || hdr_len > d.size()) return std::string("gsmtap_bad_hdr_len");
  const std::uint8_t type = d[2];
  const std::uint16_t arfcn_field = static_cast<std::uint16_t>(d[4] << 8 | d[5]);
  const auto signal = static_cast<std::int8_t>(d[6]);
  const auto snr = static_cast<std::int8_t>(d[7]);
  const std::uint32_t fn = std::uint32_t(d[8]) << 24 | std::uint32_t(d[9]) << 16 | std::uint32_t(d[10]) << 8 | d[11];
  const std::uint8_t sub_type = d[12];
  const std::uint8_t sub_slot = d[14];
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
  if (type == kTypeAbis) return read_abis(d, arfcn_field, sub_type, payload);
  if (type == kTypeLteRrc) {
    // The uplink flag is GSM's, but a writer may set it on any type (QCSuper: is_uplink << 14 for every
    // message): an uplink frame is never read as the cell's broadcast.
    if (arfcn_field & kArfcnUplink) return std::string("lte_rrc_uplink");
    if (sub_type >= kLteSubTypes.size()) return std::string("lte_rrc_subtype_other");
    const LteSubType& st = kLteSubTypes[sub_type];
    if (st.reason) return std::string(st.reason);
    if (payload.empty()) return std::string("lte_rrc_empty");
    CapturedLteRrc m;
    m.channel = st.channel;
    m.framing = "gsmtap";
    const int earfcn = arfcn_field & kArfcnMask;   // 0: not given (QCSuper; SCAT for EARFCN > 16383)
    if (earfcn != 0) m.earfcn = earfcn;
    // The frame number holds the SFN and sub_slot the subframe (SCAT's diagltelogparser.py parse_lte_rrc and
    // towerwatch's writer). QCSuper writes 0 in both: read as not given (as is a true SFN 0 subframe 0).
    if (fn <= 1023 && sub_slot <= 9 && (fn != 0 || sub_slot != 0)) {
      m.sfn = static_cast<int>(fn);
      m.subframe = sub_slot;
    }
    m.signal_dbm = signal;
    m.snr_db = snr;
    m.octets.assign(payload.begin(), payload.end());
    return m;
  }
  for (const auto& t : kTypesNotRead)
    if (t.type == type) return std::string(t.reason);
  return std::string("gsmtap_type_other");
}

}  // namespace tw::capture
