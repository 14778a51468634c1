// The monitor's per-sweep logic (src/monitor/monitor_core.hpp) and clock, without a device: sweeps of
// synthetic cell records (the form `towerwatch scan --json` emits) go through a real database. During the
// learning period nothing is scored or reported and the baseline grows; afterwards a rogue cell
// (T3212 = 1: T1 1.5, TS 44.018 10.5.2.11 in decihours; empty neighbour list: K1 1.0; CRO 63: K2 1.0;
// LAC 4711 among three 262-01 cells of LAC 1234: A2 1.5, and alone in it: A5 0.5; in no neighbour's list:
// R1 1.0; not in the baseline: B1 1.0) is reported once,
// stored every sweep, never learned; normal cells keep folding into the baseline.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "src/core/error.hpp"
#include "src/monitor/monitor_clock.hpp"
#include "src/monitor/monitor_core.hpp"
#include "src/scorer/rule.hpp"
#include "support/test_support.hpp"

using nlohmann::json;
using tw::monitor::MonitorCore;
using tw::monitor::MonitorCoreOptions;

namespace {

json record(int arfcn, int lac, int ci, std::vector<int> neighbors, int t3212 = 20, int cro = 0) {
  return {{"type", "cell"}, {"rat", "GSM"}, {"arfcn", arfcn}, {"band", "P-GSM900"},
          {"freq_hz", 935e6 + 200e3 * arfcn}, {"bsic", arfcn % 64}, {"mcc", 262}, {"mnc", "01"},
          {"lac", lac}, {"ci", ci}, {"t3212", t3212}, {"att", true}, {"bs_ag_blks_res", 1},
          {"bs_pa_mfrms", 4}, {"ccch_conf", 0}, {"cro", cro}, {"neighbors", neighbors},
          {"si_seen", {"SI1", "SI2", "SI3", "SI4"}}, {"power_dbfs", -40.0}, {"snr_db", 25.0}, {"cfo_hz", 0.0}};
}

std::vector<json> legit() {
  return {record(58, 1234, 10011, {62, 66}), record(62, 1234, 10012, {58, 66}), record(66, 1234, 10013, {58, 62})};
}
json rogue(int t3212 = 1) { return record(64, 4711, 10099, {}, t3212, 63); }

tw::SweepObservations sweep_at(std::int64_t t, const std::vector<json>& records) {
  tw::SweepObservations s;
  s.time_unix_ms = t;
  s.sensor_id = "test";
  for (const auto& r : records) s.cells.push_back(tw::CellObservation::from_cell_record(r, t, "test"));
  return s;
}

std::vector<json> with(std::vector<json> v, const json& extra) {
  v.push_back(extra);
  return v;
}

constexpr std::int64_t t0 = 1'700'000'000'000;
constexpr std::int64_t kSweepMs = 20'000;

MonitorCoreOptions options(std::int64_t learn_ms = 60'000) {
  MonitorCoreOptions o;
  o.learn_ms = learn_ms;
  o.clear_after_sweeps = 3;
  return o;
}

std::set<std::string> rules_of(const json& alert_line) {
  std::set<std::string> s;
  for (const auto& r : alert_line["reasons"]) s.insert(r["rule"].get<std::string>());
  return s;
}

}  // namespace

TEST(MonitorCore, LearnsThenReportsTheRogueOnceAndNeverLearnsIt) {
  tw::test::TempDir dir;
  tw::store::Store st(dir / "site.db");
  MonitorCore core(st, options());
  // Learning: sweeps at 0, 20, 40 s of a 60 s period (even one with the rogue: not scored, not reported).
  for (int i = 0; i < 3; ++i) {
    auto out = core.process(sweep_at(t0 + i * kSweepMs, legit()), "test");
    EXPECT_TRUE(out.learning);
    EXPECT_TRUE(out.events.empty());
    EXPECT_TRUE(out.alerts.empty());
    EXPECT_EQ(out.learning_ends_ms, t0 + 60'000);
  }
  EXPECT_EQ(core.learning_started_ms(), t0);
  EXPECT_EQ(st.known_cells("learned").size(), 3u);
  EXPECT_TRUE(st.alerts().empty());

  // At 60 s learning is over: the legitimate network alone raises nothing.
  auto out = core.process(sweep_at(t0 + 3 * kSweepMs, legit()), "test");
  EXPECT_FALSE(out.learning);
  EXPECT_TRUE(out.alerts.empty());
  EXPECT_TRUE(out.events.empty());
  EXPECT_EQ(out.cells_learned, 3u);  // normal cells keep folding in

  // The rogue appears: one report, with every reason; later sweeps report nothing more.
  std::vector<json> reported;
  for (int i = 4; i < 9; ++i) {
    out = core.process(sweep_at(t0 + i * kSweepMs, with(legit(), rogue())), "test");
    ASSERT_EQ(out.alerts.size(), 1u) << "sweep " << i;
    EXPECT_EQ(out.alerts[0].cell.arfcn, 64);
    EXPECT_EQ(out.cells_learned, 3u);  // the three legitimate cells, not the rogue
    for (const auto& e : out.events) reported.push_back(e.event);
  }
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0]["type"], "alert");
  EXPECT_EQ(reported[0]["cell"]["arfcn"], 64);
  EXPECT_EQ(reported[0]["cell"]["lac"], 4711);
  // Every rule the rogue was built to trip (the rule table may hold more that also fire), each with its
  // table weight (T3212 = 1 is T1's top grade), the score their sum.
  const auto rules = rules_of(reported[0]);
  for (const char* id : {"A2", "A5", "K1", "K2", "R1", "T1", "B1"}) EXPECT_TRUE(rules.count(id)) << id;
  double sum = 0.0;
  for (const auto& r : reported[0]["reasons"]) {
    const tw::Rule* rule = tw::find_rule(r["rule"].get<std::string>());
    ASSERT_NE(rule, nullptr);
    if (r["rule"] == "A2" || r["rule"] == "K1" || r["rule"] == "K2" || r["rule"] == "T1" || r["rule"] == "B1") {
      EXPECT_DOUBLE_EQ(r["weight"].get<double>(), rule->weight) << rule->id;
    }
    EXPECT_FALSE(r["detail"].get<std::string>().empty());
    sum += r["weight"].get<double>();
  }
  EXPECT_NEAR(reported[0]["score"].get<double>(), sum, 1e-9);
  EXPECT_GE(sum, 1.5 + 0.5 + 1.0 + 1.0 + 1.0 + 1.5 + 1.0 - 1e-9);
  // Every scored sweep's alert is stored; the rogue is never in the learned baseline.
  EXPECT_EQ(st.alerts().size(), 5u);
  for (const auto& k : st.known_cells("learned")) EXPECT_NE(k.lac, 4711) << k.key;
  const auto a1 = st.known_cell(tw::store::cell_key(sweep_at(0, legit()).cells[0]), "learned");
  ASSERT_TRUE(a1);
  EXPECT_EQ(a1->n_observations, 9);  // 3 learning + 6 scored sweeps
  // The baseline's watermark is past the last sweep: `baseline learn` folds nothing twice.
  EXPECT_EQ(tw::store::learn_baseline(st).observations, 0);
}

TEST(MonitorCore, ChangeIsReportedAndGoneRogueIsCleared) {
  tw::test::TempDir dir;
  tw::store::Store st(dir / "site.db");
  MonitorCore core(st, options(0));
  for (int i = 0; i < 2; ++i) core.process(sweep_at(t0 + i * kSweepMs, legit()), "learn");  // --learn 0, no baseline
  // With --learn 0 nothing was learned by learning; the normal cells fold in as they are scored.
  EXPECT_EQ(st.known_cells("learned").size(), 3u);
  auto out = core.process(sweep_at(t0 + 2 * kSweepMs, with(legit(), rogue(1))), "test");
  ASSERT_EQ(out.events.size(), 1u);
  // T3212 from 1 (6 min) to 7 (42 min): T1 drops to its lower grade 0.7: reported as changed.
  out = core.process(sweep_at(t0 + 3 * kSweepMs, with(legit(), rogue(7))), "test");
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].event["status"], "changed");
  EXPECT_EQ(out.events[0].event["changes"], json({"score", "rules"}));
  // Gone: cleared on the third sweep without it.
  for (int i = 4; i < 6; ++i) EXPECT_TRUE(core.process(sweep_at(t0 + i * kSweepMs, legit()), "test").events.empty());
  out = core.process(sweep_at(t0 + 6 * kSweepMs, legit()), "test");
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].event["type"], "alert_cleared");
  EXPECT_EQ(out.events[0].event["reason"], "gone");
  EXPECT_TRUE(st.open_findings().empty());
}

TEST(MonitorCore, RestartNeitherReportsAgainNorRestartsLearning) {
  tw::test::TempDir dir;
  const auto path = dir / "site.db";
  {
    tw::store::Store st(path);
    MonitorCore core(st, options());
    for (int i = 0; i < 3; ++i) core.process(sweep_at(t0 + i * kSweepMs, legit()), "test");
    auto out = core.process(sweep_at(t0 + 3 * kSweepMs, with(legit(), rogue())), "test");
    ASSERT_EQ(out.events.size(), 1u);
  }
  tw::store::Store st(path);
  EXPECT_EQ(tw::monitor::stored_clock_ms(st), t0 + 3 * kSweepMs);
  MonitorCore core(st, options());
  EXPECT_EQ(core.findings().open().size(), 1u);
  auto out = core.process(sweep_at(t0 + 4 * kSweepMs, with(legit(), rogue())), "test");
  EXPECT_FALSE(out.learning);  // the period started at t0, kept in the database
  EXPECT_EQ(out.alerts.size(), 1u);
  EXPECT_TRUE(out.events.empty());
}

TEST(MonitorCore, MalformedSweepLeavesNothingBehind) {
  tw::test::TempDir dir;
  tw::store::Store st(dir / "site.db");
  MonitorCore core(st, options(0));
  core.process(sweep_at(t0, legit()), "test");
  ASSERT_EQ(core.process(sweep_at(t0 + kSweepMs, with(legit(), rogue())), "test").events.size(), 1u);
  const auto sweeps = st.sweeps().size();
  const auto alerts = st.alerts().size();
  const auto learned = st.known_cell(tw::store::cell_key(sweep_at(0, legit()).cells[0]), "learned")->n_observations;
  auto bad = sweep_at(t0 + 2 * kSweepMs, legit());  // the rogue gone, and a non-finite measurement
  bad.cells[1].power_dbfs = std::nan("");
  EXPECT_THROW(core.process(bad, "test"), tw::InputError);
  EXPECT_EQ(st.sweeps().size(), sweeps);
  EXPECT_EQ(st.alerts().size(), alerts);
  EXPECT_EQ(st.known_cell(tw::store::cell_key(sweep_at(0, legit()).cells[0]), "learned")->n_observations, learned);
  ASSERT_EQ(st.open_findings().size(), 1u);
  EXPECT_EQ(st.open_findings()[0].quiet_sweeps, 0);
  EXPECT_EQ(core.findings().open().at("GSM@64").quiet_sweeps, 0);  // the tracker rolled back too
  EXPECT_EQ(st.query_text("PRAGMA integrity_check"), "ok");
}

TEST(MonitorClock, DurationsParseWithUnits) {
  using tw::monitor::parse_duration_ms;
  EXPECT_EQ(parse_duration_ms("24h"), 86'400'000);
  EXPECT_EQ(parse_duration_ms("90m"), 5'400'000);
  EXPECT_EQ(parse_duration_ms("30s"), 30'000);
  EXPECT_EQ(parse_duration_ms("30"), 30'000);
  EXPECT_EQ(parse_duration_ms("2d"), 172'800'000);
  EXPECT_EQ(parse_duration_ms("1.5h"), 5'400'000);
  EXPECT_EQ(parse_duration_ms("250ms"), 250);
  EXPECT_EQ(parse_duration_ms("0"), 0);
  for (const char* bad : {"", "h", "-1h", "1y", "1e400", "12hh", "nan"})
    tw::test::expect_input_error([&] { parse_duration_ms(bad, "--learn"); }, {"--learn"});
  EXPECT_THROW(parse_duration_ms("11000d"), tw::InputError);
}

TEST(MonitorClock, StreamClockAdvancesBySamplesReadWallClockDoesNot) {
  std::int64_t wall = 5000;
  tw::monitor::MonitorClock stream(tw::monitor::ClockMode::stream, 1000, [&] { return wall; });
  EXPECT_EQ(stream.now_ms(), 1000);
  stream.advance(2.5);
  EXPECT_EQ(stream.now_ms(), 3500);
  for (int i = 0; i < 4; ++i) stream.advance(0.00025);  // fractions of a millisecond accumulate
  EXPECT_EQ(stream.now_ms(), 3501);
  tw::monitor::MonitorClock w(tw::monitor::ClockMode::wall, 1000, [&] { return wall; });
  w.advance(100.0);
  EXPECT_EQ(w.now_ms(), 5000);
  wall = 7000;
  EXPECT_EQ(w.now_ms(), 7000);
  EXPECT_EQ(tw::monitor::clock_mode_from_name("stream"), tw::monitor::ClockMode::stream);
  EXPECT_THROW(tw::monitor::clock_mode_from_name("sundial"), tw::InputError);
}
