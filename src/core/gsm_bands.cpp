#include "src/core/gsm_bands.hpp"

#include <algorithm>
#include <cmath>

namespace tw {
namespace {

// 45.005 clause 2: Fl(n) = first + 0.2 MHz * (n - n0) for n in [lo, hi] (E-/R-GSM use n - 1024 above 955).
struct BandRange {
  GsmBandId band;
  int lo, hi;
  double base_hz;   // downlink frequency of ARFCN `n0`
  int n0;
};

constexpr double kMHz = 1e6;
// Order matters for gsm_channel_at: the smallest band that holds a frequency comes first.
const BandRange kRanges[] = {
    {GsmBandId::gsm450, 259, 293, 460.6 * kMHz, 259},
    {GsmBandId::gsm480, 306, 340, 489.0 * kMHz, 306},
    {GsmBandId::gsm850, 128, 251, 869.2 * kMHz, 128},
    {GsmBandId::pgsm900, 1, 124, 935.0 * kMHz, 0},
    {GsmBandId::egsm900, 0, 0, 935.0 * kMHz, 0},
    {GsmBandId::egsm900, 975, 1023, 935.0 * kMHz, 1024},
    {GsmBandId::rgsm900, 955, 974, 935.0 * kMHz, 1024},
    {GsmBandId::dcs1800, 512, 885, 1805.2 * kMHz, 512},
    {GsmBandId::pcs1900, 512, 810, 1930.2 * kMHz, 512},
};

bool band_holds(GsmBandId band, int arfcn) {
  // E-GSM holds P-GSM's ARFCNs too; R-GSM holds E-GSM's.
  auto in = [&](GsmBandId b) {
    for (const auto& r : kRanges)
      if (r.band == b && arfcn >= r.lo && arfcn <= r.hi) return true;
    return false;
  };
  switch (band) {
    case GsmBandId::egsm900: return in(GsmBandId::egsm900) || in(GsmBandId::pgsm900);
    case GsmBandId::rgsm900: return in(GsmBandId::rgsm900) || in(GsmBandId::egsm900) || in(GsmBandId::pgsm900);
    default: return in(band);
  }
}

}  // namespace

const char* gsm_band_name(GsmBandId band) {
  switch (band) {
    case GsmBandId::gsm450: return "GSM450";
    case GsmBandId::gsm480: return "GSM480";
    case GsmBandId::gsm850: return "GSM850";
    case GsmBandId::pgsm900: return "P-GSM900";
    case GsmBandId::egsm900: return "E-GSM900";
    case GsmBandId::rgsm900: return "R-GSM900";
    case GsmBandId::dcs1800: return "DCS1800";
    case GsmBandId::pcs1900: return "PCS1900";
  }
  return "?";
}

std::optional<GsmBandId> gsm_band_from_name(const std::string& name) {
  std::string n;
  for (char c : name)
    if (c != '-' && c != '_') n += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (n == "GSM450") return GsmBandId::gsm450;
  if (n == "GSM480") return GsmBandId::gsm480;
  if (n == "GSM850") return GsmBandId::gsm850;
  if (n == "PGSM900" || n == "PGSM") return GsmBandId::pgsm900;
  if (n == "EGSM900" || n == "EGSM" || n == "GSM900") return GsmBandId::egsm900;
  if (n == "RGSM900" || n == "RGSM") return GsmBandId::rgsm900;
  if (n == "DCS1800" || n == "DCS" || n == "GSM1800") return GsmBandId::dcs1800;
  if (n == "PCS1900" || n == "PCS" || n == "GSM1900") return GsmBandId::pcs1900;
  return std::nullopt;
}

std::optional<double> gsm_downlink_hz(int arfcn, GsmBandId band) {
  if (!band_holds(band, arfcn)) return std::nullopt;
  for (const auto& r : kRanges) {
    if (arfcn < r.lo || arfcn > r.hi) continue;
    // DCS and PCS share ARFCNs: take the range of the band asked for.
    if ((band == GsmBandId::dcs1800 || band == GsmBandId::pcs1900) && r.band != band) continue;
    if (band != GsmBandId::dcs1800 && band != GsmBandId::pcs1900 &&
        (r.band == GsmBandId::dcs1800 || r.band == GsmBandId::pcs1900))
      continue;
    if ((band == GsmBandId::gsm450 || band == GsmBandId::gsm480 || band == GsmBandId::gsm850) && r.band != band)
      continue;
    return r.base_hz + 0.2 * kMHz * (arfcn - r.n0);
  }
  return std::nullopt;
}

std::optional<GsmChannel> gsm_channel_at(double freq_hz, double tolerance_hz) {
  for (const auto& r : kRanges) {
    const double n = (freq_hz - r.base_hz) / (0.2 * kMHz) + r.n0;
    const int arfcn = static_cast<int>(std::lround(n));
    if (arfcn < r.lo || arfcn > r.hi) continue;
    const double f = r.base_hz + 0.2 * kMHz * (arfcn - r.n0);
    if (std::fabs(f - freq_hz) <= tolerance_hz) return GsmChannel{arfcn, r.band, f};
  }
  return std::nullopt;
}

std::vector<GsmChannel> gsm_channels_between(double low_hz, double high_hz) {
  std::vector<GsmChannel> out;
  // Walk the 200 kHz raster of every band (each band's raster is offset 0 or 200 kHz multiples from 935 MHz
  // except 450/480/850/DCS/PCS which sit on 0.2 MHz steps from their own base).
  for (const auto& r : kRanges) {
    for (int n = r.lo; n <= r.hi; ++n) {
      const double f = r.base_hz + 0.2 * kMHz * (n - r.n0);
      if (f < low_hz || f > high_hz) continue;
      if (std::none_of(out.begin(), out.end(), [&](const GsmChannel& c) { return std::fabs(c.downlink_hz - f) < 1.0; }))
        out.push_back(GsmChannel{n, r.band, f});
    }
  }
  std::sort(out.begin(), out.end(), [](const GsmChannel& a, const GsmChannel& b) { return a.downlink_hz < b.downlink_hz; });
  return out;
}

}  // namespace tw
