// The scorer's baseline (src/scorer/baseline_view.hpp) over the fleet's PostgreSQL store: every observation
// any sensor made before `before_ms` (collector time) is the baseline, so a sweep is scored against what the
// whole fleet has heard, as StoreBaselineView scores against one sensor's SQLite. Implements the two
// required queries (find_cell, operator_known); the optional ones answer "nothing known" (their rules stay
// silent) - the full set is not ported yet.
#pragma once
#include <cstdint>

#include "src/fleet/pg_store.hpp"
#include "src/scorer/baseline_view.hpp"

namespace tw::fleet {

class PgBaselineView : public BaselineView {
 public:
  PgBaselineView(PgFleetStore& db, std::int64_t before_ms) : db_(db), before_ms_(before_ms) {}
  std::optional<KnownCell> find_cell(int mcc, const std::string& mnc, int lac, int ci) const override {
    return db_.fleet_cell(mcc, mnc, lac, ci, before_ms_);
  }
  bool operator_known(int mcc, const std::string& mnc) const override {
    return db_.fleet_operator_known(mcc, mnc, before_ms_);
  }

 private:
  PgFleetStore& db_;
  std::int64_t before_ms_;
};

}  // namespace tw::fleet
