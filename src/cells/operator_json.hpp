// The operator name in a cell record (src/cells/operator_names.hpp): "operator": "<name>" beside "mcc"/"mnc",
// null when the list does not know the PLMN (or has not loaded). Records without an MCC/MNC are left alone.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace tw::cells {

void add_operator_name(nlohmann::json& record);
// For text tables: the operator_label() of the record's PLMN ("T-Mobile(Telekom)", "unknown operator",
// "test network (E.212 MCC 001)"), "-" when the record has no MCC/MNC.
std::string operator_label_of(const nlohmann::json& record);

}  // namespace tw::cells
