#include "src/scorer/rule_util.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "src/cells/operator_names.hpp"
#include "src/core/error.hpp"
#include "src/core/gsm_bands.hpp"

namespace tw::scorer {

bool same_operator(const CellObservation& a, const CellObservation& b) {
  return a.rat == b.rat && a.mcc && b.mcc && a.mnc && b.mnc && *a.mcc == *b.mcc && *a.mnc == *b.mnc;
}

std::vector<const CellObservation*> same_operator_others(const CellObservation& cell, const SweepObservations& sweep) {
  std::vector<const CellObservation*> out;
  for (const auto& o : sweep.cells)
    if (&o != &cell && same_operator(cell, o)) out.push_back(&o);
  return out;
}

bool saw_si(const CellObservation& cell, std::string_view si) {
  return std::find(cell.si_seen.begin(), cell.si_seen.end(), si) != cell.si_seen.end();
}

std::optional<long long> int_param(const CellObservation& cell, const char* key) {
  if (!cell.params.is_object() || !cell.params.contains(key) || cell.params[key].is_null()) return std::nullopt;
  const auto& v = cell.params[key];
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (!v.is_number_integer() && !v.is_number_unsigned())
    throw InputError(std::string("cell record: field '") + key + "' is not an integer");
  return v.get<long long>();
}

std::optional<std::vector<int>> neighbour_list(const CellObservation& cell) {
  if (!saw_si(cell, "SI2") || !cell.params.is_object() || !cell.params.contains("neighbors")) return std::nullopt;
  const auto& n = cell.params["neighbors"];
  if (!n.is_array()) throw InputError("cell record: field 'neighbors' is not an array");
  std::vector<int> out;
  out.reserve(n.size());
  for (const auto& a : n) {
    if (!a.is_number_integer() && !a.is_number_unsigned())
      throw InputError("cell record: field 'neighbors' holds a non-integer ARFCN");
    const long long v = a.get<long long>();
    if (v < 0 || v > 1023) throw InputError("cell record: field 'neighbors' holds ARFCN " + std::to_string(v) +
                                            " outside 0..1023");
    out.push_back(static_cast<int>(v));
  }
  return out;
}

const nlohmann::json* object_param(const CellObservation& cell, const char* key) {
  if (!cell.params.is_object() || !cell.params.contains(key) || cell.params[key].is_null()) return nullptr;
  const auto& v = cell.params[key];
  if (!v.is_object()) throw InputError(std::string("cell record: field '") + key + "' is not an object");
  return &v;
}

std::optional<long long> int_member(const nlohmann::json& obj, const char* key, long long lo, long long hi,
                                    const std::string& where) {
  if (!obj.is_object() || !obj.contains(key) || obj[key].is_null()) return std::nullopt;
  const auto& v = obj[key];
  const std::string name = "cell record: field '" + where + "." + key + "'";
  if (!v.is_number_integer() && !v.is_number_unsigned()) throw InputError(name + " is not an integer");
  const long long x = v.get<long long>();
  if (x < lo || x > hi)
    throw InputError(name + " = " + std::to_string(x) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
  return x;
}

std::optional<std::vector<std::vector<std::string>>> lte_schedule(const CellObservation& cell) {
  if (cell.rat != "LTE" || !cell.params.is_object() || !cell.params.contains("scheduling") ||
      cell.params["scheduling"].is_null())
    return std::nullopt;
  const auto& a = cell.params["scheduling"];
  // TS 36.331 SchedulingInfoList: 1..maxSI-Message (32) entries, each with at most maxSIB-1 (31) SIBs.
  if (!a.is_array() || a.size() > 32) throw InputError("cell record: field 'scheduling' is not an array of at most 32 SI messages");
  std::vector<std::vector<std::string>> out;
  for (const auto& si : a) {
    if (!si.is_object() || !si.contains("sibs") || !si["sibs"].is_array() || si["sibs"].size() > 32)
      throw InputError("cell record: field 'scheduling' holds an SI message without a 'sibs' array");
    std::vector<std::string> sibs;
    for (const auto& name : si["sibs"]) {
      if (!name.is_string()) throw InputError("cell record: field 'scheduling[].sibs' holds a non-string");
      sibs.push_back(name.get<std::string>());
    }
    out.push_back(std::move(sibs));
  }
  return out;
}

bool lte_scheduled(const std::vector<std::vector<std::string>>& schedule, std::string_view sib) {
  for (const auto& si : schedule)
    if (std::find(si.begin(), si.end(), sib) != si.end()) return true;
  return false;
}

std::optional<int> lte_pci(const CellObservation& cell) {
  if (cell.rat != "LTE" || !cell.params.is_object()) return std::nullopt;
  const auto v = int_member(cell.params, "pci", 0, 503, "cell");
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

std::optional<int> nr_pci(const CellObservation& cell) {
  if (cell.rat != "NR" || !cell.params.is_object()) return std::nullopt;
  const auto v = int_member(cell.params, "pci", 0, 1007, "cell");
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

std::set<std::pair<int, std::string>> cell_plmns(const CellObservation& c) {
  std::set<std::pair<int, std::string>> out;
  if (c.mcc && c.mnc) out.insert({*c.mcc, *c.mnc});
  if (c.rat == "LTE" && c.params.is_object() && c.params.contains("plmns") && c.params["plmns"].is_array() &&
      c.params["plmns"].size() <= 6)
    for (const auto& p : c.params["plmns"])
      if (p.is_object() && p.contains("mcc") && p["mcc"].is_number_integer() && p.contains("mnc") && p["mnc"].is_string())
        out.insert({p["mcc"].get<int>(), p["mnc"].get<std::string>()});
  return out;
}

bool in_railway_band(const CellObservation& c) {
  return c.rat == "GSM" && gsm_downlink_hz(c.arfcn, GsmBandId::rgsm900) && !gsm_downlink_hz(c.arfcn, GsmBandId::egsm900);
}

namespace {
int mnc_number(const std::string& mnc) {
  if (mnc.empty() || mnc.size() > 3) return -1;
  int v = 0;
  for (char ch : mnc) {
    if (ch < '0' || ch > '9') return -1;
    v = v * 10 + (ch - '0');
  }
  return v;
}
}  // namespace

bool baseline_has_operator(const std::vector<std::pair<int, std::string>>& operators, int mcc, const std::string& mnc) {
  for (const auto& [m, n] : operators)
    if (m == mcc && (n == mnc || (mnc_number(n) >= 0 && mnc_number(n) == mnc_number(mnc)))) return true;
  return false;
}

std::string describe(const CellObservation& c) {
  std::string s;
  auto add = [&s](const char* sep, const char* label, int value) {
    if (!s.empty()) s.append(sep);
    s.append(label);
    s.append(std::to_string(value));
  };
  if (c.mcc && c.mnc) {
    s.append(std::to_string(*c.mcc));
    s.push_back('-');
    s.append(*c.mnc);
    s.append(" (" + cells::operator_label(*c.mcc, *c.mnc) + ")");
  }
  const bool lte = c.rat == "LTE";
  if (c.lac) add(" ", lte ? "TAC " : "LAC ", *c.lac);
  if (c.ci) add(" ", lte ? "ECI " : "CI ", *c.ci);
  if (c.arfcn >= 0) add(" on ", lte ? "EARFCN " : "ARFCN ", c.arfcn);
  if (lte && c.params.is_object() && c.params.contains("pci") && c.params["pci"].is_number_integer())
    add(" ", "PCI ", c.params["pci"].get<int>());
  return s.empty() ? std::string("unidentified cell") : s;
}

Reason make_reason(double weight, std::string detail, nlohmann::json evidence) {
  Reason r;
  r.weight = weight;
  r.detail = std::move(detail);
  r.evidence = std::move(evidence);
  return r;
}

std::optional<double> median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  const std::size_t n = v.size();
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2), v.end());
  const double hi = v[n / 2];
  if (n % 2) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2));
  return 0.5 * (lo + hi);
}

double mad(const std::vector<double>& values, double centre) {
  std::vector<double> d;
  d.reserve(values.size());
  for (double x : values) d.push_back(std::fabs(x - centre));
  return median(std::move(d)).value_or(0.0);
}

std::string fixed1(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

}  // namespace tw::scorer
