// Built-in scenes: "single", "city", "city-with-rogue", "multiband", "drive" (GSM), "lte", "lte-weak" (LTE),
// "region-eu" (GSM and LTE in the five bands of `--region eu`), "nr" (5G NR SSBs).
#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>

#include "src/core/error.hpp"
#include "src/core/geo.hpp"
#include "tools/synth/scene.hpp"

namespace tw::synth {

namespace {

CellConfig legit(const std::string& name, int arfcn, int bsic, int mnc, int lac, int ci, double power_dbfs,
                 std::vector<int> neighbors, int t3212) {
  CellConfig c;
  c.name = name;
  c.arfcn = arfcn;
  c.band = default_band(arfcn);
  c.bsic = bsic;
  c.mcc = 262;
  c.mnc = mnc;
  c.mnc_digits = 2;
  c.lac = lac;
  c.ci = ci;
  c.neighbors = std::move(neighbors);
  c.t3212 = t3212;
  c.power_dbfs = power_dbfs;
  c.cell_allocation = {arfcn};
  c.traffic.imm_ass_hopping_fraction = 0.0;
  return c;
}

// A legitimate operator cell of the city: hopping over a small cell allocation, E-UTRAN priorities in
// SI2quater (LTE preferred: priority 6 above the serving GERAN priority 2), GPRS.
void operator_style(CellConfig& c, std::vector<int> cell_allocation, int earfcn) {
  c.cell_allocation = std::move(cell_allocation);
  c.traffic.imm_ass_hopping_fraction = 0.8;
  c.traffic.paging_per_s = 3.0;
  c.traffic.imm_ass_per_s = 1.5;
  c.gprs = true;
  c.ra_colour = 0;
  c.si2quater.present = true;
  c.si2quater.geran_priority = 2;
  c.si2quater.eutran = {EutranNeighbour{earfcn, 6, 10, 5, 10}};
}

Scene single() {
  Scene s;
  s.name = "single";
  s.seed = 1;
  s.noise_dbfs = -70.0;
  CellConfig c = legit("legit-1", 62, 23, 1, 1234, 5678, -30.0, {60, 64}, 10);
  s.cells.push_back(c);
  return s;
}

Scene city() {
  Scene s;
  s.name = "city";
  s.seed = 7;
  s.noise_dbfs = -75.0;
  // Operator A (262-01), LAC 1234, ARFCNs 58/62/66; operator B (262-02), LAC 3101, ARFCNs 70/73/76.
  // 58..76 = 946.6 .. 950.2 MHz.
  auto a1 = legit("A-1", 58, 10, 1, 1234, 10011, -38.0, {62, 66}, 20);
  auto a2 = legit("A-2", 62, 13, 1, 1234, 10012, -33.0, {58, 66}, 20);
  auto a3 = legit("A-3", 66, 17, 1, 1234, 10013, -47.0, {58, 62}, 20);
  auto b1 = legit("B-1", 70, 36, 2, 3101, 21001, -41.0, {73, 76}, 30);
  auto b2 = legit("B-2", 73, 38, 2, 3101, 21002, -45.0, {70, 76}, 30);
  auto b3 = legit("B-3", 76, 33, 2, 3101, 21003, -52.0, {70, 73}, 30);
  operator_style(a1, {5, 12, 58}, 1300);
  operator_style(a2, {9, 16, 62}, 1300);
  operator_style(a3, {20, 24, 66}, 1300);
  operator_style(b1, {70, 84, 97}, 6300);
  operator_style(b2, {73, 88, 101}, 6300);
  operator_style(b3, {76, 91, 105}, 6300);
  a1.freq_offset_hz = 12.0;
  a2.freq_offset_hz = -8.0;
  a3.freq_offset_hz = 20.0;
  a3.multipath = "tu";
  a3.doppler_hz = 2.0;
  a3.delay_us = 3.0;
  b1.freq_offset_hz = -15.0;
  b2.freq_offset_hz = 5.0;
  b2.delay_us = 1.5;
  b3.freq_offset_hz = 30.0;
  b3.multipath = "tu";
  b3.doppler_hz = 5.0;
  a2.cro = 2;
  a2.selection_parameters = true;
  b1.ccch_conf = 1;   // a smaller site with combined CCCH
  b1.bs_ag_blks_res = 1;
  s.cells = {a1, a2, a3, b1, b2, b3};
  return s;
}

Scene city_with_rogue() {
  Scene s = city();
  s.name = "city-with-rogue";
  // Clones operator A's identity, but: a LAC no neighbour uses, an empty neighbour list, CRO at its
  // maximum, a 6-minute T3212, much stronger than the real cells, a cheap 2.5 ppm clock, no hopping and no
  // SI2quater (no LTE redirection), no GPRS.
  CellConfig r = legit("rogue", 64, 13, 1, 4711, 10099, -22.0, {}, 1);
  r.selection_parameters = true;
  r.cro = 63;
  r.freq_offset_hz = 2.5e-6 * downlink_hz(64, GsmBand::PGSM900);
  r.traffic.imm_ass_hopping_fraction = 0.0;
  r.traffic.paging_per_s = 0.5;
  r.traffic.imm_ass_per_s = 2.0;
  r.si2quater.present = false;
  r.gprs = false;
  r.cell_allocation = {64};
  s.cells.push_back(r);
  return s;
}

Scene multiband() {
  Scene s;
  s.name = "multiband";
  s.seed = 11;
  s.noise_dbfs = -75.0;
  auto g1 = legit("900-1", 62, 21, 1, 1234, 30001, -35.0, {66}, 20);
  auto g2 = legit("900-2", 66, 22, 1, 1234, 30002, -42.0, {62}, 20);
  auto d1 = legit("1800-1", 600, 25, 1, 1240, 40001, -40.0, {604}, 20);
  auto d2 = legit("1800-2", 604, 26, 1, 1240, 40002, -46.0, {600}, 20);
  // SI2ter lists the other band's carriers.
  g1.neighbors_ter = {600, 604};
  g2.neighbors_ter = {600, 604};
  d1.neighbors_ter = {62, 66};
  d2.neighbors_ter = {62, 66};
  s.cells = {g1, g2, d1, d2};
  return s;
}

// "drive": 8 cells of two operators and a rogue placed along the drive route (drive_route_plane below, about
// 5.2 km through a town east of a reference point). Carriers every second ARFCN from 58 (946.6 MHz) to 74
// (949.8 MHz), all in one 4.8 Msps tuning. The levels come from the geometry when the simulated radio is
// given a receiver track; without one, power_dbfs (-50 dBFS) holds.
constexpr double kDriveLat0 = 52.52, kDriveLon0 = 13.40;

struct DriveSite {
  const char* name;
  double east_m, north_m, power_1m_dbm, exponent;
};

Scene drive() {
  Scene s = city_with_rogue();
  s.name = "drive";
  s.seed = 17;
  s.noise_dbfs = -75.0;
  s.rx_gain_db = 30.0;
  auto a4 = legit("A-4", 72, 11, 1, 1234, 10014, -50.0, {58, 62, 66}, 20);
  auto b4 = legit("B-4", 74, 34, 2, 3101, 21004, -50.0, {70, 73, 76}, 30);
  operator_style(a4, {28, 32, 72}, 1300);
  operator_style(b4, {74, 94, 109}, 6300);
  s.cells.insert(s.cells.begin() + 3, a4);
  s.cells.push_back(b4);
  // Carriers two ARFCNs apart, in scene order.
  const int arfcn[] = {58, 60, 62, 72, 64, 66, 68, 74, 70};   // A-1 A-2 A-3 A-4 B-1 B-2 B-3 rogue B-4 (scene order)
  static const DriveSite sites[] = {
      {"A-1", -1500, -900, 25.0, 3.5}, {"A-2", -900, 0, 25.0, 3.4},   {"A-3", 100, 900, 25.0, 3.6},
      {"A-4", 1300, 200, 25.0, 3.5},   {"B-1", -1300, 100, 24.0, 3.3}, {"B-2", -100, 100, 24.0, 3.5},
      {"B-3", 500, -400, 24.0, 3.4},   {"rogue", 200, 300, 15.0, 3.0}, {"B-4", 1400, -700, 24.0, 3.5}};
  const geo::LocalPlane plane(kDriveLat0, kDriveLon0);
  for (std::size_t i = 0; i < s.cells.size(); ++i) {
    auto& c = s.cells[i];
    std::erase(c.cell_allocation, c.arfcn);   // the allocation holds the cell's own carrier: the new one
    c.arfcn = arfcn[i];
    c.band = default_band(c.arfcn);
    c.cell_allocation.push_back(c.arfcn);
    std::sort(c.cell_allocation.begin(), c.cell_allocation.end());
    c.cell_allocation.erase(std::unique(c.cell_allocation.begin(), c.cell_allocation.end()), c.cell_allocation.end());
    c.power_dbfs = -50.0;
    c.multipath = "none";
    c.doppler_hz = 0.0;
    const auto it = std::find_if(std::begin(sites), std::end(sites), [&](const DriveSite& d) { return c.name == d.name; });
    if (it == std::end(sites)) throw std::logic_error("drive scene: no site for " + c.name);
    c.placement.placed = true;
    plane.to_lat_lon({it->east_m, it->north_m}, c.placement.lat, c.placement.lon);
    c.placement.power_1m_dbm = it->power_1m_dbm;
    c.placement.path_loss_exponent = it->exponent;
    c.placement.shadowing_db = 4.0;
    c.placement.shadowing_decorrelation_m = 50.0;
  }
  // Neighbour lists on the new channels: each legitimate cell lists its operator's other carriers.
  for (auto& c : s.cells) {
    if (c.name == "rogue") continue;
    c.neighbors.clear();
    for (const auto& o : s.cells)
      if (o.name != "rogue" && o.mnc == c.mnc && o.name != c.name) c.neighbors.push_back(o.arfcn);
  }
  for (auto& c : s.cells)
    if (c.name == "rogue") c.freq_offset_hz = 2.5e-6 * downlink_hz(c.arfcn, c.band);
  return s;
}

lte::LteCellConfig lte_cell(const std::string& name, int earfcn, int pci, int ports, int n_prb, double power_dbfs) {
  lte::LteCellConfig c;
  c.name = name;
  c.earfcn = earfcn;
  c.band = lte::band_of_earfcn(earfcn);
  c.duplex = lte::band_is_tdd(c.band) ? lte::Duplex::TDD : lte::Duplex::FDD;
  c.pci = pci;
  c.ports = ports;
  c.bandwidth_prb = n_prb;
  c.power_dbfs = power_dbfs;
  c.pdsch_load = 0.3;
  c.pdcch_load = 0.5;
  return c;
}

// Two cells of one operator on EARFCN 1300 (band 3, 1815.0 MHz): different PCIs (N_ID(2) 0 and 2), port
// counts and bandwidths; and a TDD cell in band 40 (2350 MHz, configuration 2, special subframe 7).
SceneWithLte lte_scene() {
  SceneWithLte s;
  s.scene.name = "lte";
  s.scene.seed = 21;
  s.scene.noise_dbfs = -70.0;
  auto a = lte_cell("B3-150", 1300, 150, 2, 50, -75.0);
  a.freq_offset_hz = 40.0;
  a.first_sfn = 28;
  a.first_sfn_set = true;
  auto b = lte_cell("B3-302", 1300, 302, 4, 25, -84.0);
  b.freq_offset_hz = -60.0;
  b.delay_us = 3.2;
  b.multipath = "epa";
  b.doppler_hz = 5.0;
  b.phich_resource = "1/6";
  b.first_sfn = 517;
  b.first_sfn_set = true;
  auto c = lte_cell("B40-30", 39150, 30, 1, 100, -80.0);
  c.tdd_config = 2;
  c.special_subframe_config = 7;
  c.phich_extended = true;
  c.first_sfn = 263;
  c.first_sfn_set = true;
  s.lte_cells = {a, b, c};
  return s;
}

// One cell near the noise: EPRE -94 dBFS against -70 dBFS of noise over 1.92 MHz (-91.1 dBFS per 15 kHz
// subcarrier), so about -3 dB SNR per resource element at 1.92 Msps; band 20 (806.0 MHz).
SceneWithLte lte_weak() {
  SceneWithLte s;
  s.scene.name = "lte-weak";
  s.scene.seed = 23;
  s.scene.noise_dbfs = -70.0;
  auto c = lte_cell("B20-77", 6300, 77, 1, 25, -94.0);
  c.freq_offset_hz = 250.0;
  c.delay_us = 12.5;
  c.first_sfn = 1000;
  c.first_sfn_set = true;
  s.lte_cells = {c};
  return s;
}

// "region-eu": one operator's cells in every band of `--region eu` (src/sweep/band_plan.cpp), as an EU site hears
// them: E-GSM900 ARFCN 20 and 62, DCS1800 ARFCN 530 and 570 (1810.6, 1818.6 MHz), LTE B20 EARFCN 6300
// (806 MHz), B3 EARFCN 1575 (1842.5 MHz, 10 MHz wide, clear of the DCS carriers) and B7 EARFCN 3100 (2655 MHz),
// 10 MHz LTE cells (50 PRB, 2 ports) with their System Information. Made through the scene parser, as a
// scene file would be.
SceneWithLte region_eu() {
  nlohmann::json gsm = nlohmann::json::array();
  const struct { int arfcn, bsic, lac, ci; double dbfs; } g[] = {
      {20, 10, 1201, 20001, -38.0}, {62, 11, 1201, 20002, -44.0}, {530, 12, 1202, 30001, -40.0}, {570, 13, 1202, 30002, -46.0}};
  for (const auto& c : g) {
    std::vector<int> neighbors;
    for (const auto& o : g)
      if (o.arfcn != c.arfcn && (o.arfcn < 512) == (c.arfcn < 512)) neighbors.push_back(o.arfcn);
    gsm.push_back({{"name", "gsm-" + std::to_string(c.arfcn)}, {"arfcn", c.arfcn}, {"bsic", c.bsic}, {"mcc", 262},
                   {"mnc", 1}, {"lac", c.lac}, {"ci", c.ci}, {"power_dbfs", c.dbfs}, {"neighbors", neighbors},
                   {"t3212", 10}});
  }
  nlohmann::json lte = nlohmann::json::array();
  const struct { int earfcn, pci, tac, eci; double dbfs; } l[] = {
      {6300, 77, 4101, 0x1A2B01, -70.0}, {1575, 150, 4101, 0x1A2B02, -72.0}, {3100, 302, 4101, 0x1A2B03, -74.0}};
  for (const auto& c : l)
    lte.push_back({{"name", "lte-" + std::to_string(c.earfcn)}, {"earfcn", c.earfcn}, {"pci", c.pci}, {"ports", 2},
                   {"bandwidth_prb", 50}, {"power_dbfs", c.dbfs}, {"mcc", 262}, {"mnc", "01"},
                   {"tac", c.tac}, {"cell_identity", c.eci}, {"pdsch_load", 0.3}, {"pdcch_load", 0.5}});
  const nlohmann::json doc{{"name", "region-eu"}, {"seed", 31}, {"noise_dbfs", -70.0}, {"cells", gsm}, {"lte_cells", lte}};
  return parse_scene_with_lte(doc, "built-in scene region-eu");
}

// Two 5G NR cells of band n78 (30 kHz SSBs, case C, L_max 8) on one GSCN, as a TDD network places them: a
// strong one sending SSBs 0..3, a weaker one with a clock error sending SSB 2 (SS/PBCH blocks only).
SceneWithLte nr_scene() {
  SceneWithLte s;
  s.scene.name = "nr";
  s.scene.seed = 5;
  s.scene.noise_dbfs = -80.0;
  nr::NrCellConfig a;
  a.name = "gNB n78 A";
  a.gscn = 7880;
  a.pci = 301;
  a.ssb_indices = {0, 1, 2, 3};
  a.scs_common_khz = 30;
  a.coreset_zero = 12;
  a.power_dbfs = -64.0;
  a.delay_us = 700.0;
  nr::NrCellConfig b = a;
  b.name = "gNB n78 B";
  b.pci = 302;
  b.ssb_indices = {2};
  b.ssb_subcarrier_offset = 6;
  b.power_dbfs = -72.0;
  b.freq_offset_hz = 1.5e3;
  b.delay_us = 2900.0;
  s.nr_cells = {a, b};
  return s;
}

}  // namespace

const std::vector<std::string>& builtin_scene_names() {
  static const std::vector<std::string> names = {"single", "city", "city-with-rogue", "multiband", "drive", "lte", "lte-weak", "region-eu", "nr"};
  return names;
}

SceneWithLte builtin_scene_with_lte(const std::string& name) {
  if (name == "lte") return lte_scene();
  if (name == "lte-weak") return lte_weak();
  if (name == "nr") return nr_scene();
  if (name == "region-eu") return region_eu();
  if (name == "single") return {single(), {}, {}};
  if (name == "city") return {city(), {}, {}};
  if (name == "city-with-rogue") return {city_with_rogue(), {}, {}};
  if (name == "multiband") return {multiband(), {}, {}};
  if (name == "drive") return {drive(), {}, {}};
  throw InputError("unknown built-in scene '" + name + "' (known: single, city, city-with-rogue, multiband, drive, lte, lte-weak, region-eu, nr)");
}

std::vector<TrackPoint> drive_route(double speed_mps, double step_s) {
  if (!(speed_mps > 0) || !(step_s > 0)) throw InputError("drive route: speed and step must be positive");
  // East/north metres from (52.52, 13.40): five legs with right-angle turns, 5.2 km.
  const geo::EastNorth corners[] = {{-1800, -500}, {-500, -500}, {-500, 500}, {800, 500}, {800, -200}, {1700, -200}};
  const geo::LocalPlane plane(kDriveLat0, kDriveLon0);
  std::vector<TrackPoint> out;
  double t = 0.0, leg_start = 0.0;
  for (std::size_t k = 0; k + 1 < std::size(corners); ++k) {
    const auto a = corners[k], b = corners[k + 1];
    const double len = std::hypot(b.east_m - a.east_m, b.north_m - a.north_m);
    const double leg_end = leg_start + len / speed_mps;
    for (; t < leg_end; t += step_s) {
      const double f = (t - leg_start) / (leg_end - leg_start);
      TrackPoint p{t, 0, 0};
      plane.to_lat_lon({a.east_m + f * (b.east_m - a.east_m), a.north_m + f * (b.north_m - a.north_m)}, p.lat, p.lon);
      out.push_back(p);
    }
    leg_start = leg_end;
  }
  TrackPoint last{leg_start, 0, 0};
  plane.to_lat_lon(corners[std::size(corners) - 1], last.lat, last.lon);
  if (out.empty() || out.back().t_s < leg_start) out.push_back(last);
  return out;
}

Scene builtin_scene(const std::string& name) { return builtin_scene_with_lte(name).scene; }

}  // namespace tw::synth
