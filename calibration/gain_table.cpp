#include "calibration/gain_table.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "calibration/calibration_store.hpp"
#include "src/core/error.hpp"
#include "src/core/gsm_bands.hpp"

namespace tw::cal {

namespace {

// P-, E- and R-GSM900 share one front end: one family.
std::optional<GsmBandId> family(const std::string& name) {
  auto b = gsm_band_from_name(name);
  if (b && (*b == GsmBandId::pgsm900 || *b == GsmBandId::rgsm900)) return GsmBandId::egsm900;
  return b;
}

}  // namespace

std::filesystem::path GainTable::default_path() { return calibration_file_path().parent_path() / "gain_table.json"; }

std::optional<GainTable> GainTable::load(const std::filesystem::path& file, const std::string& serial) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  const std::string f = file.string();
  if (std::filesystem::file_size(file, ec) > (1u << 20) || ec) throw InputError(f + ": unreadable or larger than 1 MiB");
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const auto doc = nlohmann::json::parse(ss.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw InputError(f + ": not a JSON object");
  if (!doc.contains("version") || doc["version"] != 1) throw InputError(f + ": version: expected 1");
  if (!doc.contains("devices") || !doc["devices"].is_object()) throw InputError(f + ": devices: expected an object");
  if (!doc["devices"].contains(serial)) return std::nullopt;
  const auto& list = doc["devices"][serial];
  const std::string where = f + ": devices." + serial;
  if (!list.is_array()) throw InputError(where + ": expected an array");
  if (list.size() > 1000) throw InputError(where + ": more than 1000 entries");
  GainTable t;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& e = list[i];
    const std::string at = where + "[" + std::to_string(i) + "]";
    if (!e.is_object()) throw InputError(at + ": expected an object");
    GainEntry g;
    if (!e.contains("band") || !e["band"].is_string() || !family(e["band"].get<std::string>()))
      throw InputError(at + ".band: expected a band name (GSM850, GSM900, DCS1800, ...)");
    g.band = e["band"].get<std::string>();
    if (e.contains("gain_db")) {
      if (!e["gain_db"].is_number() || !std::isfinite(e["gain_db"].get<double>()) ||
          std::fabs(e["gain_db"].get<double>()) > 200)
        throw InputError(at + ".gain_db: expected a number within -200..200");
      g.gain_db = e["gain_db"].get<double>();
    }
    if (!e.contains("offset_db") || !e["offset_db"].is_number() || !std::isfinite(e["offset_db"].get<double>()) ||
        std::fabs(e["offset_db"].get<double>()) > 300)
      throw InputError(at + ".offset_db: expected a number within -300..300");
    g.offset_db = e["offset_db"].get<double>();
    t.entries_.push_back(g);
  }
  return t;
}

std::optional<double> GainTable::offset_db(const std::string& band, std::optional<double> gain_db) const {
  const auto fam = family(band);
  if (!fam) return std::nullopt;
  const GainEntry* best = nullptr;
  const GainEntry* any_gain = nullptr;
  for (const auto& e : entries_) {
    if (family(e.band) != fam) continue;
    if (!e.gain_db) {
      if (!any_gain) any_gain = &e;
      continue;
    }
    if (!gain_db || std::fabs(*e.gain_db - *gain_db) > 3.0) continue;
    if (!best || std::fabs(*e.gain_db - *gain_db) < std::fabs(*best->gain_db - *gain_db)) best = &e;
  }
  if (best) return best->offset_db;
  if (any_gain) return any_gain->offset_db;
  return std::nullopt;
}

}  // namespace tw::cal
