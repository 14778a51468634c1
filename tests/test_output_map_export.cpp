// GeoJSON, KML and WiGLE CSV exports (src/output/map_export.hpp), read back by independent readers: the
// GeoJSON by a JSON parser against RFC 7946's structure, the KML by Python's xml.etree (a real XML parser,
// run as a subprocess), the WiGLE CSV against the column layout the WiGLE Android app writes.
#include <gtest/gtest.h>
#include <unistd.h>
#include <map>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "src/core/geo.hpp"
#include "src/output/map_export.hpp"
#include "src/scorer/observation.hpp"
#include "src/scorer/scorer.hpp"
#include "support/test_support.hpp"

namespace {

using nlohmann::json;

json gsm_record() {
  // The MNC carries characters XML must escape (a record is attacker input: the export must survive it).
  return {{"type", "cell"}, {"rat", "GSM"}, {"arfcn", 64}, {"mcc", 262}, {"mnc", "01"}, {"lac", 4711}, {"ci", 10099},
          {"bsic", 13}, {"power_dbfs", -41.3}, {"power_dbm", -81.6}, {"position_accuracy_m", 4.5}, {"altitude_m", 35.0},
          {"position_estimate", {{"lat", 52.5231}, {"lon", 13.4012}, {"radius_m", 180.0}, {"points", 42}, {"method", "path_loss_fit"}}}};
}

tw::output::MapData sample_map() {
  tw::output::MapData d;
  d.track = {{1000, 52.5200, 13.3900}, {2000, 52.5210, 13.3950}, {3000, 52.5220, 13.4000}};
  json g = gsm_record();
  auto o1 = tw::CellObservation::from_cell_record(g, 1764763200000LL, "TWSIM0001");   // 2025-12-03 12:00:00 UTC
  o1.lat = 52.5210;
  o1.lon = 13.3950;
  json l = {{"type", "cell"}, {"rat", "LTE"}, {"earfcn", 1300}, {"pci", 150}, {"mcc", 262}, {"mnc", "02"}, {"tac", 3101},
            {"cell_identity", 256001}, {"rsrp_dbfs", -70.2}};
  auto o2 = tw::CellObservation::from_cell_record(l, 1764763201000LL, "TWSIM0001");
  o2.lat = 52.5220;
  o2.lon = 13.4000;
  auto o3 = tw::CellObservation::from_cell_record(l, 1764763202000LL, "TWSIM0001");   // no position: left out
  d.observations = {o1, o2, o3};
  json odd = g;
  odd["mnc"] = "0<1&\"'\x01";
  odd["arfcn"] = 66;
  d.cells = {g, odd, l};
  tw::Alert a{tw::CellObservation::from_cell_record(g, 1764763200000LL, "TWSIM0001"), 4.5, {}};
  a.reasons.push_back({"A2", 1.5, "LAC differs", json::object()});
  a.reasons.push_back({"K1", 1.0, "no neighbours", json::object()});
  d.alerts = {tw::to_json(a)};
  return d;
}

std::filesystem::path temp_file(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("tw-map-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  const int rc = pclose(p);
  if (rc != 0) out += "\nEXIT " + std::to_string(rc);
  return out;
}

TEST(MapExport, GeoJsonFollowsRfc7946) {
  const auto d = sample_map();
  const auto path = temp_file("map.geojson");
  tw::output::write_geojson(path, d);
  std::ifstream f(path);
  const json doc = json::parse(f);   // throws (fails the test) on invalid JSON
  ASSERT_EQ(doc["type"], "FeatureCollection");
  std::map<std::string, int> kinds;
  for (const auto& ft : doc["features"]) {
    ASSERT_EQ(ft["type"], "Feature");
    ASSERT_TRUE(ft["properties"].is_object());
    const auto& g = ft["geometry"];
    const std::string kind = ft["properties"]["kind"];
    ++kinds[kind];
    auto check_position = [](const json& p) {
      ASSERT_TRUE(p.is_array());
      ASSERT_EQ(p.size(), 2u);
      // lon, lat order (RFC 7946 3.1.1): every position here lies at lon ~13.4, lat ~52.5.
      EXPECT_NEAR(p[0].get<double>(), 13.4, 0.05);
      EXPECT_NEAR(p[1].get<double>(), 52.52, 0.05);
    };
    if (g["type"] == "Point") {
      check_position(g["coordinates"]);
    } else if (g["type"] == "LineString") {
      ASSERT_GE(g["coordinates"].size(), 2u);
      for (const auto& p : g["coordinates"]) check_position(p);
    } else {
      ASSERT_EQ(g["type"], "Polygon");
      const auto& ring = g["coordinates"][0];
      ASSERT_GE(ring.size(), 4u);
      EXPECT_EQ(ring.front(), ring.back());   // closed (3.1.6)
      double area2 = 0;                        // shoelace: > 0 counter-clockwise, as 3.1.6 wants exteriors
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        check_position(ring[i]);
        area2 += ring[i][0].get<double>() * ring[i + 1][1].get<double>() - ring[i + 1][0].get<double>() * ring[i][1].get<double>();
        // Every vertex at the radius from the estimate.
        EXPECT_NEAR(tw::geo::distance_m(52.5231, 13.4012, ring[i][1].get<double>(), ring[i][0].get<double>()), 180.0, 1.0);
      }
      EXPECT_GT(area2, 0.0);
    }
    if (kind == "alert") {
      EXPECT_EQ(g["coordinates"][0].get<double>(), 13.4012);   // at the transmitter's estimate
      EXPECT_EQ(g["coordinates"][1].get<double>(), 52.5231);
      EXPECT_EQ(ft["properties"]["rules"], "A2,K1");
    }
  }
  EXPECT_EQ(kinds["track"], 1);
  EXPECT_EQ(kinds["observation"], 2);
  EXPECT_EQ(kinds["cell_estimate"], 2);
  EXPECT_EQ(kinds["cell_uncertainty"], 2);
  EXPECT_EQ(kinds["alert"], 1);
}

TEST(MapExport, KmlIsReadByAnXmlParser) {
  if (std::system("python3 -c 'import xml.etree.ElementTree' >/dev/null 2>&1") != 0) {
    if (tw::test::running_in_ci()) FAIL() << "python3 missing in CI (tools/bootstrap.sh installs it)";
    GTEST_SKIP() << "python3 not found: the KML is not read back";
  }
  const auto d = sample_map();
  const auto path = temp_file("map.kml");
  tw::output::write_kml(path, d);
  const std::string script =
      "import sys, xml.etree.ElementTree as ET\n"
      "ns = {'k': 'http://www.opengis.net/kml/2.2'}\n"
      "root = ET.parse(sys.argv[1]).getroot()\n"
      "for f in root.iter('{http://www.opengis.net/kml/2.2}Folder'):\n"
      "    name = f.find('k:name', ns).text\n"
      "    for p in f.findall('k:Placemark', ns):\n"
      "        coords = [c.text.strip() for c in p.iter('{http://www.opengis.net/kml/2.2}coordinates')]\n"
      "        print(name + '|' + (p.find('k:name', ns).text or '') + '|' + ';'.join(c.split()[0] for c in coords) + '|' + str(sum(len(c.split()) for c in coords)))\n";
  const auto py = temp_file("read_kml.py");
  std::ofstream(py) << script;
  const std::string out = run("python3 " + py.string() + " " + path.string());
  ASSERT_EQ(out.find("EXIT"), std::string::npos) << out;
  std::istringstream in(out);
  std::string line;
  std::map<std::string, int> per_folder;
  bool odd_seen = false, alert_seen = false;
  while (std::getline(in, line)) {
    const auto a = line.find('|');
    ++per_folder[line.substr(0, a)];
    if (line.find("262-0<1&\"'") != std::string::npos) odd_seen = true;   // escaped, read back as it was (control char dropped)
    if (line.rfind("Alerts|ALERT GSM ARFCN 64", 0) == 0) {
      alert_seen = true;
      EXPECT_NE(line.find("|13.4012000,52.5231000|"), std::string::npos) << line;
    }
    if (line.rfind("Cells|", 0) == 0) EXPECT_NE(line.find("|66"), std::string::npos) << line;   // point + 65-vertex ring
  }
  EXPECT_EQ(per_folder["Track"], 1);
  EXPECT_EQ(per_folder["Observations"], 2);
  EXPECT_EQ(per_folder["Cells"], 2);
  EXPECT_EQ(per_folder["Alerts"], 1);
  EXPECT_TRUE(odd_seen) << out;
  EXPECT_TRUE(alert_seen) << out;
}

TEST(MapExport, XmlEscapeDropsWhatXmlCannotCarry) {
  EXPECT_EQ(tw::output::xml_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
  EXPECT_EQ(tw::output::xml_escape(std::string("x\x01\x1fy\tz", 6)), "xy\tz");
  EXPECT_EQ(tw::output::xml_escape("\xff\xc3"), "\xef\xbf\xbd\xef\xbf\xbd");     // invalid UTF-8
  EXPECT_EQ(tw::output::xml_escape("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");   // a surrogate
  EXPECT_EQ(tw::output::xml_escape("M\xc3\xbcnchen"), "M\xc3\xbcnchen");
}

TEST(MapExport, WigleCsvReadsBackAsTheAppWritesCells) {
  const auto d = sample_map();
  const std::string csv = tw::output::render_wigle_csv(d.observations);
  std::istringstream in(csv);
  std::string l1, l2, row;
  std::getline(in, l1);
  std::getline(in, l2);
  EXPECT_EQ(l1.rfind("WigleWifi-1.4,appRelease=", 0), 0u);
  EXPECT_EQ(l2, "MAC,SSID,AuthMode,FirstSeen,Channel,RSSI,CurrentLatitude,CurrentLongitude,AltitudeMeters,AccuracyMeters,Type");
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, row)) {
    std::vector<std::string> f;
    std::stringstream ss(row);
    std::string x;
    while (std::getline(ss, x, ',')) f.push_back(x);
    if (!row.empty() && row.back() == ',') f.push_back("");
    rows.push_back(f);
  }
  ASSERT_EQ(rows.size(), 2u);   // the unpositioned observation is left out
  const auto& g = rows[0];
  ASSERT_EQ(g.size(), 11u);
  EXPECT_EQ(g[0], "26201_4711_10099");
  EXPECT_EQ(g[1], "");
  EXPECT_EQ(g[2], "GSM;26201");
  EXPECT_EQ(g[3], "2025-12-03 12:00:00");
  EXPECT_EQ(g[4], "64");
  EXPECT_EQ(g[5], "-82");
  EXPECT_DOUBLE_EQ(std::stod(g[6]), 52.521);
  EXPECT_DOUBLE_EQ(std::stod(g[7]), 13.395);
  EXPECT_DOUBLE_EQ(std::stod(g[8]), 35.0);
  EXPECT_DOUBLE_EQ(std::stod(g[9]), 4.5);
  EXPECT_EQ(g[10], "GSM");
  const auto& l = rows[1];
  ASSERT_EQ(l.size(), 11u);
  EXPECT_EQ(l[0], "26202_3101_256001");
  EXPECT_EQ(l[2], "LTE;26202");
  EXPECT_EQ(l[4], "1300");
  EXPECT_EQ(l[5], "-70");   // no level calibration: the dBFS value
  EXPECT_EQ(l[10], "LTE");
}

TEST(MapExport, UnwritablePathIsAnInputErrorNamingIt) {
  const auto d = sample_map();
  try {
    tw::output::write_geojson("/nonexistent-dir-tw/x.geojson", d);
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir-tw/x.geojson"), std::string::npos);
  }
}

}  // namespace
