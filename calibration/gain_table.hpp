// Level calibration: a per-device table turning dBFS into dBm at the antenna port, per band and gain,
// measured by the user with a signal generator or a reference receiver. Read if present; scan then adds
// "power_dbm" to the cell records.
//   File: gain_table.json beside calibration.json (calibration_store.hpp: TW_CONFIG_DIR, else
//         $XDG_CONFIG_HOME/towerwatch, else ~/.config/towerwatch).
//   {"version": 1,
//    "devices": {"SERIAL": [{"band": "GSM900", "gain_db": 40, "offset_db": -28.5},
//                           {"band": "DCS1800", "gain_db": 40, "offset_db": -25.0},
//                           {"band": "DCS1800", "offset_db": -24.0}]}}
//   power_dbm = power_dbfs + offset_db. "band" is any band name towerwatch knows (P-, E- and R-GSM900 are one
//   entry: the same front end); "gain_db" absent: the entry holds at any gain (also automatic gain). The
//   entry used: same band, the gain given nearest to the device's gain within 3 dB, else a gain-less entry.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tw::cal {

struct GainEntry {
  std::string band;              // as written
  std::optional<double> gain_db;
  double offset_db = 0.0;
};

class GainTable {
 public:
  // nullopt when the file or the device's entry is absent; tw::InputError naming the file and the entry
  // for a malformed one.
  static std::optional<GainTable> load(const std::filesystem::path& file, const std::string& serial);
  // The file beside calibration.json.
  static std::filesystem::path default_path();

  // Offset for a cell in `band` ("P-GSM900", "DCS1800", ...) received at `gain_db` (nullopt: automatic gain).
  std::optional<double> offset_db(const std::string& band, std::optional<double> gain_db) const;
  const std::vector<GainEntry>& entries() const { return entries_; }

 private:
  std::vector<GainEntry> entries_;
};

}  // namespace tw::cal
