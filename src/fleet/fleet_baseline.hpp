// The fleet baseline: the store's learned known cells (src/store/baseline.cpp's fold_observation), learned
// from every sensor's sweeps as the collector completes them, each cell's position the mean of the sensor
// positions it was heard from. Summarised as the sweeps arrive (known_cells rows; per sensor the sweeps of
// each band and each cell's history, tables fleet_band_sweeps and fleet_cell_history), so scoring a sweep
// reads a few indexed rows per cell and never aggregates the observations.
//
// FleetBaselineView is the store's StoreBaselineView over those rows (find_cell with BSIC, ARFCNs, powers,
// FN phase, position; learned cells per channel; operator plans; operators) with the fleet's summaries where
// StoreBaselineView would count observations: the sweeps of a band (operator plans) and a cell's history on
// its sensor (S2). What it does not answer: a band's learned noise floor (J1: sensors do not publish their
// band floors) and an earlier drive's transmitter position (S4: the fleet rule FL3 compares positions).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "src/store/store_baseline_view.hpp"

namespace tw::fleet {

// Answers about a whole operator change slowly (a plan over hundreds of cells): they are kept for ttl_ms
// and shared by the views of the sweeps scored meanwhile.
struct FleetBaselineCache {
  std::int64_t ttl_ms = 60000;
  std::map<std::string, std::pair<std::int64_t, OperatorPlan>> plans;
  std::map<std::string, std::pair<std::int64_t, bool>> operators_known;
  std::optional<std::pair<std::int64_t, std::vector<std::pair<int, std::string>>>> operators;
};

class FleetBaselineView : public store::StoreBaselineView {
 public:
  // now_ms: the collector's clock (the cache's age); cache may be null.
  FleetBaselineView(store::Store& store, FleetBaselineCache* cache, std::int64_t now_ms)
      : StoreBaselineView(store), cache_(cache), now_ms_(now_ms) {}
  std::optional<KnownCell> find_cell_of(const std::string& rat, int mcc, const std::string& mnc, int lac,
                                        int ci) const override;
  std::vector<KnownCell> learned_cells_of(const std::string& rat, int arfcn) const override;
  bool operator_known_of(const std::string& rat, int mcc, const std::string& mnc) const override;
  OperatorPlan operator_plan_of(const std::string& rat, int mcc, const std::string& mnc,
                                const std::string& band) const override;
  std::vector<std::pair<int, std::string>> operators() const override;
  // The sensor's sweeps before this batch that heard the cell (its CGI on its channel), from the first of them
  // on those with any cell of its band (fleet_cell_history, fleet_band_sweeps; one query per sensor).
  std::optional<CellHistory> cell_history(const CellObservation& cell, std::int64_t before_unix_ms) const override;
  std::optional<EstimatedPosition> earlier_position_estimate(const CellObservation&, std::int64_t) const override {
    return std::nullopt;
  }

 protected:
  std::int64_t sweeps_in_band(const std::string& band) const override;

 private:
  FleetBaselineCache* cache_;
  std::int64_t now_ms_;
  // The rules ask for the same cell several times, and the sweeps of one batch for the same cells: answered
  // once per view (one view per batch: its sweeps are scored against the baseline as it was before the batch).
  mutable std::map<std::string, std::optional<KnownCell>> cells_;
  mutable std::map<std::pair<std::string, int>, std::vector<KnownCell>> channels_;
  struct SensorHistory {
    std::map<std::string, std::int64_t> band_sweeps;   // band -> sweeps
    std::map<std::string, std::array<std::int64_t, 3>> cells;   // cell key -> sweeps_seen, first_seen_ms, band_sweeps_before
  };
  mutable std::map<std::string, SensorHistory> history_;
};

// The learned known cells the collector wrote (it is the fleet baseline's only writer), kept between batches
// so that folding a sweep does not read its cells back; forgotten after ttl_ms (a `baseline learn
// --rebuild` or import meanwhile is then seen) and whenever a transaction that wrote them failed.
struct LearnedCellCache {
  std::int64_t ttl_ms = 60000;
  std::int64_t filled_ms = 0;
  std::map<std::string, store::KnownCell> cells;
};

// One completed sweep to fold: its store id, observations, and the store cell keys not to learn.
struct FleetFold {
  std::int64_t sweep_id = 0;
  const SweepObservations* sweep = nullptr;
  std::set<std::string> not_learned;
};

// Folds completed sweeps (in order) into the fleet baseline, inside the caller's transaction: each sensor's
// history summaries always, and every observation into the learned known cells except those whose store
// cell key is in its `not_learned` (cells that alerted: an alerting cell never becomes the norm). Each
// known cell and summary row touched is written once. Moves the baseline's watermark (meta
// learned_through_sweep) past the sweeps. `cache` is updated (the caller clears it if the transaction fails).
// Returns the observations folded.
std::size_t fold_fleet_sweeps(store::Store& store, const std::vector<FleetFold>& sweeps, LearnedCellCache& cache,
                              std::int64_t now_ms);

}  // namespace tw::fleet
