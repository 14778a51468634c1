// Exports a user opens elsewhere: GeoJSON (RFC 7946), KML 2.2 (Google Earth, QGIS) and WiGLE's CSV.
//
// Map (GeoJSON, KML): the receiver's track (a line), every positioned observation (a point with its
// identity and level), every cell with a "position_estimate" (src/locate/cell_positions.hpp) as a point and
// its uncertainty radius as a circle (a 64-gon, closed, counter-clockwise), and every alert (a point at the
// transmitter's estimate, else at where its observation was made; with score and rules). GeoJSON features
// carry "kind": "track" | "observation" | "cell_estimate" | "cell_uncertainty" | "alert"; KML has one folder
// per kind. Coordinates: longitude, latitude (WGS-84) in both. Every string that came from the air is
// escaped for XML in KML (and control characters that XML 1.0 cannot carry are dropped).
//
// WiGLE CSV (WigleWifi-1.4, as the WiGLE Android app writes cells): the pre-header line, the column line
// MAC,SSID,AuthMode,FirstSeen,Channel,RSSI,CurrentLatitude,CurrentLongitude,AltitudeMeters,AccuracyMeters,Type
// then one row per positioned observation with a whole CGI: MAC = <MCC><MNC>_<LAC or TAC>_<CI or ECI> (the
// app's operator key), SSID empty (the app puts the operator's name, which towerwatch does not know),
// AuthMode = "<GSM|LTE>;<MCC><MNC>", FirstSeen = UTC "YYYY-MM-DD HH:MM:SS", Channel = ARFCN / EARFCN,
// RSSI = the level in dBm (power_dbm; without a level calibration the dBFS value, which WiGLE will read as
// dBm: calibrate first), Type = GSM | LTE. AltitudeMeters / AccuracyMeters from the record's "altitude_m" /
// "position_accuracy_m" (0 when unknown).
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/scorer/observation.hpp"

namespace tw::output {

struct TrackPoint {
  std::int64_t time_unix_ms = 0;
  double lat = 0.0, lon = 0.0;
};

struct MapData {
  std::vector<TrackPoint> track;
  std::vector<CellObservation> observations;   // those without a position are left out
  std::vector<nlohmann::json> cells;           // cell records; those with "position_estimate" are mapped
  std::vector<nlohmann::json> alerts;          // alerts as tw::to_json(Alert) writes them
};

std::string render_geojson(const MapData& data);
std::string render_kml(const MapData& data);
std::string render_wigle_csv(std::span<const CellObservation> observations);

// Write the file whole (a temporary beside it, then renamed). tw::InputError naming the file when it cannot
// be written.
void write_geojson(const std::filesystem::path& path, const MapData& data);
void write_kml(const std::filesystem::path& path, const MapData& data);
void write_wigle_csv(const std::filesystem::path& path, std::span<const CellObservation> observations);

// XML 1.0 text: & < > " ' escaped, control characters other than tab / newline / carriage return dropped,
// invalid UTF-8 replaced by U+FFFD.
std::string xml_escape(const std::string& s);

// The circle of radius_m around (lat, lon) as a closed ring of n + 1 [lon, lat] positions, counter-clockwise.
std::vector<std::pair<double, double>> circle_ring(double lat, double lon, double radius_m, int n = 64);

}  // namespace tw::output
