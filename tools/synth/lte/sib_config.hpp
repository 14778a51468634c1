// What a synthesized LTE cell says in its System Information (TS 36.331 5.2, 6.2.2 SystemInformationBlockType1
// and SystemInformation, 6.3.1 SIB2..SIB8). Field names follow the ASN.1. Integer IEs hold the IE value
// itself (q_rx_lev_min -70..-22 means -140..-44 dBm, thresholds 0..31 in 2 dB steps); ENUMERATED IEs hold
// the value the enumeration names (ms, dB, frames, percent), and a value it does not name is an error.
// Every default is a value a real eNodeB sends, so a scene that gives only mcc/mnc/tac/cell_identity gets a
// realistic SIB1 + SIB2 + SIB3. The encoder (sib_encoder.hpp) checks every field and throws tw::InputError
// naming it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tw::synth::lte {

// PLMN-IdentityInfo (36.331 6.3.4 PLMN-Identity; 23.003 2.2: 3-digit MCC, 2- or 3-digit MNC).
struct PlmnIdentity {
  int mcc = 1;                            // 0..999, sent as 3 digits
  std::string mnc = "01";                 // 2 or 3 decimal digits
  bool cell_reserved_for_operator_use = false;
};

// SchedulingInfo: one SI message, its periodicity and the SIBs it carries beyond SIB2 (which the first SI
// message always carries, 5.2.1.2). sibs: SIB type numbers 3..8 (those this encoder can write).
struct SchedulingEntry {
  int periodicity_rf = 16;                // si-Periodicity: 8, 16, 32, 64, 128, 256, 512 radio frames
  std::vector<int> sibs;
};

// TDD-Config (6.3.2): subframeAssignment sa0..sa6 (36.211 table 4.2-2), specialSubframePatterns ssp0..ssp9
// (table 4.2-1; ssp9 goes in tdd-Config-v1130 of SIB1's v1130 extension).
struct TddConfigSib {
  int subframe_assignment = 1;
  int special_subframe_patterns = 7;
};

// AC-BarringConfig (SIB2).
struct AcBarringConfig {
  int ac_barring_factor_percent = 50;     // p00..p95: 0, 5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95
  int ac_barring_time_s = 64;             // s4 .. s512 (powers of two)
  int ac_barring_for_special_ac = 0;      // BIT STRING (SIZE (5)), AC 11..15, MSB = AC 11
};

// SystemInformationBlockType2 (6.3.1) with RadioResourceConfigCommonSIB (6.3.2), UE-TimersAndConstants.
struct Sib2Config {
  // ac-BarringInfo (absent: no access class barring)
  bool ac_barring_present = false;
  bool ac_barring_for_emergency = false;
  std::optional<AcBarringConfig> ac_barring_for_mo_signalling;
  std::optional<AcBarringConfig> ac_barring_for_mo_data;

  // RACH-ConfigCommon
  int number_of_ra_preambles = 52;        // n4..n64 in steps of 4
  int power_ramping_step_db = 2;          // 0, 2, 4, 6
  int preamble_initial_received_target_power_dbm = -104;  // -120..-90 step 2
  int preamble_trans_max = 10;            // 3, 4, 5, 6, 7, 8, 10, 20, 50, 100, 200
  int ra_response_window_size_sf = 10;    // 2..8, 10
  int mac_contention_resolution_timer_sf = 64;  // 8..64 step 8
  int max_harq_msg3_tx = 4;               // 1..8
  // BCCH-Config, PCCH-Config
  int modification_period_coeff = 4;     // 2, 4, 8, 16
  int default_paging_cycle_rf = 128;      // 32, 64, 128, 256
  std::string nb = "oneT";                // fourT, twoT, oneT, halfT, quarterT, oneEighthT, oneSixteenthT, oneThirtySecondT
  // PRACH-ConfigSIB
  int root_sequence_index = 22;           // 0..837
  int prach_config_index = 3;             // 0..63
  bool high_speed_flag = false;
  int zero_correlation_zone_config = 5;   // 0..15
  int prach_freq_offset = 2;              // 0..94
  // PDSCH-ConfigCommon
  int reference_signal_power = 18;        // dBm per RE, -60..50
  int p_b = 1;                            // 0..3
  // PUSCH-ConfigCommon
  int n_sb = 1;                           // 1..4
  bool hopping_mode_intra_and_inter_subframe = false;  // hoppingMode: interSubFrame (false) / intraAndInterSubFrame
  int pusch_hopping_offset = 4;           // 0..98
  bool enable_64qam = false;
  bool group_hopping_enabled = false;
  int group_assignment_pusch = 0;         // 0..29
  bool sequence_hopping_enabled = false;
  int cyclic_shift = 0;                   // 0..7
  // PUCCH-ConfigCommon
  int delta_pucch_shift = 2;              // ds1..ds3: 1, 2, 3
  int n_rb_cqi = 2;                       // 0..98
  int n_cs_an = 0;                        // 0..7
  int n1_pucch_an = 36;                   // 0..2047
  // SoundingRS-UL-ConfigCommon: release, or setup with these
  bool srs_setup = false;
  int srs_bandwidth_config = 3;           // bw0..bw7
  int srs_subframe_config = 0;            // sc0..sc15
  bool ack_nack_srs_simultaneous_transmission = false;
  // UplinkPowerControlCommon
  int p0_nominal_pusch = -85;             // dBm, -126..24
  int alpha_tenths = 8;                   // al0, al04..al09, al1: 0, 4, 5, 6, 7, 8, 9, 10
  int p0_nominal_pucch = -117;            // dBm, -127..-96
  int delta_f_pucch_format1 = 0;          // dB: -2, 0, 2
  int delta_f_pucch_format1b = 3;         // dB: 1, 3, 5
  int delta_f_pucch_format2 = 1;          // dB: -2, 0, 1, 2
  int delta_f_pucch_format2a = 2;         // dB: -2, 0, 2
  int delta_f_pucch_format2b = 2;         // dB: -2, 0, 2
  int delta_preamble_msg3 = 4;            // -1..6 (x 2 dB)
  bool ul_cyclic_prefix_extended = false; // UL-CyclicPrefixLength len1 (normal) / len2

  // UE-TimersAndConstants
  int t300_ms = 1000;                     // 100, 200, 300, 400, 600, 1000, 1500, 2000
  int t301_ms = 1000;                     // as t300
  int t310_ms = 1000;                     // 0, 50, 100, 200, 500, 1000, 2000
  int n310 = 1;                           // 1, 2, 3, 4, 6, 8, 10, 20
  int t311_ms = 10000;                    // 1000, 3000, 5000, 10000, 15000, 20000, 30000
  int n311 = 1;                           // 1, 2, 3, 4, 5, 6, 8, 10

  // freqInfo
  std::optional<int> ul_carrier_freq;     // uplink EARFCN 0..65535 (absent: the default duplex distance, 36.101)
  std::optional<int> ul_bandwidth_prb;    // 6, 15, 25, 50, 75, 100 (absent: as the downlink)
  int additional_spectrum_emission = 1;   // 1..32

  int time_alignment_timer_common_sf = 0; // 500, 750, 1280, 1920, 2560, 5120, 10240; 0: infinity
};

// SystemInformationBlockType3: cell re-selection common to the intra-frequency, inter-frequency and inter-RAT case.
struct Sib3Config {
  int q_hyst_db = 4;                      // 0..6, 8..24 step 2
  std::optional<int> s_non_intra_search = 8;   // ReselectionThreshold 0..31
  int thresh_serving_low = 6;             // 0..31
  int cell_reselection_priority = 5;      // 0..7
  int q_rx_lev_min = -64;                 // -70..-22
  std::optional<int> p_max;               // -30..33 dBm
  std::optional<int> s_intra_search = 31; // 0..31
  std::optional<int> allowed_meas_bandwidth_prb;  // 6, 15, 25, 50, 75, 100
  bool presence_antenna_port1 = false;
  int neigh_cell_config = 1;              // BIT STRING (SIZE (2)), 0..3 (01: no MBSFN in neighbours)
  int t_reselection_eutra = 1;            // s, 0..7
};

struct NeighbourCell {                    // IntraFreqNeighCellInfo / InterFreqNeighCellInfo
  int phys_cell_id = 0;                   // 0..503
  int q_offset_cell_db = 0;               // Q-OffsetRange: -24..-8 step 2, -6..6, 8..24 step 2
};

struct PhysCellIdRangeConfig {            // PhysCellIdRange
  int start = 0;                          // 0..503
  std::optional<int> range;               // 4, 8, 12, 16, 24, 32, 48, 64, 84, 96, 128, 168, 252, 504 (absent: 1 cell)
};

// SystemInformationBlockType4: intra-frequency neighbours.
struct Sib4Config {
  std::vector<NeighbourCell> intra_freq_neigh_cell_list;        // 0..16 (none: field absent)
  std::vector<PhysCellIdRangeConfig> intra_freq_black_cell_list;  // 0..16
  std::optional<PhysCellIdRangeConfig> csg_phys_cell_id_range;
};

struct InterFreqCarrier {                 // InterFreqCarrierFreqInfo
  int dl_carrier_freq = 0;                // EARFCN 0..65535
  int q_rx_lev_min = -64;                 // -70..-22
  std::optional<int> p_max;               // -30..33
  int t_reselection_eutra = 1;            // 0..7
  int thresh_x_high = 10;                 // 0..31
  int thresh_x_low = 10;                  // 0..31
  int allowed_meas_bandwidth_prb = 50;    // 6, 15, 25, 50, 75, 100
  bool presence_antenna_port1 = false;
  std::optional<int> cell_reselection_priority = 4;  // 0..7
  int neigh_cell_config = 1;              // 0..3
  int q_offset_freq_db = 0;               // Q-OffsetRange (DEFAULT dB0: not sent when 0)
  std::vector<NeighbourCell> inter_freq_neigh_cell_list;        // 0..16
  std::vector<PhysCellIdRangeConfig> inter_freq_black_cell_list;  // 0..16
};

// SystemInformationBlockType5: inter-frequency carriers (1..8).
struct Sib5Config {
  std::vector<InterFreqCarrier> carriers;
};

struct UtraFddCarrier {                   // CarrierFreqUTRA-FDD
  int carrier_freq = 10700;               // UARFCN 0..16383
  std::optional<int> cell_reselection_priority = 3;
  int thresh_x_high = 10;
  int thresh_x_low = 10;
  int q_rx_lev_min = -58;                 // -60..-13 (x 2 dB + 1)
  int p_max_utra = 24;                    // -50..33 dBm
  int q_qual_min = -18;                   // -24..0 dB
};

struct UtraTddCarrier {                   // CarrierFreqUTRA-TDD
  int carrier_freq = 10080;
  std::optional<int> cell_reselection_priority = 3;
  int thresh_x_high = 10;
  int thresh_x_low = 10;
  int q_rx_lev_min = -58;
  int p_max_utra = 24;
};

// SystemInformationBlockType6: UTRA carriers (FDD 0..16, TDD 0..16).
struct Sib6Config {
  std::vector<UtraFddCarrier> carrier_freq_list_utra_fdd;
  std::vector<UtraTddCarrier> carrier_freq_list_utra_tdd;
  int t_reselection_utra = 2;             // 0..7
};

struct GeranCarrierSet {                  // CarrierFreqsInfoGERAN with an explicit list of ARFCNs
  int starting_arfcn = 1;                 // 0..1023
  bool band_indicator_pcs1900 = false;    // BandIndicatorGERAN dcs1800 / pcs1900 (for ARFCNs 512..810)
  std::vector<int> explicit_list_of_arfcns;  // the following ARFCNs, 0..31 of them
  std::optional<int> cell_reselection_priority = 2;
  int ncc_permitted = 0xff;               // BIT STRING (SIZE (8)), MSB = NCC 0
  int q_rx_lev_min = 0;                   // 0..45 (x 2 dB - 115)
  std::optional<int> p_max_geran;         // 0..39
  int thresh_x_high = 10;
  int thresh_x_low = 10;
};

// SystemInformationBlockType7: GERAN carrier sets (0..16).
struct Sib7Config {
  int t_reselection_geran = 2;            // 0..7
  std::vector<GeranCarrierSet> carrier_freqs_info_list;
};

// SystemInformationBlockType8: CDMA2000 parameters, minimal: system time and search window.
struct Sib8Config {
  bool system_time_present = true;
  bool cdma_eutra_synchronisation = true;
  std::uint64_t synchronous_system_time = 0;  // BIT STRING (SIZE (39)), 10 ms units
  std::optional<int> search_window_size = 8;  // 0..15
};

struct LteSystemInfoConfig {
  // SIB1 cellAccessRelatedInfo
  std::vector<PlmnIdentity> plmn_identity_list{PlmnIdentity{}};  // 1..6
  int tracking_area_code = 1;             // 0..65535
  std::uint32_t cell_identity = 0;        // 28 bits (eNB id << 8 | cell)
  bool cell_barred = false;
  bool intra_freq_reselection_allowed = true;
  bool csg_indication = false;
  std::optional<std::uint32_t> csg_identity;  // 27 bits
  // cellSelectionInfo
  int q_rx_lev_min = -64;                 // -70..-22 (x 2 dBm)
  std::optional<int> q_rx_lev_min_offset; // 1..8
  std::optional<int> p_max;               // -30..33 dBm
  int freq_band_indicator = 1;            // 1..64
  // schedulingInfoList; empty: SIB2 + SIB3 every 16 frames, SIB4/SIB5 every 32, SIB6/7/8 every 64 (those present)
  std::vector<SchedulingEntry> scheduling;
  std::optional<TddConfigSib> tdd_config; // TDD cells
  int si_window_ms = 20;                  // 1, 2, 5, 10, 15, 20, 40
  int system_info_value_tag = 0;          // 0..31
  // SystemInformationBlockType1-v920-IEs (sent when either is set)
  bool ims_emergency_support = false;
  std::optional<int> q_qual_min_r9;       // cellSelectionInfo-v920 q-QualMin-r9, -34..-3 dB
  std::optional<int> q_qual_min_offset_r9;  // 1..8

  Sib2Config sib2;
  std::optional<Sib3Config> sib3 = Sib3Config{};
  std::optional<Sib4Config> sib4;
  std::optional<Sib5Config> sib5;
  std::optional<Sib6Config> sib6;
  std::optional<Sib7Config> sib7;
  std::optional<Sib8Config> sib8;
};

}  // namespace tw::synth::lte
