// The power census of an LTE tuning: the noise floor of the band around the searched carriers, for the
// jamming rule (J1). A low percentile (kFloorQuantile) of the Welch power spectral density over the usable
// part of the capture (|f| <= 0.45 fs, DC bins left out), as a density in dBFS per MHz (so that tunings at
// different rates compare). LTE leaves room for it: a cell transmits over 90 % of its channel bandwidth
// (TS 36.101 5.6, table 5.6-1) and sparse control/guard resource elements, so with a sample rate above the
// channel bandwidth (the sweep's LTE rates are) the lowest tenth of the bins is the receiver's noise, and a
// jammer spread over the band lifts every bin. Per band: the median over the band's tunings (robust to one
// tuning next to a strong local interferer).
#pragma once
#include <complex>
#include <span>
#include <string>
#include <vector>

#include "src/scorer/observation.hpp"

namespace tw::sweep {

inline constexpr double kFloorQuantile = 0.10;

// The noise floor of one block in dBFS/MHz (-200 for fewer than 1024 samples or a rate <= 0).
double lte_noise_floor_dbfs_per_mhz(std::span<const std::complex<float>> samples, double sample_rate_hz);

struct LteTuningFloor {
  std::string band;            // "LTE-B20"
  double center_hz = 0.0;
  double noise_floor_dbfs_per_mhz = -200.0;
};

// One BandFloor per band (rat "LTE"): the median of its tunings' floors, rounded to 0.1 dB.
std::vector<BandFloor> band_floors_of(const std::vector<LteTuningFloor>& tunings);

}  // namespace tw::sweep
