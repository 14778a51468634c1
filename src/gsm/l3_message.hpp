// Typed results of the GSM Layer 3 (RR) parsers for BCCH/CCCH blocks (TS 44.018).
// Every value here comes from a base station that may be hostile: the parsers check every length and
// range before filling these structures.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "src/gsm/frequency_list.hpp"

namespace tw::gsm {

enum class MessageKind {
  si1,
  si2,
  si2bis,
  si2ter,
  si2quater,
  si3,
  si4,
  si13,
  paging_request_1,
  paging_request_2,
  paging_request_3,
  immediate_assignment,
  immediate_assignment_extended,
  immediate_assignment_reject,
  l2_fill,
  unknown
};

// Spec name of a message kind: "SI3", "Paging Request Type 1", "Immediate Assignment", ...
const char* message_kind_name(MessageKind kind);

struct ParseOptions {
  // Privacy: by default the paging parsers keep only counts of identities by type, never the values.
  bool keep_identities = false;
};

// ---- common information elements ----

// 10.5.1.3 Location Area Identification.
struct Lai {
  std::uint16_t mcc = 0;       // 3 digits, 0..999
  std::uint16_t mnc = 0;       // 2 or 3 digits
  bool mnc_3_digits = false;   // MNC digit 3 != 0xF
  std::uint16_t lac = 0;
  std::string mcc_string() const;  // "262"
  std::string mnc_string() const;  // "01" or "001"
};

// 10.5.2.29 RACH Control Parameters.
struct RachControl {
  std::uint8_t max_retrans = 0;        // coded 0..3 -> 1, 2, 4, 7 retransmissions
  std::uint8_t tx_integer = 0;         // coded 0..15
  bool cell_bar_access = false;
  bool re = false;                     // call re-establishment not allowed
  bool ec = false;                     // emergency call not allowed (to non-special classes)
  std::uint16_t access_classes_barred = 0;  // bit n = access class n barred (n = 0..15, bit 10 unused)
  int max_retransmissions() const;
  int tx_integer_slots() const;
};

// 10.5.2.4 Cell Selection Parameters.
struct CellSelectionParameters {
  std::uint8_t cell_reselect_hysteresis = 0;  // coded 0..7, x2 dB
  std::uint8_t ms_txpwr_max_cch = 0;          // 0..31
  bool acs = false;
  bool neci = false;
  std::uint8_t rxlev_access_min = 0;          // 0..63 (-110 dBm + value)
};

// 10.5.2.11 Control Channel Description.
struct ControlChannelDescription {
  bool mscr = false;
  bool att = false;
  std::uint8_t bs_ag_blks_res = 0;  // 0..7
  std::uint8_t ccch_conf = 0;       // coded 0, 1, 2, 4, 6 (others reserved: parse failure)
  std::uint8_t cbq3 = 0;
  std::uint8_t bs_pa_mfrms = 2;     // multiframes: coded value + 2 (2..9)
  std::uint8_t t3212 = 0;           // decihours, 0 = no periodic updating
  int number_of_ccch() const;       // 1..4 basic physical channels
  bool ccch_combined() const { return ccch_conf == 1; }
};

// 10.5.2.3 Cell Options (BCCH).
struct CellOptions {
  bool dn_ind = false;
  bool pwrc = false;
  std::uint8_t dtx = 0;                  // coded 0..3
  std::uint8_t radio_link_timeout = 0;   // coded 0..15 -> (value+1)*4 SACCH blocks
};

// Selection parameters of the SI3/SI4 rest octets (10.5.2.34/35).
struct SelectionParameters {
  bool cbq = false;
  std::uint8_t cell_reselect_offset = 0;  // 0..63, x2 dB
  std::uint8_t temporary_offset = 0;      // 0..7, x10 dB (7 = infinity)
  std::uint8_t penalty_time = 0;          // 0..31, (value+1)*20 s; 31 = CRO subtracted
};

// GPRS Indicator of the SI3/SI4 rest octets.
struct GprsIndicator {
  std::uint8_t ra_colour = 0;
  std::uint8_t si13_position = 0;  // 0 normal BCCH, 1 extended BCCH
};

// 10.5.2.5 Channel Description (dedicated) / 10.5.2.25a Packet Channel Description (TBF).
struct ChannelDescription {
  std::uint8_t channel_type_tdma_offset = 0;  // the 5-bit field
  std::string channel_type;                   // "TCH/F", "TCH/H", "SDCCH/4", "SDCCH/8", "PDCH"
  std::uint8_t subchannel = 0;
  std::uint8_t tn = 0;
  std::uint8_t tsc = 0;
  bool hopping = false;                       // H bit
  std::uint16_t arfcn = 0;                    // when !hopping
  std::uint8_t maio = 0;                      // when hopping
  std::uint8_t hsn = 0;                       // when hopping (direct encoding)
  bool indirect_hopping = false;              // packet channel description, indirect encoding
};

// 10.5.2.30 Request Reference (also the layout of 10.5.2.38 Starting Time without RA).
struct RequestReference {
  std::uint8_t ra = 0;
  std::uint8_t t1_prime = 0;
  std::uint8_t t3 = 0;
  std::uint8_t t2 = 0;
  std::uint32_t rfn() const;  // reduced frame number 51*((T3-T2) mod 26) + T3 + 51*26*T1'
};

// ---- per-message results ----

struct NeighbourCells {
  bool ba_ind = false;
  bool ext_ind = false;                 // 10.5.2.22 (SI2/SI2bis)
  std::uint8_t multiband_reporting = 0;  // 10.5.2.22a (SI2ter)
  FrequencyListFormat format = FrequencyListFormat::bit_map_0;
  std::vector<std::uint16_t> arfcns;
};

struct Si1 {
  FrequencyListFormat format = FrequencyListFormat::bit_map_0;
  std::vector<std::uint16_t> cell_arfcns;  // 10.5.2.1b cell allocation
  RachControl rach;
  std::optional<std::uint8_t> nch_position;
  bool band_indicator_1900 = false;
};

struct Si2 {  // also SI2bis (no NCC permitted)
  NeighbourCells neighbours;
  std::optional<std::uint8_t> ncc_permitted;  // bit n = NCC n permitted (SI2 only)
  RachControl rach;
};

struct Si2ter {
  NeighbourCells neighbours;
  bool rest_present = false;
  std::uint8_t mp_change_mark = 0;
  std::uint8_t change_mark_3g = 0;
  std::uint8_t index = 0;
  std::uint8_t count = 0;
  std::optional<std::uint16_t> utran_fdd_arfcn;
  std::optional<std::uint16_t> utran_tdd_arfcn;
};

struct UtranNeighbour {
  std::uint16_t uarfcn = 0;
  bool indic0 = false;
  std::uint8_t nr_of_cells = 0;
};

struct UtranPriority {
  std::vector<std::uint8_t> frequency_indices;
  std::optional<std::uint8_t> priority;
  std::uint8_t thresh_high = 0;
  std::optional<std::uint8_t> thresh_low;
  std::optional<std::uint8_t> qrxlevmin;
};

struct EutranNeighbour {
  std::vector<std::uint16_t> earfcns;
  std::vector<std::optional<std::uint8_t>> measurement_bandwidth;  // one per EARFCN
  std::optional<std::uint8_t> priority;
  std::uint8_t thresh_high = 0;
  std::optional<std::uint8_t> thresh_low;
  std::optional<std::uint8_t> qrxlevmin;
};

struct ServingCellPriority {
  std::uint8_t geran_priority = 0;
  std::uint8_t thresh_priority_search = 0;
  std::uint8_t thresh_gsm_low = 0;
  std::uint8_t h_prio = 0;
  std::uint8_t t_reselection = 0;
};

struct Si2quater {
  bool ba_ind = false;
  bool ba_ind_3g = false;
  bool mp_change_mark = false;
  std::uint8_t index = 0;
  std::uint8_t count = 0;
  std::vector<UtranNeighbour> utran_fdd;
  std::vector<UtranNeighbour> utran_tdd;
  std::optional<std::uint8_t> bandwidth_fdd;
  std::optional<ServingCellPriority> serving_priority;
  bool priority_3g_present = false;
  std::optional<std::uint8_t> default_utran_priority;
  std::optional<std::uint8_t> default_thresh_utran;
  std::optional<std::uint8_t> default_utran_qrxlevmin;
  std::vector<UtranPriority> utran_priorities;
  bool eutran_present = false;
  bool eutran_ccn_active = false;
  std::vector<EutranNeighbour> eutran_neighbours;
};

struct Si3RestOctets {
  std::optional<SelectionParameters> selection;
  std::optional<std::uint8_t> power_offset;
  bool si2ter_indicator = false;
  bool early_classmark_sending = false;
  std::optional<std::uint8_t> where;  // scheduling if and where
  std::optional<GprsIndicator> gprs;
  bool early_classmark_3g_restriction = false;
  std::optional<std::uint8_t> si2quater_position;
  std::optional<std::uint8_t> si13alt_position;
  std::optional<std::uint8_t> si21_position;
};

struct Si3 {
  std::uint16_t ci = 0;
  Lai lai;
  ControlChannelDescription ccd;
  CellOptions cell_options;
  CellSelectionParameters cell_selection;
  RachControl rach;
  Si3RestOctets rest;
};

struct Si4 {
  Lai lai;
  CellSelectionParameters cell_selection;
  RachControl rach;
  std::optional<ChannelDescription> cbch;
  std::optional<std::vector<std::uint8_t>> cbch_mobile_allocation;
  std::optional<SelectionParameters> selection;
  std::optional<std::uint8_t> power_offset;
  std::optional<GprsIndicator> gprs;
};

struct Si13 {
  bool rest_present = false;             // { L | H ... }: H = GPRS parameters follow
  std::uint8_t bcch_change_mark = 0;
  std::uint8_t si_change_field = 0;
  std::optional<std::uint8_t> si13_change_mark;
  bool pbcch_present = false;
  std::uint8_t rac = 0;
  bool spgc_ccch_sup = false;
  std::uint8_t priority_access_thr = 0;
  std::uint8_t network_control_order = 0;
  std::uint8_t nmo = 0;                  // 0 = NMO I, 1 = II, 2 = III
  std::uint8_t t3168 = 0;                // coded: (value+1)*500 ms
  std::uint8_t t3192 = 0;                // coded 0..7 (500, 1000, 1500, 0, 80, 120, 160, 200 ms)
  std::uint8_t drx_timer_max = 0;
  bool access_burst_type = false;
  bool control_ack_type = false;
  std::uint8_t bs_cv_max = 0;
  std::uint8_t alpha = 0;
  std::optional<std::uint8_t> sgsnr;     // release 99 additions
};

// 10.5.1.4 Mobile Identity (24.008) as it appears in paging.
enum class IdentityType { none, imsi, imei, imeisv, tmsi, other };
const char* identity_type_name(IdentityType type);

struct MobileIdentity {
  IdentityType type = IdentityType::none;
  std::string value;  // digits for IMSI/IMEI/IMEISV, "0x%08x" for TMSI; only with keep_identities
};

struct PagingSummary {
  std::uint8_t page_mode = 0;
  std::vector<std::uint8_t> channel_needed;  // per identity with a channel-needed field
  int imsi = 0;
  int tmsi = 0;
  int imei = 0;   // IMEI and IMEISV
  int none = 0;
  int other = 0;
  std::vector<MobileIdentity> identities;  // filled only when ParseOptions::keep_identities
  int total() const { return imsi + tmsi + imei + none + other; }
};

struct Assignment {
  ChannelDescription channel;
  RequestReference request;
  std::uint8_t timing_advance = 0;
};

struct ImmediateAssignmentInfo {
  std::uint8_t page_mode = 0;
  bool tbf = false;            // 10.5.2.25b T/D: packet (TBF) instead of dedicated mode
  bool downlink = false;       // 10.5.2.25b: downlink TBF
  std::vector<Assignment> assignments;  // 1 (Immediate Assignment) or 2 (Extended)
  std::uint8_t mobile_allocation_length = 0;
  std::vector<std::uint8_t> mobile_allocation;
  std::optional<RequestReference> starting_time;  // RA unused
  std::size_t rest_octets_length = 0;
};

struct RejectEntry {
  RequestReference request;
  std::uint8_t wait_indication = 0;  // T3122 seconds
};

struct ImmediateAssignmentReject {
  std::uint8_t page_mode = 0;
  std::vector<RejectEntry> entries;  // 4
};

using MessageContent = std::variant<std::monostate, Si1, Si2, Si2ter, Si2quater, Si3, Si4, Si13,
                                    PagingSummary, ImmediateAssignmentInfo, ImmediateAssignmentReject>;

// Where a bystander's identity lies in the block, as the parser found it (for redact_identities).
struct IdentityField {
  enum class Coding {
    mobile_identity,  // 24.008 10.5.1.4 value part: type octet (digit 1 | odd/even | type) then digits or TMSI
    tmsi,             // 44.018 10.5.2.42 TMSI/P-TMSI, 4-octet V field (Paging Request Type 2/3)
    tlli_bits         // 32-bit TLLI inside CSN.1 rest octets (IA Rest Octets 10.5.2.16); offset in bits
  };
  Coding coding = Coding::mobile_identity;
  std::size_t offset = 0;  // octet offset in the block (tlli_bits: bit offset, MSB of octet 0 = bit 0)
  std::size_t length = 0;  // octets (tlli_bits: 32)
};

struct ParsedMessage {
  MessageKind kind = MessageKind::unknown;
  std::string name = "Unknown";
  bool ok = false;
  std::string error;                  // why parsing failed (field named), empty when ok
  std::vector<std::string> warnings;  // suspicious but decodable values
  std::uint8_t message_type = 0;      // RR message type octet
  std::uint8_t l2_pseudo_length = 0;
  MessageContent content;
  std::vector<IdentityField> identity_fields;  // every identity the parser stepped over, in block order

  template <class T>
  const T* get() const { return std::get_if<T>(&content); }
};

// Parses one 23-octet BCCH/CCCH block (L2 pseudo length + L3 message + rest octets). Any length is
// accepted: a short or malformed block gives ok == false with a reason, never an out-of-bounds read.
ParsedMessage parse_l3_block(std::span<const std::uint8_t> block, const ParseOptions& opts = {});

// ---- privacy: bystanders' identities never leave towerwatch unless the user asks ----
//
// Overwrites, in place, every identity of a bystander that `parsed` (the parse of this very block) located,
// with a fixed filler that keeps the message well formed, so a dissector still shows the message type, the
// identity types and their count:
//   - Mobile Identity (24.008 10.5.1.4) IMSI / IMEI / IMEISV: every digit 0, the type, odd/even indicator,
//     length and the end mark 1111 of an even count kept ("IMSI 000000000000000");
//   - Mobile Identity TMSI/P-TMSI and the 4-octet TMSI fields of Paging Request Type 2/3 (44.018 10.5.2.42):
//     0xFFFFFFFF (the value 24.008 10.5.1.4 reserves as "no valid TMSI");
//   - Mobile Identity of another type (TMGI, No Identity): every octet after the type octet 0 (and digit 1 0,
//     but for No Identity, whose octet 1 is kept);
//   - the TLLI of a Packet Downlink Assignment in the IA Rest Octets (44.018 10.5.2.16): all ones.
// A block whose parse failed, or whose message type towerwatch does not decode, may carry identities where no
// parser looked: everything after the message type octet is replaced by the spare padding 0x2b, unless the
// type is a System Information message (44.018 table 10.4.1), which carries none. The L2 pseudo length,
// protocol discriminator and message type are never changed. Returns how many identities were overwritten
// (whole-body redactions count one).
int redact_identities(std::span<std::uint8_t> block, const ParsedMessage& parsed);

// The one step every output goes through: parses the block and, unless opts.keep_identities, redacts it in
// place (redact_identities). The result is the parse of the block as received (counts per identity type
// are those of the original).
ParsedMessage parse_l3_block_redacting(std::span<std::uint8_t> block, const ParseOptions& opts);

}  // namespace tw::gsm
