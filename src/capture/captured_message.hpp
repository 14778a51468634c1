// What a captured packet carries once its framing (GSMTAP, MAC-LTE) is read: a GSM L2 block or an LTE RRC
// message with what the framing says about where it was heard. These enter the pipeline at the message
// layer, where the DSP's blocks enter for IQ input (src/pipeline/pcap_analysis.hpp).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tw::capture {

// A 23-octet GSM block (44.006 / 44.018: the pseudo-length or LAPDm header first; SACCH blocks with their
// 2-octet L1 header).
struct CapturedGsmBlock {
  std::optional<int> arfcn;         // GSMTAP ARFCN field (14 bits)
  bool pcs1900 = false;             // GSMTAP_ARFCN_F_PCS: ARFCN 512..810 of PCS1900
  int tn = 0;                       // timeslot
  std::uint32_t fn = 0;             // TDMA frame number
  std::string channel;              // "BCCH", "CCCH", "AGCH", "PCH"
  double signal_dbm = 0.0;          // GSMTAP signal level (towerwatch writes dBFS there)
  double snr_db = 0.0;
  std::array<std::uint8_t, 23> octets{};
};

// An LTE RRC message (TS 36.331): the MIB (BCCH-BCH), a BCCH-DL-SCH message (SIB1, SystemInformation) or a
// PCCH message (Paging).
struct CapturedLteRrc {
  enum class Channel { bcch_bch, bcch_dl_sch, pcch } channel = Channel::bcch_dl_sch;
  std::string framing;              // "gsmtap", "mac-lte" (DLT 147 or exported "mac-lte-framed"), "mac-lte-udp", "exported-pdu"
  std::optional<int> earfcn;        // GSMTAP ARFCN field (0 is read as unknown: towerwatch writes it so)
  std::optional<int> pci;           // no framing read here carries it today
  std::optional<int> sfn, subframe; // GSMTAP frame number (SFN*10+subframe) or the MAC-LTE SFN/subframe tag
  std::optional<double> signal_dbm, snr_db;   // GSMTAP only
  std::optional<int> carrier_id;    // MAC-LTE carrier id tag
  bool tdd = false;                 // MAC-LTE radio type
  std::vector<std::uint8_t> octets;
};

const char* channel_name(CapturedLteRrc::Channel c);

}  // namespace tw::capture
