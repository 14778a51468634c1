// Radio geometry of a scene: cells placed at positions, and a receiver that moves along a track, so that the
// level of every cell follows the receiver's position (log-distance path loss with shadowing):
//     level_dBm = power_1m_dbm - 10 * path_loss_exponent * log10(max(d, 1 m)) + S(position)
//     level_dBFS = level_dBm + scene.rx_gain_db
// d: horizontal distance from the cell (src/core/geo.hpp). S: the cell's shadowing, a deterministic,
// spatially correlated Gaussian field of standard deviation shadowing_db and correlation
// exp(-distance / shadowing_decorrelation_m) (Gudmundson's model), drawn from the scene seed and the cell's
// index: the same place always gives the same level (a sum of 64 plane waves with random directions and
// phases, wavenumbers drawn from the spectrum of the exponential correlation).
//
// Scene keys (cells[] and lte_cells[], scene.hpp): "lat", "lon" (degrees, both needed), "power_1m_dbm"
// (default 30), "path_loss_exponent" (default 3.0, 1.5..6), "shadowing_db" (default 0, 0..20),
// "shadowing_decorrelation_m" (default 50, 1..10000). Top level: "rx_gain_db" (default 40: -100 dBm at the
// antenna is -60 dBFS). A placed cell's power_dbfs is ignored while a receiver track drives the scene.
//
// Receiver track: a CSV file, one row "t_seconds,lat,lon" per line (t: seconds on the scene's clock, the
// time since the simulated radio started streaming plus its track_offset_s; increasing), '#' comments and a
// header line starting with a letter allowed. Between rows the position is interpolated linearly; before
// the first row it is the first, after the last the last.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tw::synth {

struct CellPlacement {
  bool placed = false;
  double lat = 0.0, lon = 0.0;
  double power_1m_dbm = 30.0;
  double path_loss_exponent = 3.0;
  double shadowing_db = 0.0;
  double shadowing_decorrelation_m = 50.0;
};

// The level (dBm) of a placed cell at a receiver position; seed: the cell's seed (renderer.hpp cell_seed).
double received_dbm(const CellPlacement& cell, std::uint64_t seed, double rx_lat, double rx_lon);
// The shadowing term alone (dB).
double shadowing_db(const CellPlacement& cell, std::uint64_t seed, double rx_lat, double rx_lon);

struct TrackPoint {
  double t_s = 0.0, lat = 0.0, lon = 0.0;
};

class ReceiverTrack {
 public:
  // Throws tw::InputError naming the file and line for a bad row (not 3 numbers, a position out of range,
  // time not increasing) and for a track without rows.
  static ReceiverTrack load(const std::string& path);
  static ReceiverTrack parse(const std::string& text, const std::string& source);
  explicit ReceiverTrack(std::vector<TrackPoint> points);
  TrackPoint at(double t_s) const;   // interpolated
  const std::vector<TrackPoint>& points() const { return points_; }
  double length_m() const;

 private:
  std::vector<TrackPoint> points_;
};

}  // namespace tw::synth
