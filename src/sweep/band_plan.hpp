// Band plans for sweeps: which GSM bands (3GPP TS 45.005 clause 2) a scan covers, from a list of names
// ("GSM900,DCS1800"), "all", or a region preset. Each band is the set of its downlink carriers.
// Room for LTE (EARFCN, 36.101 table 5.7.3-1) later: a SweepBand then carries rat "LTE" and its raster.
#pragma once
#include <string>
#include <vector>

#include "src/core/gsm_bands.hpp"

namespace tw::sweep {

struct SweepBand {
  std::string rat = "GSM";            // later: "LTE"
  GsmBandId gsm_band = GsmBandId::egsm900;
  std::string name;                   // "E-GSM900", ...
  std::vector<GsmChannel> channels;   // downlink carriers in frequency order, each ARFCN once
  double low_hz() const { return channels.empty() ? 0.0 : channels.front().downlink_hz; }
  double high_hz() const { return channels.empty() ? 0.0 : channels.back().downlink_hz; }
};

// Every downlink carrier of a GSM band in frequency order. E-GSM900 includes P-GSM900's ARFCNs 1..124 and
// ARFCN 0 and 975..1023; R-GSM900 adds 955..974 (45.005 clause 2).
std::vector<GsmChannel> gsm_band_channels(GsmBandId band);

// Parses "--band": comma-separated names as gsm_band_from_name accepts them (GSM900 = E-GSM900), "all"
// (GSM850, E-GSM900, DCS1800, PCS1900; add R-GSM900, GSM450, GSM480 by name), or a region preset.
// Bands contained in another listed band are dropped (P-GSM900 in E-GSM900 in R-GSM900). Throws
// tw::InputError naming the unknown entry.
std::vector<SweepBand> parse_band_list(const std::string& list);

// Region presets: "eu" (GSM900 + DCS1800, also Africa, Middle East, most of Asia), "us" (GSM850 + PCS1900,
// the Americas). Throws tw::InputError for an unknown region.
std::vector<SweepBand> region_bands(const std::string& region);

SweepBand make_band(GsmBandId band);

}  // namespace tw::sweep
