#include "tools/synth/nr/nr_cell_config.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/nr/nr_bands.hpp"
#include "src/core/error.hpp"

namespace tw::synth::nr {

namespace dn = tw::dsp::nr;

NrCellConfig resolve_nr_cell(const NrCellConfig& in) {
  NrCellConfig c = in;
  if (c.ss_ref_hz <= 0.0) {
    const auto f = dn::gscn_to_hz(c.gscn);
    if (!f) throw InputError("gscn: " + std::to_string(c.gscn) + " is not a GSCN (38.104 table 5.4.3.1-1)");
    c.ss_ref_hz = *f;
  } else {
    c.gscn = dn::hz_to_gscn(c.ss_ref_hz, 1.0).value_or(-1);
  }
  const dn::NrSyncRaster* raster = nullptr;
  const dn::NrBand* band = nullptr;
  for (const auto& b : dn::nr_bands()) {
    if (c.band != 0 && b.band != c.band) continue;
    for (const auto& r : b.rasters) {
      if (c.scs_khz != 0 && r.scs_khz != c.scs_khz) continue;
      const bool on = c.gscn >= r.gscn_first && c.gscn <= r.gscn_last && (c.gscn - r.gscn_first) % r.gscn_step == 0;
      if (on || (c.band != 0 && c.gscn < 0)) {
        raster = &r;
        band = &b;
        break;
      }
    }
    if (raster) break;
  }
  if (!raster && c.band != 0) throw InputError("band: n" + std::to_string(c.band) + " has no synchronization raster holding this SSB");
  if (c.band == 0 && band) c.band = band->band;
  if (c.scs_khz == 0) c.scs_khz = raster ? raster->scs_khz : 15;
  if (c.scs_khz != 15 && c.scs_khz != 30) throw InputError("scs_khz: " + std::to_string(c.scs_khz) + " (FR1 SSB: 15 or 30)");
  if (c.ssb_case.empty()) c.ssb_case = raster ? dn::ssb_case_name(raster->ssb_case) : (c.scs_khz == 15 ? "A" : "C");
  if (c.ssb_case != "A" && c.ssb_case != "B" && c.ssb_case != "C") throw InputError("ssb_case: " + c.ssb_case + " (A, B or C)");
  if ((c.ssb_case == "A") != (c.scs_khz == 15)) throw InputError("ssb_case: case " + c.ssb_case + " does not go with " + std::to_string(c.scs_khz) + " kHz");
  if (c.l_max == 0) c.l_max = dn::ssb_l_max(c.ssb_case == "A" ? dn::SsbCase::A : c.ssb_case == "B" ? dn::SsbCase::B : dn::SsbCase::C,
                                            c.ss_ref_hz, band ? band->tdd : false);
  if (c.l_max != 4 && c.l_max != 8) throw InputError("l_max: " + std::to_string(c.l_max) + " (FR1: 4 or 8)");
  if (c.pci < 0 || c.pci > 1007) throw InputError("pci: " + std::to_string(c.pci) + " is out of range 0..1007");
  if (c.ssb_indices.empty()) throw InputError("ssb_indices: at least one SSB");
  for (int i : c.ssb_indices)
    if (i < 0 || i >= c.l_max) throw InputError("ssb_indices: " + std::to_string(i) + " is out of range 0.." + std::to_string(c.l_max - 1));
  const int periods[] = {5, 10, 20, 40, 80, 160};
  if (std::find(std::begin(periods), std::end(periods), c.ssb_period_ms) == std::end(periods))
    throw InputError("ssb_period_ms: " + std::to_string(c.ssb_period_ms) + " (5, 10, 20, 40, 80 or 160)");
  if (c.first_sfn < 0 || c.first_sfn > 1023) throw InputError("first_sfn: " + std::to_string(c.first_sfn) + " is out of range 0..1023");
  if (c.scs_common_khz != 15 && c.scs_common_khz != 30) throw InputError("scs_common_khz: 15 or 30 (FR1)");
  if (c.ssb_subcarrier_offset < 0 || c.ssb_subcarrier_offset > 15) throw InputError("ssb_subcarrier_offset: 0..15");
  if (c.k_ssb_msb < 0 || c.k_ssb_msb > 1) throw InputError("k_ssb_msb: 0 or 1");
  if (c.dmrs_type_a_position != 2 && c.dmrs_type_a_position != 3) throw InputError("dmrs_type_a_position: 2 or 3");
  if (c.coreset_zero < 0 || c.coreset_zero > 15) throw InputError("coreset_zero: 0..15");
  if (c.search_space_zero < 0 || c.search_space_zero > 15) throw InputError("search_space_zero: 0..15");
  if (c.multipath != "none" && c.multipath != "epa" && c.multipath != "eva" && c.multipath != "etu")
    throw InputError("multipath: " + c.multipath + " (none, epa, eva, etu)");
  if (!std::isfinite(c.power_dbfs) || c.power_dbfs > 20) throw InputError("power_dbfs: must be a number <= 20");
  return c;
}

double nr_ss_ref_hz(const NrCellConfig& c) { return c.ss_ref_hz > 0 ? c.ss_ref_hz : dn::gscn_to_hz(c.gscn).value_or(0.0); }

std::uint32_t nr_mib_bits(const NrCellConfig& c, int sfn) {
  std::uint32_t v = 0;
  auto put = [&](std::uint32_t value, int bits) { v = (v << bits) | (value & ((1u << bits) - 1)); };
  put(0, 1);                                         // BCCH-BCH-Message: c1 choice mib
  put(static_cast<std::uint32_t>(sfn) >> 4, 6);      // systemFrameNumber: the 6 MSBs
  put(c.scs_common_khz == 30 ? 1 : 0, 1);            // subCarrierSpacingCommon scs15or60 | scs30or120
  put(static_cast<std::uint32_t>(c.ssb_subcarrier_offset), 4);
  put(c.dmrs_type_a_position == 3 ? 1 : 0, 1);       // pos2 | pos3
  put(static_cast<std::uint32_t>(c.coreset_zero), 4);
  put(static_cast<std::uint32_t>(c.search_space_zero), 4);
  put(c.cell_barred ? 0 : 1, 1);                     // barred | notBarred
  put(c.intra_freq_reselection_allowed ? 0 : 1, 1);  // allowed | notAllowed
  put(0, 1);                                         // spare
  return v;
}

namespace {
template <class T>
T get(const nlohmann::json& v, const std::string& path, const char* key) {
  try {
    return v.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw InputError(path + "." + key + ": wrong type");
  }
}
}  // namespace

NrCellConfig parse_nr_cell(const nlohmann::json& v, const std::string& path) {
  if (!v.is_object()) throw InputError(path + ": must be an object");
  NrCellConfig c;
  for (const auto& [key, val] : v.items()) {
    const char* k = key.c_str();
    if (key == "name") c.name = get<std::string>(v, path, k);
    else if (key == "gscn") c.gscn = get<int>(v, path, k);
    else if (key == "ss_ref_hz") c.ss_ref_hz = get<double>(v, path, k);
    else if (key == "band") c.band = get<int>(v, path, k);
    else if (key == "scs_khz") c.scs_khz = get<int>(v, path, k);
    else if (key == "ssb_case") c.ssb_case = get<std::string>(v, path, k);
    else if (key == "l_max") c.l_max = get<int>(v, path, k);
    else if (key == "pci") c.pci = get<int>(v, path, k);
    else if (key == "ssb_indices") c.ssb_indices = get<std::vector<int>>(v, path, k);
    else if (key == "ssb_period_ms") c.ssb_period_ms = get<int>(v, path, k);
    else if (key == "first_sfn") { c.first_sfn = get<int>(v, path, k); c.first_sfn_set = true; }
    else if (key == "scs_common_khz") c.scs_common_khz = get<int>(v, path, k);
    else if (key == "ssb_subcarrier_offset") c.ssb_subcarrier_offset = get<int>(v, path, k);
    else if (key == "k_ssb_msb") c.k_ssb_msb = get<int>(v, path, k);
    else if (key == "dmrs_type_a_position") c.dmrs_type_a_position = get<int>(v, path, k);
    else if (key == "coreset_zero") c.coreset_zero = get<int>(v, path, k);
    else if (key == "search_space_zero") c.search_space_zero = get<int>(v, path, k);
    else if (key == "cell_barred") c.cell_barred = get<bool>(v, path, k);
    else if (key == "intra_freq_reselection_allowed") c.intra_freq_reselection_allowed = get<bool>(v, path, k);
    else if (key == "power_dbfs") c.power_dbfs = get<double>(v, path, k);
    else if (key == "freq_offset_hz") c.freq_offset_hz = get<double>(v, path, k);
    else if (key == "delay_us") c.delay_us = get<double>(v, path, k);
    else if (key == "multipath") c.multipath = get<std::string>(v, path, k);
    else if (key == "on_s") c.on_s = get<double>(v, path, k);
    else if (key == "off_s") c.off_s = get<double>(v, path, k);
    else throw InputError(path + "." + key + ": unknown key");
  }
  try {
    return resolve_nr_cell(c);
  } catch (const InputError& e) {
    throw InputError(path + "." + e.what());
  }
}

nlohmann::json nr_cell_to_json(const NrCellConfig& c, bool with_frequency) {
  nlohmann::json j = {{"name", c.name}, {"gscn", c.gscn}, {"band", c.band}, {"scs_khz", c.scs_khz},
                      {"ssb_case", c.ssb_case}, {"l_max", c.l_max}, {"pci", c.pci}, {"ssb_indices", c.ssb_indices},
                      {"ssb_period_ms", c.ssb_period_ms}, {"first_sfn", c.first_sfn},
                      {"scs_common_khz", c.scs_common_khz}, {"ssb_subcarrier_offset", c.ssb_subcarrier_offset},
                      {"k_ssb_msb", c.k_ssb_msb}, {"dmrs_type_a_position", c.dmrs_type_a_position},
                      {"coreset_zero", c.coreset_zero}, {"search_space_zero", c.search_space_zero},
                      {"cell_barred", c.cell_barred}, {"intra_freq_reselection_allowed", c.intra_freq_reselection_allowed},
                      {"power_dbfs", c.power_dbfs}, {"freq_offset_hz", c.freq_offset_hz}, {"delay_us", c.delay_us},
                      {"multipath", c.multipath}, {"on_s", c.on_s}};
  if (c.gscn < 0) j["ss_ref_hz"] = c.ss_ref_hz;
  if (c.off_s) j["off_s"] = *c.off_s;
  if (with_frequency) {
    j["ss_ref_hz"] = nr_ss_ref_hz(c);
    j["nr_arfcn"] = dn::hz_to_nr_arfcn(nr_ss_ref_hz(c)).value_or(-1);
  }
  return j;
}

}  // namespace tw::synth::nr
