// One function per rule, each in its own file (src/scorer/rules/<id>.cpp); rules_table.cpp lists them.
#pragma once
#include "src/scorer/rule.hpp"

namespace tw::rules {

std::vector<Reason> a2_lac_differs(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> a4_cloned_identity(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> a5_lone_lac(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> k1_empty_neighbours(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> k2_high_cro(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> r1_unannounced(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> r2_paging_groups(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> t1_short_t3212(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> f1_rf_fingerprint(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> i1_non_hopping(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> p1_lte_priority(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> b1_not_in_baseline(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> c1_identity_change(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> b2_arfcn_outside_plan(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> m1_unknown_operator(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> s1_signal_outlier(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> s2_transient(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> s3_location_outlier(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> s4_transmitter_moved(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> p2_paging_burst(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> f2_frame_timing(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> m2_lone_plmn(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> m3_plmn_not_in_operator_list(const CellObservation&, const ScoringContext&, double weight);
// LTE only (System Information from SIB1..SIB7, src/lte/lte_rrc_json.cpp).
std::vector<Reason> l1_downgrade_lure(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> l2_incomplete_sibs(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> l3_empty_lte_neighbours(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> l4_band_indicator(const CellObservation&, const ScoringContext&, double weight);
std::vector<Reason> l5_capture_thresholds(const CellObservation&, const ScoringContext&, double weight);
// NR only (the MIB, src/nr/mib.cpp).
std::vector<Reason> n1_nr_mib_changed(const CellObservation&, const ScoringContext&, double weight);
// Band rules (Rule::band_scope): judge a band observation (band_observation) of the sweep's power census.
std::vector<Reason> j1_lte_jamming(const CellObservation&, const ScoringContext&, double weight);

}  // namespace tw::rules
