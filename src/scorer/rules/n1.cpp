// N1: the MIB of a known NR cell changed. The baseline learned the PCI at this GSCN (seen at least
// kMinObservations times) with the MIB fields it broadcast (TS 38.331 6.2.2: subCarrierSpacingCommon,
// ssb-SubcarrierOffset, dmrs-TypeA-Position, pdcch-ConfigSIB1, cellBarred, intraFreqReselection; and k_SSB,
// 38.213 4.1, with the PBCH payload's MSB); the cell now broadcasts a value of one of them that was never seen.
// A gNodeB keeps these with its configuration: pdcch-ConfigSIB1 places CORESET#0 and the type0-PDCCH search
// space (38.213 13), k_SSB the SSB against the carrier's common resource blocks. A fake gNodeB cloning a
// known PCI/GSCN from another stack's configuration differs in some of them; evidence names each changed field
// with the values learned. Silent without a baseline, without a decoded MIB, or for fields never learned.
#include <set>

#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr std::int64_t kMinObservations = 2;

// The record's MIB fields (src/nr/mib.cpp to_json) compared, with their TS 38.331 names; "k_ssb" is the
// record's top-level field (learned as "k_ssb"), the others are learned as "mib.<field>".
struct Field {
  const char* key;
  const char* spec_name;
};
constexpr Field kFields[] = {
    {"scs_common_khz", "subCarrierSpacingCommon"},
    {"ssb_subcarrier_offset", "ssb-SubcarrierOffset"},
    {"k_ssb", "k_SSB"},
    {"dmrs_type_a_position", "dmrs-TypeA-Position"},
    {"pdcch_config_sib1", "pdcch-ConfigSIB1"},
    {"cell_barred", "cellBarred"},
    {"intra_freq_reselection", "intraFreqReselection"},
};
// pdcch-ConfigSIB1's two parts (38.331 PDCCH-ConfigSIB1; 38.213 13 tables 13-1..13-10 and 13-11..13-15).
constexpr Field kPdcchParts[] = {
    {"control_resource_set_zero", "controlResourceSetZero"},
    {"search_space_zero", "searchSpaceZero"},
};

bool contains(const nlohmann::json& seen, const nlohmann::json& v) {
  for (const auto& s : seen)
    if (s == v) return true;
  return false;
}
std::string show(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }
}  // namespace

std::vector<Reason> n1_nr_mib_changed(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!ctx.baseline || cell.rat != "NR" || cell.arfcn < 0 || !cell.params.is_object()) return {};
  const auto pci = scorer::nr_pci(cell);
  if (!pci || !cell.params.contains("mib") || !cell.params["mib"].is_object()) return {};
  const nlohmann::json& mib = cell.params["mib"];
  for (const auto& k : ctx.baseline->learned_cells_of("NR", cell.arfcn)) {
    if (!k.pci || *k.pci != *pci || k.n_observations < kMinObservations || !k.params_seen.is_object()) continue;
    nlohmann::json changed = nlohmann::json::array();
    std::string what;
    auto report = [&](const std::string& field, const char* spec_name, const nlohmann::json& now,
                      const nlohmann::json& seen) {
      changed.push_back({{"field", field}, {"now", now}, {"learned", seen}});
      std::string learned;
      for (const auto& s : seen) {
        if (!learned.empty()) learned += '/';
        learned += show(s);
      }
      if (!what.empty()) what += ", ";
      what += spec_name;
      what += ' ';
      what += show(now);
      what += " (learned " + learned + ")";
    };
    for (const auto& f : kFields) {
      const std::string key = f.key;
      const bool top = key == "k_ssb";
      const nlohmann::json* now = top ? (cell.params.contains(key) ? &cell.params[key] : nullptr)
                                      : (mib.contains(key) ? &mib[key] : nullptr);
      const std::string learned_key = top ? key : "mib." + key;
      if (!now || now->is_null() || !k.params_seen.contains(learned_key) || !k.params_seen[learned_key].is_array())
        continue;
      nlohmann::json seen = nlohmann::json::array();
      for (const auto& v : k.params_seen[learned_key])
        if (!v.is_null()) seen.push_back(v);
      if (seen.empty() || contains(seen, *now)) continue;
      // pdcch-ConfigSIB1: name the part(s) whose value was never learned; the pair as a whole otherwise.
      bool part_named = false;
      if (now->is_object())
        for (const auto& p : kPdcchParts) {
          if (!now->contains(p.key)) continue;
          nlohmann::json part_seen = nlohmann::json::array();
          for (const auto& s : seen)
            if (s.is_object() && s.contains(p.key) && !contains(part_seen, s[p.key])) part_seen.push_back(s[p.key]);
          if (part_seen.empty() || contains(part_seen, (*now)[p.key])) continue;
          report(key + "." + p.key, p.spec_name, (*now)[p.key], part_seen);
          part_named = true;
        }
      if (!part_named) report(key, f.spec_name, *now, seen);
    }
    if (changed.empty()) return {};
    return {scorer::make_reason(
        weight,
        "NR PCI " + std::to_string(*pci) + " at GSCN " + std::to_string(cell.arfcn) + " (learned over " +
            std::to_string(k.n_observations) + " observations) now broadcasts a MIB with " + what,
        {{"rat", "NR"}, {"gscn", cell.arfcn}, {"pci", *pci}, {"observations", k.n_observations}, {"changed", changed}})};
  }
  return {};
}

}  // namespace tw::rules
