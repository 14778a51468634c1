// Helpers of the typed L3 results (TS 44.018 value tables).
#include "src/gsm/l3_message.hpp"

#include <cstdio>

namespace tw::gsm {

const char* message_kind_name(MessageKind kind) {
  switch (kind) {
    case MessageKind::si1: return "SI1";
    case MessageKind::si2: return "SI2";
    case MessageKind::si2bis: return "SI2bis";
    case MessageKind::si2ter: return "SI2ter";
    case MessageKind::si2quater: return "SI2quater";
    case MessageKind::si3: return "SI3";
    case MessageKind::si4: return "SI4";
    case MessageKind::si13: return "SI13";
    case MessageKind::paging_request_1: return "Paging Request Type 1";
    case MessageKind::paging_request_2: return "Paging Request Type 2";
    case MessageKind::paging_request_3: return "Paging Request Type 3";
    case MessageKind::immediate_assignment: return "Immediate Assignment";
    case MessageKind::immediate_assignment_extended: return "Immediate Assignment Extended";
    case MessageKind::immediate_assignment_reject: return "Immediate Assignment Reject";
    case MessageKind::l2_fill: return "L2 Fill Frame";
    case MessageKind::unknown: return "Unknown";
  }
  return "Unknown";
}

const char* identity_type_name(IdentityType type) {
  switch (type) {
    case IdentityType::none: return "none";
    case IdentityType::imsi: return "imsi";
    case IdentityType::imei: return "imei";
    case IdentityType::imeisv: return "imeisv";
    case IdentityType::tmsi: return "tmsi";
    case IdentityType::other: return "other";
  }
  return "other";
}

std::string Lai::mcc_string() const {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%03u", static_cast<unsigned>(mcc % 1000));
  return buf;
}

std::string Lai::mnc_string() const {
  char buf[8];
  std::snprintf(buf, sizeof buf, mnc_3_digits ? "%03u" : "%02u", static_cast<unsigned>(mnc % 1000));
  return buf;
}

// 10.5.2.29: Max retrans 00 -> 1, 01 -> 2, 10 -> 4, 11 -> 7.
int RachControl::max_retransmissions() const {
  static constexpr int kTable[4] = {1, 2, 4, 7};
  return kTable[max_retrans & 3];
}

// 10.5.2.29: Tx-integer 0..15 -> 3,4,5,6,7,8,9,10,11,12,14,16,20,25,32,50 slots.
int RachControl::tx_integer_slots() const {
  static constexpr int kTable[16] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 20, 25, 32, 50};
  return kTable[tx_integer & 15];
}

// 10.5.2.11 CCCH_CONF: 000 one non-combined, 001 one combined with SDCCHs, 010 two, 100 three, 110 four.
int ControlChannelDescription::number_of_ccch() const {
  switch (ccch_conf) {
    case 0: case 1: return 1;
    case 2: return 2;
    case 4: return 3;
    case 6: return 4;
    default: return 0;
  }
}

// 10.5.2.38 / 45.002: RFN = 51 * ((T3 - T2) mod 26) + T3 + 51 * 26 * T1'.
std::uint32_t RequestReference::rfn() const {
  const int d = ((static_cast<int>(t3) - static_cast<int>(t2)) % 26 + 26) % 26;
  return static_cast<std::uint32_t>(51 * d + t3 + 51 * 26 * t1_prime);
}

}  // namespace tw::gsm
