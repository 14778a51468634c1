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
  auto it = history_.find(cell.sensor_id);
  if (it == history_.end()) {
    SensorHistory h;
    Stmt b(store_, "SELECT band, n FROM fleet_band_sweeps WHERE sensor_id = ?1");
    b.bind(1, cell.sensor_id);
    while (b.step()) h.band_sweeps[b.col_text(0)] = b.col_int(1);
    Stmt c(store_, "SELECT cell_key, sweeps_seen, first_seen_ms, band_sweeps_before FROM fleet_cell_history WHERE sensor_id = ?1");
    c.bind(1, cell.sensor_id);
    while (c.step()) h.cells[c.col_text(0)] = {c.col_int(1), c.col_int(2), c.col_int(3)};
    it = history_.emplace(cell.sensor_id, std::move(h)).first;
  }
  CellHistory out;
  const auto c = it->second.cells.find(store::cell_key(cell));
  if (c == it->second.cells.end()) return out;
  const auto b = it->second.band_sweeps.find(cell.band);
  out.sweeps_seen = c->second[0];
  out.first_seen_unix_ms = c->second[1];
  out.sweeps_covering = std::max<std::int64_t>(0, (b == it->second.band_sweeps.end() ? 0 : b->second) - c->second[2]);
  return out;
}

std::size_t fold_fleet_sweeps(store::Store& st, const std::vector<FleetFold>& folds, LearnedCellCache& cache,
                              std::int64_t now_ms) {
  if (now_ms - cache.filled_ms > cache.ttl_ms || now_ms < cache.filled_ms) {
    cache.cells.clear();
    cache.filled_ms = now_ms;
  }
  // Per sensor and band ("" = any band): the sweeps counted before the batch (read once), and what the batch adds.
  std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::int64_t>> bands;   // base, added
  struct History {
    std::int64_t seen = 0, first_seen_ms = 0, band_before = 0;
  };
  std::map<std::pair<std::string, std::string>, History> history;   // (sensor, cell key): this batch's part
  std::set<std::string> dirty;
  std::int64_t last_sweep = 0;
  std::size_t n = 0;
  for (const auto& f : folds) {
    const SweepObservations& sweep = *f.sweep;
    last_sweep = std::max(last_sweep, f.sweep_id);
    if (sweep.cells.empty()) continue;
    std::set<std::string> sweep_bands{""};
    for (const auto& c : sweep.cells) sweep_bands.insert(c.band);
    std::map<std::string, std::int64_t> before;   // band -> sweeps before this one
    for (const auto& b : sweep_bands) {
      auto key = std::make_pair(sweep.sensor_id, b);
      auto it = bands.find(key);
      if (it == bands.end()) {
        Stmt s(st, "SELECT n FROM fleet_band_sweeps WHERE sensor_id = ?1 AND band = ?2");
        s.bind(1, sweep.sensor_id);
        s.bind(2, b);
        it = bands.emplace(key, std::make_pair(s.step() ? s.col_int(0) : 0, std::int64_t{0})).first;
      }
      before[b] = it->second.first + it->second.second;
      ++it->second.second;
    }
    std::set<std::string> seen;
    for (const auto& c : sweep.cells) {
      const std::string key = store::cell_key(c);
      if (c.mcc && c.mnc && c.lac && c.ci && c.arfcn >= 0 && seen.insert(key).second) {
        History& h = history[{sweep.sensor_id, key}];
        if (h.seen == 0) {
          h.first_seen_ms = sweep.time_unix_ms;
          h.band_before = before[c.band];
        }
        ++h.seen;
      }
      if (f.not_learned.count(key)) continue;
      auto it = cache.cells.find(key);
      if (it == cache.cells.end()) {
        auto known = st.known_cell(key, "learned");
        if (!known) {
          known = store::KnownCell{};
          known->key = key;
          known->source = "learned";
        }
        it = cache.cells.emplace(key, std::move(*known)).first;
      }
      store::fold_observation(it->second, c);
      dirty.insert(key);
      ++n;
    }
  }
  for (const auto& [key, b] : bands) {
    Stmt s(st, "INSERT INTO fleet_band_sweeps(sensor_id, band, n) VALUES(?1, ?2, ?3) ON CONFLICT (sensor_id, band) DO "
               "UPDATE SET n = fleet_band_sweeps.n + excluded.n");
    s.bind(1, key.first);
    s.bind(2, key.second);
    s.bind(3, b.second);
    s.run();
  }
  // A cell already in the history keeps its first sighting; the batch adds its sweeps.
  for (const auto& [key, h] : history) {
    Stmt s(st, "INSERT INTO fleet_cell_history(sensor_id, cell_key, sweeps_seen, first_seen_ms, band_sweeps_before) "
               "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT (sensor_id, cell_key) DO UPDATE SET "
               "sweeps_seen = fleet_cell_history.sweeps_seen + excluded.sweeps_seen");
    s.bind(1, key.first);
    s.bind(2, key.second);
    s.bind(3, h.seen);
    s.bind(4, h.first_seen_ms);
    s.bind(5, h.band_before);
    s.run();
  }
  for (const auto& key : dirty) st.put_known_cell(cache.cells.at(key));
  if (last_sweep > store::learned_watermark(st)) st.set_meta(store::kLearnedThroughSweepMeta, std::to_string(last_sweep));
  return n;
}

}  // namespace tw::fleet
