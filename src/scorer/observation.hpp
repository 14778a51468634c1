// A cell observation: one cell as one sweep (or one analysed file) saw it. The unit the store keeps, the
// baseline learns from and the scorer's rules judge. RAT-neutral: LTE observations fill the same struct
// (identity fields they do not have stay empty; their parameters go into `params`).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/fix.hpp"

namespace tw {

// Where the cell's transmitter was estimated to stand from power against position over a drive
// (src/locate/cell_positions.hpp): the record's "position_estimate".
struct EstimatedPosition {
  double lat = 0.0, lon = 0.0;
  double radius_m = 0.0;                 // uncertainty radius (src/locate/locate.hpp: ~90% for a fit)
  int points = 0;                        // positioned observations behind it
  std::string method;                    // "path_loss_fit" | "weighted_centroid"
};

struct CellObservation {
  std::int64_t time_unix_ms = 0;         // when the sweep saw it
  std::string sensor_id;                 // which towerwatch instance / device serial
  // Where the sensor was when the tuning that heard the cell ran (--position or gpsd; hw/position_source.hpp):
  // lat/lon empty and fix_mode "none" when no fix was valid at that time.
  std::optional<double> lat, lon;
  std::string fix_mode = "none";         // "none" | "2d" | "3d"
  std::optional<double> eph_m;           // horizontal error estimate of the fix, metres
  std::optional<std::int64_t> fix_time_unix_ms;  // the receiver's time of the fix
  std::string rat = "GSM";               // "GSM" | "LTE"
  int arfcn = -1;                        // ARFCN (GSM) or EARFCN (LTE); -1 unknown
  std::string band;                      // "P-GSM900", "DCS1800", ...
  std::optional<double> freq_hz;
  // Identity (TS 44.018 / 23.003): MCC, MNC (string keeps 2 vs 3 digits), LAC, CI, BSIC (GSM)
  std::optional<int> mcc;
  std::optional<std::string> mnc;
  std::optional<int> lac;
  std::optional<int> ci;
  std::optional<int> bsic;
  // Measurements
  double power_dbfs = -200.0;
  std::optional<double> power_dbm;
  double snr_db = 0.0;
  double cfo_hz = 0.0;
  std::optional<double> cfo_residual_ppb;  // after the receiver's calibration (sweeps)
  std::vector<std::string> si_seen;
  nlohmann::json params = nlohmann::json::object();  // the whole cell record: every decoded parameter
  std::optional<EstimatedPosition> position_estimate;  // the record's "position_estimate", when it has one

  // From a {"type":"cell",...} record of analyze/scan/demo. Missing identity fields stay empty; a record
  // of the wrong type or with fields of the wrong JSON type is a tw::InputError naming the field.
  static CellObservation from_cell_record(const nlohmann::json& record, std::int64_t time_unix_ms,
                                          const std::string& sensor_id);
};

// The noise floor of one band in one sweep (the sweep's power census, src/sweep/lte_census.hpp): a density
// in dBFS per MHz, the median over the band's tunings.
struct BandFloor {
  std::string rat = "LTE";
  std::string band;                      // "LTE-B20"
  double noise_floor_dbfs_per_mhz = -200.0;
  int tunings = 0;
};

// The observation the scorer judges a band by (band-scope rules, J1): rat and band of the floor, no channel
// (arfcn -1), no identity, params {"type":"band_floor","noise_floor_dbfs_per_mhz":..,"tunings":..}.
CellObservation band_observation(const BandFloor& floor, std::int64_t time_unix_ms, const std::string& sensor_id);
bool is_band_observation(const CellObservation& o);

// Every cell one sweep saw, in one place (rules compare a cell with its neighbours in the same sweep), and
// the noise floor of the bands it swept (rule J1).
struct SweepObservations {
  std::int64_t time_unix_ms = 0;
  std::string sensor_id;
  std::vector<CellObservation> cells;
  std::vector<Fix> track;                // every position report received during the sweep (store: table track)
  std::vector<BandFloor> band_floors;
};

}  // namespace tw
