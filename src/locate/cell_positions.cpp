#include "src/locate/cell_positions.hpp"

#include <cmath>

namespace tw::locate {

namespace {
std::string key_of(const std::string& rat, int arfcn, std::optional<int> phys) {
  return rat + ":" + std::to_string(arfcn) + ":" + (phys ? std::to_string(*phys) : std::string("?"));
}
std::optional<int> pci_of(const nlohmann::json& r) {
  if (r.is_object() && r.contains("pci") && r["pci"].is_number_integer()) return r["pci"].get<int>();
  return std::nullopt;
}
double round_to(double v, double step) { return std::round(v / step) * step; }
}  // namespace

std::string transmitter_key(const CellObservation& o) {
  return key_of(o.rat, o.arfcn, o.rat == "LTE" ? pci_of(o.params) : o.bsic);
}

std::string transmitter_key(const nlohmann::json& r) {
  const std::string rat = r.value("rat", "GSM");
  const char* ch = rat == "LTE" ? "earfcn" : "arfcn";
  const int arfcn = r.contains(ch) && r[ch].is_number_integer() ? r[ch].get<int>() : -1;
  std::optional<int> phys;
  if (rat == "LTE")
    phys = pci_of(r);
  else if (r.contains("bsic") && r["bsic"].is_number_integer())
    phys = r["bsic"].get<int>();
  return key_of(rat, arfcn, phys);
}

std::map<std::string, PositionEstimate> estimate_positions(std::span<const CellObservation> observations,
                                                           const CellPositionOptions& options) {
  std::map<std::string, std::vector<const CellObservation*>> groups;
  for (const auto& o : observations)
    if (o.lat && o.lon) groups[transmitter_key(o)].push_back(&o);
  std::map<std::string, PositionEstimate> out;
  for (const auto& [key, obs] : groups) {
    if (static_cast<int>(obs.size()) < options.min_points) continue;
    bool all_dbm = true;
    for (const auto* o : obs) all_dbm = all_dbm && o->power_dbm.has_value();
    std::vector<PowerSample> samples;
    for (const auto* o : obs) {
      PowerSample s;
      s.lat = *o->lat;
      s.lon = *o->lon;
      s.power_db = all_dbm ? *o->power_dbm : (o->power_dbfs > -199.0 ? o->power_dbfs : std::nan(""));
      const auto& p = o->params;
      s.accuracy_m = p.is_object() && p.contains("position_accuracy_m") && p["position_accuracy_m"].is_number()
                         ? p["position_accuracy_m"].get<double>()
                         : std::nan("");
      samples.push_back(s);
    }
    auto e = locate_transmitter(samples, options.locate);
    if (e && e->points >= options.min_points) out.emplace(key, *e);
  }
  return out;
}

nlohmann::json to_json(const PositionEstimate& e) {
  nlohmann::json j{{"lat", round_to(e.lat, 1e-6)},
                   {"lon", round_to(e.lon, 1e-6)},
                   {"radius_m", std::round(e.radius_m)},
                   {"points", e.points},
                   {"places", e.places},
                   {"method", e.method}};
  if (!e.reason.empty()) j["reason"] = e.reason;
  if (e.method == "path_loss_fit") {
    j["path_loss_exponent"] = round_to(e.exponent, 0.01);
    j["p0_db"] = round_to(e.p0_db, 0.1);
    j["residual_db"] = round_to(e.residual_db, 0.1);
  }
  return j;
}

std::size_t attach_position_estimates(std::vector<nlohmann::json>& records,
                                      const std::map<std::string, PositionEstimate>& estimates) {
  std::size_t n = 0;
  for (auto& r : records) {
    if (!r.is_object()) continue;
    const auto it = estimates.find(transmitter_key(r));
    if (it == estimates.end()) continue;
    r["position_estimate"] = to_json(it->second);
    ++n;
  }
  return n;
}

}  // namespace tw::locate
