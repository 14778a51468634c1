// GSM bands and ARFCN <-> downlink frequency (3GPP TS 45.005 clause 2). The downlink frequency names the
// band uniquely (DCS1800 and PCS1900 share ARFCNs 512..810 but not frequencies).
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace tw {

enum class GsmBandId { gsm450, gsm480, gsm850, pgsm900, egsm900, rgsm900, dcs1800, pcs1900 };

struct GsmChannel {
  int arfcn = 0;
  GsmBandId band = GsmBandId::pgsm900;
  double downlink_hz = 0.0;
};

const char* gsm_band_name(GsmBandId band);           // "GSM850", "P-GSM900", "DCS1800", ...
std::optional<GsmBandId> gsm_band_from_name(const std::string& name);  // also "GSM900", "DCS", "PCS"

// Downlink carrier of an ARFCN in a band; nullopt if the ARFCN is not in that band.
std::optional<double> gsm_downlink_hz(int arfcn, GsmBandId band);

// The channel whose downlink carrier lies within `tolerance_hz` of `freq_hz` (the smallest band that holds
// it: P-GSM before E-GSM before R-GSM for the shared ARFCNs).
std::optional<GsmChannel> gsm_channel_at(double freq_hz, double tolerance_hz = 1.0);

// Every channel with a downlink carrier in [low_hz, high_hz], in frequency order, each ARFCN once.
std::vector<GsmChannel> gsm_channels_between(double low_hz, double high_hz);

}  // namespace tw
