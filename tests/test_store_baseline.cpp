// The baseline: OpenCellID import (good and bad rows, kill -9 mid-import), the scorer's BaselineView over
// the store, and the `towerwatch baseline` command.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <fstream>

#include "src/core/error.hpp"
#include "src/scorer/fn_clock.hpp"
#include "src/store/store.hpp"
#include "src/store/store_baseline_view.hpp"
#include "support/test_support.hpp"

using tw::store::Store;
using tw::test::TempDir;

namespace {

// OpenCellID layout: radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal
struct Csv {
  std::string text;
  int good = 0, bad = 0, rows = 0;
  std::vector<int> bad_lines;  // 1-based line numbers of the bad rows
  int line = 0;
  void header() {
    text += "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal\n";
    ++line;
  }
  void ok(const std::string& row, const char* eol = "\n") {
    text += row + eol;
    ++line, ++rows, ++good;
  }
  void ko(const std::string& row) {
    text += row + "\n";
    ++line, ++rows, ++bad;
    bad_lines.push_back(line);
  }
};

Csv sample_csv() {
  Csv c;
  c.header();
  c.ok("GSM,262,1,1000,30001,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75");
  c.ok("GSM,262,2,1001,30002,,13.41,52.51,500,3,1,1459000000,1600000000,0");
  c.ko("GSM,262,1,1000");                                                            // 4 columns
  c.ko("GSM,abc,1,1000,30001,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75");      // mcc not numeric
  c.ok("UMTS,262,2,1001,123456789,0,13.4,52.5,500,3,1,1459000000,1600000000,0");
  c.ko("GSM,262,1,1000,99999999999999999999999,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75");  // > int64
  c.ko("GSM,262,1,1000,70000,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75");     // GSM CI is 16 bits
  c.ko("GSM,\"26\"\"2\",1,1000,30005,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75");  // embedded quote
  static const char nul_row[] = "GSM,262,1,1000,3\0" "01,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75";
  c.ko(std::string(nul_row, sizeof nul_row - 1));  // an embedded NUL
  c.ko("CDMA,310,1,1000,30006,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75");    // radio not kept
  c.ko("GSM,262,1,1000,30007,0,200.0,52.5,1000,12,1,1459000000,1600000000,-75");    // lon out of range
  c.ko("\"GSM,262,1,1000,30008,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75");   // unterminated quote
  c.ko("GSM,262,1,1000,30009,0,13.4,52.5,1000,12,1,1459000000,1600000000," + std::string(5000, '9'));  // long
  c.ok("\"GSM\",\"262\",\"3\",\"1002\",\"30004\",\"0\",\"13.4\",\"52.5\",\"1000\",\"12\",\"1\",\"1459000000\","
       "\"1600000000\",\"-75\"");
  c.ok("LTE,262,1,40000,268435455,0,13.4,52.5,1000,12,1,1459000000,1600000000,-90", "\r\n");
  c.ok("GSM,262,1,1000,30001,0,13.5,52.6,1000,13,1,1459000000,1700000000,-74");    // update of row 1
  c.ok("GSM,262,1,1000,30010,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75", "");  // no final newline
  return c;
}

}  // namespace

TEST(StoreOpenCellId, ImportCountsGoodAndBadRowsNeverFatal) {
  TempDir dir;
  const Csv c = sample_csv();
  tw::test::write_file(dir / "cells.csv", c.text);
  Store st(dir / "t.db");
  const auto r = tw::store::import_opencellid(st, dir / "cells.csv", 3);
  EXPECT_EQ(r.rows, c.rows);
  EXPECT_EQ(r.imported, c.good);
  EXPECT_EQ(r.bad, c.bad);
  ASSERT_EQ(r.first_errors.size(), 10u);  // at most 10 reported, and there are 10 bad rows
  for (std::size_t i = 0; i < r.first_errors.size(); ++i)
    EXPECT_NE(r.first_errors[i].find("row " + std::to_string(c.bad_lines[i]) + ":"), std::string::npos)
        << r.first_errors[i];
  EXPECT_NE(r.first_errors[1].find("mcc"), std::string::npos) << r.first_errors[1];
  EXPECT_NE(r.first_errors[3].find("cell"), std::string::npos) << r.first_errors[3];

  const auto cells = st.known_cells("opencellid");
  EXPECT_EQ(cells.size(), static_cast<std::size_t>(c.good - 1));  // row 1 updated in place
  const auto k = st.known_cell(tw::store::cell_key("GSM", 262, std::string("01"), 1000, 30001, -1), "opencellid");
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->rat, "GSM");
  EXPECT_DOUBLE_EQ(*k->lon, 13.5);  // the later row wins
  EXPECT_DOUBLE_EQ(*k->lat, 52.6);
  EXPECT_EQ(k->first_seen_ms, 1459000000000LL);
  EXPECT_EQ(k->last_seen_ms, 1700000000000LL);
  EXPECT_EQ(k->extra["samples"], 13);
  EXPECT_EQ(k->extra["average_signal_dbm"], -74);
  const auto lte = st.known_cell(tw::store::cell_key("LTE", 262, std::string("01"), 40000, 268435455, -1), "opencellid");
  ASSERT_TRUE(lte.has_value());
  EXPECT_EQ(lte->rat, "LTE");
  EXPECT_TRUE(st.known_cell(tw::store::cell_key("GSM", 262, std::string("03"), 1002, 30004, -1), "opencellid"));
  EXPECT_TRUE(st.known_cell(tw::store::cell_key("GSM", 262, std::string("01"), 1000, 30010, -1), "opencellid"));
  EXPECT_EQ(st.query_text("PRAGMA integrity_check"), "ok");
}

// One line at a time (the row parser the import and fuzz_opencellid_row use). Ranges from TS 23.003 (CI 16 bits,
// E-UTRAN cell identity 28 bits) and OpenCellID's column layout.
TEST(StoreOpenCellId, RowParserTakesQuotedFieldsAndRejectsWithAReason) {
  std::string why;
  auto k = tw::store::parse_opencellid_line("\"LTE\",\"310\",410,\"65535\",268435455,,-122.4,+37.7,200,1,0,1500000000,1500000000,-90", why);
  ASSERT_TRUE(k) << why;
  EXPECT_TRUE(why.empty());
  EXPECT_EQ(k->rat, "LTE");
  EXPECT_EQ(k->mcc, 310);
  EXPECT_EQ(k->mnc, "410");
  EXPECT_EQ(k->lac, 65535);
  EXPECT_EQ(k->ci, 268435455);
  EXPECT_DOUBLE_EQ(*k->lat, 37.7);
  EXPECT_EQ(k->key, tw::store::cell_key("LTE", 310, std::string("410"), 65535, 268435455, -1));
  EXPECT_EQ(k->extra["average_signal_dbm"], -90);
  const std::pair<const char*, const char*> bad[] = {
      {"LTE,310,410,1,268435456,,0,0,0,0,0,0,0,0", "cell = 268435456 is outside 0..268435455"},
      {"GSM,262,1,1,65536,,0,0,0,0,0,0,0,0", "cell = 65536 is outside 0..65535"},
      {"GSM,262,1,1,1,,+-13.4,52.5,0,0,0,0,0,0", "lon is not a number"},
      {"GSM,262,1,1,1,,0,0,0,0,0,0,0", "expected 14 columns, found 13"},
      {"\"GSM,262", "malformed quoting"},
      {"CDMA,1,2,3,4,,0,0,0,0,0,0,0,0", "unsupported radio 'CDMA'"}};
  for (const auto& [line, reason] : bad) {
    why.clear();
    EXPECT_FALSE(tw::store::parse_opencellid_line(line, why)) << line;
    EXPECT_EQ(why, reason) << line;
  }
  why.clear();
  EXPECT_FALSE(tw::store::parse_opencellid_line(std::string_view("GSM,262\0,1,1,1,,0,0,0,0,0,0,0,0", 30), why));
  EXPECT_EQ(why, "contains a NUL byte");
}

TEST(StoreOpenCellId, MissingFileIsInputError) {
  TempDir dir;
  Store st(dir / "t.db");
  EXPECT_THROW(tw::store::import_opencellid(st, dir / "absent.csv"), tw::InputError);
}

TEST(StoreOpenCellId, KillNineDuringImportKeepsWholeBatches) {
  TempDir dir;
  const auto csv = dir / "big.csv";
  {
    std::ofstream out(csv);
    for (int i = 0; i < 300000; ++i)
      out << "GSM,262," << (i % 3) << "," << (i / 60000) << "," << (i % 60000)
          << ",0,13.4,52.5,1000,12,1,1459000000,1600000000,-75\n";
  }
  const auto path = dir / "crash.db";
  { Store st(path); }
  constexpr int kBatch = 1000;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      Store st(path);
      tw::store::import_opencellid(st, csv, kBatch);
    } catch (...) {
    }
    _exit(3);
  }
  // Poll with a plain read-only connection (WAL readers never wait for the writer).
  std::int64_t n = 0;
  for (int i = 0; i < 60000 && n < 5 * kBatch; ++i) {
    usleep(1000);
    sqlite3* h = nullptr;
    if (sqlite3_open_v2(path.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v2(h, "SELECT count(*) FROM known_cells", -1, &s, nullptr) == SQLITE_OK &&
          sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
      sqlite3_finalize(s);
    }
    sqlite3_close(h);
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the import finished before it was killed";
  Store st(path);
  EXPECT_EQ(st.query_text("PRAGMA integrity_check"), "ok");
  const auto count = st.query_int("SELECT count(*) FROM known_cells");
  EXPECT_GE(count, 5 * kBatch);
  EXPECT_LT(count, 300000);
  EXPECT_EQ(count % kBatch, 0) << "a batch was half written";
}

TEST(StoreBaselineView, FindsLearnedAndImportedCells) {
  TempDir dir;
  Store st(dir / "t.db");
  tw::test::write_file(dir / "c.csv",
                       "GSM,262,1,1000,30001,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75\n"
                       "GSM,262,7,2000,40001,0,13.4,52.5,1000,12,1,1459000000,1600000000,-75\n");
  ASSERT_EQ(tw::store::import_opencellid(st, dir / "c.csv").imported, 2);
  tw::SweepObservations s;
  s.time_unix_ms = 5000;
  for (int arfcn : {20, 31}) {  // the same CGI seen on two ARFCNs
    tw::CellObservation o;
    o.time_unix_ms = 5000 + arfcn;
    o.arfcn = arfcn;
    o.mcc = 262;
    o.mnc = "01";
    o.lac = 1000;
    o.ci = 30001;
    o.lat = 48.0;
    o.lon = 11.0;
    s.cells.push_back(o);
  }
  st.store_sweep(s, "t");
  tw::store::learn_baseline(st);

  tw::store::StoreBaselineView view(st);
  auto k = view.find_cell(262, "01", 1000, 30001);
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->source, "observed");
  EXPECT_EQ(k->arfcns, (std::vector<int>{20, 31}));
  EXPECT_EQ(k->first_seen_unix_ms, 5020);
  EXPECT_EQ(k->last_seen_unix_ms, 5031);
  EXPECT_EQ(k->lat, 48.0);
  // Imported only; OpenCellID's numeric MNC 7 matches "07" and "007".
  k = view.find_cell(262, "007", 2000, 40001);
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->source, "opencellid");
  EXPECT_TRUE(k->arfcns.empty());
  EXPECT_EQ(k->last_seen_unix_ms, 1600000000000LL);
  EXPECT_FALSE(view.find_cell(262, "01", 1000, 30002).has_value());
  EXPECT_FALSE(view.find_cell(262, "02", 1000, 30001).has_value());
  EXPECT_TRUE(view.operator_known(262, "01"));
  EXPECT_TRUE(view.operator_known(262, "07"));
  EXPECT_FALSE(view.operator_known(262, "03"));
  EXPECT_FALSE(view.operator_known(310, "01"));
}

// The learned extras (power history, FN clock phase) and the view's queries for the rules C1, B2, M1, S1,
// S2, F2. Observations are written here; the expected values follow from them by hand.
TEST(StoreBaselineView, LearnedExtrasPlanOperatorsAndHistory) {
  TempDir dir;
  Store st(dir / "t.db");
  tw::test::write_file(dir / "c.csv", "GSM,262,7,2000,40001,0,13.4,52.5,1500,12,1,1459000000,1600000000,-75\n");
  ASSERT_EQ(tw::store::import_opencellid(st, dir / "c.csv").imported, 1);
  const std::int64_t t0 = 1700000000000;
  const std::int64_t fn0 = 123456;
  auto obs = [&](int arfcn, int ci, std::int64_t t, double power, std::int64_t fn, std::vector<int> nb) {
    tw::CellObservation o;
    o.time_unix_ms = t;
    o.sensor_id = "s1";
    o.arfcn = arfcn;
    o.band = "P-GSM900";
    o.mcc = 262;
    o.mnc = "01";
    o.lac = 1000;
    o.ci = ci;
    o.bsic = 13;
    o.power_dbfs = power;
    o.params = {{"type", "cell"}, {"band", "P-GSM900"}, {"neighbors", nb}, {"sync_fn", fn % tw::fn_clock::kHyperframe},
                {"sync_unix_ms", t}};
    return o;
  };
  // Five hourly sweeps: cell 1 on ARFCN 20 every time with a continuous FN clock (one sweep 30 s late, within
  // the 60 s tolerance), cell 2 on ARFCN 24 in sweep 2 only, cell 3 on ARFCN 28 in sweep 5 with a clock that
  // has nothing to do with cell 1's.
  for (int k = 0; k < 5; ++k) {
    const std::int64_t t = t0 + k * 3600000LL;
    std::int64_t fn = fn0 + tw::fn_clock::frames_since_epoch(t) - tw::fn_clock::frames_since_epoch(t0);
    if (k == 3) fn -= tw::fn_clock::frames_in(30.0);
    tw::SweepObservations s;
    s.time_unix_ms = t;
    s.sensor_id = "s1";
    s.cells.push_back(obs(20, 1, t, -40.0 - k, fn, {24, 28, 33}));
    if (k == 1) s.cells.push_back(obs(24, 2, t, -45.0, 777, {20}));
    if (k == 4) s.cells.push_back(obs(28, 3, t, -50.0, 999999, {20}));
    st.store_sweep(s, "t");
  }
  tw::store::learn_baseline(st);
  tw::store::StoreBaselineView view(st);

  auto k = view.find_cell(262, "01", 1000, 1);
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->bsic, 13);
  EXPECT_EQ(k->n_observations, 5);
  EXPECT_EQ(k->power_recent_dbfs, (std::vector<double>{-40, -41, -42, -43, -44}));
  ASSERT_TRUE(k->fn_phase.has_value());
  EXPECT_EQ(k->fn_phase_n, 5);   // the late sweep agrees (30 s < 60 s)
  // Running mean of the differences: 0, 0, 0, -6500 (30 s) / 4, then +1625 / 5 back: -1625 + 325 = -1300.
  EXPECT_EQ(tw::fn_clock::distance(*k->fn_phase, tw::fn_clock::phase(fn0, t0)), 1300);
  EXPECT_EQ(view.find_cell(262, "007", 2000, 40001)->range_m, 1500.0);

  auto on20 = view.learned_cells_on(20);
  ASSERT_EQ(on20.size(), 1u);
  EXPECT_EQ(on20[0].ci, 1);
  EXPECT_EQ(on20[0].bsic, 13);
  EXPECT_TRUE(view.learned_cells_on(21).empty());

  // The plan: BCCH carriers 20, 24, 28 and the BA lists' 33.
  auto plan = view.operator_plan(262, "01", "P-GSM900");
  EXPECT_EQ(plan.arfcns, (std::vector<int>{20, 24, 28, 33}));
  EXPECT_EQ(plan.cells, 3);
  EXPECT_EQ(plan.sweeps, 5);
  EXPECT_EQ(view.operator_plan(262, "01", "DCS1800").cells, 0);
  EXPECT_EQ(view.operator_plan(262, "02", "P-GSM900").cells, 0);

  EXPECT_EQ(view.operators(), (std::vector<std::pair<int, std::string>>{{262, "01"}, {262, "07"}}));

  // Cell 2 at a sixth sweep: seen in 1 sweep (2nd) of the 4 of its band since then (2nd..5th).
  auto c2 = obs(24, 2, t0 + 5 * 3600000LL, -45.0, 1, {});
  auto h = view.cell_history(c2, c2.time_unix_ms);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->sweeps_seen, 1);
  EXPECT_EQ(h->sweeps_covering, 4);
  EXPECT_EQ(h->first_seen_unix_ms, t0 + 3600000LL);
  // Before its first appearance it has no history; another sensor's sweeps do not count.
  EXPECT_EQ(view.cell_history(c2, t0 + 3600000LL)->sweeps_seen, 0);
  c2.sensor_id = "s2";
  EXPECT_EQ(view.cell_history(c2, c2.time_unix_ms)->sweeps_seen, 0);
}

TEST(StoreCli, ImportThenShowJson) {
  TempDir dir;
  const Csv c = sample_csv();
  tw::test::write_file(dir / "cells.csv", c.text);
  const std::string db = (dir / "site.db").string();
  auto r = tw::test::run_towerwatch({"baseline", "import", (dir / "cells.csv").string(), "--db", db, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = tw::test::json_lines(r.out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["type"], "baseline_import");
  EXPECT_EQ(lines[0]["rows"], c.rows);
  EXPECT_EQ(lines[0]["imported"], c.good);
  EXPECT_EQ(lines[0]["bad"], c.bad);
  EXPECT_NE(r.err.find("row 4:"), std::string::npos) << r.err;  // bad rows are reported on stderr

  r = tw::test::run_towerwatch({"baseline", "show", "--db", db, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  lines = tw::test::json_lines(r.out);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(c.good - 1));
  bool found = false;
  for (const auto& l : lines) {
    EXPECT_EQ(l["type"], "known_cell");
    EXPECT_EQ(l["source"], "opencellid");
    if (l["ci"] == 30002) {
      found = true;
      EXPECT_EQ(l["mcc"], 262);
      EXPECT_EQ(l["mnc"], "02");
      EXPECT_EQ(l["lac"], 1001);
      EXPECT_EQ(l["rat"], "GSM");
      EXPECT_DOUBLE_EQ(l["lat"].get<double>(), 52.51);
      EXPECT_TRUE(l["arfcn"].is_null());
    }
  }
  EXPECT_TRUE(found);

  // The table form names every cell; learn on a database without sweeps learns nothing.
  r = tw::test::run_towerwatch({"baseline", "show", "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(std::to_string(c.good - 1) + " known cells"), std::string::npos) << r.out;
  r = tw::test::run_towerwatch({"baseline", "learn", "--db", db, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(tw::test::json_lines(r.out).at(0)["observations"], 0);
}

TEST(StoreCli, UsageAndInputErrors) {
  TempDir dir;
  const std::string db = (dir / "x.db").string();
  EXPECT_EQ(tw::test::run_towerwatch({"baseline", "--db", db}).exit_code, 2);
  EXPECT_EQ(tw::test::run_towerwatch({"baseline", "frobnicate", "--db", db}).exit_code, 2);
  EXPECT_EQ(tw::test::run_towerwatch({"baseline", "import", "--db", db}).exit_code, 2);
  auto r = tw::test::run_towerwatch({"baseline", "import", (dir / "absent.csv").string(), "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("absent.csv"), std::string::npos) << r.err;
  tw::test::write_file(dir / "junk.db", std::string(2048, 'j'));
  r = tw::test::run_towerwatch({"baseline", "show", "--db", (dir / "junk.db").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a towerwatch database"), std::string::npos) << r.err;
  // Without --db the default path under TW_DATA_DIR is used (and created).
  ::setenv("TW_DATA_DIR", (dir / "data").c_str(), 1);
  r = tw::test::run_towerwatch({"baseline", "show"});
  ::unsetenv("TW_DATA_DIR");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "data" / "towerwatch.db"));
}

TEST(StoreCli, LearnFromStoredSweepsThenShow) {
  TempDir dir;
  const auto db = dir / "site.db";
  const double powers[] = {-60.0, -58.0, -65.0};  // mean -61, sample variance 13
  {
    Store st(db);
    for (int k = 0; k < 3; ++k) {
      tw::SweepObservations s;
      s.time_unix_ms = 1000 * (k + 1);
      tw::CellObservation o;
      o.time_unix_ms = s.time_unix_ms;
      o.arfcn = 62;
      o.mcc = 901;
      o.mnc = "70";
      o.lac = 7;
      o.ci = 99;
      o.bsic = 12;
      o.power_dbfs = powers[k];
      o.params = {{"type", "cell"}, {"t3212", 4}};
      s.cells.push_back(o);
      st.store_sweep(s, "test");
    }
  }
  auto r = tw::test::run_towerwatch({"baseline", "learn", "--db", db.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto l = tw::test::json_lines(r.out).at(0);
  EXPECT_EQ(l["type"], "baseline_learn");
  EXPECT_EQ(l["sweeps"], 3);
  EXPECT_EQ(l["observations"], 3);
  EXPECT_EQ(l["cells_new"], 1);
  r = tw::test::run_towerwatch({"baseline", "show", "--db", db.string(), "--json", "--source", "learned"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = tw::test::json_lines(r.out);
  ASSERT_EQ(lines.size(), 1u);
  const auto& k = lines[0];
  EXPECT_EQ(k["source"], "learned");
  EXPECT_EQ(k["mcc"], 901);
  EXPECT_EQ(k["mnc"], "70");
  EXPECT_EQ(k["arfcn"], 62);
  EXPECT_EQ(k["bsic"], 12);
  EXPECT_EQ(k["observations"], 3);
  EXPECT_DOUBLE_EQ(k["power_dbfs"]["mean"].get<double>(), -61.0);
  EXPECT_NEAR(k["power_dbfs"]["stddev"].get<double>(), std::sqrt(13.0), 1e-12);
  EXPECT_EQ(k["power_dbfs"]["min"], -65.0);
  EXPECT_EQ(k["first_seen_ms"], 1000);
  EXPECT_EQ(k["last_seen_ms"], 3000);
  EXPECT_EQ(k["params_seen"]["t3212"], nlohmann::json::array({4}));
  // Learning again adds nothing.
  r = tw::test::run_towerwatch({"baseline", "learn", "--db", db.string(), "--json"});
  EXPECT_EQ(tw::test::json_lines(r.out).at(0)["observations"], 0);
}

// LTE: the operator's plan is its learned EARFCNs and every carrier their SIB5 announced (B2), and a sweep's
// band floors are learned per sensor and band (J1), with the band's learned cells and their PCIs.
TEST(Baseline, LtePlanFromSib5AndLearnedBandFloors) {
  TempDir dir;
  Store st(dir / "lte.db");
  auto lte = [](int earfcn, int pci, int eci, std::int64_t t, std::vector<int> sib5) {
    tw::CellObservation o;
    o.time_unix_ms = t;
    o.sensor_id = "s1";
    o.rat = "LTE";
    o.arfcn = earfcn;
    o.band = "LTE-B3";
    o.mcc = 262;
    o.mnc = "01";
    o.lac = 4101;
    o.ci = eci;
    o.power_dbfs = -60.0;
    nlohmann::json carriers = nlohmann::json::array();
    for (int e : sib5) carriers.push_back({{"earfcn", e}, {"cell_reselection_priority", 5}});
    o.params = {{"type", "cell"}, {"rat", "LTE"}, {"earfcn", earfcn}, {"pci", pci}, {"band", "LTE-B3"},
                {"sib5", {{"carriers", carriers}}}};
    return o;
  };
  const std::int64_t t0 = 1767225600000;
  const std::vector<double> floors = {-98.9, -98.6, -99.0};
  for (int k = 0; k < 3; ++k) {
    tw::SweepObservations s;
    s.time_unix_ms = t0 + 3600000LL * k;
    s.sensor_id = "s1";
    s.cells.push_back(lte(1300, 101, 0x12301, s.time_unix_ms, {1400, 3050, 6300}));
    s.cells.push_back(lte(1400, 205, 0x12302, s.time_unix_ms, {1300}));
    s.cells.push_back(lte(1650, 300, 0x12303, s.time_unix_ms, {}));
    s.band_floors = {tw::BandFloor{"LTE", "LTE-B3", floors[static_cast<std::size_t>(k)], 3}};
    st.store_sweep(s, "t");
  }
  const auto report = tw::store::learn_baseline(st);
  EXPECT_EQ(report.band_floors, 3);
  tw::store::StoreBaselineView view(st);
  const auto plan = view.operator_plan_of("LTE", 262, "01", "");
  EXPECT_EQ(plan.arfcns, (std::vector<int>{1300, 1400, 1650, 3050, 6300}));
  EXPECT_EQ(plan.cells, 3);
  EXPECT_EQ(plan.sweeps, 3);
  EXPECT_EQ(view.operator_plan_of("GSM", 262, "01", "").cells, 0);   // LTE rows are not GSM's plan
  EXPECT_EQ(view.operator_plan_of("LTE", 262, "02", "").cells, 0);

  const auto f = view.learned_band_floor("s1", "LTE", "LTE-B3");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->recent, floors);
  EXPECT_EQ(f->n, 3);
  EXPECT_FALSE(view.learned_band_floor("s2", "LTE", "LTE-B3").has_value());
  EXPECT_FALSE(view.learned_band_floor("s1", "LTE", "LTE-B20").has_value());

  const auto cells = view.learned_cells_in_band("LTE", "LTE-B3");
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells[0].arfcns, (std::vector<int>{1300}));
  EXPECT_EQ(cells[0].pci, 101);
  EXPECT_EQ(cells[0].n_observations, 3);
  EXPECT_TRUE(view.learned_cells_in_band("LTE", "LTE-B20").empty());
  // Learning again folds nothing new (the watermark); a rebuild folds the floors again from the sweeps.
  EXPECT_EQ(tw::store::learn_baseline(st).band_floors, 0);
  tw::store::LearnOptions rebuild;
  rebuild.rebuild = true;
  EXPECT_EQ(tw::store::learn_baseline(st, rebuild).band_floors, 3);
  EXPECT_EQ(view.learned_band_floor("s1", "LTE", "LTE-B3")->recent, floors);
}
