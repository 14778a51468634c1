#include "src/cli/scoring_common.hpp"

#include <filesystem>

#include "src/scorer/score_records.hpp"
#include "src/store/store.hpp"
#include "src/store/store_baseline_view.hpp"

namespace tw::cli {

OptionSpec db_option() {
  return {"db", true, "FILE",
          "store every sweep and its alerts in this SQLite database and score against its baseline "
          "(towerwatch baseline learn|import)"};
}

ScoredRun score_run(const std::vector<nlohmann::json>& cell_records, const std::string& sensor, const std::string& source,
                    const std::optional<std::string>& db_path) {
  ScoredRun run;
  const SweepObservations sweep = observations_from_records(cell_records, now_unix_ms(), sensor);
  if (!db_path) {
    run.alerts = score_sweep(sweep, nullptr);
    return run;
  }
  const std::filesystem::path path(*db_path);
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  store::Store db(path);
  store::StoreBaselineView baseline(db);
  run.alerts = score_sweep(sweep, &baseline);
  // The sweep is committed in one transaction first; its alerts follow (an interruption between the two
  // leaves a complete sweep without alerts, which scoring it again restores).
  run.sweep_id = db.store_sweep(sweep, source);
  for (const auto& a : run.alerts) db.store_alert(*run.sweep_id, store::cell_key(a.cell), a.score, to_json(a)["reasons"]);
  return run;
}

}  // namespace tw::cli
