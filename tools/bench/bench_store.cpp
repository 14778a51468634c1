// The database's write paths (src/store), on a fresh database file per iteration (in TMPDIR, /tmp by default).
//   BM_OpenCellIdImport/<rows>  `baseline import` of an OpenCellID CSV written once (rows/s): read, split,
//                               checked, one INSERT OR REPLACE per row, a transaction per 5000 rows.
//   BM_BareInsertFloor/<rows>   the baseline in the same run: the same rows inserted into the same table by one
//                               prepared statement with values bound directly (no CSV, no checks, no JSON), the
//                               same transactions. The import's cost over this floor is what parsing adds.
//   BM_StoreSweep/<cells>       one sweep with its observations in one transaction (sweeps/s).
// Report BM_OpenCellIdImport / BM_BareInsertFloor as a ratio (same run, same disk).
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

void BM_OpenCellIdImport(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  const auto& csv = opencellid_csv(rows);
  const auto db = scratch("import.db");
  for (auto _ : state) {
    state.PauseTiming();
    remove_db(db);
    state.ResumeTiming();
    tw::store::Store st(db);
    const auto r = tw::store::import_opencellid(st, csv);
    if (r.imported != rows) state.SkipWithError("rows lost");
  }
  remove_db(db);
  state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(BM_OpenCellIdImport)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_BareInsertFloor(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  const auto db = scratch("floor.db");
  for (auto _ : state) {
    state.PauseTiming();
    remove_db(db);
    state.ResumeTiming();
    tw::store::Store st(db);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(st.handle(),
                       "INSERT OR REPLACE INTO known_cells(cell_key, source, rat, mcc, mnc, lac, ci, n_positions, "
                       "first_seen_ms, last_seen_ms, lat, lon, extra) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       -1, &s, nullptr);
    st.exec("BEGIN");
    for (int i = 0; i < rows; ++i) {
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
      if ((i + 1) % 5000 == 0) {
        st.exec("COMMIT");
        st.exec("BEGIN");
      }
    }
    st.exec("COMMIT");
    sqlite3_finalize(s);
  }
  remove_db(db);
  state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(BM_BareInsertFloor)->Arg(100000)->Unit(benchmark::kMillisecond);

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
