#include "src/sweep/band_plan.hpp"

#include <algorithm>
#include <cctype>

#include "src/core/error.hpp"

namespace tw::sweep {
namespace {

std::string trim_lower(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// a contains b: every carrier of b is a carrier of a.
bool contains(GsmBandId a, GsmBandId b) {
  if (a == b) return true;
  if (a == GsmBandId::egsm900 && b == GsmBandId::pgsm900) return true;
  if (a == GsmBandId::rgsm900 && (b == GsmBandId::pgsm900 || b == GsmBandId::egsm900)) return true;
  return false;
}

std::vector<SweepBand> normalise(std::vector<GsmBandId> ids, const std::vector<int>& lte = {}) {
  std::vector<GsmBandId> kept;
  for (auto id : ids) {
    if (std::find(kept.begin(), kept.end(), id) != kept.end()) continue;
    bool inside = false;
    for (auto other : ids)
      if (other != id && contains(other, id)) inside = true;
    if (!inside) kept.push_back(id);
  }
  std::vector<SweepBand> out;
  for (auto id : kept) out.push_back(make_band(id));
  std::vector<int> lte_kept;
  for (int b : lte)
    if (std::find(lte_kept.begin(), lte_kept.end(), b) == lte_kept.end()) lte_kept.push_back(b);
  for (int b : lte_kept) out.push_back(make_lte_band(b));
  std::stable_sort(out.begin(), out.end(), [](const SweepBand& a, const SweepBand& b) { return a.low_hz() < b.low_hz(); });
  return out;
}

struct Region {
  std::vector<GsmBandId> gsm;
  std::vector<int> lte;
};

// A region's GSM bands and the LTE bands its operators use (3GPP TS 36.101 table 5.5-1 numbers):
//   eu: E-GSM900, DCS1800; LTE B20 (800 MHz digital dividend), B3 (1800), B7 (2600), the three LTE bands
//       every EU operator holds (also Africa, the Middle East, most of Asia).
//   us: GSM850, PCS1900; LTE B2 (PCS 1900), B5 (850), B12 (lower 700), B13 (upper 700 C), B66 (AWS-1/3:
//       2110..2200 MHz, holding B4's 2110..2155 MHz, so B4 cells are found there under their B66 EARFCN).
Region region_of(const std::string& region) {
  const std::string r = trim_lower(region);
  if (r == "eu" || r == "europe") return {{GsmBandId::egsm900, GsmBandId::dcs1800}, {3, 7, 20}};
  if (r == "us" || r == "americas") return {{GsmBandId::gsm850, GsmBandId::pcs1900}, {2, 5, 12, 13, 66}};
  throw InputError("--region: unknown region '" + region + "' (known: eu, us)");
}

}  // namespace

std::vector<GsmChannel> gsm_band_channels(GsmBandId band) {
  std::vector<GsmChannel> out;
  for (int n = 0; n <= 1023; ++n)
    if (auto f = gsm_downlink_hz(n, band)) out.push_back(GsmChannel{n, band, *f});
  std::sort(out.begin(), out.end(), [](const GsmChannel& a, const GsmChannel& b) { return a.downlink_hz < b.downlink_hz; });
  return out;
}

SweepBand make_band(GsmBandId band) {
  SweepBand b;
  b.gsm_band = band;
  b.name = gsm_band_name(band);
  b.channels = gsm_band_channels(band);
  return b;
}

SweepBand make_lte_band(int band) {
  const LteBand* b = lte_band(band);
  if (!b) throw InputError("LTE band " + std::to_string(band) + " is not in the band table (36.101 table 5.7.3-1)");
  SweepBand s;
  s.rat = "LTE";
  s.lte_band = band;
  s.name = lte_band_name(band);
  s.lte_channels = lte_band_channels(band);
  return s;
}

std::vector<SweepBand> parse_band_list(const std::string& list) {
  std::vector<GsmBandId> ids;
  std::vector<int> lte;
  std::size_t start = 0;
  bool any = false;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    const std::string item = list.substr(start, end - start);
    const std::string key = trim_lower(item);
    if (key.empty()) throw InputError("--band: empty entry in '" + list + "'");
    any = true;
    if (key == "all") {
      for (auto id : {GsmBandId::gsm850, GsmBandId::egsm900, GsmBandId::dcs1800, GsmBandId::pcs1900}) ids.push_back(id);
    } else if (key == "eu" || key == "us") {
      const Region r = region_of(key);
      ids.insert(ids.end(), r.gsm.begin(), r.gsm.end());
      lte.insert(lte.end(), r.lte.begin(), r.lte.end());
    } else if (auto id = gsm_band_from_name(key)) {
      ids.push_back(*id);
    } else if (auto b = lte_band_from_name(key)) {
      lte.push_back(*b);
    } else {
      throw InputError("--band: unknown band '" + item +
                       "' (known: GSM450, GSM480, GSM850, P-GSM900, GSM900 (= E-GSM900), R-GSM900, DCS1800, "
                       "PCS1900, all, eu, us; LTE-B1, -B2, -B3, -B4, -B5, -B7, -B8, -B12, -B13, -B17, -B20, -B25, -B26, "
                       "-B28, -B32, -B38, -B39, -B40, -B41, -B42, -B43, -B66, -B71)");
    }
    start = end + 1;
  }
  if (!any) throw InputError("--band: empty list");
  return normalise(ids, lte);
}

std::vector<SweepBand> region_bands(const std::string& region) {
  const Region r = region_of(region);
  return normalise(r.gsm, r.lte);
}

std::vector<SweepBand> filter_rats(std::vector<SweepBand> bands, const std::string& rats) {
  bool gsm = false, lte = false;
  std::size_t start = 0;
  while (start <= rats.size()) {
    std::size_t end = rats.find(',', start);
    if (end == std::string::npos) end = rats.size();
    const std::string key = trim_lower(rats.substr(start, end - start));
    if (key == "gsm") gsm = true;
    else if (key == "lte") lte = true;
    else throw InputError("--rat: unknown radio access technology '" + rats.substr(start, end - start) + "' (gsm, lte)");
    start = end + 1;
  }
  std::erase_if(bands, [&](const SweepBand& b) { return b.is_lte() ? !lte : !gsm; });
  if (bands.empty()) throw InputError("--rat " + rats + ": none of the bands asked for is of that technology");
  return bands;
}

}  // namespace tw::sweep
