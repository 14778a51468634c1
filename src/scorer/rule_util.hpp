// Helpers shared by the rules: same-operator neighbours, typed access to a cell record's parameters.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/scorer/rule.hpp"

namespace tw::scorer {

// Both cells carry MCC and MNC, of the same RAT, and they are equal.
bool same_operator(const CellObservation& a, const CellObservation& b);
// Every other cell of the sweep (not `cell` itself, compared by address) of the same operator.
std::vector<const CellObservation*> same_operator_others(const CellObservation& cell, const SweepObservations& sweep);

bool saw_si(const CellObservation& cell, std::string_view si);   // "SI2" in si_seen
// An integer parameter of the record; nullopt when absent or null. A non-integer value is a tw::InputError
// naming the field.
std::optional<long long> int_param(const CellObservation& cell, const char* key);
// The BA list (SI2 + SI2bis + SI2ter, "neighbors") when SI2 was decoded; nullopt otherwise. Bad entries
// are a tw::InputError.
std::optional<std::vector<int>> neighbour_list(const CellObservation& cell);

// LTE records (src/lte/lte_rrc_json.cpp): typed access to the decoded System Information. Absent or null
// is nullopt / nullptr; a value of the wrong JSON type or outside its ASN.1 range is a tw::InputError naming
// the field ("sib5.carriers[1].priority").
// An object parameter ("sib3"); nullptr when absent or null.
const nlohmann::json* object_param(const CellObservation& cell, const char* key);
// An integer member of `obj` within lo..hi; `where` names obj in errors.
std::optional<long long> int_member(const nlohmann::json& obj, const char* key, long long lo, long long hi,
                                    const std::string& where);
// SIB1's schedule ("scheduling": [{"si":1,"periodicity_rf":8,"sibs":["SIB2","SIB3"]},...]): the SIB names of
// each SI message; nullopt when SIB1 was not decoded.
std::optional<std::vector<std::vector<std::string>>> lte_schedule(const CellObservation& cell);
// True when `sib` ("SIB4") is in some SI message of the schedule.
bool lte_scheduled(const std::vector<std::vector<std::string>>& schedule, std::string_view sib);
// The physical cell id of an LTE record (0..503, TS 36.211 6.11); nullopt when absent.
std::optional<int> lte_pci(const CellObservation& cell);
// The physical cell id of an NR record (0..1007, TS 38.211 7.4.2.1); nullopt when absent.
std::optional<int> nr_pci(const CellObservation& cell);

// Every PLMN (MCC, MNC) the cell broadcasts: its MCC/MNC and, for LTE, SIB1's PLMN-IdentityList (at most
// maxPLMN-r11 = 6 entries, TS 36.331 6.2.2; a longer or malformed list is ignored).
std::set<std::pair<int, std::string>> cell_plmns(const CellObservation& cell);
// A GSM cell in the R-GSM band proper (ARFCN 955..974, TS 45.005 clause 2: not in P-/E-GSM): GSM-R, the
// railways' own PLMN along the tracks.
bool in_railway_band(const CellObservation& cell);
// The baseline's operators hold this PLMN; the MNC compared as text and by value (OpenCellID keeps it as a
// number: "07" and "007" are one operator there).
bool baseline_has_operator(const std::vector<std::pair<int, std::string>>& operators, int mcc, const std::string& mnc);

// "262-01 (T-Mobile(Telekom)) LAC 1234 CI 10011 on ARFCN 58" (whatever is known; the operator's name from
// src/cells/operator_names.hpp).
std::string describe(const CellObservation& cell);
Reason make_reason(double weight, std::string detail, nlohmann::json evidence);

// Robust statistics: the median of the values (nullopt when empty) and the median absolute deviation from
// it; sigma = 1.4826 x MAD estimates a normal standard deviation.
std::optional<double> median(std::vector<double> values);
double mad(const std::vector<double>& values, double centre);
// "%.1f" of a value, for details.
std::string fixed1(double v);

}  // namespace tw::scorer
