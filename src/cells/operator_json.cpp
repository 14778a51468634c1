#include "src/cells/operator_json.hpp"

#include "src/cells/operator_names.hpp"

namespace tw::cells {

void add_operator_name(nlohmann::json& r) {
  if (!r.is_object() || !r.contains("mcc") || !r.contains("mnc")) return;
  const auto& mcc = r["mcc"];
  const auto& mnc = r["mnc"];
  if (!mcc.is_number_integer() || !mnc.is_string()) {
    if (mcc.is_null() || mnc.is_null()) r["operator"] = nullptr;
    return;
  }
  const long long m = mcc.get<long long>();
  std::optional<OperatorName> op;
  if (m >= 0 && m <= 999) op = lookup_operator(static_cast<int>(m), mnc.get<std::string>());
  r["operator"] = op ? nlohmann::json(op->name) : nlohmann::json(nullptr);
}

std::string operator_label_of(const nlohmann::json& r) {
  if (!r.is_object() || !r.contains("mcc") || !r["mcc"].is_number_integer() || !r.contains("mnc") || !r["mnc"].is_string())
    return "-";
  const long long m = r["mcc"].get<long long>();
  if (m < 0 || m > 999) return "-";
  return operator_label(static_cast<int>(m), r["mnc"].get<std::string>());
}

}  // namespace tw::cells
