// LTE System Information of the cells a search found (TS 36.331 5.2): for every cell with a MIB whose whole
// bandwidth lies in the capture, SIB1 and then the SI messages its schedulingInfoList announces, decoded from
// the air (dsp/lte/si_receiver) and parsed (src/lte: BCCH-DL-SCH, UPER). The cell record gains SIB1's identity
// and parameters ("mcc", "mnc", "tac", "cell_identity", "enb_id", "sector", ...), "sib2".."sib8", "sibs_seen",
// "sib1" (the transport block's octets in hex) and "si_messages"; or "sib1": null with "sib1_error" saying why
// (bandwidth not captured, PDCCH, CRC, malformed message).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/iq_source.hpp"
#include "src/lte/lte_rrc.hpp"

namespace tw {

// One LTE RRC message as received, for GSMTAP and --blocks.
struct LteRrcMessage {
  std::string channel;               // "BCCH-BCH" (MIB) | "BCCH-DL-SCH"
  std::string message;               // "MasterInformationBlock", "SystemInformationBlockType1", "SystemInformation"
  int pci = -1;
  std::optional<int> earfcn;
  int sfn = 0, subframe = 0;
  double rsrp_dbfs = 0.0, sinr_db = 0.0;
  std::vector<std::uint8_t> octets;
  nlohmann::json fields;             // the parse (null when the message did not parse)
  std::string parse_error;
};

// The cell's occupied bandwidth fits in the capture: |offset| + N_RB x 90 kHz within 0.48 x the rate.
bool lte_bandwidth_captured(double sample_rate_hz, double carrier_offset_hz, int n_prb);

// Decodes and adds the System Information of `cell` (a record of search_lte_block) from iq (the capture at
// sample_rate_hz, iq[0] the sample its "frame_start_s" counts from). Appends the MIB and every decoded
// BCCH-DL-SCH message to `messages` when given. Never throws for what the cell sends: a hostile message is a
// "sib1_error" / "si_errors" entry.
void add_lte_system_information(std::span<const cf32> iq, double sample_rate_hz, nlohmann::json& cell,
                                std::vector<LteRrcMessage>* messages);

// Gives `to` (another record of the same cell: the same PCI and carrier, from an overlapping search or tuning)
// the System Information of `from`, a record whose SIB1 decoded: every field `to` lacks, and `from`'s "sib1",
// "sib1_transmissions", "si_messages", "sibs_seen" and errors in place of `to`'s. Measurements stay `to`'s.
void copy_lte_system_information(const nlohmann::json& from, nlohmann::json& to);
// The fold of System Information into a cell record, shared by the IQ path (messages decoded from the air
// above) and the pcap path (messages from GSMTAP / MAC-LTE, src/pipeline/lte_message_fold): decodes one
// BCCH-DL-SCH message and merges it into `info` (TS 36.331 5.2.2: each SIB replaces the stored one). Throws
// tw::InputError naming the ASN.1 field when the message is malformed (`info` is then unchanged).
lte::BcchDlSchMessage fold_bcch_dl_sch(lte::LteSystemInfo& info, std::span<const std::uint8_t> octets);
// Writes the System Information fields of `info` into the cell record ("mcc", "tac", "cell_identity", ...).
void put_lte_system_info(const lte::LteSystemInfo& info, nlohmann::json& cell);

// The record carries a decoded SIB1.
bool has_lte_sib1(const nlohmann::json& cell);

}  // namespace tw
