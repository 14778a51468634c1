// ARFCN -> downlink carrier frequency, 3GPP TS 45.005 clause 2.
#include "tools/synth/cell_config.hpp"

#include <string>

#include "src/core/error.hpp"

namespace tw::synth {

namespace {
bool in(int v, int lo, int hi) { return v >= lo && v <= hi; }
}  // namespace

bool arfcn_in_band(int arfcn, GsmBand band) {
  switch (band) {
    case GsmBand::GSM450: return in(arfcn, 259, 293);
    case GsmBand::GSM480: return in(arfcn, 306, 340);
    case GsmBand::GSM850: return in(arfcn, 128, 251);
    case GsmBand::PGSM900: return in(arfcn, 1, 124);
    case GsmBand::EGSM900: return in(arfcn, 0, 124) || in(arfcn, 975, 1023);
    case GsmBand::RGSM900: return in(arfcn, 0, 124) || in(arfcn, 955, 1023);
    case GsmBand::DCS1800: return in(arfcn, 512, 885);
    case GsmBand::PCS1900: return in(arfcn, 512, 810);
  }
  return false;
}

// 45.005 clause 2: Fl(n) uplink, Fu(n) = Fl(n) + duplex spacing is the downlink.
double downlink_hz(int arfcn, GsmBand band) {
  if (!arfcn_in_band(arfcn, band))
    throw InputError("ARFCN " + std::to_string(arfcn) + " is not in band " + band_name(band));
  const double n = arfcn;
  double mhz = 0.0;
  switch (band) {
    case GsmBand::GSM450: mhz = 450.6 + 0.2 * (n - 259) + 10.0; break;
    case GsmBand::GSM480: mhz = 479.0 + 0.2 * (n - 306) + 10.0; break;
    case GsmBand::GSM850: mhz = 824.2 + 0.2 * (n - 128) + 45.0; break;
    case GsmBand::PGSM900:
    case GsmBand::EGSM900:
    case GsmBand::RGSM900:
      // 0..124: Fl = 890 + 0.2 n; 955..1023: Fl = 890 + 0.2 (n - 1024); duplex 45 MHz
      mhz = (arfcn <= 124 ? 890.0 + 0.2 * n : 890.0 + 0.2 * (n - 1024)) + 45.0;
      break;
    case GsmBand::DCS1800: mhz = 1710.2 + 0.2 * (n - 512) + 95.0; break;
    case GsmBand::PCS1900: mhz = 1850.2 + 0.2 * (n - 512) + 80.0; break;
  }
  // Integer arithmetic in units of 100 kHz avoids 0.2 * n rounding noise.
  return static_cast<double>(static_cast<long long>(mhz * 10.0 + 0.5)) * 1e5;
}

GsmBand default_band(int arfcn) {
  if (in(arfcn, 1, 124)) return GsmBand::PGSM900;
  if (arfcn == 0 || in(arfcn, 975, 1023)) return GsmBand::EGSM900;
  if (in(arfcn, 955, 974)) return GsmBand::RGSM900;
  if (in(arfcn, 128, 251)) return GsmBand::GSM850;
  if (in(arfcn, 259, 293)) return GsmBand::GSM450;
  if (in(arfcn, 306, 340)) return GsmBand::GSM480;
  if (in(arfcn, 512, 885)) return GsmBand::DCS1800;
  throw InputError("ARFCN " + std::to_string(arfcn) + " belongs to no GSM band (45.005 clause 2)");
}

const char* band_name(GsmBand band) {
  switch (band) {
    case GsmBand::GSM450: return "GSM450";
    case GsmBand::GSM480: return "GSM480";
    case GsmBand::GSM850: return "GSM850";
    case GsmBand::PGSM900: return "PGSM900";
    case GsmBand::EGSM900: return "EGSM900";
    case GsmBand::RGSM900: return "RGSM900";
    case GsmBand::DCS1800: return "DCS1800";
    case GsmBand::PCS1900: return "PCS1900";
  }
  return "?";
}

std::optional<GsmBand> band_from_name(std::string_view name) {
  static const GsmBand all[] = {GsmBand::GSM450,  GsmBand::GSM480,  GsmBand::GSM850,  GsmBand::PGSM900,
                                GsmBand::EGSM900, GsmBand::RGSM900, GsmBand::DCS1800, GsmBand::PCS1900};
  for (GsmBand b : all)
    if (name == band_name(b)) return b;
  return std::nullopt;
}

}  // namespace tw::synth
