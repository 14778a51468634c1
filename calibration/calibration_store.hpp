// Per-device frequency calibration kept between runs: a small JSON file, one entry per device serial.
//   File: $TW_CONFIG_DIR/calibration.json if TW_CONFIG_DIR is set (tests), else
//         $XDG_CONFIG_HOME/towerwatch/calibration.json, else ~/.config/towerwatch/calibration.json.
//   {"version": 1,
//    "devices": {"TWSIM0001": {"receiver_error_ppm": 73.0,   // carriers appeared at F*(1+e*1e-6)
//                              "correction_ppm": -72.99467,  // SoapySDR frequency correction that cancels it
//                              "spread_ppm": 0.004, "cells": 4, "band": "E-GSM900",
//                              "measured_utc": "2026-11-23T21:00:00Z", "driver": "towerwatch-sim"}}}
// Written atomically (temporary file in the same directory, then rename), so a crash never leaves half a file.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace tw::cal {

struct DeviceCalibration {
  std::string serial;
  std::string driver;
  double receiver_error_ppm = 0.0;
  double correction_ppm = 0.0;
  double spread_ppm = 0.0;
  std::size_t cells = 0;
  std::string band;
  std::string measured_utc;
};

// The file path per the rules above (does not create anything).
std::filesystem::path calibration_file_path();

// The entry for `serial`, or nullopt when the file or the entry is absent. A malformed file or entry is a
// tw::InputError naming the file and the field.
std::optional<DeviceCalibration> load_calibration(const std::filesystem::path& file, const std::string& serial);

// Adds or replaces the entry of cal.serial, keeping the other devices' entries; creates the directory.
// Throws tw::InputError if the existing file is malformed (it is not overwritten), tw::RuntimeFailure if
// it cannot be written.
void store_calibration(const std::filesystem::path& file, const DeviceCalibration& cal);

}  // namespace tw::cal
