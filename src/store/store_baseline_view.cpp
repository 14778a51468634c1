#include "src/store/store_baseline_view.hpp"

#include <algorithm>
#include <charconv>

#include "src/store/sqlite_stmt.hpp"

namespace tw::store {

namespace {
// The numeric value of a decimal MNC string; -1 if it is not one.
int mnc_value(const std::string& mnc) {
  int v = -1;
  if (mnc.empty() || mnc.size() > 3) return -1;
  auto [p, ec] = std::from_chars(mnc.data(), mnc.data() + mnc.size(), v);
  return ec == std::errc() && p == mnc.data() + mnc.size() ? v : -1;
}
}  // namespace

std::optional<tw::KnownCell> StoreBaselineView::find_cell(int mcc, const std::string& mnc, int lac, int ci) const {
  Stmt s(store_,
         "SELECT source, mnc, arfcn, first_seen_ms, last_seen_ms, lat, lon, n_observations FROM known_cells "
         "WHERE rat = 'GSM' AND mcc = ? AND lac = ? AND ci = ? ORDER BY source, n_observations DESC");
  s.bind(1, mcc);
  s.bind(2, lac);
  s.bind(3, ci);
  const int want = mnc_value(mnc);
  std::optional<tw::KnownCell> out;
  bool learned = false;
  while (s.step()) {
    const std::string source = s.col_text(0);
    const std::string row_mnc = s.col_text(1);
    const bool is_learned = source == "learned";
    if (is_learned ? row_mnc != mnc : (want < 0 || mnc_value(row_mnc) != want)) continue;
    if (!out) {
      out = tw::KnownCell{};
      out->mcc = mcc;
      out->mnc = mnc;
      out->lac = lac;
      out->ci = ci;
      out->source = is_learned ? "observed" : "opencellid";
    }
    const auto first = s.col_opt_int(3), last = s.col_opt_int(4);
    const auto lat = s.col_opt_double(5), lon = s.col_opt_double(6);
    if (is_learned) {
      const int arfcn = static_cast<int>(s.col_int(2));
      if (arfcn >= 0 && std::find(out->arfcns.begin(), out->arfcns.end(), arfcn) == out->arfcns.end())
        out->arfcns.push_back(arfcn);
      if (first && (!learned || *first < out->first_seen_unix_ms)) out->first_seen_unix_ms = *first;
      if (last && (!learned || *last > out->last_seen_unix_ms)) out->last_seen_unix_ms = *last;
      if (!learned && lat && lon) {  // rows come most-observed first
        out->lat = lat;
        out->lon = lon;
      }
      learned = true;
    } else if (!learned) {  // an OpenCellID row (rows of "learned" sort first)
      if (first) out->first_seen_unix_ms = *first;
      if (last) out->last_seen_unix_ms = *last;
      out->lat = lat;
      out->lon = lon;
    }
  }
  if (out) std::sort(out->arfcns.begin(), out->arfcns.end());
  return out;
}

bool StoreBaselineView::operator_known(int mcc, const std::string& mnc) const {
  Stmt s(store_,
         "SELECT 1 FROM known_cells WHERE mcc = ?1 AND (mnc = ?2 OR (source = 'opencellid' AND ?3 >= 0 AND "
         "CAST(mnc AS INTEGER) = ?3)) LIMIT 1");
  s.bind(1, mcc);
  s.bind(2, mnc);
  s.bind(3, mnc_value(mnc));
  return s.step();
}

}  // namespace tw::store
