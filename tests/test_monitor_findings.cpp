// Alert de-duplication of the monitor (src/monitor/findings.hpp) on synthetic alerts: each finding is
// reported once, again only when its score, its rules or its cell's identity change, and cleared after
// N quiet sweeps (gone: not seen; normal: seen below the threshold). The truths are the documented rules
// of the monitor (issue #6 "emits each finding once (not once per sweep) and again only when it changes").
#include <gtest/gtest.h>

#include "src/monitor/findings.hpp"
#include "support/test_support.hpp"

using tw::monitor::FindingEventKind;
using tw::monitor::FindingTracker;

namespace {

tw::CellObservation cell(int arfcn, int ci, int bsic = 13, double power = -22.0) {
  tw::CellObservation c;
  c.arfcn = arfcn;
  c.band = "P-GSM900";
  c.mcc = 262;
  c.mnc = "01";
  c.lac = 4711;
  c.ci = ci;
  c.bsic = bsic;
  c.power_dbfs = power;
  return c;
}

tw::Reason reason(const std::string& rule, double w, const std::string& detail = "d") {
  tw::Reason r;
  r.rule = rule;
  r.weight = w;
  r.detail = detail;
  return r;
}

tw::Alert alert(const tw::CellObservation& c, std::vector<tw::Reason> reasons) {
  tw::Alert a;
  a.cell = c;
  a.reasons = std::move(reasons);
  for (const auto& r : a.reasons) a.score += r.weight;
  return a;
}

tw::SweepObservations sweep(std::vector<tw::CellObservation> cells) {
  tw::SweepObservations s;
  s.cells = std::move(cells);
  return s;
}

// A rogue (T1 1.5 + K1 1.0 + K2 1.0 = 3.5) on ARFCN 64 beside a legitimate cell on 62.
tw::Alert rogue_alert(double power = -22.0, const std::string& detail = "T3212 = 1") {
  return alert(cell(64, 10099, 13, power), {reason("T1", 1.5, detail), reason("K1", 1.0), reason("K2", 1.0)});
}

}  // namespace

TEST(MonitorFindings, ReportedOnceWhileUnchangedEvenWhenMeasurementsMove) {
  FindingTracker t;
  const auto legit = cell(62, 10012, 20, -33.0);
  auto ev = t.update(1, 1000, sweep({legit, rogue_alert().cell}), {rogue_alert()});
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, FindingEventKind::opened);
  EXPECT_EQ(ev[0].key, "GSM@64");
  EXPECT_EQ(ev[0].event["type"], "alert");
  EXPECT_EQ(ev[0].event["status"], "new");
  EXPECT_EQ(ev[0].event["finding"], "GSM@64");
  EXPECT_EQ(ev[0].event["sweep_id"], 1);
  EXPECT_DOUBLE_EQ(ev[0].event["score"].get<double>(), 3.5);
  ASSERT_EQ(ev[0].event["reasons"].size(), 3u);
  // Power and the reasons' wording change from sweep to sweep: not a change of the finding.
  for (int s = 2; s <= 10; ++s) {
    const auto a = rogue_alert(-22.0 - s, "T3212 = 1 (sweep " + std::to_string(s) + ")");
    EXPECT_TRUE(t.update(s, 1000 * s, sweep({legit, a.cell}), {a}).empty()) << "sweep " << s;
  }
  ASSERT_EQ(t.open().size(), 1u);
  EXPECT_EQ(t.open().at("GSM@64").last_alert_sweep_id, 10);
  EXPECT_EQ(t.open().at("GSM@64").reported_sweep_id, 1);
  EXPECT_TRUE(t.cell_has_open_finding(tw::store::cell_key(rogue_alert().cell)));
  EXPECT_FALSE(t.cell_has_open_finding(tw::store::cell_key(legit)));
}

TEST(MonitorFindings, ChangesOfScoreRulesOrIdentityAreReportedAgain) {
  FindingTracker t;
  auto a = rogue_alert();
  ASSERT_EQ(t.update(1, 0, sweep({a.cell}), {a}).size(), 1u);
  // T3212 from 1 to 7: T1's graded weight 0.7 instead of 1.5 (score and rule weights change).
  auto b = alert(a.cell, {reason("T1", 0.7), reason("K1", 1.0), reason("K2", 1.0)});
  auto ev = t.update(2, 0, sweep({b.cell}), {b});
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, FindingEventKind::changed);
  EXPECT_EQ(ev[0].event["status"], "changed");
  EXPECT_EQ(ev[0].event["changes"], nlohmann::json({"score", "rules"}));
  EXPECT_DOUBLE_EQ(ev[0].event["previous"]["score"].get<double>(), 3.5);
  EXPECT_EQ(ev[0].event["previous"]["sweep_id"], 1);
  // Same score, another rule: K2 replaced by R1 (both 1.0).
  auto c = alert(a.cell, {reason("T1", 0.7), reason("K1", 1.0), reason("R1", 1.0)});
  ev = t.update(3, 0, sweep({c.cell}), {c});
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event["changes"], nlohmann::json({"rules"}));
  // Same rules, another cell identity on the same carrier: CI, then BSIC.
  auto d = alert(cell(64, 10100), c.reasons);
  ev = t.update(4, 0, sweep({d.cell}), {d});
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event["changes"], nlohmann::json({"identity"}));
  auto e = alert(cell(64, 10100, 14), c.reasons);
  ev = t.update(5, 0, sweep({e.cell}), {e});
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event["changes"], nlohmann::json({"identity"}));
  EXPECT_TRUE(t.update(6, 0, sweep({e.cell}), {e}).empty());
}

TEST(MonitorFindings, ClearedAfterNQuietSweepsGoneOrNormal) {
  FindingTracker t(tw::monitor::FindingOptions{3, 1e-6});
  const auto legit = cell(62, 10012, 20);
  auto a = rogue_alert();
  ASSERT_EQ(t.update(1, 0, sweep({legit, a.cell}), {a}).size(), 1u);
  // Gone for two sweeps, back (same finding): nothing reported, the count starts again.
  EXPECT_TRUE(t.update(2, 0, sweep({legit}), {}).empty());
  EXPECT_TRUE(t.update(3, 0, sweep({legit}), {}).empty());
  EXPECT_EQ(t.open().at("GSM@64").quiet_sweeps, 2);
  EXPECT_TRUE(t.update(4, 0, sweep({legit, a.cell}), {a}).empty());
  EXPECT_EQ(t.open().at("GSM@64").quiet_sweeps, 0);
  // Gone for three sweeps: cleared on the third, once.
  EXPECT_TRUE(t.update(5, 0, sweep({legit}), {}).empty());
  EXPECT_TRUE(t.update(6, 0, sweep({legit}), {}).empty());
  auto ev = t.update(7, 7000, sweep({legit}), {});
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, FindingEventKind::cleared);
  EXPECT_EQ(ev[0].event["type"], "alert_cleared");
  EXPECT_EQ(ev[0].event["reason"], "gone");
  EXPECT_EQ(ev[0].event["quiet_sweeps"], 3);
  EXPECT_EQ(ev[0].event["last_alert_sweep_id"], 4);
  EXPECT_EQ(ev[0].event["cell"]["arfcn"], 64);
  EXPECT_TRUE(t.open().empty());
  EXPECT_TRUE(t.update(8, 0, sweep({legit}), {}).empty());
  // Present but below the threshold for three sweeps: cleared as "normal"; an alert after that is new.
  ASSERT_EQ(t.update(9, 0, sweep({legit, a.cell}), {a}).size(), 1u);
  t.update(10, 0, sweep({legit, a.cell}), {});
  t.update(11, 0, sweep({legit, a.cell}), {});
  ev = t.update(12, 0, sweep({legit, a.cell}), {});
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event["reason"], "normal");
  ev = t.update(13, 0, sweep({legit, a.cell}), {a});
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event["status"], "new");
}

TEST(MonitorFindings, TwoAlertingCellsOnOneCarrierAreTwoFindings) {
  FindingTracker t;
  auto a = rogue_alert();
  auto b = alert(cell(64, 555, 7), a.reasons);
  auto ev = t.update(1, 0, sweep({a.cell, b.cell}), {a, b});
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].key, "GSM@64");
  EXPECT_EQ(ev[1].key, "GSM@64/" + tw::store::cell_key(b.cell));
  EXPECT_TRUE(t.update(2, 0, sweep({a.cell, b.cell}), {a, b}).empty());
}

TEST(MonitorFindings, PersistedFindingsAreNotReportedAgainAfterARestart) {
  tw::test::TempDir dir;
  const auto path = dir / "m.db";
  auto a = rogue_alert();
  {
    tw::store::Store st(path);
    FindingTracker t;
    ASSERT_EQ(t.update(1, 0, sweep({a.cell}), {a}).size(), 1u);
    t.persist(st);
  }
  tw::store::Store st(path);
  ASSERT_EQ(st.open_findings().size(), 1u);
  FindingTracker restarted(tw::monitor::FindingOptions{2, 1e-6}, st.open_findings());
  EXPECT_TRUE(restarted.update(2, 0, sweep({a.cell}), {a}).empty());
  restarted.update(3, 0, sweep({}), {});
  auto ev = restarted.update(4, 0, sweep({}), {});
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, FindingEventKind::cleared);
  restarted.persist(st);
  EXPECT_TRUE(st.open_findings().empty());
}

TEST(MonitorFindings, ClearAfterMustBePositive) {
  EXPECT_THROW(FindingTracker(tw::monitor::FindingOptions{0, 1e-6}), tw::InputError);
}
