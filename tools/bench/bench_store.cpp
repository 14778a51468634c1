// The database's write paths (src/store), on a fresh database file per iteration (in TMPDIR, /tmp by default).
//   BM_OpenCellIdImport/<rows>  `baseline import` of an OpenCellID CSV written once (rows/s): read, split,
//                               checked, one INSERT OR REPLACE per row, a transaction per 5000 rows.
//   BM_BareInsertFloor/<rows>   the baseline in the same run: the same rows inserted into the same table by one
//                               prepared statement with values bound directly (no CSV, no checks, no JSON), the
//                               same transactions. The import's cost over this floor is what parsing adds.
//   BM_BareInsertPreparedPerRow/<rows>  the floor with the INSERT compiled again for every row: what the store
//                               did before it kept its prepared statements (src/store/sqlite_stmt.hpp).
//   BM_StoreSweep/<cells>       one sweep with its observations in one transaction (sweeps/s).
// Report BM_OpenCellIdImport and BM_BareInsertPreparedPerRow against BM_BareInsertFloor as ratios (same run, same
// disk).
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>
#include <string>

#include "src/store/store.hpp"

namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const char* t = std::getenv("TMPDIR");
  return fs::path(t && *t ? t : "/tmp") / ("towerwatch-bench-" + std::to_string(::getpid()) + "-" + name);
}

void remove_db(const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
}

// Row i of the generated file: GSM, MCC 262, MNC i % 3, LAC i / 60000, CI i % 60000 (all distinct keys).
const fs::path& opencellid_csv(int rows) {
  static std::map<int, fs::path> files;
  auto& p = files[rows];
  if (p.empty()) {
    p = scratch("cells-" + std::to_string(rows) + ".csv");
    std::ofstream f(p);
    f << "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal\n";
    for (int i = 0; i < rows; ++i)
      f << "GSM,262," << (i % 3) << "," << (i / 60000) << "," << (i % 60000)
        << ",0,13.4,52.5,1000,12,1,1459000000,1600000000,-75\n";
  }
  return p;
}

// Runs body(store) once per iteration on a fresh database file (its removal not timed); `rows` items each.
template <class Body>
void on_fresh_database(benchmark::State& state, const std::string& name, std::int64_t rows, Body&& body) {
  const auto db = scratch(name);
  for (auto _ : state) {
    state.PauseTiming();
    remove_db(db);
    state.ResumeTiming();
    tw::store::Store st(db);
    body(st);
  }
  remove_db(db);
  state.SetItemsProcessed(state.iterations() * rows);
}

void BM_OpenCellIdImport(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  const auto& csv = opencellid_csv(rows);
  on_fresh_database(state, "import.db", rows, [&](tw::store::Store& st) {
    if (tw::store::import_opencellid(st, csv).imported != rows) state.SkipWithError("rows lost");
  });
}
BENCHMARK(BM_OpenCellIdImport)->Arg(100000)->Unit(benchmark::kMillisecond);

// The generated file's rows bound straight into an INSERT, in transactions of 5000; prepare_each_row: the
// statement compiled again for every row (what the store did before it kept its statements).
void insert_rows(benchmark::State& state, tw::store::Store& st, int rows, bool prepare_each_row) {
  const char* sql = "INSERT OR REPLACE INTO known_cells(cell_key, source, rat, mcc, mnc, lac, ci, n_positions, "
                    "first_seen_ms, last_seen_ms, lat, lon, extra) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)";
  sqlite3_stmt* s = nullptr;
  st.exec("BEGIN");
  for (int i = 0; i < rows; ++i) {
    if (!s) sqlite3_prepare_v2(st.handle(), sql, -1, &s, nullptr);
    std::string mnc(1, '0');
    mnc += std::to_string(i % 3);
    const std::string key = "GSM:262-" + mnc + ":" + std::to_string(i / 60000) + ":" + std::to_string(i % 60000);
    sqlite3_bind_text(s, 1, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, "opencellid", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, "GSM", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, 262);
    sqlite3_bind_text(s, 5, mnc.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 6, i / 60000);
    sqlite3_bind_int(s, 7, i % 60000);
    sqlite3_bind_int(s, 8, 1);
    sqlite3_bind_int64(s, 9, 1459000000000LL);
    sqlite3_bind_int64(s, 10, 1600000000000LL);
    sqlite3_bind_double(s, 11, 52.5);
    sqlite3_bind_double(s, 12, 13.4);
    sqlite3_bind_text(s, 13, "{}", -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) state.SkipWithError("insert failed");
    sqlite3_reset(s);
    if (prepare_each_row) {
      sqlite3_finalize(s);
      s = nullptr;
    }
    if ((i + 1) % 5000 == 0) {
      st.exec("COMMIT");
      st.exec("BEGIN");
    }
  }
  st.exec("COMMIT");
  sqlite3_finalize(s);
}

void BM_BareInsertFloor(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  on_fresh_database(state, "floor.db", rows, [&](tw::store::Store& st) { insert_rows(state, st, rows, false); });
}
BENCHMARK(BM_BareInsertFloor)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_BareInsertPreparedPerRow(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  on_fresh_database(state, "per-row.db", rows, [&](tw::store::Store& st) { insert_rows(state, st, rows, true); });
}
BENCHMARK(BM_BareInsertPreparedPerRow)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_StoreSweep(benchmark::State& state) {
  const int cells = static_cast<int>(state.range(0));
  tw::SweepObservations sweep;
  sweep.time_unix_ms = 1700000000000LL;
  for (int i = 0; i < cells; ++i) {
    tw::CellObservation o;
    o.time_unix_ms = sweep.time_unix_ms + i;
    o.arfcn = i;
    o.mcc = 262;
    o.mnc = "01";
    o.lac = 1000;
    o.ci = 30000 + i;
    o.bsic = i % 64;
    o.power_dbfs = -50.0 - i % 30;
    o.params = {{"t3212", 10}, {"cell_reselect_offset", 0}, {"neighbours", {1, 2, 3, 4, 5, 6}}};
    sweep.cells.push_back(o);
  }
  const auto db = scratch("sweeps.db");
  remove_db(db);
  {
    tw::store::Store st(db);
    for (auto _ : state) benchmark::DoNotOptimize(st.store_sweep(sweep, "bench"));
  }
  remove_db(db);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StoreSweep)->Arg(50)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
