// Band plans for sweeps: which GSM bands (3GPP TS 45.005 clause 2) a scan covers, from a list of names
// ("GSM900,DCS1800"), "all", or a region preset. Each band is the set of its downlink carriers.
// LTE bands ("LTE-B3", src/core/lte_bands.hpp, 36.101 table 5.7.3-1) are SweepBands of rat "LTE" whose
// channels are the 100 kHz EARFCN raster (lte_channels), searched by the LTE tunings (sweep_plan.hpp).
#pragma once
#include <string>
#include <vector>

#include "src/core/gsm_bands.hpp"
#include "src/core/lte_bands.hpp"

namespace tw::sweep {

struct SweepBand {
  std::string rat = "GSM";            // "GSM" or "LTE"
  GsmBandId gsm_band = GsmBandId::egsm900;
  std::string name;                   // "E-GSM900", ..., "LTE-B3"
  std::vector<GsmChannel> channels;   // GSM: downlink carriers in frequency order, each ARFCN once
  int lte_band = 0;                   // LTE: the E-UTRA band number
  std::vector<LteChannel> lte_channels;  // LTE: every downlink EARFCN (100 kHz raster) in order
  bool is_lte() const { return rat == "LTE"; }
  double low_hz() const {
    if (is_lte()) return lte_channels.empty() ? 0.0 : lte_channels.front().downlink_hz;
    return channels.empty() ? 0.0 : channels.front().downlink_hz;
  }
  double high_hz() const {
    if (is_lte()) return lte_channels.empty() ? 0.0 : lte_channels.back().downlink_hz;
    return channels.empty() ? 0.0 : channels.back().downlink_hz;
  }
};

// Every downlink carrier of a GSM band in frequency order. E-GSM900 includes P-GSM900's ARFCNs 1..124 and
// ARFCN 0 and 975..1023; R-GSM900 adds 955..974 (45.005 clause 2).
std::vector<GsmChannel> gsm_band_channels(GsmBandId band);

// Parses "--band": comma-separated names as gsm_band_from_name accepts them (GSM900 = E-GSM900), "all"
// (GSM850, E-GSM900, DCS1800, PCS1900; add R-GSM900, GSM450, GSM480 by name), a region preset, or LTE
// bands as lte_band_from_name accepts them ("LTE-B3", "LTE-B20"); sorted by lowest frequency.
// Bands contained in another listed band are dropped (P-GSM900 in E-GSM900 in R-GSM900). Throws
// tw::InputError naming the unknown entry.
std::vector<SweepBand> parse_band_list(const std::string& list);

// Region presets, a region's GSM bands and its operators' LTE bands: "eu" (E-GSM900, DCS1800, LTE-B3, -B7,
// -B20; also Africa, the Middle East, most of Asia), "us" (GSM850, PCS1900, LTE-B2, -B5, -B12, -B13, -B66;
// the Americas). Sorted by lowest frequency. Throws tw::InputError for an unknown region.
std::vector<SweepBand> region_bands(const std::string& region);

// "--rat gsm|lte|gsm,lte": keeps the bands of those technologies ("--region eu --rat gsm": the GSM bands
// alone). Throws tw::InputError for an unknown name or when no band is left.
std::vector<SweepBand> filter_rats(std::vector<SweepBand> bands, const std::string& rats);

SweepBand make_band(GsmBandId band);
SweepBand make_lte_band(int band);   // throws tw::InputError for a band not in lte_bands()

}  // namespace tw::sweep
