// The receiver's frequency error from the carriers it sees. Base stations hold their carriers to 0.05 ppm
// (45.010 clause 5.1), far better than a dongle's crystal (tens of ppm), so the offset at which every cell's
// FCCH shows up is the receiver's own error. Convention (as the scene synthesizer's receiver_ppm): receiver
// error e ppm means a carrier at F appears at F * (1 + e*1e-6); the SoapySDR frequency correction that
// cancels it (the crystal's own error) is (1/(1 + e*1e-6) - 1) * 1e6, about -e.
//
// Robust estimate: every observation (channel frequency + measured offset = apparent carrier A) proposes
// e = A/F - 1 for each GSM raster carrier F within +-max_abs_ppm of A (one proposal at 900 MHz, where
// 100 ppm < 100 kHz; up to two at 1800 MHz). The value most observations agree on (within consensus_ppm)
// wins; observations far from it are outliers (a cell on its own poor oscillator), the rest go through a
// median/MAD rejection and a trimmed mean. Spread: standard deviation of the values kept.
#pragma once
#include <cstddef>
#include <optional>
#include <vector>

namespace tw::cal {

struct CarrierObservation {
  double channel_hz = 0.0;   // the raster frequency of the channel it was received on
  double cfo_hz = 0.0;       // measured carrier offset from that channel's centre
  double apparent_hz() const { return channel_hz + cfo_hz; }
};

struct PpmEstimatorOptions {
  double max_abs_ppm = 100.0;
  double consensus_ppm = 2.0;     // proposals this close count as agreeing
  double min_reject_ppm = 0.05;   // never reject closer than this to the median (the cells' own tolerance)
  double mad_factor = 4.0;        // reject beyond this many robust sigmas (1.4826 * MAD)
  double trim_fraction = 0.1;     // trimmed from each end of the kept values (when 5 or more)
};

struct PpmEstimate {
  double receiver_ppm = 0.0;     // e: carriers appear at F * (1 + e*1e-6)
  double spread_ppm = 0.0;       // standard deviation of the values kept
  std::size_t used = 0;          // observations kept
  std::size_t rejected = 0;      // outliers (no agreeing proposal, or beyond the MAD limit)
  std::vector<double> per_observation_ppm;  // the proposal chosen for each observation (NaN: none)
  std::vector<bool> kept;                   // per observation
  // The SoapySDR frequency correction (crystal error) that cancels e.
  double correction_ppm() const { return (1.0 / (1.0 + receiver_ppm * 1e-6) - 1.0) * 1e6; }
};

// nullopt when no observation yields a proposal within +-max_abs_ppm.
std::optional<PpmEstimate> estimate_receiver_ppm(const std::vector<CarrierObservation>& observations,
                                                 const PpmEstimatorOptions& options = {});

// The correction (crystal ppm) that cancels a receiver error, and back.
double correction_for_receiver_ppm(double receiver_ppm);

}  // namespace tw::cal
