#include "calibration/calibration_store.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "src/core/error.hpp"

namespace tw::cal {

using nlohmann::json;

std::filesystem::path calibration_file_path() {
  if (const char* d = std::getenv("TW_CONFIG_DIR"); d && *d) return std::filesystem::path(d) / "calibration.json";
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x)
    return std::filesystem::path(x) / "towerwatch" / "calibration.json";
  if (const char* h = std::getenv("HOME"); h && *h)
    return std::filesystem::path(h) / ".config" / "towerwatch" / "calibration.json";
  throw InputError("calibration: neither TW_CONFIG_DIR, XDG_CONFIG_HOME nor HOME is set: nowhere to keep the calibration");
}

namespace {

constexpr std::uintmax_t kMaxFileBytes = 1 << 20;

std::optional<json> read_doc(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) throw InputError(file.string() + ": cannot read: " + ec.message());
  if (size > kMaxFileBytes) throw InputError(file.string() + ": larger than 1 MiB, not a calibration file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string() + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  json doc = json::parse(ss.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw InputError(file.string() + ": not a JSON object");
  if (!doc.contains("version") || !doc["version"].is_number_integer() || doc["version"].get<int>() != 1)
    throw InputError(file.string() + ": version: expected 1");
  if (!doc.contains("devices") || !doc["devices"].is_object())
    throw InputError(file.string() + ": devices: expected an object");
  return doc;
}

double number_field(const json& e, const std::string& file, const std::string& serial, const char* key, double lo,
                    double hi, bool required) {
  if (!e.contains(key)) {
    if (required) throw InputError(file + ": devices." + serial + "." + key + ": missing");
    return 0.0;
  }
  if (!e[key].is_number()) throw InputError(file + ": devices." + serial + "." + key + ": not a number");
  const double v = e[key].get<double>();
  if (!std::isfinite(v) || v < lo || v > hi)
    throw InputError(file + ": devices." + serial + "." + key + ": " + std::to_string(v) + " outside " +
                     std::to_string(lo) + ".." + std::to_string(hi));
  return v;
}

std::string string_field(const json& e, const char* key) {
  return e.contains(key) && e[key].is_string() ? e[key].get<std::string>() : std::string();
}

}  // namespace

std::optional<DeviceCalibration> load_calibration(const std::filesystem::path& file, const std::string& serial) {
  auto doc = read_doc(file);
  if (!doc) return std::nullopt;
  const auto& devices = (*doc)["devices"];
  if (!devices.contains(serial)) return std::nullopt;
  const json& e = devices[serial];
  const std::string f = file.string();
  if (!e.is_object()) throw InputError(f + ": devices." + serial + ": expected an object");
  DeviceCalibration c;
  c.serial = serial;
  c.correction_ppm = number_field(e, f, serial, "correction_ppm", -1000, 1000, true);
  c.receiver_error_ppm = number_field(e, f, serial, "receiver_error_ppm", -1000, 1000, false);
  c.spread_ppm = number_field(e, f, serial, "spread_ppm", 0, 1000, false);
  c.cells = static_cast<std::size_t>(number_field(e, f, serial, "cells", 0, 1e6, false));
  c.band = string_field(e, "band");
  c.driver = string_field(e, "driver");
  c.measured_utc = string_field(e, "measured_utc");
  return c;
}

void store_calibration(const std::filesystem::path& file, const DeviceCalibration& c) {
  if (c.serial.empty()) throw InputError("calibration: the device has no serial to store the calibration under");
  json doc = read_doc(file).value_or(json{{"version", 1}, {"devices", json::object()}});
  doc["devices"][c.serial] = {{"receiver_error_ppm", c.receiver_error_ppm},
                              {"correction_ppm", c.correction_ppm},
                              {"spread_ppm", c.spread_ppm},
                              {"cells", c.cells},
                              {"band", c.band},
                              {"driver", c.driver},
                              {"measured_utc", c.measured_utc}};
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) throw RuntimeFailure(file.parent_path().string() + ": cannot create: " + ec.message());
  const auto tmp = std::filesystem::path(file.string() + ".tmp." + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw RuntimeFailure(tmp.string() + ": cannot write");
    out << doc.dump(2) << '\n';
    out.flush();
    if (!out) {
      std::filesystem::remove(tmp, ec);
      throw RuntimeFailure(tmp.string() + ": write failed");
    }
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    std::error_code ec2;
    std::filesystem::remove(tmp, ec2);
    throw RuntimeFailure(file.string() + ": cannot replace: " + ec.message());
  }
}

}  // namespace tw::cal
