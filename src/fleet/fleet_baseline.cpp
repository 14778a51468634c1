#include "src/fleet/fleet_baseline.hpp"

#include <algorithm>

#include "src/store/stmt.hpp"
#include "src/store/store.hpp"

namespace tw::fleet {

using store::Stmt;

namespace {
bool fresh(std::int64_t computed_ms, std::int64_t now_ms, std::int64_t ttl_ms) {
  return computed_ms <= now_ms && now_ms - computed_ms <= ttl_ms;
}
std::string join(const std::string& rat, int mcc, const std::string& mnc, const std::string& more = "") {
  return rat + "|" + std::to_string(mcc) + "|" + mnc + "|" + more;
}
}  // namespace

std::optional<KnownCell> FleetBaselineView::find_cell_of(const std::string& rat, int mcc, const std::string& mnc, int lac,
                                                         int ci) const {
  const std::string key = join(rat, mcc, mnc, std::to_string(lac) + "|" + std::to_string(ci));
  auto it = cells_.find(key);
  if (it == cells_.end()) it = cells_.emplace(key, StoreBaselineView::find_cell_of(rat, mcc, mnc, lac, ci)).first;
  return it->second;
}

std::vector<KnownCell> FleetBaselineView::learned_cells_of(const std::string& rat, int arfcn) const {
  const auto key = std::make_pair(rat, arfcn);
  auto it = channels_.find(key);
  if (it == channels_.end()) it = channels_.emplace(key, StoreBaselineView::learned_cells_of(rat, arfcn)).first;
  return it->second;
}

bool FleetBaselineView::operator_known_of(const std::string& rat, int mcc, const std::string& mnc) const {
  if (!cache_) return StoreBaselineView::operator_known_of(rat, mcc, mnc);
  const std::string key = join(rat, mcc, mnc);
  auto it = cache_->operators_known.find(key);
  // Known once is known for good (the learned baseline only grows).
  if (it != cache_->operators_known.end() && (it->second.second || fresh(it->second.first, now_ms_, cache_->ttl_ms)))
    return it->second.second;
  const bool known = StoreBaselineView::operator_known_of(rat, mcc, mnc);
  cache_->operators_known[key] = {now_ms_, known};
  return known;
}

OperatorPlan FleetBaselineView::operator_plan_of(const std::string& rat, int mcc, const std::string& mnc,
                                                 const std::string& band) const {
  if (!cache_) return StoreBaselineView::operator_plan_of(rat, mcc, mnc, band);
  const std::string key = join(rat, mcc, mnc, band);
  auto it = cache_->plans.find(key);
  if (it != cache_->plans.end() && fresh(it->second.first, now_ms_, cache_->ttl_ms)) return it->second.second;
  OperatorPlan plan = StoreBaselineView::operator_plan_of(rat, mcc, mnc, band);
  cache_->plans[key] = {now_ms_, plan};
  return plan;
}

std::vector<std::pair<int, std::string>> FleetBaselineView::operators() const {
  if (!cache_) return StoreBaselineView::operators();
  if (cache_->operators && fresh(cache_->operators->first, now_ms_, cache_->ttl_ms)) return cache_->operators->second;
  auto ops = StoreBaselineView::operators();
  cache_->operators = std::make_pair(now_ms_, ops);
  return ops;
}

std::int64_t FleetBaselineView::sweeps_in_band(const std::string& band) const {
  Stmt s(store_, "SELECT COALESCE(SUM(n), 0) FROM fleet_band_sweeps WHERE band = ?1");
  s.bind(1, band);
  return s.step() ? s.col_int(0) : 0;
}

std::optional<CellHistory> FleetBaselineView::cell_history(const CellObservation& cell, std::int64_t) const {
  if (!cell.mcc || !cell.mnc || !cell.lac || !cell.ci || cell.arfcn < 0) return std::nullopt;
  CellHistory h;
  Stmt s(store_,
         "SELECT h.sweeps_seen, h.first_seen_ms, COALESCE(b.n, 0) - h.band_sweeps_before FROM fleet_cell_history h "
         "LEFT JOIN fleet_band_sweeps b ON b.sensor_id = h.sensor_id AND b.band = ?3 "
         "WHERE h.sensor_id = ?1 AND h.cell_key = ?2");
  s.bind(1, cell.sensor_id);
  s.bind(2, store::cell_key(cell));
  s.bind(3, cell.band);
  if (s.step()) {
    h.sweeps_seen = s.col_int(0);
    h.first_seen_unix_ms = s.col_int(1);
    h.sweeps_covering = std::max<std::int64_t>(0, s.col_int(2));
  }
  return h;
}

std::size_t fold_fleet_sweep(store::Store& st, std::int64_t sweep_id, const SweepObservations& sweep,
                             const std::set<std::string>& not_learned) {
  // The sensor's sweeps per band (and "" for any band) before this one, then counted with it.
  std::set<std::string> bands{""};
  for (const auto& c : sweep.cells) bands.insert(c.band);
  if (sweep.cells.empty()) bands.clear();
  std::map<std::string, std::int64_t> before;
  for (const auto& b : bands) {
    Stmt s(st, "INSERT INTO fleet_band_sweeps(sensor_id, band, n) VALUES(?1, ?2, 1) ON CONFLICT (sensor_id, band) DO "
               "UPDATE SET n = fleet_band_sweeps.n + 1 RETURNING n");
    s.bind(1, sweep.sensor_id);
    s.bind(2, b);
    before[b] = s.step() ? s.col_int(0) - 1 : 0;
  }
  // Each cell (its CGI on its channel) heard in this sweep: once per sweep.
  std::set<std::string> seen;
  for (const auto& c : sweep.cells) {
    if (!c.mcc || !c.mnc || !c.lac || !c.ci || c.arfcn < 0) continue;
    const std::string key = store::cell_key(c);
    if (!seen.insert(key).second) continue;
    Stmt s(st, "INSERT INTO fleet_cell_history(sensor_id, cell_key, sweeps_seen, first_seen_ms, band_sweeps_before) "
               "VALUES(?1, ?2, 1, ?3, ?4) ON CONFLICT (sensor_id, cell_key) DO UPDATE SET "
               "sweeps_seen = fleet_cell_history.sweeps_seen + 1");
    s.bind(1, sweep.sensor_id);
    s.bind(2, key);
    s.bind(3, sweep.time_unix_ms);
    s.bind(4, before[c.band]);
    s.run();
  }
  // The learned cells: every sensor's observations folded into one row per cell and channel.
  std::map<std::string, store::KnownCell> cells;
  std::size_t n = 0;
  for (const auto& c : sweep.cells) {
    const std::string key = store::cell_key(c);
    if (not_learned.count(key)) continue;
    auto it = cells.find(key);
    if (it == cells.end()) {
      auto known = st.known_cell(key, "learned");
      if (!known) {
        known = store::KnownCell{};
        known->key = key;
        known->source = "learned";
      }
      it = cells.emplace(key, std::move(*known)).first;
    }
    store::fold_observation(it->second, c);
    ++n;
  }
  for (const auto& [key, cell] : cells) st.put_known_cell(cell);
  std::int64_t w = 0;
  if (auto m = st.meta(store::kLearnedThroughSweepMeta)) w = std::atoll(m->c_str());
  if (sweep_id > w) st.set_meta(store::kLearnedThroughSweepMeta, std::to_string(sweep_id));
  return n;
}

}  // namespace tw::fleet
