#include "tools/synth/scene.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>

#include "src/core/error.hpp"
#include "src/core/log.hpp"
#include "tools/synth/channel.hpp"
#include "tools/synth/lte/sib_encoder.hpp"

namespace tw::synth {

namespace {

using nlohmann::json;

// Context for error messages: "<source>: <path>: <what>".
struct Ctx {
  const std::string& source;
  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(source + ": " + path + ": " + what);
  }
};

std::string show(const json& v) {
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

long long get_int(const Ctx& c, const json& v, const std::string& path, long long lo, long long hi) {
  long long x = 0;
  if (v.is_number_integer()) {
    x = v.is_number_unsigned() ? (v.get<unsigned long long>() > 0x7fffffffffffffffULL ? hi + 1 : v.get<long long>())
                               : v.get<long long>();
  } else if (v.is_number_float() && std::isfinite(v.get<double>()) && std::floor(v.get<double>()) == v.get<double>() &&
             std::abs(v.get<double>()) < 9e15) {
    x = static_cast<long long>(v.get<double>());
  } else {
    c.fail(path, show(v) + " is not an integer");
  }
  if (x < lo || x > hi) c.fail(path, std::to_string(x) + " is out of range " + std::to_string(lo) + ".." + std::to_string(hi));
  return x;
}

double get_double(const Ctx& c, const json& v, const std::string& path, double lo, double hi) {
  if (!v.is_number() || !std::isfinite(v.get<double>())) c.fail(path, show(v) + " is not a number");
  const double x = v.get<double>();
  if (x < lo || x > hi) {
    std::ostringstream o;
    o << x << " is out of range " << lo << ".." << hi;
    c.fail(path, o.str());
  }
  return x;
}

bool get_bool(const Ctx& c, const json& v, const std::string& path) {
  if (!v.is_boolean()) c.fail(path, show(v) + " is not true or false");
  return v.get<bool>();
}

std::string get_string(const Ctx& c, const json& v, const std::string& path) {
  if (!v.is_string()) c.fail(path, show(v) + " is not a string");
  return v.get<std::string>();
}

std::vector<int> get_int_list(const Ctx& c, const json& v, const std::string& path, int lo, int hi, std::size_t max_n) {
  if (!v.is_array()) c.fail(path, show(v) + " is not an array");
  if (v.size() > max_n) c.fail(path, "has " + std::to_string(v.size()) + " entries, at most " + std::to_string(max_n));
  std::vector<int> out;
  for (std::size_t i = 0; i < v.size(); ++i)
    out.push_back(static_cast<int>(get_int(c, v[i], path + "[" + std::to_string(i) + "]", lo, hi)));
  return out;
}

using Handler = std::function<void(const json&, const std::string&)>;

// Handlers that parse one field into `dst`, range-checked (errors name the key path).
Handler int_field(const Ctx& c, int& dst, long long lo, long long hi) {
  return [&c, &dst, lo, hi](const json& v, const std::string& p) { dst = static_cast<int>(get_int(c, v, p, lo, hi)); };
}
Handler double_field(const Ctx& c, double& dst, double lo, double hi) {
  return [&c, &dst, lo, hi](const json& v, const std::string& p) { dst = get_double(c, v, p, lo, hi); };
}
// null clears the field.
Handler optional_double_field(const Ctx& c, std::optional<double>& dst, double lo, double hi) {
  return [&c, &dst, lo, hi](const json& v, const std::string& p) {
    if (v.is_null())
      dst.reset();
    else
      dst = get_double(c, v, p, lo, hi);
  };
}

// Runs the handler of every key of object `obj`; an unknown key is an error.
void for_keys(const Ctx& c, const json& obj, const std::string& path, const std::map<std::string, Handler>& handlers) {
  if (!obj.is_object()) c.fail(path.empty() ? "(top level)" : path, "must be a JSON object");
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string p = path.empty() ? it.key() : path + "." + it.key();
    const auto h = handlers.find(it.key());
    if (h == handlers.end()) c.fail(p, "unknown key");
    h->second(it.value(), p);
  }
}


// The geometry keys of a cell (tools/synth/geometry.hpp); a cell with any of them needs lat and lon.
void add_placement_handlers(const Ctx& c, CellPlacement& pl, std::map<std::string, Handler>& h) {
  auto mark = [&pl](Handler f) {
    return [&pl, f](const json& v, const std::string& p) {
      f(v, p);
      pl.placed = true;
    };
  };
  h["lat"] = mark(double_field(c, pl.lat, -90.0, 90.0));
  h["lon"] = mark(double_field(c, pl.lon, -180.0, 180.0));
  h["power_1m_dbm"] = mark(double_field(c, pl.power_1m_dbm, -100.0, 100.0));
  h["path_loss_exponent"] = mark(double_field(c, pl.path_loss_exponent, 1.5, 6.0));
  h["shadowing_db"] = mark(double_field(c, pl.shadowing_db, 0.0, 20.0));
  h["shadowing_decorrelation_m"] = mark(double_field(c, pl.shadowing_decorrelation_m, 1.0, 10000.0));
}
void check_placement(const Ctx& c, const json& j, const std::string& path, const CellPlacement& pl) {
  if (!pl.placed) return;
  for (const char* k : {"lat", "lon"})
    if (!j.contains(k)) c.fail(path + "." + k, "missing (a placed cell needs lat and lon)");
}
void add_placement_json(json& j, const CellPlacement& pl) {
  if (!pl.placed) return;
  j["lat"] = pl.lat;
  j["lon"] = pl.lon;
  j["power_1m_dbm"] = pl.power_1m_dbm;
  j["path_loss_exponent"] = pl.path_loss_exponent;
  j["shadowing_db"] = pl.shadowing_db;
  j["shadowing_decorrelation_m"] = pl.shadowing_decorrelation_m;
}

void parse_si2quater(const Ctx& c, const json& j, const std::string& path, Si2quaterConfig& q) {
  q.present = true;
  auto I = [&](int& dst, long long lo, long long hi) { return int_field(c, dst, lo, hi); };
  for_keys(c, j, path,
           {{"present", [&](const json& v, const std::string& p) { q.present = get_bool(c, v, p); }},
            {"geran_priority", I(q.geran_priority, 0, 7)},
            {"thresh_prio_search", I(q.thresh_prio_search, 0, 15)},
            {"thresh_gsm_low", I(q.thresh_gsm_low, 0, 15)},
            {"h_prio", I(q.h_prio, 0, 3)},
            {"t_reselection", I(q.t_reselection, 0, 3)},
            {"utran_fdd",
             [&](const json& v, const std::string& p) {
               if (!v.is_array()) c.fail(p, "is not an array");
               q.utran_fdd.clear();
               for (std::size_t i = 0; i < v.size(); ++i) {
                 UtranFddNeighbour n;
                 const std::string pi = p + "[" + std::to_string(i) + "]";
                 for_keys(c, v[i], pi,
                          {{"uarfcn", I(n.uarfcn, 0, 16383)},
                           {"scrambling_codes", [&](const json& w, const std::string& pw) {
                              n.scrambling_codes = get_int_list(c, w, pw, 0, 511, 32);
                            }}});
                 q.utran_fdd.push_back(n);
               }
             }},
            {"eutran", [&](const json& v, const std::string& p) {
               if (!v.is_array()) c.fail(p, "is not an array");
               q.eutran.clear();
               for (std::size_t i = 0; i < v.size(); ++i) {
                 EutranNeighbour n;
                 const std::string pi = p + "[" + std::to_string(i) + "]";
                 for_keys(c, v[i], pi,
                          {{"earfcn", I(n.earfcn, 0, 65535)},
                           {"priority", I(n.priority, 0, 7)},
                           {"thresh_high", I(n.thresh_high, 0, 31)},
                           {"thresh_low", I(n.thresh_low, 0, 31)},
                           {"qrxlevmin", I(n.qrxlevmin, 0, 31)}});
                 q.eutran.push_back(n);
               }
             }}});
}

void parse_traffic(const Ctx& c, const json& j, const std::string& path, CcchTraffic& t) {
  auto D = [&](double& dst, double lo, double hi) { return double_field(c, dst, lo, hi); };
  for_keys(c, j, path,
           {{"paging_per_s", D(t.paging_per_s, 0, 1000)},
            {"paging_type2_fraction", D(t.paging_type2_fraction, 0, 1)},
            {"paging_type3_fraction", D(t.paging_type3_fraction, 0, 1)},
            {"paging_imsi_fraction", D(t.paging_imsi_fraction, 0, 1)},
            {"paging_imei_fraction", D(t.paging_imei_fraction, 0, 1)},
            {"imm_ass_per_s", D(t.imm_ass_per_s, 0, 1000)},
            {"imm_ass_hopping_fraction", D(t.imm_ass_hopping_fraction, 0, 1)},
            {"imm_ass_reject_per_s", D(t.imm_ass_reject_per_s, 0, 1000)}});
  if (t.paging_type2_fraction + t.paging_type3_fraction > 1.0)
    c.fail(path, "paging_type2_fraction + paging_type3_fraction exceeds 1");
  if (t.paging_imsi_fraction + t.paging_imei_fraction > 1.0)
    c.fail(path, "paging_imsi_fraction + paging_imei_fraction exceeds 1");
}

CellConfig parse_cell(const Ctx& c, const json& j, const std::string& path) {
  CellConfig cell;
  bool band_given = false, sel_given = false, sel_fields = false;
  auto I = [&](int& dst, long long lo, long long hi) { return int_field(c, dst, lo, hi); };
  auto Isel = [&](int& dst, long long lo, long long hi) {
    return [&c, &dst, lo, hi, &sel_fields](const json& v, const std::string& p) {
      dst = static_cast<int>(get_int(c, v, p, lo, hi));
      sel_fields = true;
    };
  };
  auto B = [&](bool& dst) { return [&c, &dst](const json& v, const std::string& p) { dst = get_bool(c, v, p); }; };
  auto D = [&](double& dst, double lo, double hi) { return double_field(c, dst, lo, hi); };
  auto L = [&](std::vector<int>& dst) {
    return [&c, &dst](const json& v, const std::string& p) { dst = get_int_list(c, v, p, 0, 1023, 64); };
  };
  std::map<std::string, Handler> handlers(
      {{"name", [&](const json& v, const std::string& p) { cell.name = get_string(c, v, p); }},
       {"arfcn", I(cell.arfcn, 0, 1023)},
       {"band",
        [&](const json& v, const std::string& p) {
          const auto b = band_from_name(get_string(c, v, p));
          if (!b) c.fail(p, show(v) + " is not a band (PGSM900, EGSM900, RGSM900, GSM850, GSM450, GSM480, DCS1800, PCS1900)");
          cell.band = *b;
          band_given = true;
        }},
       {"bsic", I(cell.bsic, 0, 63)},
       {"mcc", I(cell.mcc, 0, 999)},
       {"mnc",
        [&](const json& v, const std::string& p) {
          if (v.is_string()) {
            const std::string s = v.get<std::string>();
            if ((s.size() != 2 && s.size() != 3) || s.find_first_not_of("0123456789") != std::string::npos)
              c.fail(p, show(v) + " is not 2 or 3 decimal digits");
            cell.mnc = std::stoi(s);
            cell.mnc_digits = static_cast<int>(s.size());
          } else {
            cell.mnc = static_cast<int>(get_int(c, v, p, 0, 999));
            if (cell.mnc > 99) cell.mnc_digits = 3;
          }
        }},
       {"mnc_digits", I(cell.mnc_digits, 2, 3)},
       {"lac", I(cell.lac, 0, 65535)},
       {"ci", I(cell.ci, 0, 65535)},
       {"neighbors", L(cell.neighbors)},
       {"neighbors_bis", L(cell.neighbors_bis)},
       {"neighbors_ter", L(cell.neighbors_ter)},
       {"ba_ind", B(cell.ba_ind)},
       {"ncc_permitted", I(cell.ncc_permitted, 0, 255)},
       {"cell_allocation", L(cell.cell_allocation)},
       {"att", B(cell.att)},
       {"bs_ag_blks_res", I(cell.bs_ag_blks_res, 0, 7)},
       {"ccch_conf", I(cell.ccch_conf, 0, 1)},
       {"bs_pa_mfrms", I(cell.bs_pa_mfrms, 2, 9)},
       {"t3212", I(cell.t3212, 0, 255)},
       {"pwrc", B(cell.pwrc)},
       {"dtx", I(cell.dtx, 0, 3)},
       {"radio_link_timeout", I(cell.radio_link_timeout, 0, 15)},
       {"cell_reselect_hysteresis", I(cell.cell_reselect_hysteresis, 0, 7)},
       {"ms_txpwr_max_cch", I(cell.ms_txpwr_max_cch, 0, 31)},
       {"acs", B(cell.acs)},
       {"neci", B(cell.neci)},
       {"rxlev_access_min", I(cell.rxlev_access_min, 0, 63)},
       {"max_retrans",
        [&](const json& v, const std::string& p) {
          const int x = static_cast<int>(get_int(c, v, p, 1, 7));
          if (x != 1 && x != 2 && x != 4 && x != 7) c.fail(p, std::to_string(x) + " is not one of 1, 2, 4, 7");
          cell.max_retrans = x;
        }},
       {"tx_integer", I(cell.tx_integer, 0, 15)},
       {"cell_barred", B(cell.cell_barred)},
       {"reestablishment_allowed", B(cell.reestablishment_allowed)},
       {"access_classes_barred",
        [&](const json& v, const std::string& p) { cell.access_classes_barred = static_cast<uint16_t>(get_int(c, v, p, 0, 65535)); }},
       {"selection_parameters",
        [&](const json& v, const std::string& p) {
          cell.selection_parameters = get_bool(c, v, p);
          sel_given = true;
        }},
       {"cbq", Isel(cell.cbq, 0, 1)},
       {"cro", Isel(cell.cro, 0, 63)},
       {"temporary_offset", Isel(cell.temporary_offset, 0, 7)},
       {"penalty_time", Isel(cell.penalty_time, 0, 31)},
       {"gprs", B(cell.gprs)},
       {"ra_colour", I(cell.ra_colour, 0, 7)},
       {"si2quater", [&](const json& v, const std::string& p) { parse_si2quater(c, v, p, cell.si2quater); }},
       {"power_dbfs", D(cell.power_dbfs, -200.0, 20.0)},
       {"freq_offset_hz", D(cell.freq_offset_hz, -100e3, 100e3)},
       {"delay_us", D(cell.delay_us, 0.0, 10000.0)},
       {"multipath",
        [&](const json& v, const std::string& p) {
          cell.multipath = get_string(c, v, p);
          if (cell.multipath != "none" && cell.multipath != "tu") c.fail(p, show(v) + " is not \"none\" or \"tu\"");
        }},
       {"doppler_hz", D(cell.doppler_hz, 0.0, 2000.0)},
       {"on_s", D(cell.on_s, 0.0, 1e7)},
       {"off_s", optional_double_field(c, cell.off_s, 0.0, 1e7)},
       {"first_fn",
        [&](const json& v, const std::string& p) {
          cell.first_fn = static_cast<std::uint32_t>(get_int(c, v, p, 0, 2715647));
          cell.first_fn_set = true;
        }},
       {"traffic", [&](const json& v, const std::string& p) { parse_traffic(c, v, p, cell.traffic); }}});
  add_placement_handlers(c, cell.placement, handlers);
  for_keys(c, j, path, handlers);
  check_placement(c, j, path, cell.placement);
  if (!j.contains("arfcn")) c.fail(path + ".arfcn", "missing (every cell needs an ARFCN)");
  if (band_given) {
    if (!arfcn_in_band(cell.arfcn, cell.band))
      c.fail(path + ".arfcn", std::to_string(cell.arfcn) + " is not in band " + band_name(cell.band));
  } else {
    try {
      cell.band = default_band(cell.arfcn);
    } catch (const InputError&) {
      c.fail(path + ".arfcn", std::to_string(cell.arfcn) + " is not a GSM ARFCN (45.005 clause 2)");
    }
  }
  if (sel_fields && !sel_given) cell.selection_parameters = true;
  if (cell.mnc > 99 && cell.mnc_digits == 2) c.fail(path + ".mnc", std::to_string(cell.mnc) + " needs 3 digits");
  if (cell.off_s && *cell.off_s <= cell.on_s) c.fail(path + ".off_s", "must be after on_s");
  return cell;
}

json traffic_to_json(const CcchTraffic& t) {
  return {{"paging_per_s", t.paging_per_s},
          {"paging_type2_fraction", t.paging_type2_fraction},
          {"paging_type3_fraction", t.paging_type3_fraction},
          {"paging_imsi_fraction", t.paging_imsi_fraction},
          {"paging_imei_fraction", t.paging_imei_fraction},
          {"imm_ass_per_s", t.imm_ass_per_s},
          {"imm_ass_hopping_fraction", t.imm_ass_hopping_fraction},
          {"imm_ass_reject_per_s", t.imm_ass_reject_per_s}};
}

json si2quater_to_json(const Si2quaterConfig& q) {
  json u = json::array(), e = json::array();
  for (const auto& n : q.utran_fdd) u.push_back({{"uarfcn", n.uarfcn}, {"scrambling_codes", n.scrambling_codes}});
  for (const auto& n : q.eutran)
    e.push_back({{"earfcn", n.earfcn},
                 {"priority", n.priority},
                 {"thresh_high", n.thresh_high},
                 {"thresh_low", n.thresh_low},
                 {"qrxlevmin", n.qrxlevmin}});
  return {{"present", q.present},       {"geran_priority", q.geran_priority}, {"thresh_prio_search", q.thresh_prio_search},
          {"thresh_gsm_low", q.thresh_gsm_low}, {"h_prio", q.h_prio},          {"t_reselection", q.t_reselection},
          {"utran_fdd", u},             {"eutran", e}};
}

// ---- LTE System Information keys (tools/synth/lte/sib_config.hpp). Ranges here are those of the ASN.1
// (36.331); values an ENUMERATED does not name are rejected when the parser test-encodes the cell. ----

std::optional<int> get_optional_int(const Ctx& c, const json& v, const std::string& path, long long lo, long long hi) {
  if (v.is_null()) return std::nullopt;
  return static_cast<int>(get_int(c, v, path, lo, hi));
}

lte::NeighbourCell parse_neighbour(const Ctx& c, const json& j, const std::string& path) {
  lte::NeighbourCell n;
  for_keys(c, j, path,
           {{"pci", int_field(c, n.phys_cell_id, 0, 503)}, {"q_offset_cell_db", int_field(c, n.q_offset_cell_db, -24, 24)}});
  return n;
}

lte::PhysCellIdRangeConfig parse_pci_range(const Ctx& c, const json& j, const std::string& path) {
  lte::PhysCellIdRangeConfig r;
  for_keys(c, j, path,
           {{"start", int_field(c, r.start, 0, 503)},
            {"range", [&](const json& v, const std::string& p) { r.range = get_optional_int(c, v, p, 1, 504); }}});
  return r;
}

template <class T, class F>
std::vector<T> parse_list(const Ctx& c, const json& v, const std::string& path, std::size_t max_n, F parse_one) {
  if (!v.is_array()) c.fail(path, show(v) + " is not an array");
  if (v.size() > max_n) c.fail(path, "has " + std::to_string(v.size()) + " entries, at most " + std::to_string(max_n));
  std::vector<T> out;
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back(parse_one(v[i], path + "[" + std::to_string(i) + "]"));
  return out;
}

lte::AcBarringConfig parse_ac_barring(const Ctx& c, const json& j, const std::string& path) {
  lte::AcBarringConfig a;
  for_keys(c, j, path,
           {{"ac_barring_factor_percent", int_field(c, a.ac_barring_factor_percent, 0, 95)},
            {"ac_barring_time_s", int_field(c, a.ac_barring_time_s, 4, 512)},
            {"ac_barring_for_special_ac", int_field(c, a.ac_barring_for_special_ac, 0, 31)}});
  return a;
}

void parse_sibs(const Ctx& c, const json& j, const std::string& path, lte::LteSystemInfoConfig& si) {
  auto opt_int = [&](std::optional<int>& dst, long long lo, long long hi) {
    return [&c, &dst, lo, hi](const json& v, const std::string& p) { dst = get_optional_int(c, v, p, lo, hi); };
  };
  auto boolean = [&](bool& dst) { return [&c, &dst](const json& v, const std::string& p) { dst = get_bool(c, v, p); }; };
  for_keys(
      c, j, path,
      {{"sib2",
        [&](const json& v, const std::string& p) {
          lte::Sib2Config& s = si.sib2;
          for_keys(c, v, p,
                   {{"ac_barring_for_emergency",
                     [&](const json& w, const std::string& q) {
                       s.ac_barring_present = true;
                       s.ac_barring_for_emergency = get_bool(c, w, q);
                     }},
                    {"ac_barring_for_mo_signalling",
                     [&](const json& w, const std::string& q) {
                       s.ac_barring_present = true;
                       s.ac_barring_for_mo_signalling = parse_ac_barring(c, w, q);
                     }},
                    {"ac_barring_for_mo_data",
                     [&](const json& w, const std::string& q) {
                       s.ac_barring_present = true;
                       s.ac_barring_for_mo_data = parse_ac_barring(c, w, q);
                     }},
                    {"ul_carrier_freq", opt_int(s.ul_carrier_freq, 0, 65535)},
                    {"ul_bandwidth_prb", opt_int(s.ul_bandwidth_prb, 6, 100)},
                    {"additional_spectrum_emission", int_field(c, s.additional_spectrum_emission, 1, 32)},
                    {"t300_ms", int_field(c, s.t300_ms, 100, 2000)},
                    {"t301_ms", int_field(c, s.t301_ms, 100, 2000)},
                    {"t310_ms", int_field(c, s.t310_ms, 0, 2000)},
                    {"n310", int_field(c, s.n310, 1, 20)},
                    {"t311_ms", int_field(c, s.t311_ms, 1000, 30000)},
                    {"n311", int_field(c, s.n311, 1, 10)},
                    {"time_alignment_timer_common_sf", int_field(c, s.time_alignment_timer_common_sf, 0, 10240)},
                    {"default_paging_cycle_rf", int_field(c, s.default_paging_cycle_rf, 32, 256)},
                    {"nb", [&](const json& w, const std::string& q) { s.nb = get_string(c, w, q); }},
                    {"reference_signal_power", int_field(c, s.reference_signal_power, -60, 50)},
                    {"root_sequence_index", int_field(c, s.root_sequence_index, 0, 837)},
                    {"prach_config_index", int_field(c, s.prach_config_index, 0, 63)},
                    {"p0_nominal_pusch", int_field(c, s.p0_nominal_pusch, -126, 24)}});
        }},
       {"sib3",
        [&](const json& v, const std::string& p) {
          if (v.is_null()) {
            si.sib3.reset();
            return;
          }
          lte::Sib3Config s;
          for_keys(c, v, p,
                   {{"q_hyst_db", int_field(c, s.q_hyst_db, 0, 24)},
                    {"s_non_intra_search", opt_int(s.s_non_intra_search, 0, 31)},
                    {"thresh_serving_low", int_field(c, s.thresh_serving_low, 0, 31)},
                    {"cell_reselection_priority", int_field(c, s.cell_reselection_priority, 0, 7)},
                    {"q_rx_lev_min", int_field(c, s.q_rx_lev_min, -70, -22)},
                    {"p_max", opt_int(s.p_max, -30, 33)},
                    {"s_intra_search", opt_int(s.s_intra_search, 0, 31)},
                    {"allowed_meas_bandwidth_prb", opt_int(s.allowed_meas_bandwidth_prb, 6, 100)},
                    {"presence_antenna_port1", boolean(s.presence_antenna_port1)},
                    {"neigh_cell_config", int_field(c, s.neigh_cell_config, 0, 3)},
                    {"t_reselection_eutra", int_field(c, s.t_reselection_eutra, 0, 7)}});
          si.sib3 = s;
        }},
       {"sib4",
        [&](const json& v, const std::string& p) {
          lte::Sib4Config s;
          for_keys(c, v, p,
                   {{"neighbours",
                     [&](const json& w, const std::string& q) {
                       s.intra_freq_neigh_cell_list = parse_list<lte::NeighbourCell>(
                           c, w, q, 16, [&](const json& e, const std::string& r) { return parse_neighbour(c, e, r); });
                     }},
                    {"black_list",
                     [&](const json& w, const std::string& q) {
                       s.intra_freq_black_cell_list = parse_list<lte::PhysCellIdRangeConfig>(
                           c, w, q, 16, [&](const json& e, const std::string& r) { return parse_pci_range(c, e, r); });
                     }},
                    {"csg_phys_cell_id_range",
                     [&](const json& w, const std::string& q) { s.csg_phys_cell_id_range = parse_pci_range(c, w, q); }}});
          si.sib4 = s;
        }},
       {"sib5",
        [&](const json& v, const std::string& p) {
          lte::Sib5Config s;
          for_keys(c, v, p, {{"carriers", [&](const json& w, const std::string& q) {
                                s.carriers = parse_list<lte::InterFreqCarrier>(c, w, q, 8, [&](const json& e, const std::string& r) {
                                  lte::InterFreqCarrier f;
                                  bool earfcn = false;
                                  for_keys(
                                      c, e, r,
                                      {{"earfcn",
                                        [&](const json& x, const std::string& y) {
                                          f.dl_carrier_freq = static_cast<int>(get_int(c, x, y, 0, 65535));
                                          earfcn = true;
                                        }},
                                       {"q_rx_lev_min", int_field(c, f.q_rx_lev_min, -70, -22)},
                                       {"p_max", opt_int(f.p_max, -30, 33)},
                                       {"t_reselection_eutra", int_field(c, f.t_reselection_eutra, 0, 7)},
                                       {"thresh_x_high", int_field(c, f.thresh_x_high, 0, 31)},
                                       {"thresh_x_low", int_field(c, f.thresh_x_low, 0, 31)},
                                       {"allowed_meas_bandwidth_prb", int_field(c, f.allowed_meas_bandwidth_prb, 6, 100)},
                                       {"presence_antenna_port1", boolean(f.presence_antenna_port1)},
                                       {"cell_reselection_priority", opt_int(f.cell_reselection_priority, 0, 7)},
                                       {"neigh_cell_config", int_field(c, f.neigh_cell_config, 0, 3)},
                                       {"q_offset_freq_db", int_field(c, f.q_offset_freq_db, -24, 24)},
                                       {"neighbours",
                                        [&](const json& x, const std::string& y) {
                                          f.inter_freq_neigh_cell_list = parse_list<lte::NeighbourCell>(
                                              c, x, y, 16, [&](const json& z, const std::string& zp) { return parse_neighbour(c, z, zp); });
                                        }},
                                       {"black_list", [&](const json& x, const std::string& y) {
                                          f.inter_freq_black_cell_list = parse_list<lte::PhysCellIdRangeConfig>(
                                              c, x, y, 16, [&](const json& z, const std::string& zp) { return parse_pci_range(c, z, zp); });
                                        }}});
                                  if (!earfcn) c.fail(r + ".earfcn", "missing");
                                  return f;
                                });
                              }}});
          if (s.carriers.empty()) c.fail(p + ".carriers", "missing or empty (SIB5 needs 1..8 carriers)");
          si.sib5 = s;
        }},
       {"sib6",
        [&](const json& v, const std::string& p) {
          lte::Sib6Config s;
          for_keys(c, v, p,
                   {{"t_reselection_utra", int_field(c, s.t_reselection_utra, 0, 7)},
                    {"utra_fdd",
                     [&](const json& w, const std::string& q) {
                       s.carrier_freq_list_utra_fdd = parse_list<lte::UtraFddCarrier>(c, w, q, 16, [&](const json& e, const std::string& r) {
                         lte::UtraFddCarrier f;
                         for_keys(c, e, r,
                                  {{"uarfcn", int_field(c, f.carrier_freq, 0, 16383)},
                                   {"cell_reselection_priority", opt_int(f.cell_reselection_priority, 0, 7)},
                                   {"thresh_x_high", int_field(c, f.thresh_x_high, 0, 31)},
                                   {"thresh_x_low", int_field(c, f.thresh_x_low, 0, 31)},
                                   {"q_rx_lev_min", int_field(c, f.q_rx_lev_min, -60, -13)},
                                   {"p_max_utra", int_field(c, f.p_max_utra, -50, 33)},
                                   {"q_qual_min", int_field(c, f.q_qual_min, -24, 0)}});
                         return f;
                       });
                     }},
                    {"utra_tdd", [&](const json& w, const std::string& q) {
                       s.carrier_freq_list_utra_tdd = parse_list<lte::UtraTddCarrier>(c, w, q, 16, [&](const json& e, const std::string& r) {
                         lte::UtraTddCarrier f;
                         for_keys(c, e, r,
                                  {{"uarfcn", int_field(c, f.carrier_freq, 0, 16383)},
                                   {"cell_reselection_priority", opt_int(f.cell_reselection_priority, 0, 7)},
                                   {"thresh_x_high", int_field(c, f.thresh_x_high, 0, 31)},
                                   {"thresh_x_low", int_field(c, f.thresh_x_low, 0, 31)},
                                   {"q_rx_lev_min", int_field(c, f.q_rx_lev_min, -60, -13)},
                                   {"p_max_utra", int_field(c, f.p_max_utra, -50, 33)}});
                         return f;
                       });
                     }}});
          si.sib6 = s;
        }},
       {"sib7",
        [&](const json& v, const std::string& p) {
          lte::Sib7Config s;
          for_keys(c, v, p,
                   {{"t_reselection_geran", int_field(c, s.t_reselection_geran, 0, 7)},
                    {"carriers", [&](const json& w, const std::string& q) {
                       s.carrier_freqs_info_list = parse_list<lte::GeranCarrierSet>(c, w, q, 16, [&](const json& e, const std::string& r) {
                         lte::GeranCarrierSet g;
                         for_keys(c, e, r,
                                  {{"starting_arfcn", int_field(c, g.starting_arfcn, 0, 1023)},
                                   {"band_indicator",
                                    [&](const json& x, const std::string& y) {
                                      const std::string b = get_string(c, x, y);
                                      if (b != "dcs1800" && b != "pcs1900") c.fail(y, show(x) + " is not \"dcs1800\" or \"pcs1900\"");
                                      g.band_indicator_pcs1900 = b == "pcs1900";
                                    }},
                                   {"arfcns",
                                    [&](const json& x, const std::string& y) { g.explicit_list_of_arfcns = get_int_list(c, x, y, 0, 1023, 31); }},
                                   {"cell_reselection_priority", opt_int(g.cell_reselection_priority, 0, 7)},
                                   {"ncc_permitted", int_field(c, g.ncc_permitted, 0, 255)},
                                   {"q_rx_lev_min", int_field(c, g.q_rx_lev_min, 0, 45)},
                                   {"p_max_geran", opt_int(g.p_max_geran, 0, 39)},
                                   {"thresh_x_high", int_field(c, g.thresh_x_high, 0, 31)},
                                   {"thresh_x_low", int_field(c, g.thresh_x_low, 0, 31)}});
                         return g;
                       });
                     }}});
          si.sib7 = s;
        }},
       {"sib8", [&](const json& v, const std::string& p) {
          lte::Sib8Config s;
          for_keys(c, v, p,
                   {{"search_window_size", opt_int(s.search_window_size, 0, 15)},
                    {"system_time_present", boolean(s.system_time_present)},
                    {"cdma_eutra_synchronisation", boolean(s.cdma_eutra_synchronisation)}});
          si.sib8 = s;
        }}});
}

std::vector<lte::SchedulingEntry> parse_scheduling(const Ctx& c, const json& v, const std::string& path) {
  return parse_list<lte::SchedulingEntry>(c, v, path, 32, [&](const json& e, const std::string& r) {
    lte::SchedulingEntry s;
    for_keys(c, e, r,
             {{"periodicity_rf", int_field(c, s.periodicity_rf, 8, 512)},
              {"sibs", [&](const json& x, const std::string& y) {
                 if (!x.is_array()) c.fail(y, show(x) + " is not an array");
                 if (x.size() > 31) c.fail(y, "has " + std::to_string(x.size()) + " entries, at most 31");
                 for (std::size_t i = 0; i < x.size(); ++i) {
                   const std::string yi = y + "[" + std::to_string(i) + "]";
                   const std::string name = get_string(c, x[i], yi);
                   if (name.size() != 4 || name.compare(0, 3, "SIB") != 0 || name[3] < '3' || name[3] > '8')
                     c.fail(yi, show(x[i]) + " is not one of \"SIB3\" .. \"SIB8\"");
                   s.sibs.push_back(name[3] - '0');
                 }
               }}});
    return s;
  });
}

lte::LteCellConfig parse_lte_cell(const Ctx& c, const json& j, const std::string& path) {
  lte::LteCellConfig cell;
  bool earfcn_given = false, duplex_given = false, cell_identity_given = false, band_indicator_given = false,
       sib3_given = false;
  lte::LteSystemInfoConfig& si = cell.system_info;
  auto I = [&](int& dst, long long lo, long long hi) { return int_field(c, dst, lo, hi); };
  auto D = [&](double& dst, double lo, double hi) { return double_field(c, dst, lo, hi); };
  auto choice = [&](const json& v, const std::string& p, std::initializer_list<const char*> allowed) {
    const std::string s = get_string(c, v, p);
    std::string list;
    for (const char* a : allowed) {
      if (s == a) return s;
      list += (list.empty() ? "" : ", ") + std::string("\"") + a + "\"";
    }
    c.fail(p, show(v) + " is not one of " + list);
  };
  std::map<std::string, Handler> handlers(
      {{"name", [&](const json& v, const std::string& p) { cell.name = get_string(c, v, p); }},
       {"earfcn",
        [&](const json& v, const std::string& p) {
          cell.earfcn = static_cast<int>(get_int(c, v, p, 0, 262143));
          earfcn_given = true;
        }},
       {"band", I(cell.band, 1, 255)},
       {"freq_hz", D(cell.freq_hz, 1e6, 10e9)},
       {"pci", I(cell.pci, 0, 503)},
       {"ports",
        [&](const json& v, const std::string& p) {
          cell.ports = static_cast<int>(get_int(c, v, p, 1, 4));
          if (cell.ports == 3) c.fail(p, "3 is not 1, 2 or 4");
        }},
       {"bandwidth_prb",
        [&](const json& v, const std::string& p) {
          cell.bandwidth_prb = static_cast<int>(get_int(c, v, p, 6, 100));
          if (!lte::valid_bandwidth_prb(cell.bandwidth_prb))
            c.fail(p, std::to_string(cell.bandwidth_prb) + " is not one of 6, 15, 25, 50, 75, 100");
        }},
       {"cp", [&](const json& v, const std::string& p) { cell.normal_cp = choice(v, p, {"normal", "extended"}) == "normal"; }},
       {"duplex",
        [&](const json& v, const std::string& p) {
          cell.duplex = choice(v, p, {"FDD", "TDD"}) == "FDD" ? lte::Duplex::FDD : lte::Duplex::TDD;
          duplex_given = true;
        }},
       {"tdd_config", I(cell.tdd_config, 0, 6)},
       {"special_subframe_config", I(cell.special_subframe_config, 0, 9)},
       {"phich_duration",
        [&](const json& v, const std::string& p) { cell.phich_extended = choice(v, p, {"normal", "extended"}) == "extended"; }},
       {"phich_resource", [&](const json& v, const std::string& p) { cell.phich_resource = choice(v, p, {"1/6", "1/2", "1", "2"}); }},
       {"first_sfn",
        [&](const json& v, const std::string& p) {
          cell.first_sfn = static_cast<int>(get_int(c, v, p, 0, 1023));
          cell.first_sfn_set = true;
        }},
       {"cfi", I(cell.cfi, 1, 3)},
       {"mib_spare", I(cell.mib_spare, 0, 1023)},
       {"mib_dl_bandwidth_code", I(cell.mib_dl_bandwidth_code, 0, 7)},
       {"power_dbfs", D(cell.power_dbfs, -200.0, 20.0)},
       {"freq_offset_hz", D(cell.freq_offset_hz, -100e3, 100e3)},
       {"delay_us", D(cell.delay_us, 0.0, 10000.0)},
       {"multipath",
        [&](const json& v, const std::string& p) { cell.multipath = choice(v, p, {"none", "tu", "epa", "eva", "etu"}); }},
       {"doppler_hz", D(cell.doppler_hz, 0.0, 2000.0)},
       {"on_s", D(cell.on_s, 0.0, 1e7)},
       {"off_s", optional_double_field(c, cell.off_s, 0.0, 1e7)},
       {"pdsch_load", D(cell.pdsch_load, 0.0, 1.0)},
       {"pdcch_load", D(cell.pdcch_load, 0.0, 1.0)},
       // System Information (SIB1, SI messages)
       {"mcc", I(si.plmn_identity_list[0].mcc, 0, 999)},
       {"mnc",
        [&](const json& v, const std::string& p) {
          const std::string m = get_string(c, v, p);
          if (m.size() < 2 || m.size() > 3 || m.find_first_not_of("0123456789") != std::string::npos)
            c.fail(p, show(v) + " is not 2 or 3 decimal digits");
          si.plmn_identity_list[0].mnc = m;
        }},
       {"tac", I(si.tracking_area_code, 0, 65535)},
       {"cell_identity",
        [&](const json& v, const std::string& p) {
          si.cell_identity = static_cast<std::uint32_t>(get_int(c, v, p, 0, (1 << 28) - 1));
          cell_identity_given = true;
        }},
       {"cell_barred", [&](const json& v, const std::string& p) { si.cell_barred = get_bool(c, v, p); }},
       {"intra_freq_reselection",
        [&](const json& v, const std::string& p) { si.intra_freq_reselection_allowed = get_bool(c, v, p); }},
       {"q_rx_lev_min", I(si.q_rx_lev_min, -70, -22)},
       {"p_max", [&](const json& v, const std::string& p) { si.p_max = get_optional_int(c, v, p, -30, 33); }},
       {"freq_band_indicator",
        [&](const json& v, const std::string& p) {
          si.freq_band_indicator = static_cast<int>(get_int(c, v, p, 1, 64));
          band_indicator_given = true;
        }},
       {"si_window_ms", I(si.si_window_ms, 1, 40)},
       {"si_value_tag", I(si.system_info_value_tag, 0, 31)},
       {"sibs",
        [&](const json& v, const std::string& p) {
          sib3_given = v.is_object() && v.contains("sib3");
          parse_sibs(c, v, p, si);
        }},
       {"scheduling", [&](const json& v, const std::string& p) { si.scheduling = parse_scheduling(c, v, p); }},
       // System Information on the air (tools/synth/lte/lte_si_scheduler.hpp)
       {"system_info", [&](const json& v, const std::string& p) { cell.send_system_info = get_bool(c, v, p); }},
       {"si_start_prb", I(cell.si_start_prb, 0, 99)},
       {"si_dci_format",
        [&](const json& v, const std::string& p) { cell.si_format_1c = choice(v, p, {"1A", "1C"}) == "1C"; }},
       {"si_aggregation",
        [&](const json& v, const std::string& p) {
          cell.si_aggregation = static_cast<int>(get_int(c, v, p, 4, 8));
          if (cell.si_aggregation != 4 && cell.si_aggregation != 8) c.fail(p, show(v) + " is not 4 or 8");
        }},
       {"si_repetitions", I(cell.si_repetitions, 1, 40)}});
  add_placement_handlers(c, cell.placement, handlers);
  for_keys(c, j, path, handlers);
  check_placement(c, j, path, cell.placement);
  if (cell.freq_hz <= 0.0) {
    if (!earfcn_given) c.fail(path + ".earfcn", "missing (an LTE cell needs \"earfcn\" or \"freq_hz\")");
    try {
      (void)lte::earfcn_downlink_hz(cell.earfcn, cell.band);
    } catch (const InputError& e) {
      c.fail(path + ".earfcn", e.what());
    }
  } else if (!earfcn_given) {
    cell.earfcn = -1;
  }
  if (cell.band == 0 && cell.earfcn >= 0) cell.band = lte::band_of_earfcn(cell.earfcn);
  if (!duplex_given && cell.band != 0 && cell.freq_hz <= 0.0)
    cell.duplex = lte::band_is_tdd(cell.band) ? lte::Duplex::TDD : lte::Duplex::FDD;
  if (cell.duplex == lte::Duplex::TDD && !cell.normal_cp && cell.special_subframe_config > 7)
    c.fail(path + ".special_subframe_config", std::to_string(cell.special_subframe_config) + " is outside 0..7 (extended CP)");
  if (cell.band != 0 && cell.freq_hz <= 0.0 && lte::band_is_tdd(cell.band) != (cell.duplex == lte::Duplex::TDD))
    c.fail(path + ".duplex", std::string(lte::duplex_name(cell.duplex)) + " does not match band " + std::to_string(cell.band));
  if (cell.off_s && *cell.off_s <= cell.on_s) c.fail(path + ".off_s", "must be after on_s");
  // System Information defaults from the cell, then a trial encoding that names any field the ASN.1 rejects.
  if (!cell_identity_given) si.cell_identity = (static_cast<std::uint32_t>(1000 + cell.pci) << 8) | 1u;  // eNB 1000+PCI, cell 1
  if (!band_indicator_given && cell.band >= 1 && cell.band <= 64) si.freq_band_indicator = cell.band;
  if (cell.duplex == lte::Duplex::TDD) si.tdd_config = lte::TddConfigSib{cell.tdd_config, cell.special_subframe_config};
  // An explicit "scheduling" lists what is sent: the default SIB3 goes when it leaves SIB3 out.
  if (!si.scheduling.empty() && !sib3_given &&
      std::none_of(si.scheduling.begin(), si.scheduling.end(),
                   [](const lte::SchedulingEntry& e) { return std::find(e.sibs.begin(), e.sibs.end(), 3) != e.sibs.end(); }))
    si.sib3.reset();
  try {
    (void)lte::encode_sib1(si);
    (void)lte::encode_si_messages(si);
  } catch (const InputError& e) {
    c.fail(path, e.what());
  }
  return cell;
}

}  // namespace

namespace {
// A wideband noise jammer: "center_hz" (or "earfcn": the LTE downlink carrier, TS 36.101 5.7.3),
// "bandwidth_hz", "power_dbfs", "on_s", "off_s".
JammerConfig parse_jammer(const Ctx& c, const json& v, const std::string& path) {
  JammerConfig j;
  bool centre = false;
  for_keys(c, v, path,
           {{"center_hz", [&](const json& x, const std::string& p) { j.center_hz = get_double(c, x, p, 1e3, 1e11); centre = true; }},
            {"earfcn", [&](const json& x, const std::string& p) {
               const int e = static_cast<int>(get_int(c, x, p, 0, 262143));
               try {
                 j.center_hz = lte::earfcn_downlink_hz(e);
               } catch (const InputError& err) {
                 c.fail(p, err.what());
               }
               centre = true;
             }},
            {"bandwidth_hz", [&](const json& x, const std::string& p) { j.bandwidth_hz = get_double(c, x, p, 1e3, 1e9); }},
            {"power_dbfs", [&](const json& x, const std::string& p) { j.power_dbfs = get_double(c, x, p, -300.0, 20.0); }},
            {"on_s", [&](const json& x, const std::string& p) { j.on_s = get_double(c, x, p, 0.0, 1e7); }},
            {"off_s", [&](const json& x, const std::string& p) { j.off_s = get_double(c, x, p, 0.0, 1e7); }}});
  if (!centre) c.fail(path, "needs \"center_hz\" or \"earfcn\"");
  if (j.off_s && *j.off_s <= j.on_s) c.fail(path + ".off_s", "must be after on_s");
  return j;
}
}  // namespace

SceneWithLte parse_scene_with_lte(const json& doc, const std::string& source) {
  const Ctx c{source};
  SceneWithLte full;
  Scene& s = full.scene;
  bool have_cells = false, have_lte = false;
  for_keys(c, doc, "",
           {{"name", [&](const json& v, const std::string& p) { s.name = get_string(c, v, p); }},
            {"seed",
             [&](const json& v, const std::string& p) {
               if (v.is_number_unsigned())
                 s.seed = v.get<std::uint64_t>();
               else
                 s.seed = static_cast<std::uint64_t>(get_int(c, v, p, 0, 0x7fffffffffffffffLL));
             }},
            {"noise_dbfs", [&](const json& v, const std::string& p) { s.noise_dbfs = get_double(c, v, p, -300.0, 20.0); }},
            {"receiver_ppm", [&](const json& v, const std::string& p) { s.receiver_ppm = get_double(c, v, p, -200.0, 200.0); }},
            {"dc_offset_dbfs", [&](const json& v, const std::string& p) { s.dc_offset_dbfs = get_double(c, v, p, -300.0, 0.0); }},
            {"iq_gain_imbalance_db",
             [&](const json& v, const std::string& p) { s.iq_gain_imbalance_db = get_double(c, v, p, -6.0, 6.0); }},
            {"iq_phase_imbalance_deg",
             [&](const json& v, const std::string& p) { s.iq_phase_imbalance_deg = get_double(c, v, p, -30.0, 30.0); }},
            {"rx_gain_db", [&](const json& v, const std::string& p) { s.rx_gain_db = get_double(c, v, p, -100.0, 200.0); }},
            {"jammers", [&](const json& v, const std::string& p) {
               if (!v.is_array()) c.fail(p, "is not an array");
               if (v.size() > 8) c.fail(p, "has " + std::to_string(v.size()) + " jammers, at most 8");
               for (std::size_t i = 0; i < v.size(); ++i) s.jammers.push_back(parse_jammer(c, v[i], p + "[" + std::to_string(i) + "]"));
             }},
            {"cells", [&](const json& v, const std::string& p) {
               if (!v.is_array()) c.fail(p, "is not an array");
               if (v.size() > 256) c.fail(p, "has " + std::to_string(v.size()) + " cells, at most 256");
               have_cells = true;
               for (std::size_t i = 0; i < v.size(); ++i)
                 s.cells.push_back(parse_cell(c, v[i], "cells[" + std::to_string(i) + "]"));
             }},
            {"lte_cells", [&](const json& v, const std::string& p) {
               if (!v.is_array()) c.fail(p, "is not an array");
               if (v.size() > 64) c.fail(p, "has " + std::to_string(v.size()) + " cells, at most 64");
               have_lte = true;
               for (std::size_t i = 0; i < v.size(); ++i)
                 full.lte_cells.push_back(parse_lte_cell(c, v[i], "lte_cells[" + std::to_string(i) + "]"));
             }},
            {"nr_cells", [&](const json& v, const std::string& p) {
               if (!v.is_array()) c.fail(p, "is not an array");
               if (v.size() > 64) c.fail(p, "has " + std::to_string(v.size()) + " cells, at most 64");
               have_lte = true;
               for (std::size_t i = 0; i < v.size(); ++i) {
                 try {
                   full.nr_cells.push_back(nr::parse_nr_cell(v[i], "nr_cells[" + std::to_string(i) + "]"));
                 } catch (const InputError& e) {
                   throw InputError(source + ": " + e.what());
                 }
               }
             }}});
  if (!have_cells && !have_lte) c.fail("cells", "missing (a scene needs a \"cells\" array)");
  return full;
}

namespace {
Scene without_lte(SceneWithLte&& full, const std::string& source) {
  if (!full.lte_cells.empty())
    log::warn(source + ": " + std::to_string(full.lte_cells.size()) +
              " LTE cells left out (this reader takes the GSM cells only)");
  return std::move(full.scene);
}
}  // namespace

Scene parse_scene(const json& doc, const std::string& source) {
  return without_lte(parse_scene_with_lte(doc, source), source);
}

SceneWithLte parse_scene_with_lte_text(const std::string& text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    // parse_error, and out_of_range for a number beyond a double (406): found by fuzz_scene.
    throw InputError(source + ": not valid JSON: " + e.what());
  }
  return parse_scene_with_lte(doc, source);
}

Scene parse_scene_text(const std::string& text, const std::string& source) {
  return without_lte(parse_scene_with_lte_text(text, source), source);
}

Scene load_scene(const std::string& name_or_path) {
  for (const auto& n : builtin_scene_names())
    if (n == name_or_path) return builtin_scene(n);
  return without_lte(load_scene_with_lte(name_or_path), name_or_path);
}

SceneWithLte load_scene_with_lte(const std::string& name_or_path) {
  for (const auto& n : builtin_scene_names())
    if (n == name_or_path) return builtin_scene_with_lte(n);
  std::ifstream f(name_or_path, std::ios::binary);
  if (!f) {
    std::string names;
    for (const auto& n : builtin_scene_names()) names += (names.empty() ? "" : ", ") + n;
    throw InputError(name_or_path + ": cannot open the scene file (and it is not a built-in scene: " + names + ")");
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  if (text.size() > (16u << 20)) throw InputError(name_or_path + ": scene file larger than 16 MiB");
  SceneWithLte s = parse_scene_with_lte_text(text, name_or_path);
  if (s.scene.name.empty()) s.scene.name = std::filesystem::path(name_or_path).stem().string();
  return s;
}

// The fields of the radio path GSM and LTE cells share (same names and meaning in both configs).
template <class Cell>
void add_path_fields(json& j, const Cell& c) {
  j["power_dbfs"] = c.power_dbfs;
  j["freq_offset_hz"] = c.freq_offset_hz;
  j["delay_us"] = c.delay_us;
  j["multipath"] = c.multipath;
  j["doppler_hz"] = c.doppler_hz;
  j["on_s"] = c.on_s;
  j["off_s"] = c.off_s ? json(*c.off_s) : json(nullptr);
}

json cell_to_json(const CellConfig& c, bool with_frequency) {
  json j = {{"name", c.name},
            {"arfcn", c.arfcn},
            {"band", band_name(c.band)},
            {"bsic", c.bsic},
            {"mcc", c.mcc},
            {"mnc", c.mnc},
            {"mnc_digits", c.mnc_digits},
            {"lac", c.lac},
            {"ci", c.ci},
            {"neighbors", c.neighbors},
            {"neighbors_bis", c.neighbors_bis},
            {"neighbors_ter", c.neighbors_ter},
            {"ba_ind", c.ba_ind},
            {"ncc_permitted", c.ncc_permitted},
            {"cell_allocation", c.cell_allocation},
            {"att", c.att},
            {"bs_ag_blks_res", c.bs_ag_blks_res},
            {"ccch_conf", c.ccch_conf},
            {"bs_pa_mfrms", c.bs_pa_mfrms},
            {"t3212", c.t3212},
            {"pwrc", c.pwrc},
            {"dtx", c.dtx},
            {"radio_link_timeout", c.radio_link_timeout},
            {"cell_reselect_hysteresis", c.cell_reselect_hysteresis},
            {"ms_txpwr_max_cch", c.ms_txpwr_max_cch},
            {"acs", c.acs},
            {"neci", c.neci},
            {"rxlev_access_min", c.rxlev_access_min},
            {"max_retrans", c.max_retrans},
            {"tx_integer", c.tx_integer},
            {"cell_barred", c.cell_barred},
            {"reestablishment_allowed", c.reestablishment_allowed},
            {"access_classes_barred", c.access_classes_barred},
            {"selection_parameters", c.selection_parameters},
            {"cbq", c.cbq},
            {"cro", c.cro},
            {"temporary_offset", c.temporary_offset},
            {"penalty_time", c.penalty_time},
            {"gprs", c.gprs},
            {"ra_colour", c.ra_colour},
            {"si2quater", si2quater_to_json(c.si2quater)},
            {"traffic", traffic_to_json(c.traffic)}};
  add_path_fields(j, c);
  add_placement_json(j, c.placement);
  if (c.first_fn_set) j["first_fn"] = c.first_fn;
  if (with_frequency) j["frequency_hz"] = downlink_hz(c.arfcn, c.band);
  return j;
}

json scene_to_json(const Scene& s) {
  json cells = json::array();
  for (const auto& c : s.cells) cells.push_back(cell_to_json(c, false));
  json out = {{"name", s.name},
          {"seed", s.seed},
          {"noise_dbfs", s.noise_dbfs},
          {"receiver_ppm", s.receiver_ppm},
          {"dc_offset_dbfs", s.dc_offset_dbfs},
          {"iq_gain_imbalance_db", s.iq_gain_imbalance_db},
          {"iq_phase_imbalance_deg", s.iq_phase_imbalance_deg},
          {"rx_gain_db", s.rx_gain_db},
          {"cells", cells}};
  if (!s.jammers.empty()) {
    json jams = json::array();
    for (const auto& j : s.jammers) {
      json o = {{"center_hz", j.center_hz}, {"bandwidth_hz", j.bandwidth_hz}, {"power_dbfs", j.power_dbfs}, {"on_s", j.on_s}};
      if (j.off_s) o["off_s"] = *j.off_s;
      jams.push_back(o);
    }
    out["jammers"] = jams;
  }
  return out;
}

json lte_cell_to_json(const lte::LteCellConfig& c, bool with_frequency) {
  json j = {{"name", c.name},
            {"pci", c.pci},
            {"ports", c.ports},
            {"bandwidth_prb", c.bandwidth_prb},
            {"cp", c.normal_cp ? "normal" : "extended"},
            {"duplex", lte::duplex_name(c.duplex)},
            {"tdd_config", c.tdd_config},
            {"special_subframe_config", c.special_subframe_config},
            {"phich_duration", c.phich_extended ? "extended" : "normal"},
            {"phich_resource", c.phich_resource},
            {"cfi", c.cfi},
            {"pdsch_load", c.pdsch_load},
            {"pdcch_load", c.pdcch_load}};
  add_path_fields(j, c);
  add_placement_json(j, c.placement);
  if (c.earfcn >= 0) j["earfcn"] = c.earfcn;
  if (c.band != 0) j["band"] = c.band;
  if (c.freq_hz > 0.0) j["freq_hz"] = c.freq_hz;
  if (c.first_sfn_set) j["first_sfn"] = c.first_sfn;
  if (c.mib_spare != 0) j["mib_spare"] = c.mib_spare;
  if (c.mib_dl_bandwidth_code >= 0) j["mib_dl_bandwidth_code"] = c.mib_dl_bandwidth_code;
  if (!c.send_system_info) j["system_info"] = false;
  if (c.si_start_prb >= 0) j["si_start_prb"] = c.si_start_prb;
  if (c.si_format_1c) j["si_dci_format"] = "1C";
  if (c.si_aggregation != 0) j["si_aggregation"] = c.si_aggregation;
  if (c.si_repetitions != 4) j["si_repetitions"] = c.si_repetitions;
  // What SIB1 identifies the cell as (36.331 6.2.2)
  if (!c.system_info.plmn_identity_list.empty()) {
    j["mcc"] = c.system_info.plmn_identity_list[0].mcc;
    j["mnc"] = c.system_info.plmn_identity_list[0].mnc;
  }
  j["tac"] = c.system_info.tracking_area_code;
  j["cell_identity"] = c.system_info.cell_identity;
  if (with_frequency) j["frequency_hz"] = lte::carrier_hz(c);
  return j;
}

json scene_to_json(const SceneWithLte& s) {
  json j = scene_to_json(s.scene);
  if (!s.lte_cells.empty()) {
    json cells = json::array();
    for (const auto& c : s.lte_cells) cells.push_back(lte_cell_to_json(c, false));
    j["lte_cells"] = cells;
  }
  if (!s.nr_cells.empty()) {
    json cells = json::array();
    for (const auto& c : s.nr_cells) cells.push_back(nr::nr_cell_to_json(c, false));
    j["nr_cells"] = cells;
  }
  return j;
}

namespace {
double center_of(std::vector<double> cf, double sample_rate_hz) {
  std::sort(cf.begin(), cf.end());
  const double span = std::max(0.0, sample_rate_hz - 2.0 * 100e3 - 1e3);
  std::size_t best_i = 0, best_j = 0;
  for (std::size_t i = 0, j = 0; i < cf.size(); ++i) {
    if (j < i) j = i;
    while (j + 1 < cf.size() && cf[j + 1] - cf[i] <= span) ++j;
    if (j - i > best_j - best_i) {
      best_i = i;
      best_j = j;
    }
  }
  return std::round((cf[best_i] + cf[best_j]) / 2.0 / 1e3) * 1e3;
}
}  // namespace

double scene_center_freq_hz(const Scene& scene, double sample_rate_hz) {
  if (scene.cells.empty()) throw InputError("the scene has no cells: give a centre frequency");
  std::vector<double> cf;
  for (const auto& c : scene.cells) cf.push_back(downlink_hz(c.arfcn, c.band) + c.freq_offset_hz);
  return center_of(std::move(cf), sample_rate_hz);
}

double scene_center_freq_hz(const SceneWithLte& scene, double sample_rate_hz) {
  if (scene.scene.cells.empty() && scene.lte_cells.empty() && scene.nr_cells.empty())
    throw InputError("the scene has no cells: give a centre frequency");
  std::vector<double> cf;
  for (const auto& c : scene.scene.cells) cf.push_back(downlink_hz(c.arfcn, c.band) + c.freq_offset_hz);
  for (const auto& c : scene.lte_cells) cf.push_back(lte::carrier_hz(c) + c.freq_offset_hz);
  for (const auto& c : scene.nr_cells) cf.push_back(nr::nr_ss_ref_hz(c) + c.freq_offset_hz);
  return center_of(std::move(cf), sample_rate_hz);
}

}  // namespace tw::synth
