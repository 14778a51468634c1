// JSON of the decoded System Information (see lte_rrc_json.hpp). Conversions cite the TS 36.331 IE.
#include "src/lte/lte_rrc_json.hpp"

#include "src/core/hex.hpp"

#include <array>

#include "src/lte/bcch_dl_sch.hpp"

namespace tw::lte {
namespace {

using nlohmann::json;

template <typename T, std::size_t N>
json table(const std::array<T, N>& t, unsigned i) {  // a coded value outside the table (spare) is null
  return i < N ? json(t[i]) : json(nullptr);
}

template <typename T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

constexpr std::array<int, 7> kSiPeriodicityRf{8, 16, 32, 64, 128, 256, 512};
constexpr std::array<int, 7> kSiWindowMs{1, 2, 5, 10, 15, 20, 40};
constexpr std::array<int, 16> kQHystDb{0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24};
constexpr std::array<int, 31> kQOffsetRangeDb{-24, -22, -20, -18, -16, -14, -12, -10, -8, -6, -5, -4, -3, -2, -1, 0,
                                              1,   2,   3,   4,   5,   6,   8,   10,  12, 14, 16, 18, 20, 22, 24};
constexpr std::array<int, 8> kT300Ms{100, 200, 300, 400, 600, 1000, 1500, 2000};  // t300, t301
constexpr std::array<int, 7> kT310Ms{0, 50, 100, 200, 500, 1000, 2000};
constexpr std::array<int, 8> kN310{1, 2, 3, 4, 6, 8, 10, 20};
constexpr std::array<int, 7> kT311Ms{1000, 3000, 5000, 10000, 15000, 20000, 30000};
constexpr std::array<int, 8> kN311{1, 2, 3, 4, 5, 6, 8, 10};
constexpr std::array<int, 6> kBandwidthPrb{6, 15, 25, 50, 75, 100};
constexpr std::array<int, 7> kTimeAlignmentSf{500, 750, 1280, 1920, 2560, 5120, 10240};  // 8th: infinity
constexpr std::array<int, 4> kMessageSizeGroupABits{56, 144, 208, 256};
constexpr std::array<int, 7> kMessagePowerOffsetGroupBDb{0, 5, 8, 10, 12, 15, 18};  // after minusinfinity
constexpr std::array<int, 11> kPreambleTransMax{3, 4, 5, 6, 7, 8, 10, 20, 50, 100, 200};
constexpr std::array<int, 8> kRaResponseWindowSf{2, 3, 4, 5, 6, 7, 8, 10};
constexpr std::array<int, 4> kModificationPeriodCoeff{2, 4, 8, 16};
constexpr std::array<int, 4> kDefaultPagingCycleRf{32, 64, 128, 256};
constexpr std::array<const char*, 8> kNb{"fourT",    "twoT",       "oneT",          "halfT",
                                         "quarterT", "oneEighthT", "oneSixteenthT", "oneThirtySecondT"};
constexpr std::array<double, 8> kAlpha{0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
constexpr std::array<int, 16> kAcBarringFactorPct{0, 5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95};
constexpr std::array<int, 8> kAcBarringTimeS{4, 8, 16, 32, 64, 128, 256, 512};
constexpr std::array<int, 5> kTEvaluationS{30, 60, 120, 180, 240};  // t-Evaluation, t-HystNormal (spares: null)
constexpr std::array<double, 4> kSpeedScale{0.25, 0.5, 0.75, 1.0};
constexpr std::array<int, 4> kQHystSfDb{-6, -4, -2, 0};
constexpr std::array<int, 14> kPciRange{4, 8, 12, 16, 24, 32, 48, 64, 84, 96, 128, 168, 252, 504};
constexpr std::array<int, 6> kMbsfnPeriodRf{1, 2, 4, 8, 16, 32};

json plmn_json(const PlmnIdentity& p) { return json{{"mcc", p.mcc}, {"mnc", p.mnc}, {"reserved", p.reserved}}; }

json speed_scale_json(const std::optional<SpeedStateScaleFactors>& f) {
  if (!f) return nullptr;
  return json{{"sf_medium", table(kSpeedScale, f->sf_medium)}, {"sf_high", table(kSpeedScale, f->sf_high)}};
}

json pci_range_json(const PhysCellIdRange& r) {
  return json{{"start", r.start}, {"range", r.range ? table(kPciRange, *r.range) : json(1)}};
}

json neighbours_json(const std::vector<NeighCell>& cells) {
  json a = json::array();
  for (const auto& c : cells) a.push_back({{"pci", c.pci}, {"q_offset_cell_db", table(kQOffsetRangeDb, c.q_offset_cell)}});
  return a;
}

json black_list_json(const std::vector<PhysCellIdRange>& list) {
  json a = json::array();
  for (const auto& r : list) a.push_back(pci_range_json(r));
  return a;
}

json ac_config_json(const std::optional<AcBarringConfig>& c) {
  if (!c) return nullptr;
  return json{{"factor_pct", table(kAcBarringFactorPct, c->factor)},
              {"time_s", table(kAcBarringTimeS, c->time)},
              {"special_ac", c->special_ac}};
}

void sib1_json(const Sib1& s, json& j) {
  j["mcc"] = s.plmns.empty() ? json(nullptr) : json(s.plmns.front().mcc);
  j["mnc"] = s.plmns.empty() ? json(nullptr) : json(s.plmns.front().mnc);
  j["plmns"] = json::array();
  for (const auto& p : s.plmns) j["plmns"].push_back(plmn_json(p));
  j["tac"] = s.tac;
  j["cell_identity"] = s.cell_identity;
  j["enb_id"] = s.cell_identity >> 8;   // 36.300: the 20 leftmost bits of the 28-bit cell identity
  j["sector"] = s.cell_identity & 0xff;
  j["cell_barred"] = s.cell_barred;
  j["intra_freq_reselection"] = s.intra_freq_reselection_allowed;
  j["csg_indication"] = s.csg_indication;
  j["csg_identity"] = opt(s.csg_identity);
  j["q_rx_lev_min_dbm"] = s.q_rx_lev_min * 2;  // Q-RxLevMin: actual value = IE x 2 dBm
  j["q_rx_lev_min_offset"] = s.q_rx_lev_min_offset ? json(*s.q_rx_lev_min_offset * 2) : json(nullptr);  // dB
  j["q_rx_lev_min_offset_coded"] = opt(s.q_rx_lev_min_offset);
  j["p_max_dbm"] = opt(s.p_max);
  j["freq_band_indicator"] = s.freq_band_indicator;
  j["multi_band_info"] = s.multi_band_info;
  j["freq_band_indicator_v9e0"] = opt(s.freq_band_indicator_v9e0);
  j["si_window_ms"] = table(kSiWindowMs, s.si_window_length);
  j["si_value_tag"] = s.system_info_value_tag;
  json sched = json::array();
  for (std::size_t i = 0; i < s.scheduling.size(); ++i) {
    std::vector<std::string> sibs;
    if (i == 0) sibs.push_back("SIB2");  // 36.331 5.2.1.2: SIB2 is always in the first SI message, unlisted
    sibs.insert(sibs.end(), s.scheduling[i].sibs.begin(), s.scheduling[i].sibs.end());
    sched.push_back({{"si", i + 1}, {"periodicity_rf", table(kSiPeriodicityRf, s.scheduling[i].si_periodicity)},
                     {"sibs", sibs}});
  }
  j["scheduling"] = sched;
  j["tdd_config"] = s.tdd_config ? json{{"subframe_assignment", s.tdd_config->subframe_assignment},
                                        {"special_subframe_patterns", s.tdd_config->special_subframe_patterns}}
                                 : json(nullptr);
  j["ims_emergency_support"] = s.ims_emergency_support;
  j["q_qual_min_db"] = opt(s.q_qual_min);
  j["q_qual_min_offset_coded"] = opt(s.q_qual_min_offset);
  j["special_subframe_patterns_v1130"] = s.special_subframe_patterns_v1130
                                             ? json(*s.special_subframe_patterns_v1130 == 0 ? 7 : 9)
                                             : json(nullptr);
  j["category0_allowed"] = s.category0_allowed;
  j["sib1_extensions_not_decoded"] = s.extensions_not_decoded.empty() ? json(nullptr) : json(s.extensions_not_decoded);
}

json sib2_json(const Sib2& s) {
  json j;
  if (s.ac_barring) {
    j["ac_barring"] = {{"emergency", s.ac_barring->emergency},
                       {"mo_signalling", ac_config_json(s.ac_barring->mo_signalling)},
                       {"mo_data", ac_config_json(s.ac_barring->mo_data)}};
  } else {
    j["ac_barring"] = nullptr;
  }
  j["t300_ms"] = table(kT300Ms, s.t300);
  j["t301_ms"] = table(kT300Ms, s.t301);
  j["t310_ms"] = table(kT310Ms, s.t310);
  j["n310"] = table(kN310, s.n310);
  j["t311_ms"] = table(kT311Ms, s.t311);
  j["n311"] = table(kN311, s.n311);
  j["ul_earfcn"] = opt(s.ul_carrier_freq);
  j["ul_bandwidth_prb"] = s.ul_bandwidth ? table(kBandwidthPrb, *s.ul_bandwidth) : json(nullptr);
  j["additional_spectrum_emission"] = s.additional_spectrum_emission;
  j["time_alignment_timer"] = table(kTimeAlignmentSf, s.time_alignment_timer);  // subframes; null = infinity
  j["time_alignment_timer_coded"] = s.time_alignment_timer;
  j["preamble_count"] = 4 * (s.number_of_ra_preambles + 1);
  j["preambles_group_a"] = s.preambles_group_a
      ? json{{"size", 4 * (s.preambles_group_a->size + 1)},
             {"message_size_bits", table(kMessageSizeGroupABits, s.preambles_group_a->message_size)},
             {"message_power_offset_group_b_db",
              s.preambles_group_a->message_power_offset_group_b == 0
                  ? json("-infinity")
                  : table(kMessagePowerOffsetGroupBDb, s.preambles_group_a->message_power_offset_group_b - 1)}}
      : json(nullptr);
  j["power_ramping_step_db"] = 2 * static_cast<int>(s.power_ramping_step);
  j["preamble_initial_target_power_dbm"] = -120 + 2 * static_cast<int>(s.preamble_initial_target_power);
  j["preamble_trans_max"] = table(kPreambleTransMax, s.preamble_trans_max);
  j["ra_response_window_sf"] = table(kRaResponseWindowSf, s.ra_response_window_size);
  j["mac_contention_resolution_timer_sf"] = 8 * (s.mac_contention_resolution_timer + 1);
  j["max_harq_msg3_tx"] = s.max_harq_msg3_tx;
  j["modification_period_coeff"] = table(kModificationPeriodCoeff, s.modification_period_coeff);
  j["default_paging_cycle_rf"] = table(kDefaultPagingCycleRf, s.default_paging_cycle);
  j["nb"] = table(kNb, s.nb);
  j["root_sequence_index"] = s.root_sequence_index;
  j["prach_config_index"] = s.prach_config_index;
  j["high_speed_flag"] = s.high_speed_flag;
  j["zero_correlation_zone_config"] = s.zero_correlation_zone_config;
  j["prach_freq_offset"] = s.prach_freq_offset;
  j["reference_signal_power_dbm"] = s.reference_signal_power;
  j["p_b"] = s.p_b;
  j["n_sb"] = s.n_sb;
  j["hopping_mode"] = s.hopping_mode == 0 ? "interSubFrame" : "intraAndInterSubFrame";
  j["pusch_hopping_offset"] = s.pusch_hopping_offset;
  j["enable_64qam"] = s.enable_64qam;
  j["group_hopping_enabled"] = s.group_hopping_enabled;
  j["group_assignment_pusch"] = s.group_assignment_pusch;
  j["sequence_hopping_enabled"] = s.sequence_hopping_enabled;
  j["cyclic_shift"] = s.cyclic_shift;
  j["delta_pucch_shift"] = s.delta_pucch_shift + 1;
  j["n_rb_cqi"] = s.n_rb_cqi;
  j["n_cs_an"] = s.n_cs_an;
  j["n1_pucch_an"] = s.n1_pucch_an;
  j["srs"] = s.srs ? json{{"bandwidth_config", s.srs->bandwidth_config},
                          {"subframe_config", s.srs->subframe_config},
                          {"ack_nack_simultaneous", s.srs->ack_nack_simultaneous},
                          {"max_up_pts", s.srs->max_up_pts}}
                   : json(nullptr);
  j["p0_nominal_pusch_dbm"] = s.p0_nominal_pusch;
  j["alpha"] = table(kAlpha, s.alpha);
  j["p0_nominal_pucch_dbm"] = s.p0_nominal_pucch;
  j["delta_f_pucch_coded"] = std::vector<unsigned>(std::begin(s.delta_f_pucch), std::end(s.delta_f_pucch));
  j["delta_preamble_msg3_db"] = 2 * s.delta_preamble_msg3;
  j["ul_cyclic_prefix_length"] = s.ul_cyclic_prefix_length + 1;
  json mbsfn = json::array();
  for (const auto& c : s.mbsfn) {
    mbsfn.push_back({{"period_rf", table(kMbsfnPeriodRf, c.radioframe_allocation_period)},
                     {"offset", c.radioframe_allocation_offset},
                     {"four_frames", c.four_frames},
                     {"subframe_allocation", c.subframe_allocation}});
  }
  j["mbsfn_subframe_config"] = mbsfn;
  j["ssac_barring_mmtel_voice"] = ac_config_json(s.ssac_barring_mmtel_voice);
  j["ssac_barring_mmtel_video"] = ac_config_json(s.ssac_barring_mmtel_video);
  j["ac_barring_csfb"] = ac_config_json(s.ac_barring_csfb);
  j["extension_additions"] = s.extension_additions;
  return j;
}

json sib3_json(const Sib3& s) {
  json j;
  j["q_hyst_db"] = table(kQHystDb, s.q_hyst);
  if (s.speed_state) {
    const auto& m = s.speed_state->mobility;
    j["speed_state"] = {{"t_evaluation_s", table(kTEvaluationS, m.t_evaluation)},
                        {"t_hyst_normal_s", table(kTEvaluationS, m.t_hyst_normal)},
                        {"n_cell_change_medium", m.n_cell_change_medium},
                        {"n_cell_change_high", m.n_cell_change_high},
                        {"q_hyst_sf_medium_db", table(kQHystSfDb, s.speed_state->sf_medium)},
                        {"q_hyst_sf_high_db", table(kQHystSfDb, s.speed_state->sf_high)}};
  } else {
    j["speed_state"] = nullptr;
  }
  j["s_non_intra_search"] = s.s_non_intra_search ? json(*s.s_non_intra_search * 2) : json(nullptr);  // dB
  j["thresh_serving_low"] = s.thresh_serving_low * 2;
  j["cell_reselection_priority"] = s.cell_reselection_priority;
  j["q_rx_lev_min_dbm"] = s.q_rx_lev_min * 2;
  j["p_max_dbm"] = opt(s.p_max);
  j["s_intra_search"] = s.s_intra_search ? json(*s.s_intra_search * 2) : json(nullptr);
  j["allowed_meas_bandwidth_prb"] = s.allowed_meas_bandwidth ? table(kBandwidthPrb, *s.allowed_meas_bandwidth) : json(nullptr);
  j["presence_antenna_port1"] = s.presence_antenna_port1;
  j["neigh_cell_config_coded"] = s.neigh_cell_config;
  j["t_reselection_eutra_s"] = s.t_reselection_eutra;
  j["t_reselection_eutra_sf"] = speed_scale_json(s.t_reselection_eutra_sf);
  // v920 group: the P thresholds in 2 dB steps like s-IntraSearch, the Q thresholds in dB (36.304 5.2.4.7).
  j["s_intra_search_p"] = s.s_intra_search_p ? json(*s.s_intra_search_p * 2) : json(nullptr);
  j["s_intra_search_q"] = opt(s.s_intra_search_q);
  j["s_non_intra_search_p"] = s.s_non_intra_search_p ? json(*s.s_non_intra_search_p * 2) : json(nullptr);
  j["s_non_intra_search_q"] = opt(s.s_non_intra_search_q);
  j["q_qual_min_db"] = opt(s.q_qual_min);
  j["thresh_serving_low_q"] = opt(s.thresh_serving_low_q);
  j["extension_additions"] = s.extension_additions;
  return j;
}

json sib4_json(const Sib4& s) {
  return json{{"neighbours", neighbours_json(s.neighbours)},
              {"black_list", black_list_json(s.black_list)},
              {"csg_range", s.csg_range ? pci_range_json(*s.csg_range) : json(nullptr)},
              {"extension_additions", s.extension_additions}};
}

json sib5_json(const Sib5& s) {
  json carriers = json::array();
  for (const auto& c : s.carriers) {
    carriers.push_back({{"earfcn", c.dl_carrier_freq},
                        {"q_rx_lev_min_dbm", c.q_rx_lev_min * 2},
                        {"p_max_dbm", opt(c.p_max)},
                        {"t_reselection_s", c.t_reselection_eutra},
                        {"t_reselection_sf", speed_scale_json(c.t_reselection_eutra_sf)},
                        {"thresh_x_high", c.thresh_x_high * 2},
                        {"thresh_x_low", c.thresh_x_low * 2},
                        {"bandwidth_prb", table(kBandwidthPrb, c.allowed_meas_bandwidth)},
                        {"presence_antenna_port1", c.presence_antenna_port1},
                        {"priority", opt(c.cell_reselection_priority)},
                        {"neigh_cell_config_coded", c.neigh_cell_config},
                        {"q_offset_freq_db", table(kQOffsetRangeDb, c.q_offset_freq)},
                        {"neighbours", neighbours_json(c.neighbours)},
                        {"black_list", black_list_json(c.black_list)},
                        {"q_qual_min_db", opt(c.q_qual_min)},
                        {"thresh_x_high_q", opt(c.thresh_x_high_q)},
                        {"thresh_x_low_q", opt(c.thresh_x_low_q)}});
  }
  return json{{"carriers", carriers}, {"extension_additions", s.extension_additions}};
}

json utra_json(const std::vector<UtraCarrier>& list) {
  json a = json::array();
  for (const auto& c : list) {
    json e{{"uarfcn", c.carrier_freq},
           {"priority", opt(c.cell_reselection_priority)},
           {"thresh_x_high", c.thresh_x_high * 2},
           {"thresh_x_low", c.thresh_x_low * 2},
           {"q_rx_lev_min_dbm", c.q_rx_lev_min * 2 + 1},  // 36.331 CarrierFreqUTRA: actual = IE x 2 + 1 dBm
           {"p_max_utra_dbm", c.p_max_utra}};
    if (c.q_qual_min) e["q_qual_min_db"] = *c.q_qual_min;
    if (c.thresh_x_high_q) e["thresh_x_high_q"] = *c.thresh_x_high_q;
    if (c.thresh_x_low_q) e["thresh_x_low_q"] = *c.thresh_x_low_q;
    a.push_back(e);
  }
  return a;
}

json sib6_json(const Sib6& s) {
  return json{{"utra_fdd", utra_json(s.utra_fdd)},
              {"utra_tdd", utra_json(s.utra_tdd)},
              {"t_reselection_utra_s", s.t_reselection_utra},
              {"t_reselection_utra_sf", speed_scale_json(s.t_reselection_utra_sf)},
              {"extension_additions", s.extension_additions}};
}

json sib7_json(const Sib7& s) {
  json sets = json::array();
  for (const auto& c : s.carrier_sets) {
    sets.push_back({{"starting_arfcn", c.starting_arfcn},
                    {"band_indicator", c.band_indicator == 0 ? "dcs1800" : "pcs1900"},
                    {"arfcns", c.arfcns},
                    {"priority", opt(c.cell_reselection_priority)},
                    {"thresh_x_high", c.thresh_x_high * 2},
                    {"thresh_x_low", c.thresh_x_low * 2},
                    {"q_rx_lev_min_dbm", c.q_rx_lev_min * 2 - 115},  // 36.331 CarrierFreqsInfoGERAN: IE x 2 - 115
                    {"p_max_geran_dbm", opt(c.p_max_geran)},
                    {"ncc_permitted", c.ncc_permitted}});
  }
  return json{{"carrier_sets", sets},
              {"t_reselection_geran_s", s.t_reselection_geran},
              {"t_reselection_geran_sf", speed_scale_json(s.t_reselection_geran_sf)},
              {"extension_additions", s.extension_additions}};
}

json cdma_reselection_json(const std::optional<Cdma2000Reselection>& c) {
  if (!c) return nullptr;
  json bands = json::array();
  for (const auto& b : c->band_classes) {
    bands.push_back({{"band_class", b.band_class}, {"priority", opt(b.cell_reselection_priority)},
                     {"thresh_x_high_coded", b.thresh_x_high}, {"thresh_x_low_coded", b.thresh_x_low}});
  }
  json neigh = json::array();
  for (const auto& f : c->neighbours) {
    neigh.push_back({{"band_class", f.band_class}, {"arfcn", f.arfcn}, {"pn_offsets", f.pn_offsets}});
  }
  return json{{"band_classes", bands}, {"neighbours", neigh}, {"t_reselection_s", c->t_reselection},
              {"t_reselection_sf", speed_scale_json(c->sf)}};
}

json sib8_json(const Sib8& s) {
  json j{{"present", true}};
  j["cdma_eutra_synchronisation"] = opt(s.cdma_eutra_synchronisation);
  j["system_time"] = s.synchronous_system_time
      ? json{{"synchronous", *s.synchronous_system_time}, {"value", s.cdma_system_time}}
      : json(nullptr);
  j["search_window_size"] = opt(s.search_window_size);
  j["hrpd"] = s.hrpd_present ? json{{"pre_registration_allowed", s.hrpd_pre_registration_allowed},
                                    {"pre_registration_zone", opt(s.hrpd_pre_registration_zone)},
                                    {"secondary_zones", s.hrpd_secondary_zones},
                                    {"reselection", cdma_reselection_json(s.hrpd_reselection)}}
                             : json(nullptr);
  if (s.rtt_present) {
    json r{{"long_code_state", opt(s.long_code_state)}, {"reselection", cdma_reselection_json(s.rtt_reselection)}};
    if (s.csfb_registration) {
      const auto& c = *s.csfb_registration;
      r["csfb_registration"] = {{"sid", c.sid}, {"nid", c.nid}, {"multiple_sid", c.multiple_sid},
                                {"multiple_nid", c.multiple_nid}, {"home_reg", c.home_reg},
                                {"foreign_sid_reg", c.foreign_sid_reg}, {"foreign_nid_reg", c.foreign_nid_reg},
                                {"parameter_reg", c.parameter_reg}, {"power_up_reg", c.power_up_reg},
                                {"registration_period", c.registration_period},
                                {"registration_zone", c.registration_zone}, {"total_zone", c.total_zone},
                                {"zone_timer", c.zone_timer}};
    } else {
      r["csfb_registration"] = nullptr;
    }
    j["one_x_rtt"] = r;
  } else {
    j["one_x_rtt"] = nullptr;
  }
  j["extension_additions"] = s.extension_additions;
  return j;
}

template <typename Info>
void sibs_json(const Info& info, json& j) {
  if (info.sib1) sib1_json(*info.sib1, j);
  if (info.sib2) j["sib2"] = sib2_json(*info.sib2);
  if (info.sib3) j["sib3"] = sib3_json(*info.sib3);
  if (info.sib4) j["sib4"] = sib4_json(*info.sib4);
  if (info.sib5) j["sib5"] = sib5_json(*info.sib5);
  if (info.sib6) j["sib6"] = sib6_json(*info.sib6);
  if (info.sib7) j["sib7"] = sib7_json(*info.sib7);
  if (info.sib8) j["sib8"] = sib8_json(*info.sib8);
  // The HNB name is operator text from the air: kept as hex, never as a string (no UTF-8 assumption).
  if (info.sib9) j["sib9"] = {{"hnb_name_hex", info.sib9->hnb_name ? json(hex_string(*info.sib9->hnb_name)) : json(nullptr)}};
  if (info.sib10) {
    j["sib10"] = {{"message_identifier", info.sib10->message_identifier}, {"serial_number", info.sib10->serial_number}};
  }
  if (info.sib11) {
    j["sib11"] = {{"message_identifier", info.sib11->message_identifier},
                  {"serial_number", info.sib11->serial_number},
                  {"last_segment", info.sib11->last_segment},
                  {"segment_number", info.sib11->segment_number},
                  {"segment_octets", info.sib11->segment_octets}};
  }
  j["sibs_seen"] = info.sibs_seen;
}

}  // namespace

nlohmann::json lte_si_to_json(const LteSystemInfo& info) {
  json j = json::object();
  sibs_json(info, j);
  return j;
}

nlohmann::json bcch_dl_sch_to_json(const BcchDlSchMessage& m) {
  json j = json::object();
  switch (m.kind) {
    case BcchDlSchMessage::Kind::system_information_block_type1: j["message"] = "systemInformationBlockType1"; break;
    case BcchDlSchMessage::Kind::system_information: j["message"] = "systemInformation"; break;
    case BcchDlSchMessage::Kind::message_class_extension: j["message"] = "messageClassExtension"; break;
    case BcchDlSchMessage::Kind::critical_extensions_future: j["message"] = "systemInformation.criticalExtensionsFuture"; break;
  }
  sibs_json(m, j);
  return j;
}

}  // namespace tw::lte
