#include "src/monitor/monitor_core.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "src/core/error.hpp"
#include "src/store/store_baseline_view.hpp"

namespace tw::monitor {

namespace {
std::optional<std::int64_t> meta_int(store::Store& st, const char* key) {
  auto v = st.meta(key);
  if (!v) return std::nullopt;
  std::int64_t x = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
  if (ec != std::errc() || p != v->data() + v->size())
    throw RuntimeFailure(st.name() + ": meta '" + key + "' is not an integer");
  return x;
}
}  // namespace

std::optional<std::int64_t> stored_clock_ms(store::Store& st) { return meta_int(st, MonitorCore::kClockMeta); }

MonitorCore::MonitorCore(store::Store& store, MonitorCoreOptions options)
    : store_(store), options_(std::move(options)),
      tracker_(FindingOptions{options_.clear_after_sweeps, 1e-6}, store.open_findings()) {
  if (options_.learn_ms < 0) throw InputError("learning period must not be negative");
}

std::optional<std::int64_t> MonitorCore::learning_started_ms() { return meta_int(store_, kLearnStartedMeta); }

bool MonitorCore::has_baseline() { return store_.query_int("SELECT count(*) FROM known_cells") > 0; }

std::size_t MonitorCore::learn_normal_cells(const FindingTracker& tracker, std::int64_t sweep_id,
                                            const SweepObservations& sweep, const std::vector<Alert>& alerts) {
  std::set<std::string> alerted;
  for (const auto& a : alerts) alerted.insert(store::cell_key(a.cell));
  std::size_t n = 0;
  for (const auto& c : sweep.cells) {
    const std::string key = store::cell_key(c);
    if (alerted.count(key) || tracker.cell_has_open_finding(key)) continue;
    auto known = store_.known_cell(key, "learned");
    if (!known) {
      known = store::KnownCell{};
      known->key = key;
      known->source = "learned";
    }
    store::fold_observation(*known, c);
    store_.put_known_cell(*known);
    ++n;
  }
  // The baseline's watermark moves past this sweep (so `baseline learn` does not fold it a second time).
  const std::int64_t w = meta_int(store_, store::kLearnedThroughSweepMeta).value_or(0);
  if (sweep_id > w) store_.set_meta(store::kLearnedThroughSweepMeta, std::to_string(sweep_id));
  return n;
}

void MonitorCore::reload_findings() {
  tracker_ = FindingTracker(FindingOptions{options_.clear_after_sweeps, 1e-6}, store_.open_findings());
}

SweepOutcome MonitorCore::process(const SweepObservations& sweep, const std::string& source) {
  SweepOutcome out;
  out.time_unix_ms = sweep.time_unix_ms;
  out.cells = sweep.cells.size();
  // Work on a copy of the tracker: it replaces the committed state only once the transaction commits (a
  // failure anywhere, a lost database connection included, leaves the tracker as it was, so the same sweep
  // can be processed again).
  FindingTracker tracker = tracker_;
  {
    store::Store::Transaction tx(store_);
    std::int64_t started = sweep.time_unix_ms;
    if (auto s = meta_int(store_, kLearnStartedMeta))
      started = *s;
    else
      store_.set_meta(kLearnStartedMeta, std::to_string(started));
    out.learning_ends_ms = started + options_.learn_ms;
    out.learning = sweep.time_unix_ms < out.learning_ends_ms;

    out.sweep_id = store_.store_sweep(sweep, source);
    if (out.learning) {
      const auto r = store::learn_baseline(store_);
      out.cells_learned = static_cast<std::size_t>(r.observations);
    } else {
      store::StoreBaselineView baseline(store_);
      out.alerts = score_sweep(sweep, &baseline, options_.scorer);
      for (const auto& a : out.alerts) store_.store_alert(out.sweep_id, store::cell_key(a.cell), a.score, to_json(a)["reasons"]);
      out.events = tracker.update(out.sweep_id, sweep.time_unix_ms, sweep, out.alerts);
      tracker.persist(store_);
      out.cells_learned = learn_normal_cells(tracker, out.sweep_id, sweep, out.alerts);  // the updated findings
    }
    store_.set_meta(kClockMeta, std::to_string(sweep.time_unix_ms));
    if (options_.in_transaction) options_.in_transaction(store_, out.sweep_id, sweep, out.alerts, source);
    tx.commit();
  }
  tracker_ = std::move(tracker);
  return out;
}

}  // namespace tw::monitor
