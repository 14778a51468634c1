// LTE System Information as decoded from BCCH-DL-SCH (TS 36.331 6.2.2 SystemInformationBlockType1,
// SystemInformation; 6.3.1 SystemInformationBlockType2..11). Fields keep the coded value of the IE (e.g.
// q_rx_lev_min is the IE, -70..-22, in 2 dB units); lte_rrc_json.hpp converts to physical units.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tw::lte {

// ---- common IEs (6.3.x) ----
struct PlmnIdentity {  // 6.3.4 PLMN-Identity, with its cellReservedForOperatorUse (6.2.2 PLMN-IdentityInfo)
  int mcc = 0;         // 0..999 (taken from the previous PLMN of the list when absent, 36.331 PLMN-IdentityList)
  bool mcc_present = true;
  std::string mnc;     // 2 or 3 digits
  bool reserved = false;
};

struct SpeedStateScaleFactors {  // 6.3.4: sf-Medium, sf-High ENUMERATED {oDot25, oDot5, oDot75, lDot0}
  unsigned sf_medium = 0, sf_high = 0;
};

struct MobilityStateParameters {  // 6.3.4
  unsigned t_evaluation = 0;       // ENUMERATED {s30, s60, s120, s180, s240, spare3..1}
  unsigned t_hyst_normal = 0;      // same
  int n_cell_change_medium = 1;    // 1..16
  int n_cell_change_high = 1;      // 1..16
};

struct PhysCellIdRange {  // 6.3.4: start 0..503, range ENUMERATED {n4, ..., n504, spare2, spare1}
  int start = 0;
  std::optional<unsigned> range;  // coded; absent = one cell
};

struct TddConfig {  // 6.3.2 TDD-Config
  unsigned subframe_assignment = 0;       // sa0..sa6
  unsigned special_subframe_patterns = 0;  // ssp0..ssp8
};

struct AcBarringConfig {  // 6.3.1 AC-BarringConfig
  unsigned factor = 0;     // ENUMERATED {p00, p05, ..., p95}
  unsigned time = 0;       // ENUMERATED {s4, s8, ..., s512}
  std::uint8_t special_ac = 0;  // BIT STRING (SIZE (5)), first bit = AC 11
};

// ---- SIB1 (6.2.2) ----
struct SchedulingInfo {
  unsigned si_periodicity = 0;     // ENUMERATED {rf8, rf16, ..., rf512}
  std::vector<std::string> sibs;   // SIB-MappingInfo names ("SIB3", ...; unknown extension values "SIB-ext<n>")
};

struct Sib1 {
  std::vector<PlmnIdentity> plmns;  // 1..6
  std::uint16_t tac = 0;
  std::uint32_t cell_identity = 0;  // 28 bits
  bool cell_barred = false;
  bool intra_freq_reselection_allowed = true;
  bool csg_indication = false;
  std::optional<std::uint32_t> csg_identity;  // 27 bits
  int q_rx_lev_min = 0;                       // -70..-22 (x 2 dBm)
  std::optional<int> q_rx_lev_min_offset;     // 1..8 (x 2 dB)
  std::optional<int> p_max;                   // -30..33 dBm
  int freq_band_indicator = 0;                // 1..64
  std::vector<SchedulingInfo> scheduling;     // 1..32
  std::optional<TddConfig> tdd_config;
  unsigned si_window_length = 0;              // ENUMERATED {ms1, ms2, ms5, ms10, ms15, ms20, ms40}
  int system_info_value_tag = 0;              // 0..31
  // nonCriticalExtension chain
  std::vector<int> multi_band_info;           // v8h0 multiBandInfoList (lateNonCriticalExtension)
  std::optional<int> freq_band_indicator_v9e0;  // 65..256
  bool ims_emergency_support = false;         // v920
  std::optional<int> q_qual_min;              // v920 cellSelectionInfo-v920: -34..-3 dB
  std::optional<int> q_qual_min_offset;       // 1..8
  std::optional<unsigned> special_subframe_patterns_v1130;  // ssp7, ssp9
  std::optional<int> q_qual_min_wb;           // v1130
  bool category0_allowed = false;             // v1250
  std::optional<int> q_qual_min_rsrq_on_all_symbols;  // v1250
  bool freq_band_indicator_priority = false;  // v1250
  std::string extensions_not_decoded;         // first extension of the chain left undecoded ("v1310", ...), or ""
};

// ---- SIB2 (6.3.1) ----
struct Sib2 {
  struct AcBarring {
    bool emergency = false;
    std::optional<AcBarringConfig> mo_signalling, mo_data;
  };
  std::optional<AcBarring> ac_barring;
  // radioResourceConfigCommon (6.3.2 RadioResourceConfigCommonSIB)
  unsigned number_of_ra_preambles = 0;  // ENUMERATED {n4, n8, ..., n64}
  struct PreamblesGroupA {
    unsigned size = 0, message_size = 0, message_power_offset_group_b = 0;
  };
  std::optional<PreamblesGroupA> preambles_group_a;
  unsigned power_ramping_step = 0;            // dB0, dB2, dB4, dB6
  unsigned preamble_initial_target_power = 0;  // dBm-120 .. dBm-90 in 2 dB steps
  unsigned preamble_trans_max = 0;            // n3, n4, n5, n6, n7, n8, n10, n20, n50, n100, n200
  unsigned ra_response_window_size = 0;       // sf2..sf10
  unsigned mac_contention_resolution_timer = 0;  // sf8..sf64
  int max_harq_msg3_tx = 1;                   // 1..8
  unsigned modification_period_coeff = 0;     // n2, n4, n8, n16
  unsigned default_paging_cycle = 0;          // rf32..rf256
  unsigned nb = 0;                            // fourT .. oneThirtySecondT
  int root_sequence_index = 0;                // 0..837
  int prach_config_index = 0;                 // 0..63
  bool high_speed_flag = false;
  int zero_correlation_zone_config = 0;       // 0..15
  int prach_freq_offset = 0;                  // 0..94
  int reference_signal_power = 0;             // -60..50 dBm
  int p_b = 0;                                // 0..3
  int n_sb = 1;                               // 1..4
  unsigned hopping_mode = 0;                  // interSubFrame, intraAndInterSubFrame
  int pusch_hopping_offset = 0;               // 0..98
  bool enable_64qam = false;
  bool group_hopping_enabled = false;
  int group_assignment_pusch = 0;             // 0..29
  bool sequence_hopping_enabled = false;
  int cyclic_shift = 0;                       // 0..7
  unsigned delta_pucch_shift = 0;             // ds1, ds2, ds3
  int n_rb_cqi = 0;                           // 0..98
  int n_cs_an = 0;                            // 0..7
  int n1_pucch_an = 0;                        // 0..2047
  struct Srs {
    unsigned bandwidth_config = 0, subframe_config = 0;
    bool ack_nack_simultaneous = false, max_up_pts = false;
  };
  std::optional<Srs> srs;                     // absent = release
  int p0_nominal_pusch = 0;                   // -126..24 dBm
  unsigned alpha = 0;                         // al0, al04, ..., al1
  int p0_nominal_pucch = 0;                   // -127..-96 dBm
  unsigned delta_f_pucch[5] = {};             // formats 1, 1b, 2, 2a, 2b (coded)
  int delta_preamble_msg3 = 0;                // -1..6 (x 2 dB)
  unsigned ul_cyclic_prefix_length = 0;       // len1, len2
  // ue-TimersAndConstants
  unsigned t300 = 0, t301 = 0, t310 = 0, n310 = 0, t311 = 0, n311 = 0;  // coded
  // freqInfo
  std::optional<int> ul_carrier_freq;         // 0..65535
  std::optional<unsigned> ul_bandwidth;       // n6, n15, n25, n50, n75, n100
  int additional_spectrum_emission = 1;       // 1..32
  struct MbsfnSubframeConfig {
    unsigned radioframe_allocation_period = 0;  // n1, n2, n4, n8, n16, n32
    int radioframe_allocation_offset = 0;       // 0..7
    bool four_frames = false;
    std::uint32_t subframe_allocation = 0;      // 6 or 24 bits
  };
  std::vector<MbsfnSubframeConfig> mbsfn;     // 0 (absent) or 1..8
  unsigned time_alignment_timer = 0;          // sf500 .. sf10240, infinity
  // Extension additions decoded: [[ssac-BarringForMMTEL-Voice-r9, -Video-r9]], [[ac-BarringForCSFB-r10]].
  std::optional<AcBarringConfig> ssac_barring_mmtel_voice, ssac_barring_mmtel_video, ac_barring_csfb;
  unsigned extension_additions = 0;           // present (decoded or skipped), all nesting levels
};

// ---- SIB3 ----
struct Sib3 {
  unsigned q_hyst = 0;  // dB0, dB1, dB2, dB3, dB4, dB5, dB6, dB8, ..., dB24
  struct SpeedState {
    MobilityStateParameters mobility;
    unsigned sf_medium = 0, sf_high = 0;  // q-HystSF: dB-6, dB-4, dB-2, dB0
  };
  std::optional<SpeedState> speed_state;
  std::optional<int> s_non_intra_search;  // 0..31 (x 2 dB)
  int thresh_serving_low = 0;             // 0..31 (x 2 dB)
  int cell_reselection_priority = 0;      // 0..7
  int q_rx_lev_min = 0;
  std::optional<int> p_max;
  std::optional<int> s_intra_search;
  std::optional<unsigned> allowed_meas_bandwidth;  // mbw6..mbw100
  bool presence_antenna_port1 = false;
  unsigned neigh_cell_config = 0;  // 2 bits
  int t_reselection_eutra = 0;     // 0..7 s
  std::optional<SpeedStateScaleFactors> t_reselection_eutra_sf;
  // Extension addition group v920: s-IntraSearch-v920, s-NonIntraSearch-v920 (P: x 2 dB, Q: dB),
  // q-QualMin-r9 (dB), threshServingLowQ-r9 (dB).
  std::optional<int> s_intra_search_p, s_intra_search_q, s_non_intra_search_p, s_non_intra_search_q;
  std::optional<int> q_qual_min, thresh_serving_low_q;
  unsigned extension_additions = 0;
};

// ---- SIB4 ----
struct NeighCell {
  int pci = 0;
  unsigned q_offset_cell = 0;  // Q-OffsetRange index: dB-24 .. dB24
};
struct Sib4 {
  std::vector<NeighCell> neighbours;
  std::vector<PhysCellIdRange> black_list;
  std::optional<PhysCellIdRange> csg_range;
  unsigned extension_additions = 0;
};

// ---- SIB5 ----
struct InterFreqCarrier {
  int dl_carrier_freq = 0;
  int q_rx_lev_min = 0;
  std::optional<int> p_max;
  int t_reselection_eutra = 0;
  std::optional<SpeedStateScaleFactors> t_reselection_eutra_sf;
  int thresh_x_high = 0, thresh_x_low = 0;
  unsigned allowed_meas_bandwidth = 0;
  bool presence_antenna_port1 = false;
  std::optional<int> cell_reselection_priority;
  unsigned neigh_cell_config = 0;
  unsigned q_offset_freq = 15;  // DEFAULT dB0
  std::vector<NeighCell> neighbours;
  std::vector<PhysCellIdRange> black_list;
  std::optional<int> q_qual_min;                        // extension group v920 (dB)
  std::optional<int> thresh_x_high_q, thresh_x_low_q;   // extension group v920: threshX-Q-r9 (dB)
};
struct Sib5 {
  std::vector<InterFreqCarrier> carriers;
  unsigned extension_additions = 0;
};

// ---- SIB6 ----
struct UtraCarrier {
  int carrier_freq = 0;  // UARFCN 0..16383
  std::optional<int> cell_reselection_priority;
  int thresh_x_high = 0, thresh_x_low = 0;
  int q_rx_lev_min = 0;  // -60..-13 (x 2 + 1 dBm)
  int p_max_utra = 0;    // -50..33 dBm
  std::optional<int> q_qual_min;  // FDD only: -24..0 dB
  std::optional<int> thresh_x_high_q, thresh_x_low_q;  // FDD extension group v920: threshX-Q-r9 (dB)
};
struct Sib6 {
  std::vector<UtraCarrier> utra_fdd, utra_tdd;
  int t_reselection_utra = 0;
  std::optional<SpeedStateScaleFactors> t_reselection_utra_sf;
  unsigned extension_additions = 0;
};

// ---- SIB7 ----
struct GeranCarrierSet {
  int starting_arfcn = 0;
  unsigned band_indicator = 0;  // dcs1800, pcs1900
  std::vector<int> arfcns;      // starting ARFCN first, then the following ones (36.331 CarrierFreqsGERAN)
  unsigned following_kind = 0;  // explicitListOfARFCNs, equallySpacedARFCNs, variableBitMapOfARFCNs
  std::optional<int> cell_reselection_priority;
  std::uint8_t ncc_permitted = 0;
  int q_rx_lev_min = 0;         // 0..45 (x 2 - 115 dBm)
  std::optional<int> p_max_geran;  // 0..39 dBm
  int thresh_x_high = 0, thresh_x_low = 0;
};
struct Sib7 {
  int t_reselection_geran = 0;
  std::optional<SpeedStateScaleFactors> t_reselection_geran_sf;
  std::vector<GeranCarrierSet> carrier_sets;
  unsigned extension_additions = 0;
};

// ---- SIB8 (CDMA2000) ----
struct Cdma2000BandClass {
  unsigned band_class = 0;  // BandclassCDMA2000 index (bc0..; >= 32: extension value)
  std::optional<int> cell_reselection_priority;
  int thresh_x_high = 0, thresh_x_low = 0;  // 0..63
};
struct Cdma2000NeighFreq {
  unsigned band_class = 0;
  int arfcn = 0;                 // 0..2047
  std::vector<int> pn_offsets;   // PhysCellIdCDMA2000 0..511
};
struct Cdma2000Reselection {
  std::vector<Cdma2000BandClass> band_classes;
  std::vector<Cdma2000NeighFreq> neighbours;
  int t_reselection = 0;
  std::optional<SpeedStateScaleFactors> sf;
};
struct Sib8 {
  std::optional<bool> cdma_eutra_synchronisation;
  std::optional<bool> synchronous_system_time;  // true: 39-bit synchronous, false: 49-bit asynchronous
  std::uint64_t cdma_system_time = 0;
  std::optional<int> search_window_size;        // 0..15
  bool hrpd_present = false;
  bool hrpd_pre_registration_allowed = false;
  std::optional<int> hrpd_pre_registration_zone;
  std::vector<int> hrpd_secondary_zones;
  std::optional<Cdma2000Reselection> hrpd_reselection;
  bool rtt_present = false;
  struct CsfbRegistration {
    std::uint16_t sid = 0, nid = 0;
    bool multiple_sid = false, multiple_nid = false, home_reg = false, foreign_sid_reg = false,
         foreign_nid_reg = false, parameter_reg = false, power_up_reg = false;
    unsigned registration_period = 0, registration_zone = 0, total_zone = 0, zone_timer = 0;
  };
  std::optional<CsfbRegistration> csfb_registration;
  std::optional<std::uint64_t> long_code_state;
  std::optional<Cdma2000Reselection> rtt_reselection;
  unsigned extension_additions = 0;
};

// SIB9..SIB11: decoded enough to step over (they sit in the root of sib-TypeAndInfo, not in open types).
struct Sib9 {
  std::optional<std::vector<std::uint8_t>> hnb_name;  // 1..48 octets (UTF-8 per 36.331, not checked)
};
struct Sib10 {
  std::uint16_t message_identifier = 0, serial_number = 0;
};
struct Sib11 {
  std::uint16_t message_identifier = 0, serial_number = 0;
  bool last_segment = false;
  int segment_number = 0;
  std::size_t segment_octets = 0;
};

// The SIBs a message carries or a cell has broadcast (absent: not received).
struct SystemInformationBlocks {
  std::optional<Sib1> sib1;
  std::optional<Sib2> sib2;
  std::optional<Sib3> sib3;
  std::optional<Sib4> sib4;
  std::optional<Sib5> sib5;
  std::optional<Sib6> sib6;
  std::optional<Sib7> sib7;
  std::optional<Sib8> sib8;
  std::optional<Sib9> sib9;
  std::optional<Sib10> sib10;
  std::optional<Sib11> sib11;
};

// One BCCH-DL-SCH message (6.2.1 BCCH-DL-SCH-Message).
struct BcchDlSchMessage : SystemInformationBlocks {
  enum class Kind { system_information_block_type1, system_information, message_class_extension,
                    critical_extensions_future };
  Kind kind = Kind::system_information_block_type1;
  std::vector<std::string> sibs_seen;  // in message order: "SIB1", "SIB2", ..., extension alternatives "SIB12" ...
};

// The System Information of one cell, merged from its messages (the latest of each SIB wins).
struct LteSystemInfo : SystemInformationBlocks {
  std::vector<std::string> sibs_seen;  // sorted by SIB number, unique
};

}  // namespace tw::lte
