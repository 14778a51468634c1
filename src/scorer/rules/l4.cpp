// L4: freqBandIndicator that does not match the carrier. SIB1's freqBandIndicator (TS 36.331 6.2.2; the
// value 64 defers to freqBandIndicator-v9e0, 65..256) and its multiBandInfoList name the E-UTRA bands the
// cell's carrier belongs to; the downlink carrier (from the EARFCN, TS 36.101 5.7.3 table 5.7.3-1) must lie
// in at least one of them. Operators configure the band with the carrier (phones derive the uplink carrier
// and the emission requirements from it, 36.101 table 5.5-1); an SDR catcher started from a template on
// another frequency broadcasts the template's band. Judged only when every band named is in towerwatch's
// band table (src/core/lte_bands.hpp): an unknown band proves nothing.
#include <algorithm>

#include "src/core/error.hpp"
#include "src/core/lte_bands.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

std::vector<Reason> l4_band_indicator(const CellObservation& cell, const ScoringContext&, double weight) {
  if (cell.rat != "LTE" || !cell.params.is_object()) return {};
  const auto fbi = scorer::int_member(cell.params, "freq_band_indicator", 1, 64, "cell");
  if (!fbi) return {};
  std::vector<int> bands;
  if (*fbi == 64) {
    const auto ext = scorer::int_member(cell.params, "freq_band_indicator_v9e0", 65, 256, "cell");
    if (!ext) return {};   // 64 without the extension: the band is not given
    bands.push_back(static_cast<int>(*ext));
  } else {
    bands.push_back(static_cast<int>(*fbi));
  }
  if (cell.params.contains("multi_band_info") && !cell.params["multi_band_info"].is_null()) {
    const auto& m = cell.params["multi_band_info"];
    // MultiBandInfoList: SIZE (1..maxMultiBands = 8), FreqBandIndicator 1..64
    if (!m.is_array() || m.size() > 8) throw InputError("cell record: field 'multi_band_info' is not a list of at most 8 bands");
    for (const auto& b : m) {
      if (!b.is_number_integer() || b.get<long long>() < 1 || b.get<long long>() > 256)
        throw InputError("cell record: field 'multi_band_info' holds a value outside 1..256");
      bands.push_back(b.get<int>());
    }
  }
  // The downlink carrier: from the EARFCN (exact) or the record's frequency.
  std::optional<double> f;
  if (cell.arfcn >= 0) f = lte_downlink_hz(cell.arfcn);
  if (!f && cell.freq_hz && *cell.freq_hz > 0) f = *cell.freq_hz;
  if (!f) return {};
  constexpr double kRasterToleranceHz = 50e3;   // half the 100 kHz channel raster (36.101 5.7.2)
  for (int b : bands) {
    if (!lte_band(b)) return {};                // a band towerwatch does not know: no opinion
    if (lte_earfcn(*f, b, kRasterToleranceHz)) return {};
  }
  std::string list;
  for (int b : bands) list += (list.empty() ? "" : ", ") + std::to_string(b);
  std::vector<int> actual = lte_bands_at(*f, kRasterToleranceHz);
  std::string actual_list;
  for (int b : actual) actual_list += (actual_list.empty() ? "" : ", ") + std::to_string(b);
  return {scorer::make_reason(
      weight,
      "SIB1 names band " + list + " but the carrier " + scorer::fixed1(*f / 1e6) + " MHz (EARFCN " +
          std::to_string(cell.arfcn) + ") is in band " + (actual_list.empty() ? std::string("none known") : actual_list),
      {{"freq_band_indicator", *fbi}, {"bands_indicated", bands}, {"downlink_hz", *f}, {"earfcn", cell.arfcn},
       {"bands_of_carrier", actual}})};
}

}  // namespace tw::rules
