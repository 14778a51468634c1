// Locating a transmitter from received power against position (what Crocodile Hunter does with a drive):
// the log-distance path-loss model
//     P_i = P0 - 10 n log10(d_i / 1 m) + e_i,   d_i = sqrt(|x_i - x|^2 + h^2)
// (P0: the level at 1 m, n: the path-loss exponent, both estimated; h = 10 m keeps the model finite under
// the mast; e_i: shadowing, a few dB) is fitted by nonlinear least squares on (x, y, P0, n) in a local
// east/north plane (src/core/geo.hpp): a grid search over the area for the start (for each candidate
// position P0 and n are linear, solved in closed form) then Levenberg-Marquardt. When the geometry cannot
// support a fit (fewer than min_fit_points points, points nearly collinear, all at one place, or a fit
// whose normal matrix is ill-conditioned / that diverges) a power-weighted centroid is given instead, and
// the result says which.
//
// Uncertainty radius (metres). Fit: the radius of the circle around the estimate that holds the 99%
// error ellipse of the position, sqrt(9.21 * lambda_max) of the covariance s^2 (J^T J)^-1 (s^2: the
// residual variance inflated by (1 + rho) / (1 - rho) for the lag-1 correlation rho of the residuals in
// input order: shadowing along a track is correlated, neighbouring points are not independent evidence),
// widened by a calibration factor 1.75, and the mean horizontal accuracy of the points is added in
// quadrature. The factor: the linearised covariance is optimistic (the model is nonlinear; where the
// transmitter stands outside the track's hull distance, P0 and n trade off); with it the radius holds the
// truth in ~90% of simulated drives with 6 dB shadowing (tests/test_locate.cpp measures it on drives other
// than those it was taken from). Read it as a ~90% radius. Centroid: twice the weighted RMS
// distance of the points from it, at least centroid_min_radius_m (a poor geometry says little).
//
// Places, not samples: shadowing belongs to a place, so repeated samples from one spot (a car parked or stuck
// in traffic while the sweeps go on) are not independent evidence; hundreds of them would pull the fit
// towards that spot's shadowing and shrink the radius. Samples are therefore pooled into places of
// place_size_m (a square grid, the order of first visit kept): mean position, mean level (dB), mean accuracy;
// the fit and the thresholds count places. 20 m is well below the decorrelation distance of shadowing
// (tens to a hundred metres, Gudmundson, Electronics Letters 27(23), 1991).
//
// Deterministic (no randomness; ties broken by grid order). Input in time order (for rho).
#pragma once
#include <optional>
#include <span>
#include <string>

namespace tw::locate {

struct PowerSample {
  double lat = 0.0, lon = 0.0;   // where the sensor was (degrees, WGS-84)
  double power_db = 0.0;         // received level (dBm, or dBFS: only differences matter)
  double accuracy_m = -1.0;      // horizontal accuracy of the position (metres); < 0 or NaN: unknown
};

struct LocateOptions {
  int min_fit_points = 6;                 // fewer: weighted centroid
  double min_minor_spread_m = 25.0;       // positions' RMS spread across their main axis below this: collinear
  double min_minor_ratio = 0.06;          // ... or below this fraction of the spread along it
  double max_condition = 1e7;             // normal matrix (columns scaled to unit norm) above this: centroid
  double min_exponent = 1.6, max_exponent = 6.0;
  double antenna_height_m = 10.0;         // h in the model
  double default_accuracy_m = 5.0;        // for points without an accuracy
  double centroid_min_radius_m = 1000.0;
  double min_residual_db = 1.0;           // floor of s (dB): noiseless data still has model error
  double place_size_m = 20.0;             // samples pooled per place of this size (see the top); <= 0: none
};

struct PositionEstimate {
  double lat = 0.0, lon = 0.0;
  double radius_m = 0.0;          // see the top: ~90% for a fit, a coarse bound for a centroid
  int points = 0;                 // valid samples used
  int places = 0;                 // distinct places they were taken at (what the fit counts)
  std::string method;             // "path_loss_fit" | "weighted_centroid"
  std::string reason;             // why a centroid: "few points", "collinear track", "ill-conditioned", ...
  // Fit only (NaN otherwise):
  double p0_db = 0.0;             // level at 1 m
  double exponent = 0.0;          // path-loss exponent n
  double residual_db = 0.0;       // RMS residual
  double condition = 0.0;         // condition number of the scaled normal matrix
};

// Points with a non-finite power or position are skipped (not counted). No valid point: nullopt.
std::optional<PositionEstimate> locate_transmitter(std::span<const PowerSample> samples, const LocateOptions& options = {});

}  // namespace tw::locate
