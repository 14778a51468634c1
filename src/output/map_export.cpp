#include "src/output/map_export.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <unistd.h>

#include "src/core/error.hpp"
#include "src/core/geo.hpp"
#include "src/core/utf8.hpp"

namespace tw::output {

namespace {

using nlohmann::json;

double r7(double v) { return std::round(v * 1e7) / 1e7; }

bool positioned(const CellObservation& o) { return o.lat && o.lon && geo::valid_lat_lon(*o.lat, *o.lon); }

std::string label_of(const json& c) {
  const std::string rat = c.value("rat", "GSM");
  std::string s = rat;
  const char* ch = rat == "LTE" ? "earfcn" : "arfcn";
  if (c.contains(ch) && c[ch].is_number_integer()) s += (rat == "LTE" ? " EARFCN " : " ARFCN ") + std::to_string(c[ch].get<int>());
  auto num = [&](const char* k) { return c.contains(k) && c[k].is_number_integer() ? std::to_string(c[k].get<long long>()) : std::string("?"); };
  auto str = [&](const char* k) { return c.contains(k) && c[k].is_string() ? c[k].get<std::string>() : std::string("?"); };
  if (c.contains("mcc")) {
    if (rat == "LTE")
      s += " " + num("mcc") + "-" + str("mnc") + " TAC " + num("tac") + " ECI " + num("cell_identity");
    else
      s += " " + num("mcc") + "-" + str("mnc") + " LAC " + num("lac") + " CI " + num("ci");
  }
  return s;
}

json observation_properties(const CellObservation& o) {
  json p{{"kind", "observation"}, {"rat", o.rat}, {"arfcn", o.arfcn}, {"time_unix_ms", o.time_unix_ms},
         {"power_dbfs", std::round(o.power_dbfs * 10) / 10}};
  if (o.power_dbm) p["power_dbm"] = std::round(*o.power_dbm * 10) / 10;
  if (o.mcc) p["mcc"] = *o.mcc;
  if (o.mnc) p["mnc"] = *o.mnc;
  if (o.lac) p["lac"] = *o.lac;
  if (o.ci) p["ci"] = *o.ci;
  if (o.bsic) p["bsic"] = *o.bsic;
  return p;
}

struct Placed {
  double lat, lon;
};

// Where an alert goes on the map: the transmitter's estimate, else the observation's position.
std::optional<Placed> alert_position(const json& a) {
  if (!a.contains("cell") || !a["cell"].is_object()) return std::nullopt;
  const json& c = a["cell"];
  for (const char* k : {"position_estimate", "position"}) {
    if (c.contains(k) && c[k].is_object() && c[k].contains("lat") && c[k].contains("lon") && c[k]["lat"].is_number() &&
        c[k]["lon"].is_number()) {
      const double lat = c[k]["lat"].get<double>(), lon = c[k]["lon"].get<double>();
      if (geo::valid_lat_lon(lat, lon)) return Placed{lat, lon};
    }
  }
  return std::nullopt;
}

std::optional<EstimatedPosition> estimate_of(const json& c) {
  if (!c.is_object() || !c.contains("position_estimate") || !c["position_estimate"].is_object()) return std::nullopt;
  const json& e = c["position_estimate"];
  for (const char* k : {"lat", "lon", "radius_m"})
    if (!e.contains(k) || !e[k].is_number()) return std::nullopt;
  EstimatedPosition p{e["lat"].get<double>(), e["lon"].get<double>(), e["radius_m"].get<double>(),
                      e.contains("points") && e["points"].is_number_integer() ? e["points"].get<int>() : 0,
                      e.contains("method") && e["method"].is_string() ? e["method"].get<std::string>() : ""};
  if (!geo::valid_lat_lon(p.lat, p.lon) || !std::isfinite(p.radius_m) || p.radius_m < 0) return std::nullopt;
  return p;
}

std::string alert_rules(const json& a) {
  std::string s;
  if (a.contains("reasons") && a["reasons"].is_array())
    for (const auto& r : a["reasons"])
      if (r.is_object() && r.contains("rule") && r["rule"].is_string()) s += (s.empty() ? "" : ",") + r["rule"].get<std::string>();
  return s;
}

void write_whole(const std::filesystem::path& path, const std::string& text, const char* what) {
  const std::filesystem::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(path.string() + ": cannot write the " + what);
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    f.flush();
    if (!f) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw InputError(path.string() + ": cannot write the " + what);
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw InputError(path.string() + ": cannot write the " + what + ": " + ec.message());
  }
}

std::string fmt(double v, int decimals) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

}  // namespace

std::vector<std::pair<double, double>> circle_ring(double lat, double lon, double radius_m, int n) {
  const geo::LocalPlane plane(lat, lon);
  std::vector<std::pair<double, double>> ring;
  for (int k = 0; k < n; ++k) {
    const double a = 2.0 * geo::kPi * k / n;   // east = cos, north = sin: counter-clockwise
    double la = 0, lo = 0;
    plane.to_lat_lon({radius_m * std::cos(a), radius_m * std::sin(a)}, la, lo);
    ring.emplace_back(r7(lo), r7(la));
  }
  ring.push_back(ring.front());
  return ring;
}

std::string render_geojson(const MapData& d) {
  json features = json::array();
  if (d.track.size() >= 2) {
    json coords = json::array();
    for (const auto& p : d.track)
      if (geo::valid_lat_lon(p.lat, p.lon)) coords.push_back({r7(p.lon), r7(p.lat)});
    features.push_back({{"type", "Feature"},
                        {"geometry", {{"type", "LineString"}, {"coordinates", coords}}},
                        {"properties", {{"kind", "track"}, {"points", coords.size()},
                                        {"start_unix_ms", d.track.front().time_unix_ms},
                                        {"end_unix_ms", d.track.back().time_unix_ms}}}});
  }
  for (const auto& o : d.observations) {
    if (!positioned(o)) continue;
    features.push_back({{"type", "Feature"},
                        {"geometry", {{"type", "Point"}, {"coordinates", {r7(*o.lon), r7(*o.lat)}}}},
                        {"properties", observation_properties(o)}});
  }
  for (const auto& c : d.cells) {
    const auto e = estimate_of(c);
    if (!e) continue;
    json props{{"kind", "cell_estimate"}, {"label", label_of(c)}, {"radius_m", e->radius_m}, {"points", e->points},
               {"method", e->method}};
    features.push_back({{"type", "Feature"},
                        {"geometry", {{"type", "Point"}, {"coordinates", {r7(e->lon), r7(e->lat)}}}},
                        {"properties", props}});
    json ring = json::array();
    for (const auto& [lo, la] : circle_ring(e->lat, e->lon, e->radius_m)) ring.push_back({lo, la});
    props["kind"] = "cell_uncertainty";
    features.push_back({{"type", "Feature"},
                        {"geometry", {{"type", "Polygon"}, {"coordinates", json::array({ring})}}},
                        {"properties", props}});
  }
  for (const auto& a : d.alerts) {
    const auto p = alert_position(a);
    if (!p) continue;
    json props{{"kind", "alert"}, {"score", a.value("score", 0.0)}, {"rules", alert_rules(a)},
               {"label", a.contains("cell") ? label_of(a["cell"]) : std::string()}};
    features.push_back({{"type", "Feature"},
                        {"geometry", {{"type", "Point"}, {"coordinates", {r7(p->lon), r7(p->lat)}}}},
                        {"properties", props}});
  }
  return json{{"type", "FeatureCollection"}, {"features", features}}.dump(1) + "\n";
}

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // UTF-8 (src/core/utf8); XML 1.0 Char excludes U+FFFE/U+FFFF: those and invalid sequences become U+FFFD.
    const auto u = utf8_at(s, i);
    if (u && u->cp != 0xfffe && u->cp != 0xffff) {
      out.append(s, i, u->len);
      i += u->len;
    } else {
      out += "\xef\xbf\xbd";
      i += u ? u->len : 1;
    }
  }
  return out;
}

std::string render_kml(const MapData& d) {
  std::string k;
  k += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n";
  k += "<name>towerwatch</name>\n";
  k += "<Style id=\"track\"><LineStyle><color>ffff7f00</color><width>3</width></LineStyle></Style>\n";
  k += "<Style id=\"uncertainty\"><LineStyle><color>ff00aaff</color><width>2</width></LineStyle>"
       "<PolyStyle><color>3300aaff</color></PolyStyle></Style>\n";
  k += "<Style id=\"alert\"><IconStyle><color>ff0000ff</color><scale>1.4</scale></IconStyle></Style>\n";
  auto point = [](double lat, double lon) {
    return "<Point><coordinates>" + fmt(lon, 7) + "," + fmt(lat, 7) + "</coordinates></Point>";
  };
  k += "<Folder><name>Track</name>\n";
  if (d.track.size() >= 2) {
    k += "<Placemark><name>track</name><styleUrl>#track</styleUrl><LineString><tessellate>1</tessellate><coordinates>";
    for (const auto& p : d.track)
      if (geo::valid_lat_lon(p.lat, p.lon)) k += fmt(p.lon, 7) + "," + fmt(p.lat, 7) + " ";
    k += "</coordinates></LineString></Placemark>\n";
  }
  k += "</Folder>\n<Folder><name>Observations</name>\n";
  for (const auto& o : d.observations) {
    if (!positioned(o)) continue;
    const std::string label = label_of(o.params.is_object() ? o.params : json{{"rat", o.rat}});
    k += "<Placemark><name>" + xml_escape(label) + "</name><description>" +
         xml_escape(fmt(o.power_dbm ? *o.power_dbm : o.power_dbfs, 1) + (o.power_dbm ? " dBm" : " dBFS")) +
         "</description>" + point(*o.lat, *o.lon) + "</Placemark>\n";
  }
  k += "</Folder>\n<Folder><name>Cells</name>\n";
  for (const auto& c : d.cells) {
    const auto e = estimate_of(c);
    if (!e) continue;
    k += "<Placemark><name>" + xml_escape(label_of(c)) + "</name><description>" +
         xml_escape("estimated within " + fmt(e->radius_m, 0) + " m (" + e->method + ", " + std::to_string(e->points) +
                    " points)") +
         "</description><styleUrl>#uncertainty</styleUrl><MultiGeometry>" + point(e->lat, e->lon) +
         "<Polygon><outerBoundaryIs><LinearRing><coordinates>";
    for (const auto& [lo, la] : circle_ring(e->lat, e->lon, e->radius_m)) k += fmt(lo, 7) + "," + fmt(la, 7) + " ";
    k += "</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry></Placemark>\n";
  }
  k += "</Folder>\n<Folder><name>Alerts</name>\n";
  for (const auto& a : d.alerts) {
    const auto p = alert_position(a);
    if (!p) continue;
    k += "<Placemark><name>" + xml_escape("ALERT " + (a.contains("cell") ? label_of(a["cell"]) : std::string())) +
         "</name><description>" + xml_escape("score " + fmt(a.value("score", 0.0), 1) + ", rules " + alert_rules(a)) +
         "</description><styleUrl>#alert</styleUrl>" + point(p->lat, p->lon) + "</Placemark>\n";
  }
  k += "</Folder>\n</Document>\n</kml>\n";
  return k;
}

std::string render_wigle_csv(std::span<const CellObservation> observations) {
  std::string out =
      "WigleWifi-1.4,appRelease=" TW_VERSION ",model=towerwatch,release=" TW_VERSION
      ",device=towerwatch,display=towerwatch,board=towerwatch,brand=towerwatch\n"
      "MAC,SSID,AuthMode,FirstSeen,Channel,RSSI,CurrentLatitude,CurrentLongitude,AltitudeMeters,AccuracyMeters,Type\n";
  for (const auto& o : observations) {
    if (!positioned(o) || !o.mcc || !o.mnc || !o.lac || !o.ci) continue;
    if (o.rat != "GSM" && o.rat != "LTE") continue;
    // The MNC string is digits only (observation.cpp); anything else is left out rather than quoted.
    if (o.mnc->empty() || o.mnc->find_first_not_of("0123456789") != std::string::npos) continue;
    char mcc[8];
    std::snprintf(mcc, sizeof mcc, "%03d", *o.mcc);
    const std::string plmn = std::string(mcc) + *o.mnc;
    const std::time_t t = static_cast<std::time_t>(o.time_unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    const double rssi = o.power_dbm ? *o.power_dbm : o.power_dbfs;
    auto param = [&](const char* k) {
      return o.params.is_object() && o.params.contains(k) && o.params[k].is_number() ? o.params[k].get<double>() : 0.0;
    };
    out += plmn + "_" + std::to_string(*o.lac) + "_" + std::to_string(*o.ci) + ",," + o.rat + ";" + plmn + "," + when +
           "," + std::to_string(o.arfcn) + "," + std::to_string(static_cast<int>(std::lround(rssi))) + "," +
           fmt(*o.lat, 7) + "," + fmt(*o.lon, 7) + "," + fmt(param("altitude_m"), 1) + "," +
           fmt(param("position_accuracy_m"), 1) + "," + o.rat + "\n";
  }
  return out;
}

void write_geojson(const std::filesystem::path& path, const MapData& data) { write_whole(path, render_geojson(data), "GeoJSON"); }
void write_kml(const std::filesystem::path& path, const MapData& data) { write_whole(path, render_kml(data), "KML"); }
void write_wigle_csv(const std::filesystem::path& path, std::span<const CellObservation> observations) {
  write_whole(path, render_wigle_csv(observations), "WiGLE CSV");
}

}  // namespace tw::output
