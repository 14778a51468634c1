// One line of an OpenCellID CSV to the row parser (src/store/baseline.cpp parse_opencellid_line), without the
// database: the parser at the speed of a parser (fuzz_opencellid runs whole files through the import and the
// store). The input is the line (every byte, NULs and line ends included).
// Invariants: no exception; a cell or a reason, never both, the reason short (it quotes at most a few bytes
// of the line); a cell: source "opencellid", radio GSM/UMTS/LTE/NR, MCC 0..999, MNC 2 or 3 digits, LAC and
// cell identity in their ranges (23.003: CI 16 bits, UTRAN/E-UTRAN 28, NR 36), a position on the globe, its key
// cell_key(...) of those fields, JSON valid; the cell written back as a CSV line parses to the same cell;
// deterministic.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "src/store/store.hpp"
#include "tests/fuzz/fuzz_common.hpp"

namespace {

namespace st = tw::store;

std::string g17(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

// The CSV line of a parsed cell, in OpenCellID's column order (the MNC as the number it is in the file).
std::string to_line(const st::KnownCell& k) {
  const auto& e = k.extra;
  return k.rat + "," + std::to_string(*k.mcc) + "," + std::to_string(std::stoi(*k.mnc)) + "," + std::to_string(*k.lac) +
         "," + std::to_string(*k.ci) + "," + e.at("unit").dump() + "," + g17(*k.lon) + "," + g17(*k.lat) + "," +
         e.at("range_m").dump() + "," + e.at("samples").dump() + "," + (e.at("changeable").get<bool>() ? "1" : "0") +
         "," + std::to_string(*k.first_seen_ms / 1000) + "," + std::to_string(*k.last_seen_ms / 1000) + "," +
         e.at("average_signal_dbm").dump();
}

void check_cell(const st::KnownCell& k, std::string_view line) {
  const std::string ctx = " (line of " + std::to_string(line.size()) + " bytes)";
  TW_FUZZ_CHECK(k.source == "opencellid", "source " + k.source + ctx);
  std::int64_t ci_max = 0;
  if (k.rat == "GSM")
    ci_max = 65535;
  else if (k.rat == "UMTS" || k.rat == "LTE")
    ci_max = 268435455;
  else if (k.rat == "NR")
    ci_max = 68719476735LL;
  TW_FUZZ_CHECK(ci_max > 0, "radio " + k.rat + ctx);
  TW_FUZZ_CHECK(k.mcc && *k.mcc >= 0 && *k.mcc <= 999, "mcc" + ctx);
  TW_FUZZ_CHECK(k.mnc && (k.mnc->size() == 2 || k.mnc->size() == 3) &&
                    k.mnc->find_first_not_of("0123456789") == std::string::npos,
                "mnc" + ctx);
  TW_FUZZ_CHECK(k.lac && *k.lac >= 0 && *k.lac <= (k.rat == "NR" ? 16777215 : 65535), "lac" + ctx);
  TW_FUZZ_CHECK(k.ci && *k.ci >= 0 && *k.ci <= ci_max, "ci" + ctx);
  TW_FUZZ_CHECK(k.lat && std::isfinite(*k.lat) && *k.lat >= -90 && *k.lat <= 90, "lat" + ctx);
  TW_FUZZ_CHECK(k.lon && std::isfinite(*k.lon) && *k.lon >= -180 && *k.lon <= 180, "lon" + ctx);
  TW_FUZZ_CHECK(k.key == st::cell_key(k.rat, k.mcc, k.mnc, k.lac, k.ci, -1), "key " + k.key + ctx);
  TW_FUZZ_CHECK(k.first_seen_ms && k.last_seen_ms && *k.first_seen_ms >= 0 && *k.last_seen_ms >= 0, "times" + ctx);
  (void)st::known_cell_json(k).dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return -1;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  std::string why;
  const auto cell = st::parse_opencellid_line(line, why);
  TW_FUZZ_CHECK(cell.has_value() == why.empty(), "a cell and a reason, or neither: '" + why + "'");
  TW_FUZZ_CHECK(why.size() < 200, "a reason quotes too much of the line: " + why.substr(0, 200));
  std::string why_again;
  const auto again = st::parse_opencellid_line(line, why_again);
  TW_FUZZ_CHECK(why_again == why && again.has_value() == cell.has_value(), "not deterministic");
  if (!cell) return 0;
  check_cell(*cell, line);
  const std::string json = st::known_cell_json(*cell).dump();
  TW_FUZZ_CHECK(st::known_cell_json(*again).dump() == json, "not deterministic: " + json);
  // Written back and parsed again: the same cell.
  const std::string canonical = to_line(*cell);
  std::string why_back;
  const auto back = st::parse_opencellid_line(canonical, why_back);
  TW_FUZZ_CHECK(back.has_value(), "the cell written back does not parse: " + why_back + ": " + canonical);
  TW_FUZZ_CHECK(st::known_cell_json(*back).dump() == json,
                "round trip: " + json + " -> " + canonical + " -> " + st::known_cell_json(*back).dump());
  return 0;
}
