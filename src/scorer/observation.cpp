#include "src/scorer/observation.hpp"

#include <cmath>

#include "src/core/error.hpp"

namespace tw {

namespace {
using nlohmann::json;

template <class T>
std::optional<T> opt(const json& r, const char* key) {
  if (!r.contains(key) || r[key].is_null()) return std::nullopt;
  try {
    return r[key].get<T>();
  } catch (const json::exception&) {
    throw InputError(std::string("cell record: field '") + key + "' has the wrong type");
  }
}
}  // namespace

CellObservation CellObservation::from_cell_record(const json& r, std::int64_t time_unix_ms, const std::string& sensor_id) {
  if (!r.is_object() || r.value("type", "") != "cell") throw InputError("cell record: not a {\"type\":\"cell\"} object");
  CellObservation o;
  o.time_unix_ms = time_unix_ms;
  o.sensor_id = sensor_id;
  o.rat = opt<std::string>(r, "rat").value_or("GSM");
  // LTE records name their channel "earfcn" (TS 36.101 5.7.3); the observation keeps one channel field.
  // NR records (dsp/nr/ssb_receiver) name the SSB's raster point "gscn" (TS 38.104 5.4.3.1).
  o.arfcn = opt<int>(r, o.rat == "LTE" ? "earfcn" : o.rat == "NR" ? "gscn" : "arfcn").value_or(-1);
  o.band = opt<std::string>(r, "band").value_or("");
  o.freq_hz = opt<double>(r, "freq_hz");
  o.mcc = opt<int>(r, "mcc");
  o.mnc = opt<std::string>(r, "mnc");
  o.lac = opt<int>(r, "lac");
  o.ci = opt<int>(r, "ci");
  o.bsic = opt<int>(r, "bsic");
  o.power_dbfs = opt<double>(r, "power_dbfs").value_or(-200.0);
  o.power_dbm = opt<double>(r, "power_dbm");
  o.snr_db = opt<double>(r, "snr_db").value_or(0.0);
  o.cfo_hz = opt<double>(r, "cfo_hz").value_or(0.0);
  o.cfo_residual_ppb = opt<double>(r, "cfo_residual_ppb");
  o.si_seen = opt<std::vector<std::string>>(r, "si_seen").value_or(std::vector<std::string>{});
  if (o.rat == "NR") {
    // SS-RSRP per resource element and SS-SINR (TS 38.215 5.1.1, 5.1.5) are the level fields. The MIB carries
    // no PLMN/TAC/cell identity (those are in SIB1): the identity is the PCI at the GSCN (store key).
    o.power_dbfs = opt<double>(r, "rsrp_dbfs").value_or(-200.0);
    o.snr_db = opt<double>(r, "sinr_db").value_or(0.0);
    const auto pci = opt<int>(r, "pci");
    if (pci && (*pci < 0 || *pci > 1007)) throw InputError("cell record: field 'pci' is outside 0..1007");
  }
  if (o.rat == "LTE") {
    // LTE measures per resource element (TS 36.214 5.1.1 RSRP) and CRS SINR: the observation's level fields.
    o.power_dbfs = opt<double>(r, "rsrp_dbfs").value_or(-200.0);
    o.snr_db = opt<double>(r, "sinr_db").value_or(0.0);
    // SIB1's cellAccessRelatedInfo (TS 36.331 6.2.2): the TAC takes the LAC's place and the 28-bit cell
    // identity the CI's (OpenCellID LTE rows use area = TAC, cell = ECI alike). Ranges: TS 36.331
    // TrackingAreaCode (16 bits), CellIdentity (28 bits).
    // Read as 64 bits so that a value beyond int is refused, not truncated into range.
    const auto tac = opt<long long>(r, "tac");
    const auto eci = opt<long long>(r, "cell_identity");
    if (tac && (*tac < 0 || *tac > 65535)) throw InputError("cell record: field 'tac' is outside 0..65535");
    if (eci && (*eci < 0 || *eci > 268435455))
      throw InputError("cell record: field 'cell_identity' is outside 0..268435455");
    o.lac = tac ? std::optional<int>(static_cast<int>(*tac)) : std::nullopt;
    o.ci = eci ? std::optional<int>(static_cast<int>(*eci)) : std::nullopt;
    // The SIBs decoded ("SIB1", "SIB2", ...) stand for the GSM SI types seen.
    o.si_seen = opt<std::vector<std::string>>(r, "sibs_seen").value_or(std::vector<std::string>{});
  }
  if (r.contains("position_estimate") && !r["position_estimate"].is_null()) {
    const json& e = r["position_estimate"];
    auto num = [&](const char* k) {
      if (!e.is_object() || !e.contains(k) || !e[k].is_number() || !std::isfinite(e[k].get<double>()))
        throw InputError(std::string("cell record: field 'position_estimate.") + k + "' is missing or not a number");
      return e[k].get<double>();
    };
    EstimatedPosition p;
    p.lat = num("lat");
    p.lon = num("lon");
    p.radius_m = num("radius_m");
    p.points = static_cast<int>(num("points"));
    if (std::fabs(p.lat) > 90.0 || std::fabs(p.lon) > 180.0 || p.radius_m < 0.0)
      throw InputError("cell record: field 'position_estimate' is out of range");
    if (e.contains("method") && e["method"].is_string()) p.method = e["method"].get<std::string>();
    o.position_estimate = p;
  }
  // The sensor's position at the tuning's time (src/sweep/position_stamp.hpp); a fix mode other than
  // none/2d/3d, or a position without a fix, is refused rather than stored as if it were one.
  o.fix_mode = opt<std::string>(r, "fix_mode").value_or("none");
  if (!fix_mode_from_name(o.fix_mode)) throw InputError("cell record: field 'fix_mode' is not none, 2d or 3d");
  if (o.fix_mode != "none") {
    o.lat = opt<double>(r, "lat");
    o.lon = opt<double>(r, "lon");
    if (!o.lat || !o.lon) throw InputError("cell record: field 'fix_mode' says a fix but 'lat'/'lon' are missing");
    o.eph_m = opt<double>(r, "eph");
    o.fix_time_unix_ms = opt<std::int64_t>(r, "fix_time_unix_ms");
  }
  o.params = r;
  return o;
}

CellObservation band_observation(const BandFloor& floor, std::int64_t time_unix_ms, const std::string& sensor_id) {
  CellObservation o;
  o.time_unix_ms = time_unix_ms;
  o.sensor_id = sensor_id;
  o.rat = floor.rat;
  o.band = floor.band;
  o.params = {{"type", "band_floor"}, {"noise_floor_dbfs_per_mhz", floor.noise_floor_dbfs_per_mhz}, {"tunings", floor.tunings}};
  return o;
}

bool is_band_observation(const CellObservation& o) {
  return o.arfcn < 0 && o.params.is_object() && o.params.contains("type") && o.params["type"] == "band_floor";
}

}  // namespace tw
