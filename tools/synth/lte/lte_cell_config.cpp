#include "tools/synth/lte/lte_cell_config.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "src/core/error.hpp"
#include "src/core/lte_bands.hpp"

namespace tw::synth::lte {

// The band table is TS 36.101 table 5.7.3-1 / 5.5-1 as held by src/core/lte_bands (one table for the
// project); these wrappers give it the synthesizer's error convention.
int band_of_earfcn(int earfcn) { return tw::lte_band_of_earfcn(earfcn).value_or(0); }

bool band_is_tdd(int band) {
  const tw::LteBand* b = tw::lte_band(band);
  return b != nullptr && b->duplex == tw::LteDuplex::tdd;
}

double earfcn_downlink_hz(int earfcn, int band) {
  if (band == 0) band = band_of_earfcn(earfcn);
  const tw::LteBand* b = tw::lte_band(band);
  if (!b) throw InputError("EARFCN " + std::to_string(earfcn) + ": no known E-UTRA band (36.101 table 5.7.3-1) holds it");
  const auto f = tw::lte_downlink_hz(earfcn, band);
  if (!f)
    throw InputError("EARFCN " + std::to_string(earfcn) + " is not a downlink EARFCN of band " + std::to_string(band) + " (" +
                     std::to_string(b->n_offs_dl) + ".." + std::to_string(b->n_dl_max) + ")");
  return *f;
}

double carrier_hz(const LteCellConfig& cell) {
  if (cell.freq_hz > 0.0) return cell.freq_hz;
  return earfcn_downlink_hz(cell.earfcn, cell.band);
}

bool valid_bandwidth_prb(int n_prb) {
  return n_prb == 6 || n_prb == 15 || n_prb == 25 || n_prb == 50 || n_prb == 75 || n_prb == 100;
}

int fft_size_for_prb(int n_prb) {
  switch (n_prb) {
    case 6: return 128;
    case 15: return 256;
    case 25: return 512;
    case 50: return 1024;
    case 75: return 1536;
    case 100: return 2048;
    default: throw InputError("bandwidth_prb: " + std::to_string(n_prb) + " is not 6, 15, 25, 50, 75 or 100");
  }
}

char subframe_type(const LteCellConfig& cell, int subframe) {
  if (cell.duplex == Duplex::FDD) return 'D';
  // 36.211 table 4.2-2: uplink-downlink configurations 0..6.
  static const char* const kConfigs[7] = {"DSUUUDSUUU", "DSUUDDSUUD", "DSUDDDSUDD", "DSUUUDDDDD",
                                          "DSUUDDDDDD", "DSUDDDDDDD", "DSUUUDSUUD"};
  if (cell.tdd_config < 0 || cell.tdd_config > 6) throw InputError("tdd_config: " + std::to_string(cell.tdd_config) + " is outside 0..6");
  if (subframe < 0 || subframe > 9) throw std::out_of_range("subframe");
  return kConfigs[cell.tdd_config][subframe];
}

int dwpts_symbols(bool normal_cp, int ssc) {
  // 36.211 table 4.2-1, DwPTS in Ts: normal CP 6592, 19760, 21952, 24144, 26336, 6592, 19760, 21952, 24144,
  // 13168 (config 9) = 3, 9, 10, 11, 12, 3, 9, 10, 11, 6 symbols of 2192 Ts (the first one 2208);
  // extended CP 7680, 20480, 23040, 25600, 7680, 20480, 23040, 12800 = 3, 8, 9, 10, 3, 8, 9, 5 of 2560 Ts.
  static constexpr int kNormal[10] = {3, 9, 10, 11, 12, 3, 9, 10, 11, 6};
  static constexpr int kExtended[8] = {3, 8, 9, 10, 3, 8, 9, 5};
  if (normal_cp) {
    if (ssc < 0 || ssc > 9) throw InputError("special_subframe_config: " + std::to_string(ssc) + " is outside 0..9");
    return kNormal[ssc];
  }
  if (ssc < 0 || ssc > 7) throw InputError("special_subframe_config: " + std::to_string(ssc) + " is outside 0..7 (extended CP)");
  return kExtended[ssc];
}

int downlink_symbols(const LteCellConfig& cell, int subframe) {
  switch (subframe_type(cell, subframe)) {
    case 'D': return cell.normal_cp ? 14 : 12;
    case 'S': return dwpts_symbols(cell.normal_cp, cell.special_subframe_config);
    default: return 0;
  }
}

int control_symbols(const LteCellConfig& cell, int subframe) {
  int n = cell.cfi + (cell.bandwidth_prb <= 10 ? 1 : 0);
  if (cell.duplex == Duplex::TDD && (subframe == 1 || subframe == 6)) n = std::min(n, 2);
  return std::min(n, downlink_symbols(cell, subframe));
}

std::vector<PathSpec> lte_multipath_profile(std::string_view name) {
  if (name == "none" || name == "tu") return multipath_profile(name);
  // 36.101 annex B.2.1: excess tap delay (ns), relative power (dB).
  if (name == "epa")
    return {{0e-9, 0.0}, {30e-9, -1.0}, {70e-9, -2.0}, {90e-9, -3.0}, {110e-9, -8.0}, {190e-9, -17.2}, {410e-9, -20.8}};
  if (name == "eva")
    return {{0e-9, 0.0},    {30e-9, -1.5},   {150e-9, -1.4},   {310e-9, -3.6},  {370e-9, -0.6},
            {710e-9, -9.1}, {1090e-9, -7.0}, {1730e-9, -12.0}, {2510e-9, -16.9}};
  if (name == "etu")
    return {{0e-9, -1.0},   {50e-9, -1.0},   {120e-9, -1.0},   {200e-9, 0.0},  {230e-9, 0.0},
            {500e-9, 0.0},  {1600e-9, -3.0}, {2300e-9, -5.0},  {5000e-9, -7.0}};
  throw std::invalid_argument("unknown multipath profile (expected none, tu, epa, eva or etu)");
}

bool valid_multipath(std::string_view name) {
  return name == "none" || name == "tu" || name == "epa" || name == "eva" || name == "etu";
}

const char* duplex_name(Duplex d) { return d == Duplex::FDD ? "FDD" : "TDD"; }

}  // namespace tw::synth::lte
