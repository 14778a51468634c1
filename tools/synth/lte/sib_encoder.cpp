#include "tools/synth/lte/sib_encoder.hpp"

#include <algorithm>
#include <initializer_list>
#include <string>

#include "src/core/error.hpp"
#include "tools/synth/lte/uper_writer.hpp"

// The ASN.1 followed here is that of TS 36.331 clause 6 (EUTRA-RRC-Definitions); the UNALIGNED PER rules are
// those of X.691 (uper_writer.hpp). Extension additions ([[ ]] groups, late non-critical extensions) are never
// sent: every extensible SEQUENCE gets its extension bit 0.

namespace tw::synth::lte {

namespace {

using std::string;

[[noreturn]] void bad(const string& field, const string& what) { throw InputError(field + ": " + what); }

// Index of `value` among the values an ENUMERATED names (in ASN.1 order); InputError naming the field otherwise.
int index_of(int value, std::initializer_list<int> values, const string& field) {
  int i = 0;
  string list;
  for (int v : values) {
    if (v == value) return i;
    list += (i ? ", " : "") + std::to_string(v);
    ++i;
  }
  bad(field, std::to_string(value) + " is not one of " + list);
}

void put_enum_value(UperWriter& w, int value, std::initializer_list<int> values, const string& field,
                    int count = -1, bool extensible = false) {
  const int idx = index_of(value, values, field);
  w.put_enumerated(idx, count < 0 ? static_cast<int>(values.size()) : count, field, extensible);
}

string at(const string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// ---- common IEs (36.331 6.3.x) ----

// Q-OffsetRange ::= ENUMERATED {dB-24 .. dB24} (31 values)
void put_q_offset_range(UperWriter& w, int db, const string& field) {
  put_enum_value(w, db, {-24, -22, -20, -18, -16, -14, -12, -10, -8, -6, -5, -4, -3, -2, -1, 0,
                         1,   2,   3,   4,   5,   6,   8,   10,  12, 14, 16, 18, 20, 22, 24},
                 field);
}

// AllowedMeasBandwidth ::= ENUMERATED {mbw6, mbw15, mbw25, mbw50, mbw75, mbw100}
void put_allowed_meas_bandwidth(UperWriter& w, int prb, const string& field) {
  put_enum_value(w, prb, {6, 15, 25, 50, 75, 100}, field);
}

// PhysCellIdRange ::= SEQUENCE { start PhysCellId, range ENUMERATED {n4, ..., n504, spare2, spare1} OPTIONAL }
void put_phys_cell_id_range(UperWriter& w, const PhysCellIdRangeConfig& r, const string& path) {
  w.put_sequence_preamble(false, {r.range.has_value()});
  w.put_constrained(r.start, 0, 503, path + ".start");
  if (r.range) put_enum_value(w, *r.range, {4, 8, 12, 16, 24, 32, 48, 64, 84, 96, 128, 168, 252, 504}, path + ".range", 16);
}

void put_black_list(UperWriter& w, const std::vector<PhysCellIdRangeConfig>& l, const string& path) {
  w.put_length(l.size(), 1, 16, path);  // maxCellBlack
  for (std::size_t i = 0; i < l.size(); ++i) put_phys_cell_id_range(w, l[i], at(path, i));
}

// AC-BarringConfig
void put_ac_barring_config(UperWriter& w, const AcBarringConfig& c, const string& path) {
  put_enum_value(w, c.ac_barring_factor_percent, {0, 5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95},
                 path + ".ac_barring_factor_percent");
  put_enum_value(w, c.ac_barring_time_s, {4, 8, 16, 32, 64, 128, 256, 512}, path + ".ac_barring_time_s");
  if (c.ac_barring_for_special_ac < 0) bad(path + ".ac_barring_for_special_ac", "is negative");
  w.put_bit_string(static_cast<std::uint64_t>(c.ac_barring_for_special_ac), 5, path + ".ac_barring_for_special_ac");
}

// ---- SIB1 (6.2.2 SystemInformationBlockType1) ----

void put_mcc_mnc(UperWriter& w, const PlmnIdentity& p, const string& prefix) {
  // PLMN-Identity ::= SEQUENCE { mcc MCC OPTIONAL, mnc MNC }; MCC ::= SEQUENCE (SIZE (3)) OF MCC-MNC-Digit,
  // MNC ::= SEQUENCE (SIZE (2..3)) OF MCC-MNC-Digit, MCC-MNC-Digit ::= INTEGER (0..9).
  const string mcc = prefix + "mcc", mnc = prefix + "mnc";
  if (p.mcc < 0 || p.mcc > 999) bad(mcc, std::to_string(p.mcc) + " is out of range 0..999");
  if (p.mnc.size() < 2 || p.mnc.size() > 3 || !std::all_of(p.mnc.begin(), p.mnc.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    bad(mnc, "\"" + p.mnc + "\" is not 2 or 3 decimal digits");
  w.put_sequence_preamble(false, {true});
  w.put_constrained(p.mcc / 100, 0, 9, mcc);
  w.put_constrained(p.mcc / 10 % 10, 0, 9, mcc);
  w.put_constrained(p.mcc % 10, 0, 9, mcc);
  w.put_length(p.mnc.size(), 2, 3, mnc);
  for (char ch : p.mnc) w.put_constrained(ch - '0', 0, 9, mnc);
}

void check_sib_type(int sib, const string& field) {
  if (sib < 3 || sib > 8) bad(field, "SIB" + std::to_string(sib) + " is not one this encoder writes (SIB3..SIB8)");
}

bool sib_present(const LteSystemInfoConfig& c, int sib) {
  switch (sib) {
    case 3: return c.sib3.has_value();
    case 4: return c.sib4.has_value();
    case 5: return c.sib5.has_value();
    case 6: return c.sib6.has_value();
    case 7: return c.sib7.has_value();
    case 8: return c.sib8.has_value();
    default: return false;
  }
}

// ---- SIB2 (6.3.1) ----

void put_sib2(UperWriter& w, const Sib2Config& s) {
  const string p = "sibs.sib2";
  // SystemInformationBlockType2 ::= SEQUENCE { ac-BarringInfo OPTIONAL, radioResourceConfigCommon,
  //   ue-TimersAndConstants, freqInfo, mbsfn-SubframeConfigList OPTIONAL, timeAlignmentTimerCommon, ... }
  w.put_sequence_preamble(true, {s.ac_barring_present, false});
  if (s.ac_barring_present) {
    w.put_sequence_preamble(false, {s.ac_barring_for_mo_signalling.has_value(), s.ac_barring_for_mo_data.has_value()});
    w.put_bool(s.ac_barring_for_emergency);
    if (s.ac_barring_for_mo_signalling) put_ac_barring_config(w, *s.ac_barring_for_mo_signalling, p + ".ac_barring_for_mo_signalling");
    if (s.ac_barring_for_mo_data) put_ac_barring_config(w, *s.ac_barring_for_mo_data, p + ".ac_barring_for_mo_data");
  }
  // RadioResourceConfigCommonSIB ::= SEQUENCE { rach-ConfigCommon, bcch-Config, pcch-Config, prach-Config,
  //   pdsch-ConfigCommon, pusch-ConfigCommon, pucch-ConfigCommon, soundingRS-UL-ConfigCommon,
  //   uplinkPowerControlCommon, ul-CyclicPrefixLength, ... }
  w.put_sequence_preamble(true, {});
  // RACH-ConfigCommon ::= SEQUENCE { preambleInfo, powerRampingParameters, ra-SupervisionInfo, maxHARQ-Msg3Tx, ... }
  w.put_sequence_preamble(true, {});
  w.put_sequence_preamble(false, {false});  // preambleInfo: preamblesGroupAConfig absent
  put_enum_value(w, s.number_of_ra_preambles, {4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64},
                 p + ".number_of_ra_preambles");
  put_enum_value(w, s.power_ramping_step_db, {0, 2, 4, 6}, p + ".power_ramping_step_db");
  put_enum_value(w, s.preamble_initial_received_target_power_dbm,
                 {-120, -118, -116, -114, -112, -110, -108, -106, -104, -102, -100, -98, -96, -94, -92, -90},
                 p + ".preamble_initial_received_target_power_dbm");
  put_enum_value(w, s.preamble_trans_max, {3, 4, 5, 6, 7, 8, 10, 20, 50, 100, 200}, p + ".preamble_trans_max");
  put_enum_value(w, s.ra_response_window_size_sf, {2, 3, 4, 5, 6, 7, 8, 10}, p + ".ra_response_window_size_sf");
  put_enum_value(w, s.mac_contention_resolution_timer_sf, {8, 16, 24, 32, 40, 48, 56, 64},
                 p + ".mac_contention_resolution_timer_sf");
  w.put_constrained(s.max_harq_msg3_tx, 1, 8, p + ".max_harq_msg3_tx");
  // BCCH-Config, PCCH-Config
  put_enum_value(w, s.modification_period_coeff, {2, 4, 8, 16}, p + ".modification_period_coeff");
  put_enum_value(w, s.default_paging_cycle_rf, {32, 64, 128, 256}, p + ".default_paging_cycle_rf");
  {
    static const char* const kNb[8] = {"fourT",      "twoT",          "oneT",          "halfT",
                                       "quarterT",   "oneEighthT",    "oneSixteenthT", "oneThirtySecondT"};
    int nb = -1;
    for (int i = 0; i < 8; ++i)
      if (s.nb == kNb[i]) nb = i;
    if (nb < 0) bad(p + ".nb", "\"" + s.nb + "\" is not fourT, twoT, oneT, halfT, quarterT, oneEighthT, oneSixteenthT or oneThirtySecondT");
    w.put_enumerated(nb, 8, p + ".nb");
  }
  // PRACH-ConfigSIB ::= SEQUENCE { rootSequenceIndex INTEGER (0..837), prach-ConfigInfo }
  w.put_constrained(s.root_sequence_index, 0, 837, p + ".root_sequence_index");
  w.put_constrained(s.prach_config_index, 0, 63, p + ".prach_config_index");
  w.put_bool(s.high_speed_flag);
  w.put_constrained(s.zero_correlation_zone_config, 0, 15, p + ".zero_correlation_zone_config");
  w.put_constrained(s.prach_freq_offset, 0, 94, p + ".prach_freq_offset");
  // PDSCH-ConfigCommon
  w.put_constrained(s.reference_signal_power, -60, 50, p + ".reference_signal_power");
  w.put_constrained(s.p_b, 0, 3, p + ".p_b");
  // PUSCH-ConfigCommon ::= SEQUENCE { pusch-ConfigBasic SEQUENCE {...}, ul-ReferenceSignalsPUSCH }
  w.put_constrained(s.n_sb, 1, 4, p + ".n_sb");
  w.put_enumerated(s.hopping_mode_intra_and_inter_subframe ? 1 : 0, 2, p + ".hopping_mode");
  w.put_constrained(s.pusch_hopping_offset, 0, 98, p + ".pusch_hopping_offset");
  w.put_bool(s.enable_64qam);
  w.put_bool(s.group_hopping_enabled);
  w.put_constrained(s.group_assignment_pusch, 0, 29, p + ".group_assignment_pusch");
  w.put_bool(s.sequence_hopping_enabled);
  w.put_constrained(s.cyclic_shift, 0, 7, p + ".cyclic_shift");
  // PUCCH-ConfigCommon
  put_enum_value(w, s.delta_pucch_shift, {1, 2, 3}, p + ".delta_pucch_shift");
  w.put_constrained(s.n_rb_cqi, 0, 98, p + ".n_rb_cqi");
  w.put_constrained(s.n_cs_an, 0, 7, p + ".n_cs_an");
  w.put_constrained(s.n1_pucch_an, 0, 2047, p + ".n1_pucch_an");
  // SoundingRS-UL-ConfigCommon ::= CHOICE { release NULL, setup SEQUENCE { srs-BandwidthConfig,
  //   srs-SubframeConfig, ackNackSRS-SimultaneousTransmission, srs-MaxUpPts OPTIONAL } }
  w.put_choice(s.srs_setup ? 1 : 0, 2, p + ".srs");
  if (s.srs_setup) {
    w.put_sequence_preamble(false, {false});
    w.put_constrained(s.srs_bandwidth_config, 0, 7, p + ".srs_bandwidth_config");
    w.put_constrained(s.srs_subframe_config, 0, 15, p + ".srs_subframe_config");
    w.put_bool(s.ack_nack_srs_simultaneous_transmission);
  }
  // UplinkPowerControlCommon
  w.put_constrained(s.p0_nominal_pusch, -126, 24, p + ".p0_nominal_pusch");
  put_enum_value(w, s.alpha_tenths, {0, 4, 5, 6, 7, 8, 9, 10}, p + ".alpha_tenths");
  w.put_constrained(s.p0_nominal_pucch, -127, -96, p + ".p0_nominal_pucch");
  put_enum_value(w, s.delta_f_pucch_format1, {-2, 0, 2}, p + ".delta_f_pucch_format1");
  put_enum_value(w, s.delta_f_pucch_format1b, {1, 3, 5}, p + ".delta_f_pucch_format1b");
  put_enum_value(w, s.delta_f_pucch_format2, {-2, 0, 1, 2}, p + ".delta_f_pucch_format2");
  put_enum_value(w, s.delta_f_pucch_format2a, {-2, 0, 2}, p + ".delta_f_pucch_format2a");
  put_enum_value(w, s.delta_f_pucch_format2b, {-2, 0, 2}, p + ".delta_f_pucch_format2b");
  w.put_constrained(s.delta_preamble_msg3, -1, 6, p + ".delta_preamble_msg3");
  w.put_enumerated(s.ul_cyclic_prefix_extended ? 1 : 0, 2, p + ".ul_cyclic_prefix_length");
  // UE-TimersAndConstants ::= SEQUENCE { t300, t301, t310, n310, t311, n311, ... }
  w.put_sequence_preamble(true, {});
  put_enum_value(w, s.t300_ms, {100, 200, 300, 400, 600, 1000, 1500, 2000}, p + ".t300_ms");
  put_enum_value(w, s.t301_ms, {100, 200, 300, 400, 600, 1000, 1500, 2000}, p + ".t301_ms");
  put_enum_value(w, s.t310_ms, {0, 50, 100, 200, 500, 1000, 2000}, p + ".t310_ms");
  put_enum_value(w, s.n310, {1, 2, 3, 4, 6, 8, 10, 20}, p + ".n310");
  put_enum_value(w, s.t311_ms, {1000, 3000, 5000, 10000, 15000, 20000, 30000}, p + ".t311_ms");
  put_enum_value(w, s.n311, {1, 2, 3, 4, 5, 6, 8, 10}, p + ".n311");
  // freqInfo ::= SEQUENCE { ul-CarrierFreq OPTIONAL, ul-Bandwidth OPTIONAL, additionalSpectrumEmission }
  w.put_sequence_preamble(false, {s.ul_carrier_freq.has_value(), s.ul_bandwidth_prb.has_value()});
  if (s.ul_carrier_freq) w.put_constrained(*s.ul_carrier_freq, 0, 65535, p + ".ul_carrier_freq");
  if (s.ul_bandwidth_prb) put_enum_value(w, *s.ul_bandwidth_prb, {6, 15, 25, 50, 75, 100}, p + ".ul_bandwidth_prb");
  w.put_constrained(s.additional_spectrum_emission, 1, 32, p + ".additional_spectrum_emission");
  // TimeAlignmentTimer ::= ENUMERATED {sf500, sf750, sf1280, sf1920, sf2560, sf5120, sf10240, infinity}
  put_enum_value(w, s.time_alignment_timer_common_sf, {500, 750, 1280, 1920, 2560, 5120, 10240, 0},
                 p + ".time_alignment_timer_common_sf");
}

// ---- SIB3 ----

void put_sib3(UperWriter& w, const Sib3Config& s) {
  const string p = "sibs.sib3";
  w.put_sequence_preamble(true, {});
  // cellReselectionInfoCommon ::= SEQUENCE { q-Hyst, speedStateReselectionPars OPTIONAL }
  w.put_sequence_preamble(false, {false});
  put_enum_value(w, s.q_hyst_db, {0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24}, p + ".q_hyst_db");
  // cellReselectionServingFreqInfo ::= SEQUENCE { s-NonIntraSearch OPTIONAL, threshServingLow, cellReselectionPriority }
  w.put_sequence_preamble(false, {s.s_non_intra_search.has_value()});
  if (s.s_non_intra_search) w.put_constrained(*s.s_non_intra_search, 0, 31, p + ".s_non_intra_search");
  w.put_constrained(s.thresh_serving_low, 0, 31, p + ".thresh_serving_low");
  w.put_constrained(s.cell_reselection_priority, 0, 7, p + ".cell_reselection_priority");
  // intraFreqCellReselectionInfo ::= SEQUENCE { q-RxLevMin, p-Max OPTIONAL, s-IntraSearch OPTIONAL,
  //   allowedMeasBandwidth OPTIONAL, presenceAntennaPort1, neighCellConfig, t-ReselectionEUTRA,
  //   t-ReselectionEUTRA-SF OPTIONAL }
  w.put_sequence_preamble(false, {s.p_max.has_value(), s.s_intra_search.has_value(), s.allowed_meas_bandwidth_prb.has_value(), false});
  w.put_constrained(s.q_rx_lev_min, -70, -22, p + ".q_rx_lev_min");
  if (s.p_max) w.put_constrained(*s.p_max, -30, 33, p + ".p_max");
  if (s.s_intra_search) w.put_constrained(*s.s_intra_search, 0, 31, p + ".s_intra_search");
  if (s.allowed_meas_bandwidth_prb) put_allowed_meas_bandwidth(w, *s.allowed_meas_bandwidth_prb, p + ".allowed_meas_bandwidth_prb");
  w.put_bool(s.presence_antenna_port1);
  if (s.neigh_cell_config < 0) bad(p + ".neigh_cell_config", "is negative");
  w.put_bit_string(static_cast<std::uint64_t>(s.neigh_cell_config), 2, p + ".neigh_cell_config");
  w.put_constrained(s.t_reselection_eutra, 0, 7, p + ".t_reselection_eutra");
}

// ---- SIB4 ----

void put_sib4(UperWriter& w, const Sib4Config& s) {
  const string p = "sibs.sib4";
  const auto& n = s.intra_freq_neigh_cell_list;
  const auto& b = s.intra_freq_black_cell_list;
  w.put_sequence_preamble(true, {!n.empty(), !b.empty(), s.csg_phys_cell_id_range.has_value()});
  if (!n.empty()) {
    w.put_length(n.size(), 1, 16, p + ".neighbours");  // maxCellIntra
    for (std::size_t i = 0; i < n.size(); ++i) {
      // IntraFreqNeighCellInfo ::= SEQUENCE { physCellId, q-OffsetCell, ... }
      w.put_sequence_preamble(true, {});
      w.put_constrained(n[i].phys_cell_id, 0, 503, at(p + ".neighbours", i) + ".pci");
      put_q_offset_range(w, n[i].q_offset_cell_db, at(p + ".neighbours", i) + ".q_offset_cell_db");
    }
  }
  if (!b.empty()) put_black_list(w, b, p + ".black_list");
  if (s.csg_phys_cell_id_range) put_phys_cell_id_range(w, *s.csg_phys_cell_id_range, p + ".csg_phys_cell_id_range");
}

// ---- SIB5 ----

void put_sib5(UperWriter& w, const Sib5Config& s) {
  const string p = "sibs.sib5.carriers";
  w.put_sequence_preamble(true, {});
  w.put_length(s.carriers.size(), 1, 8, p);  // maxFreq
  for (std::size_t i = 0; i < s.carriers.size(); ++i) {
    const InterFreqCarrier& c = s.carriers[i];
    const string q = at(p, i);
    // InterFreqCarrierFreqInfo ::= SEQUENCE { dl-CarrierFreq, q-RxLevMin, p-Max OPTIONAL, t-ReselectionEUTRA,
    //   t-ReselectionEUTRA-SF OPTIONAL, threshX-High, threshX-Low, allowedMeasBandwidth, presenceAntennaPort1,
    //   cellReselectionPriority OPTIONAL, neighCellConfig, q-OffsetFreq DEFAULT dB0,
    //   interFreqNeighCellList OPTIONAL, interFreqBlackCellList OPTIONAL, ... }
    const bool q_offset_sent = c.q_offset_freq_db != 0;  // X.691 10.2: a DEFAULT value is not encoded
    w.put_sequence_preamble(true, {c.p_max.has_value(), false, c.cell_reselection_priority.has_value(), q_offset_sent,
                                   !c.inter_freq_neigh_cell_list.empty(), !c.inter_freq_black_cell_list.empty()});
    w.put_constrained(c.dl_carrier_freq, 0, 65535, q + ".earfcn");
    w.put_constrained(c.q_rx_lev_min, -70, -22, q + ".q_rx_lev_min");
    if (c.p_max) w.put_constrained(*c.p_max, -30, 33, q + ".p_max");
    w.put_constrained(c.t_reselection_eutra, 0, 7, q + ".t_reselection_eutra");
    w.put_constrained(c.thresh_x_high, 0, 31, q + ".thresh_x_high");
    w.put_constrained(c.thresh_x_low, 0, 31, q + ".thresh_x_low");
    put_allowed_meas_bandwidth(w, c.allowed_meas_bandwidth_prb, q + ".allowed_meas_bandwidth_prb");
    w.put_bool(c.presence_antenna_port1);
    if (c.cell_reselection_priority) w.put_constrained(*c.cell_reselection_priority, 0, 7, q + ".cell_reselection_priority");
    if (c.neigh_cell_config < 0) bad(q + ".neigh_cell_config", "is negative");
    w.put_bit_string(static_cast<std::uint64_t>(c.neigh_cell_config), 2, q + ".neigh_cell_config");
    if (q_offset_sent) put_q_offset_range(w, c.q_offset_freq_db, q + ".q_offset_freq_db");
    const auto& n = c.inter_freq_neigh_cell_list;
    if (!n.empty()) {
      w.put_length(n.size(), 1, 16, q + ".neighbours");  // maxCellInter
      for (std::size_t k = 0; k < n.size(); ++k) {
        // InterFreqNeighCellInfo ::= SEQUENCE { physCellId, q-OffsetCell } (no extension marker)
        w.put_constrained(n[k].phys_cell_id, 0, 503, at(q + ".neighbours", k) + ".pci");
        put_q_offset_range(w, n[k].q_offset_cell_db, at(q + ".neighbours", k) + ".q_offset_cell_db");
      }
    }
    if (!c.inter_freq_black_cell_list.empty()) put_black_list(w, c.inter_freq_black_cell_list, q + ".black_list");
  }
}

// ---- SIB6 ----

void put_sib6(UperWriter& w, const Sib6Config& s) {
  const string p = "sibs.sib6";
  const auto& f = s.carrier_freq_list_utra_fdd;
  const auto& t = s.carrier_freq_list_utra_tdd;
  w.put_sequence_preamble(true, {!f.empty(), !t.empty(), false});
  if (!f.empty()) {
    w.put_length(f.size(), 1, 16, p + ".utra_fdd");  // maxUTRA-FDD-Carrier
    for (std::size_t i = 0; i < f.size(); ++i) {
      const string q = at(p + ".utra_fdd", i);
      // CarrierFreqUTRA-FDD ::= SEQUENCE { carrierFreq, cellReselectionPriority OPTIONAL, threshX-High,
      //   threshX-Low, q-RxLevMin INTEGER (-60..-13), p-MaxUTRA INTEGER (-50..33), q-QualMin INTEGER (-24..0), ... }
      w.put_sequence_preamble(true, {f[i].cell_reselection_priority.has_value()});
      w.put_constrained(f[i].carrier_freq, 0, 16383, q + ".uarfcn");
      if (f[i].cell_reselection_priority) w.put_constrained(*f[i].cell_reselection_priority, 0, 7, q + ".cell_reselection_priority");
      w.put_constrained(f[i].thresh_x_high, 0, 31, q + ".thresh_x_high");
      w.put_constrained(f[i].thresh_x_low, 0, 31, q + ".thresh_x_low");
      w.put_constrained(f[i].q_rx_lev_min, -60, -13, q + ".q_rx_lev_min");
      w.put_constrained(f[i].p_max_utra, -50, 33, q + ".p_max_utra");
      w.put_constrained(f[i].q_qual_min, -24, 0, q + ".q_qual_min");
    }
  }
  if (!t.empty()) {
    w.put_length(t.size(), 1, 16, p + ".utra_tdd");  // maxUTRA-TDD-Carrier
    for (std::size_t i = 0; i < t.size(); ++i) {
      const string q = at(p + ".utra_tdd", i);
      // CarrierFreqUTRA-TDD ::= SEQUENCE { carrierFreq, cellReselectionPriority OPTIONAL, threshX-High,
      //   threshX-Low, q-RxLevMin, p-MaxUTRA, ... }
      w.put_sequence_preamble(true, {t[i].cell_reselection_priority.has_value()});
      w.put_constrained(t[i].carrier_freq, 0, 16383, q + ".uarfcn");
      if (t[i].cell_reselection_priority) w.put_constrained(*t[i].cell_reselection_priority, 0, 7, q + ".cell_reselection_priority");
      w.put_constrained(t[i].thresh_x_high, 0, 31, q + ".thresh_x_high");
      w.put_constrained(t[i].thresh_x_low, 0, 31, q + ".thresh_x_low");
      w.put_constrained(t[i].q_rx_lev_min, -60, -13, q + ".q_rx_lev_min");
      w.put_constrained(t[i].p_max_utra, -50, 33, q + ".p_max_utra");
    }
  }
  w.put_constrained(s.t_reselection_utra, 0, 7, p + ".t_reselection_utra");
}

// ---- SIB7 ----

void put_sib7(UperWriter& w, const Sib7Config& s) {
  const string p = "sibs.sib7";
  const auto& l = s.carrier_freqs_info_list;
  w.put_sequence_preamble(true, {false, !l.empty()});
  w.put_constrained(s.t_reselection_geran, 0, 7, p + ".t_reselection_geran");
  if (l.empty()) return;
  w.put_length(l.size(), 1, 16, p + ".carriers");  // maxGNFG
  for (std::size_t i = 0; i < l.size(); ++i) {
    const GeranCarrierSet& g = l[i];
    const string q = at(p + ".carriers", i);
    // CarrierFreqsInfoGERAN ::= SEQUENCE { carrierFreqs CarrierFreqsGERAN, commonInfo SEQUENCE {...}, ... }
    w.put_sequence_preamble(true, {});
    // CarrierFreqsGERAN ::= SEQUENCE { startingARFCN, bandIndicator, followingARFCNs CHOICE {
    //   explicitListOfARFCNs, equallySpacedARFCNs, variableBitMapOfARFCNs } }
    w.put_constrained(g.starting_arfcn, 0, 1023, q + ".starting_arfcn");
    w.put_enumerated(g.band_indicator_pcs1900 ? 1 : 0, 2, q + ".band_indicator");
    w.put_choice(0, 3, q + ".following_arfcns");
    w.put_length(g.explicit_list_of_arfcns.size(), 0, 31, q + ".arfcns");  // ExplicitListOfARFCNs SIZE (0..31)
    for (std::size_t k = 0; k < g.explicit_list_of_arfcns.size(); ++k)
      w.put_constrained(g.explicit_list_of_arfcns[k], 0, 1023, at(q + ".arfcns", k));
    // commonInfo ::= SEQUENCE { cellReselectionPriority OPTIONAL, ncc-Permitted BIT STRING (SIZE (8)),
    //   q-RxLevMin INTEGER (0..45), p-MaxGERAN INTEGER (0..39) OPTIONAL, threshX-High, threshX-Low }
    w.put_sequence_preamble(false, {g.cell_reselection_priority.has_value(), g.p_max_geran.has_value()});
    if (g.cell_reselection_priority) w.put_constrained(*g.cell_reselection_priority, 0, 7, q + ".cell_reselection_priority");
    if (g.ncc_permitted < 0) bad(q + ".ncc_permitted", "is negative");
    w.put_bit_string(static_cast<std::uint64_t>(g.ncc_permitted), 8, q + ".ncc_permitted");
    w.put_constrained(g.q_rx_lev_min, 0, 45, q + ".q_rx_lev_min");
    if (g.p_max_geran) w.put_constrained(*g.p_max_geran, 0, 39, q + ".p_max_geran");
    w.put_constrained(g.thresh_x_high, 0, 31, q + ".thresh_x_high");
    w.put_constrained(g.thresh_x_low, 0, 31, q + ".thresh_x_low");
  }
}

// ---- SIB8 ----

void put_sib8(UperWriter& w, const Sib8Config& s) {
  const string p = "sibs.sib8";
  // SystemInformationBlockType8 ::= SEQUENCE { systemTimeInfo OPTIONAL, searchWindowSize INTEGER (0..15)
  //   OPTIONAL, parametersHRPD OPTIONAL, parameters1XRTT OPTIONAL, ... }
  w.put_sequence_preamble(true, {s.system_time_present, s.search_window_size.has_value(), false, false});
  if (s.system_time_present) {
    // SystemTimeInfoCDMA2000 ::= SEQUENCE { cdma-EUTRA-Synchronisation BOOLEAN, cdma-SystemTime CHOICE {
    //   synchronousSystemTime BIT STRING (SIZE (39)), asynchronousSystemTime BIT STRING (SIZE (49)) } }
    w.put_bool(s.cdma_eutra_synchronisation);
    w.put_choice(0, 2, p + ".cdma_system_time");
    w.put_bit_string(s.synchronous_system_time, 39, p + ".synchronous_system_time");
  }
  if (s.search_window_size) w.put_constrained(*s.search_window_size, 0, 15, p + ".search_window_size");
}

std::vector<std::uint8_t> finish(const UperWriter& w, const string& what) {
  std::vector<std::uint8_t> out = w.octets();
  if (out.size() > kMaxSiOctets)
    throw InputError(what + ": " + std::to_string(out.size()) + " octets, more than the " + std::to_string(kMaxSiOctets) +
                     " a BCCH transport block can carry (36.331 5.2.1.2)");
  return out;
}

}  // namespace

std::vector<SchedulingEntry> effective_scheduling(const LteSystemInfoConfig& cfg) {
  std::vector<SchedulingEntry> s = cfg.scheduling;
  if (s.empty()) {
    s.push_back({16, {}});
    if (cfg.sib3) s[0].sibs.push_back(3);
    SchedulingEntry e32{32, {}}, e64{64, {}};
    for (int t : {4, 5})
      if (sib_present(cfg, t)) e32.sibs.push_back(t);
    for (int t : {6, 7, 8})
      if (sib_present(cfg, t)) e64.sibs.push_back(t);
    if (!e32.sibs.empty()) s.push_back(e32);
    if (!e64.sibs.empty()) s.push_back(e64);
    return s;
  }
  bool seen[9] = {};
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t k = 0; k < s[i].sibs.size(); ++k) {
      const string f = at(at("scheduling", i) + ".sibs", k);
      const int t = s[i].sibs[k];
      check_sib_type(t, f);
      if (seen[t]) bad(f, "SIB" + std::to_string(t) + " is scheduled twice");
      seen[t] = true;
      if (!sib_present(cfg, t)) bad(f, "SIB" + std::to_string(t) + " is scheduled but \"sibs\" has no \"sib" + std::to_string(t) + "\"");
    }
  for (int t = 3; t <= 8; ++t)
    if (sib_present(cfg, t) && !seen[t])
      bad("scheduling", "sibs.sib" + std::to_string(t) + " is given but no SI message carries SIB" + std::to_string(t));
  return s;
}

std::vector<std::uint8_t> encode_sib1(const LteSystemInfoConfig& c) {
  const std::vector<SchedulingEntry> sched = effective_scheduling(c);
  UperWriter w;
  // BCCH-DL-SCH-Message ::= SEQUENCE { message BCCH-DL-SCH-MessageType }; MessageType ::= CHOICE { c1 CHOICE {
  //   systemInformation, systemInformationBlockType1 }, messageClassExtension SEQUENCE {} }
  w.put_choice(0, 2, "message");
  w.put_choice(1, 2, "c1");
  const bool ssp9 = c.tdd_config && c.tdd_config->special_subframe_patterns == 9;
  const bool v920 = c.ims_emergency_support || c.q_qual_min_r9.has_value() || ssp9;
  if (c.q_qual_min_offset_r9 && !c.q_qual_min_r9) bad("q_qual_min_offset_r9", "given without q_qual_min_r9");
  // SystemInformationBlockType1: p-Max, tdd-Config, nonCriticalExtension OPTIONAL
  w.put_sequence_preamble(false, {c.p_max.has_value(), c.tdd_config.has_value(), v920});
  // cellAccessRelatedInfo ::= SEQUENCE { plmn-IdentityList, trackingAreaCode, cellIdentity, cellBarred,
  //   intraFreqReselection, csg-Indication, csg-Identity OPTIONAL }
  w.put_sequence_preamble(false, {c.csg_identity.has_value()});
  w.put_length(c.plmn_identity_list.size(), 1, 6, "plmn_identity_list");  // maxPLMN-r11
  for (std::size_t i = 0; i < c.plmn_identity_list.size(); ++i) {
    // one PLMN: the scene keys "mcc", "mnc"; several: plmn_identity_list[i].mcc ...
    const string prefix = c.plmn_identity_list.size() == 1 ? string() : at("plmn_identity_list", i) + ".";
    put_mcc_mnc(w, c.plmn_identity_list[i], prefix);
    w.put_enumerated(c.plmn_identity_list[i].cell_reserved_for_operator_use ? 0 : 1, 2, prefix + "cell_reserved_for_operator_use");
  }
  if (c.tracking_area_code < 0 || c.tracking_area_code > 65535)
    bad("tac", std::to_string(c.tracking_area_code) + " is out of range 0..65535");
  w.put_bit_string(static_cast<std::uint64_t>(c.tracking_area_code), 16, "tac");
  w.put_bit_string(c.cell_identity, 28, "cell_identity");
  w.put_enumerated(c.cell_barred ? 0 : 1, 2, "cell_barred");
  w.put_enumerated(c.intra_freq_reselection_allowed ? 0 : 1, 2, "intra_freq_reselection");
  w.put_bool(c.csg_indication);
  if (c.csg_identity) w.put_bit_string(*c.csg_identity, 27, "csg_identity");
  // cellSelectionInfo ::= SEQUENCE { q-RxLevMin, q-RxLevMinOffset INTEGER (1..8) OPTIONAL }
  w.put_sequence_preamble(false, {c.q_rx_lev_min_offset.has_value()});
  w.put_constrained(c.q_rx_lev_min, -70, -22, "q_rx_lev_min");
  if (c.q_rx_lev_min_offset) w.put_constrained(*c.q_rx_lev_min_offset, 1, 8, "q_rx_lev_min_offset");
  if (c.p_max) w.put_constrained(*c.p_max, -30, 33, "p_max");
  w.put_constrained(c.freq_band_indicator, 1, 64, "freq_band_indicator");
  // SchedulingInfoList ::= SEQUENCE (SIZE (1..maxSI-Message)) OF SchedulingInfo
  w.put_length(sched.size(), 1, 32, "scheduling");
  for (std::size_t i = 0; i < sched.size(); ++i) {
    const string f = at("scheduling", i);
    put_enum_value(w, sched[i].periodicity_rf, {8, 16, 32, 64, 128, 256, 512}, f + ".periodicity_rf");
    // SIB-MappingInfo ::= SEQUENCE (SIZE (0..maxSIB-1)) OF SIB-Type; SIB-Type ::= ENUMERATED { sibType3, ...
    //   (16 root values), ... }
    w.put_length(sched[i].sibs.size(), 0, 31, f + ".sibs");
    for (std::size_t k = 0; k < sched[i].sibs.size(); ++k) {
      check_sib_type(sched[i].sibs[k], at(f + ".sibs", k));
      w.put_enumerated(sched[i].sibs[k] - 3, 16, at(f + ".sibs", k), true);
    }
  }
  if (c.tdd_config) {
    // TDD-Config ::= SEQUENCE { subframeAssignment ENUMERATED {sa0..sa6}, specialSubframePatterns ENUMERATED {ssp0..ssp8} }
    w.put_enumerated(c.tdd_config->subframe_assignment, 7, "tdd_config.subframe_assignment");
    const int ssp = c.tdd_config->special_subframe_patterns;
    if (ssp < 0 || ssp > 9) bad("tdd_config.special_subframe_patterns", std::to_string(ssp) + " is out of range 0..9");
    // ssp9 is sent as tdd-Config-v1130 (the UE then ignores this field); ssp5 has the same uplink part.
    w.put_enumerated(ssp == 9 ? 5 : ssp, 9, "tdd_config.special_subframe_patterns");
  }
  put_enum_value(w, c.si_window_ms, {1, 2, 5, 10, 15, 20, 40}, "si_window_ms");
  w.put_constrained(c.system_info_value_tag, 0, 31, "si_value_tag");
  if (v920) {
    // SystemInformationBlockType1-v890-IEs ::= SEQUENCE { lateNonCriticalExtension OPTIONAL, nonCriticalExtension OPTIONAL }
    w.put_sequence_preamble(false, {false, true});
    // SystemInformationBlockType1-v920-IEs ::= SEQUENCE { ims-EmergencySupport-r9 ENUMERATED {true} OPTIONAL,
    //   cellSelectionInfo-v920 OPTIONAL, nonCriticalExtension (v1130) OPTIONAL }
    w.put_sequence_preamble(false, {c.ims_emergency_support, c.q_qual_min_r9.has_value(), ssp9});
    if (c.ims_emergency_support) w.put_enumerated(0, 1, "ims_emergency_support");
    if (c.q_qual_min_r9) {
      // CellSelectionInfo-v920 ::= SEQUENCE { q-QualMin-r9 INTEGER (-34..-3), q-QualMinOffset-r9 INTEGER (1..8) OPTIONAL }
      w.put_sequence_preamble(false, {c.q_qual_min_offset_r9.has_value()});
      w.put_constrained(*c.q_qual_min_r9, -34, -3, "q_qual_min_r9");
      if (c.q_qual_min_offset_r9) w.put_constrained(*c.q_qual_min_offset_r9, 1, 8, "q_qual_min_offset_r9");
    }
    if (ssp9) {
      // SystemInformationBlockType1-v1130-IEs ::= SEQUENCE { tdd-Config-v1130 OPTIONAL, cellSelectionInfo-v1130
      //   OPTIONAL, nonCriticalExtension OPTIONAL }; TDD-Config-v1130 ::= SEQUENCE { specialSubframePatterns-v1130
      //   ENUMERATED {ssp7, ssp9} }
      w.put_sequence_preamble(false, {true, false, false});
      w.put_enumerated(1, 2, "tdd_config.special_subframe_patterns");
    }
  }
  return finish(w, "SIB1");
}

std::vector<std::vector<std::uint8_t>> encode_si_messages(const LteSystemInfoConfig& c) {
  const std::vector<SchedulingEntry> sched = effective_scheduling(c);
  std::vector<std::vector<std::uint8_t>> out;
  for (std::size_t i = 0; i < sched.size(); ++i) {
    std::vector<int> sibs;
    if (i == 0) sibs.push_back(2);
    sibs.insert(sibs.end(), sched[i].sibs.begin(), sched[i].sibs.end());
    if (sibs.empty()) bad(at("scheduling", i) + ".sibs", "an SI message after the first must carry at least one SIB");
    UperWriter w;
    w.put_choice(0, 2, "message");
    w.put_choice(0, 2, "c1");  // systemInformation
    // SystemInformation ::= SEQUENCE { criticalExtensions CHOICE { systemInformation-r8, criticalExtensionsFuture } }
    w.put_choice(0, 2, "criticalExtensions");
    // SystemInformation-r8-IEs ::= SEQUENCE { sib-TypeAndInfo SEQUENCE (SIZE (1..maxSIB)) OF CHOICE { sib2, sib3,
    //   ..., sib11, ... }, nonCriticalExtension OPTIONAL }
    w.put_sequence_preamble(false, {false});
    w.put_length(sibs.size(), 1, 32, at("scheduling", i) + ".sibs");
    for (int t : sibs) {
      w.put_choice(t - 2, 10, "sib-TypeAndInfo", true);
      switch (t) {
        case 2: put_sib2(w, c.sib2); break;
        case 3: put_sib3(w, *c.sib3); break;
        case 4: put_sib4(w, *c.sib4); break;
        case 5: put_sib5(w, *c.sib5); break;
        case 6: put_sib6(w, *c.sib6); break;
        case 7: put_sib7(w, *c.sib7); break;
        case 8: put_sib8(w, *c.sib8); break;
        default: bad("scheduling", "SIB" + std::to_string(t) + " cannot be encoded");
      }
    }
    out.push_back(finish(w, "SI message " + std::to_string(i + 1)));
  }
  return out;
}

}  // namespace tw::synth::lte
