// towerwatch baseline learn|import FILE|show: the baseline of known cells in the observation store.
#include <cstdio>

#include "src/cli/command.hpp"
#include "src/core/error.hpp"
#include "src/core/json_lines.hpp"
#include "src/store/store.hpp"

namespace tw::cli {

namespace {
std::string fmt_opt(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "-"; }

void show_table(const std::vector<store::KnownCell>& cells) {
  std::printf("%-10s %-4s %-4s %-4s %-6s %-10s %-6s %-5s %6s %18s %14s\n", "source", "rat", "mcc", "mnc", "lac", "ci",
              "arfcn", "bsic", "seen", "power dBFS (sd)", "cfo ppb (sd)");
  for (const auto& k : cells) {
    char power[32] = "-", cfo[32] = "-";
    if (k.power_dbfs.count > 0)
      std::snprintf(power, sizeof power, "%.1f (%.1f)", k.power_dbfs.mean, k.power_dbfs.stddev());
    if (k.cfo_residual_ppb.count > 0)
      std::snprintf(cfo, sizeof cfo, "%.1f (%.1f)", k.cfo_residual_ppb.mean, k.cfo_residual_ppb.stddev());
    // Broadcast strings (mnc) are printed with %s of a std::string: a NUL only truncates the field.
    std::printf("%-10s %-4s %-4s %-4s %-6s %-10s %-6s %-5s %6lld %18s %14s\n", k.source.c_str(), k.rat.c_str(),
                k.mcc ? std::to_string(*k.mcc).c_str() : "-", k.mnc ? k.mnc->c_str() : "-", fmt_opt(k.lac).c_str(),
                fmt_opt(k.ci).c_str(), k.arfcn >= 0 ? std::to_string(k.arfcn).c_str() : "-",
                k.bsic ? std::to_string(*k.bsic).c_str() : "-", static_cast<long long>(k.n_observations), power, cfo);
  }
  std::printf("%zu known cells\n", cells.size());
}
}  // namespace

int run_baseline(const std::vector<std::string>& argv) {
  HelpText help{
      "learn|import FILE|show [--db FILE] [options]",
      "The baseline of known cells, kept in the observation store (SQLite).\n"
      "  learn        fold the stored sweeps not learned yet into the learned cells: per cell the decoded\n"
      "               parameter values seen, power and carrier-offset statistics, first/last seen, position\n"
      "  import FILE  read an OpenCellID CSV (radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,\n"
      "               created,updated,averageSignal; header optional); bad rows are counted and reported\n"
      "  show         print the known cells (a table, or JSON lines {\"type\":\"known_cell\",...} with --json)\n"
      "The database defaults to $XDG_DATA_HOME/towerwatch/towerwatch.db (~/.local/share/towerwatch/).",
      {{"db", true, "FILE|URL", "the observation database: an SQLite file (created if absent) or postgresql://user@host:port/dbname"},
       {"rebuild", false, "", "learn: forget the learned cells and learn again from every stored sweep"},
       {"source", true, "learned|opencellid", "show: only the cells of this source"}},
      "towerwatch baseline import cell_towers_262.csv --db site.db && towerwatch baseline show --db site.db"};
  auto args = parse_or_help("baseline", help, argv);
  if (!args) return 0;
  const auto& pos = args->positionals();
  if (pos.empty()) throw InputError("baseline: no action given (learn, import FILE or show)");
  const std::string action = pos[0];
  const bool json = args->has("json");
  auto check_count = [&](std::size_t n) {
    if (pos.size() != n)
      throw InputError("baseline " + action + ": expected " + std::to_string(n - 1) + " argument(s), got " +
                       std::to_string(pos.size() - 1));
  };
  if (action != "learn" && action != "import" && action != "show")
    throw InputError("baseline: unknown action '" + action + "' (learn, import FILE or show)");
  check_count(action == "import" ? 2 : 1);

  // --db: an SQLite file or a postgresql:// URL (open_store creates a file's directory).
  const std::string db_arg = args->get("db") ? *args->get("db") : store::default_db_path().string();
  if (action == "import" && !std::filesystem::is_regular_file(pos[1]))
    throw InputError(pos[1] + ": no such file (OpenCellID CSV expected)");
  const std::unique_ptr<store::Store> opened = store::open_store(db_arg);
  store::Store& db = *opened;
  const std::string db_name = db.name();  // a URL's password is not shown

  if (action == "learn") {
    store::LearnOptions o;
    o.rebuild = args->has("rebuild");
    const auto r = store::learn_baseline(db, o);
    if (json)
      emit_json_line({{"type", "baseline_learn"}, {"db", db_name}, {"sweeps", r.sweeps},
                      {"observations", r.observations}, {"cells_new", r.cells_new},
                      {"cells_updated", r.cells_updated}, {"learned_through_sweep", r.learned_through_sweep}});
    else
      std::printf("%s: learned %lld observations from %lld sweeps: %lld new cells, %lld updated\n",
                  db_name.c_str(), static_cast<long long>(r.observations), static_cast<long long>(r.sweeps),
                  static_cast<long long>(r.cells_new), static_cast<long long>(r.cells_updated));
  } else if (action == "import") {
    const auto r = store::import_opencellid(db, pos[1]);
    if (json)
      emit_json_line({{"type", "baseline_import"}, {"db", db_name}, {"file", pos[1]}, {"rows", r.rows},
                      {"imported", r.imported}, {"bad", r.bad}, {"first_errors", r.first_errors}});
    else
      std::printf("%s: %lld rows, %lld imported, %lld bad\n", pos[1].c_str(), static_cast<long long>(r.rows),
                  static_cast<long long>(r.imported), static_cast<long long>(r.bad));
  } else {
    const std::string source = args->get_or("source", "");
    if (!source.empty() && source != "learned" && source != "opencellid")
      throw InputError("--source must be 'learned' or 'opencellid', not '" + source + "'");
    const auto cells = db.known_cells(source);
    if (json)
      for (const auto& k : cells) emit_json_line(store::known_cell_json(k));
    else
      show_table(cells);
  }
  return 0;
}

}  // namespace tw::cli
