// Fleet end to end (issue 18) with real servers started by the test (tests/support/fleet_servers.hpp):
// simulated sensors (the real binary, the simulated radio) -> mosquitto -> `towerwatch collect` ->
// PostgreSQL. Truth: each sensor's own SQLite database (what it committed) against what PostgreSQL holds;
// the built-in scene "city-with-rogue" (its rogue: 262-01, LAC 4711, CI 10099) for the fleet rule.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include "src/fleet/mqtt_client.hpp"
#include "src/fleet/mqtt_url.hpp"
#include "src/fleet/fleet_store.hpp"
#include "src/store/store.hpp"
#include "support/collector_process.hpp"
#include "support/fleet_servers.hpp"
#include "support/test_support.hpp"

using nlohmann::json;

namespace {

struct Sensor {
  std::string id;
  double lat, lon;
  std::string db;
};

// device_extra: more simulated-radio args (",track=FILE": the sensor's place in a scene with placed cells).
std::vector<std::string> scan_args(const Sensor& s, const std::string& url, const std::string& scene, const std::string& mode,
                                   const std::string& device_extra = "") {
  char pos[64];
  std::snprintf(pos, sizeof pos, "%.6f,%.6f", s.lat, s.lon);
  return {"scan", "--device", "driver=towerwatch-sim,realtime=0,scene=" + scene + device_extra, "--band", "P-GSM900", "--mode", mode,
          "--json", "--db", s.db, "--mqtt", url, "--mqtt-sensor", s.id, "--mqtt-position", pos, "--mqtt-confirm",
          "collector", "--mqtt-resend-after", "2", "--mqtt-timeout", "5", "--threads", "1"};
}

// Runs the commands, `parallel` at a time; returns their exit codes. The command whose index is `skewed`
// runs with its wall clock 10 minutes behind (libfaketime).
std::vector<int> run_all(const std::vector<std::vector<std::string>>& cmds, const tw::test::TempDir& dir, std::size_t parallel,
                         const std::function<void(std::size_t started)>& on_start = nullptr, std::size_t skewed = SIZE_MAX) {
  std::vector<int> codes(cmds.size(), -1);
  std::map<pid_t, std::size_t> running;
  std::size_t next = 0;
  while (next < cmds.size() || !running.empty()) {
    while (next < cmds.size() && running.size() < parallel) {
      const auto tag = std::to_string(next) + "-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand());
      {
        tw::test::FakeClockForChildren clock(next == skewed ? "-10m" : "");
        running[tw::test::spawn_towerwatch(cmds[next], dir / ("run" + tag + ".out"), dir / ("run" + tag + ".err"))] = next;
      }
      ++next;
      if (on_start) on_start(next);
    }
    int st = 0;
    const pid_t pid = ::waitpid(-1, &st, 0);
    if (auto it = running.find(pid); it != running.end()) {
      codes[it->second] = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      running.erase(it);
    }
  }
  return codes;
}

// Per sensor sweep: the channels of the observations it committed, sorted ("58,62,64,...").
std::map<std::pair<std::string, std::int64_t>, std::string> committed(const std::vector<Sensor>& sensors) {
  std::map<std::pair<std::string, std::int64_t>, std::string> out;
  for (const auto& s : sensors) {
    tw::store::Store st(s.db);
    for (const auto& w : st.sweeps()) {
      auto sweep = st.load_sweep(w.id);
      std::vector<int> ch;
      for (const auto& c : sweep.cells) ch.push_back(c.arfcn);
      std::sort(ch.begin(), ch.end());
      std::string k;
      for (int a : ch) k += std::to_string(a) + ",";
      out[{s.id, w.id}] = k;
    }
  }
  return out;
}
std::map<std::pair<std::string, std::int64_t>, std::string> in_postgres(tw::fleet::FleetStore& pg) {
  std::map<std::pair<std::string, std::int64_t>, std::string> out;
  for (const auto& r : pg.query("SELECT s.sensor_id, s.sensor_sweep, string_agg(o.arfcn::text || ',', '' ORDER BY o.arfcn) "
                                "FROM sweeps s LEFT JOIN observations o ON o.sweep_id = s.id GROUP BY 1, 2"))
    out[{r[0], std::stoll(r[1])}] = r[2];
  return out;
}

}  // namespace

TEST(FleetE2e, SensorsThroughFaultsIntoPostgresExactlyOnceAndTheRogueIsFlagged) {
  tw::test::MosquittoServer broker;
  TW_SERVER_OR_SKIP(broker);
  tw::test::PostgresServer pg_server;
  TW_SERVER_OR_SKIP(pg_server);
  tw::test::TempDir dir;
  const std::string url = broker.url("fleet");
  // Two groups of sensors 1 km apart (within FL2's 3 km); group A gets the rogue in round 2.
  constexpr int kPerGroup = 5;
  std::vector<Sensor> sensors;
  for (int g = 0; g < 2; ++g)
    for (int i = 0; i < kPerGroup; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "s%c%d", g == 0 ? 'a' : 'b', i);
      sensors.push_back({id, 52.5200 + 0.009 * g + 0.0005 * i, 13.4050 + 0.0005 * i, (dir / (std::string(id) + ".db")).string()});
    }
  tw::test::CollectorProcess collector(dir, url, pg_server.url());
  collector.start({"--summary-every", "1"});
  ASSERT_FALSE(collector.lines().empty()) << collector.err();

  // Round 1: every sensor hears the city; the collector is killed (-9) while the second half publishes.
  std::vector<std::vector<std::string>> round1;
  for (const auto& s : sensors) round1.push_back(scan_args(s, url, "city", "full"));
  bool killed = false;
  auto codes = run_all(round1, dir, 3, [&](std::size_t started) {
    if (started == 7 && !killed) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      collector.stop(SIGKILL);
      killed = true;
    }
  });
  for (auto c : codes) EXPECT_EQ(c, 0);
  ASSERT_TRUE(killed);
  collector.start({"--summary-every", "1"});

  // The broker restarted between rounds (SIGTERM: it saves the collector's session and queued messages).
  broker.stop();
  ASSERT_TRUE(broker.start()) << broker.error();

  // Round 2: the rogue appears at group A; meanwhile a flood of malformed messages, and PostgreSQL restarts;
  // the last sensor's clock is 10 minutes behind.
  const bool can_skew = !tw::test::libfaketime().empty();
  if (!can_skew) {
    if (tw::test::running_in_ci()) ADD_FAILURE() << "libfaketime (Debian package faketime) needed in CI";
    std::fprintf(stderr, "libfaketime not found: the sensor with a clock 10 minutes off is not run\n");
  }
  std::vector<std::vector<std::string>> round2;
  for (std::size_t i = 0; i < sensors.size(); ++i)
    round2.push_back(scan_args(sensors[i], url, i < kPerGroup ? "city-with-rogue" : "city", "full"));
  int flood_sent = 0;
  auto codes2 = run_all(round2, dir, 3, [&](std::size_t started) {
    if (started == 4) {
      tw::fleet::MqttClientOptions o;
      o.client_id = "attacker";
      tw::fleet::MqttClient evil(tw::fleet::parse_mqtt_url(url), o);
      int acked = 0;
      evil.on_puback = [&](int) { ++acked; };
      evil.connect(5);
      const std::vector<std::string> bad = {
          "not json", std::string(70000, '['), "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
          R"({"type":"cell","sensor":"evil","epoch":"00000000000000ff","seq":1,"floor":0,"msg_id":"evil:00000000000000ff:1","sweep":1,"time_unix_ms":1796300000000,"rat":"GSM","lac":70000})",
          R"({"type":"cell","sensor":"evil","epoch":"xyz","seq":1})", std::string("{\"a\":\"\0\"}", 10)};
      for (int k = 0; k < 50; ++k)
        for (const auto& b : bad) {
          evil.publish(url.substr(url.rfind('/') + 1) + "/evil/cell", b, 1, false);
          ++flood_sent;
          evil.loop(0);
        }
      evil.publish("fleet/sa0/bogus-kind", "x", 1, false);
      ++flood_sent;
      for (int k = 0; k < 3000 && acked < flood_sent; ++k) evil.loop(20);   // every one at the broker (60 s at most)
      ASSERT_EQ(acked, flood_sent);
    }
    if (started == 6) {
      pg_server.stop();
      std::this_thread::sleep_for(std::chrono::seconds(2));
      ASSERT_TRUE(pg_server.start()) << pg_server.error();
    }
  }, can_skew ? sensors.size() - 1 : SIZE_MAX);
  for (auto c : codes2) EXPECT_EQ(c, 0);

  // Flush rounds (census: no cells, a sweep record each) until PostgreSQL holds what every sensor committed:
  // what the killed collector acknowledged without storing is sent again after 2 s unconfirmed.
  tw::fleet::FleetStore pg(pg_server.url());
  auto want = committed(sensors);
  for (int attempt = 0; attempt < 4 && in_postgres(pg) != committed(sensors); ++attempt) {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    std::vector<std::vector<std::string>> flush;
    for (const auto& s : sensors) flush.push_back(scan_args(s, url, "city", "census"));
    run_all(flush, dir, 4);
    for (int w = 0; w < 20 && in_postgres(pg) != committed(sensors); ++w) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  want = committed(sensors);
  const auto have = in_postgres(pg);
  EXPECT_EQ(have.size(), want.size()) << collector.err();
  for (const auto& [k, v] : want) {
    auto it = have.find(k);
    ASSERT_NE(it, have.end()) << "sweep " << k.second << " of " << k.first << " is not in PostgreSQL";
    EXPECT_EQ(it->second, v) << "sweep " << k.second << " of " << k.first;
  }
  std::int64_t committed_obs = 0;
  for (const auto& s : sensors) committed_obs += tw::store::Store(s.db).query_int("SELECT count(*) FROM observations");
  EXPECT_EQ(pg.query_int("SELECT count(*) FROM observations"), committed_obs);
  EXPECT_GE(committed_obs, 10 * 6 + 5);   // round 1: 6 cells each; round 2: group A 7

  // The sensor with the clock 10 minutes behind: its round-2 sweep is stored with its own time, received
  // about 10 minutes later by the collector's clock.
  if (can_skew) {
    const auto skew = pg.query("SELECT received_ms - time_unix_ms FROM sweeps WHERE sensor_id = $1 AND sensor_sweep = 2",
                               {sensors.back().id});
    ASSERT_EQ(skew.size(), 1u);
    EXPECT_NEAR(std::stod(skew[0][0]), 600000.0, 60000.0);
  }

  // The rogue, and only it, flagged by FL2 (group B hears operator 262-01's three other cells, not it).
  const auto rows = pg.query("SELECT rule, cell_key FROM fleet_alerts");
  bool rogue = false;
  for (const auto& r : rows) {
    EXPECT_EQ(r[1], "GSM:262-01-4711-10099") << r[0] << " flagged a legitimate cell";
    rogue = rogue || (r[0] == "FL2" && r[1] == "GSM:262-01-4711-10099");
  }
  EXPECT_TRUE(rogue) << "FL2 did not flag the rogue";
  bool published = false;
  for (const auto& l : collector.lines())
    published = published || (l.value("type", "") == "fleet_alert" && l.value("cell_key", "") == "GSM:262-01-4711-10099");
  EXPECT_TRUE(published);

  collector.stop(SIGTERM);
  const auto lines = collector.lines();
  const auto stops = tw::test::lines_of_type(lines, "collector_stop");
  ASSERT_EQ(stops.size(), 1u) << collector.err();
  EXPECT_EQ(stops[0]["rejected"].get<int>() + stops[0]["rate_limited"].get<int>(), flood_sent) << stops[0].dump();
  EXPECT_GE(stops[0]["db_reconnects"].get<int>(), 1);
}

// 20 sensors at their own places in one scene with placed cells (the simulated radio hears each cell at its
// path loss to the sensor's position, track=FILE with one row): the legitimate cells and the rogue of the
// city-with-rogue scene (tests/fuzz/corpus/scene/syn_city-with-rogue.json: 262-01 LAC 4711 CI 10099, clone
// of operator 262-01 with CRO 63, T3212 1, no neighbours), the six legitimate cells placed around a 2.6 km
// square of four groups of five sensors, strong enough everywhere; the rogue weak (0 dBm at 1 m, exponent 4, on ARFCN 82)
// at group A's centre: heard within ~300 m only. Round 1: no rogue, the collector learns (--learn). Round 2:
// the rogue is on. Round 3: it is off again and the sensors that heard it sweep once more.
// Truth: the scene (which cell is the rogue) - the collector must name it (FL2 lone cell, FLB scored against
// the fleet baseline, FL4 transient) and no legitimate cell.
namespace {

constexpr double kLat0 = 52.52, kLon0 = 13.40;
double north_to_lat(double m) { return kLat0 + m / 111195.0; }
double east_to_lon(double m) { return kLon0 + m / (111195.0 * std::cos(kLat0 * 3.14159265358979323846 / 180)); }

// The corpus scene with placements; the rogue only when `rogue`.
std::string placed_scene(bool rogue, std::string& rogue_key) {
  json scene = json::parse(tw::test::read_file("tests/fuzz/corpus/scene/syn_city-with-rogue.json"));
  struct Site {
    const char* name;
    double east, north, p1m, exponent;
  };
  const Site sites[] = {{"A-1", 0, 0, 25, 3.0},      {"A-2", -2200, 1600, 25, 3.0}, {"A-3", 2200, -1800, 25, 3.0},
                        {"B-1", 1800, 2000, 25, 3.0}, {"B-2", -1900, -2100, 25, 3.0}, {"B-3", 300, 2400, 25, 3.0},
                        {"rogue", -1000, -1000, 0, 4.0}};
  json cells = json::array();
  for (auto c : scene["cells"]) {
    const std::string name = c["name"];
    if (name == "rogue") {
      rogue_key = "GSM:" + std::to_string(c["mcc"].get<int>()) + "-0" + std::to_string(c["mnc"].get<int>()) + "-" +
                  std::to_string(c["lac"].get<int>()) + "-" + std::to_string(c["ci"].get<int>());
      if (!rogue) continue;
      c["arfcn"] = 82;   // off its scene channel 64, between operator A's 62 and 66: no adjacent-channel masking
      c["cell_allocation"] = json::array({82});
    }
    for (const auto& st : sites)
      if (name == st.name) {
        c["lat"] = north_to_lat(st.north);
        c["lon"] = east_to_lon(st.east);
        c["power_1m_dbm"] = st.p1m;
        c["path_loss_exponent"] = st.exponent;
        c["shadowing_db"] = 3.0;
      }
    EXPECT_TRUE(c.contains("lat")) << name << " has no site";
    cells.push_back(c);
  }
  scene["cells"] = cells;
  scene["rx_gain_db"] = 35.0;
  scene["name"] = rogue ? "fleet-rogue" : "fleet";
  return scene.dump();
}

std::int64_t wait_for_sweeps(tw::fleet::FleetStore& pg, std::int64_t want) {
  std::int64_t have = 0;
  for (int i = 0; i < 120 && (have = pg.query_int("SELECT count(*) FROM sweeps WHERE completed = 1")) < want; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  return have;
}

}  // namespace

TEST(FleetE2e, TwentySensorsAtTheirPlacesTheCollectorNamesTheRogueNearOneGroupAndNoLegitimateCell) {
  tw::test::MosquittoServer broker;
  TW_SERVER_OR_SKIP(broker);
  tw::test::PostgresServer pg_server;
  TW_SERVER_OR_SKIP(pg_server);
  tw::test::TempDir dir;
  const std::string url = broker.url("fleet20");
  std::string rogue_key;
  tw::test::write_file(dir / "quiet.json", placed_scene(false, rogue_key));
  tw::test::write_file(dir / "rogue.json", placed_scene(true, rogue_key));
  ASSERT_EQ(rogue_key, "GSM:262-01-4711-10099");

  // Four groups of five, group centres (+-1000 m, +-1000 m); within a group 0..250 m from the centre.
  std::vector<Sensor> sensors;
  std::vector<std::string> tracks;
  const double centres[4][2] = {{-1000, -1000}, {1000, -1000}, {-1000, 1000}, {1000, 1000}};
  const double offsets[5][2] = {{0, 150}, {150, 0}, {-120, -120}, {200, -150}, {-80, 230}};
  for (int g = 0; g < 4; ++g)
    for (int i = 0; i < 5; ++i) {
      const std::string id = std::string("g") + static_cast<char>('a' + g) + std::to_string(i);
      const double e = centres[g][0] + offsets[i][0], n = centres[g][1] + offsets[i][1];
      sensors.push_back({id, north_to_lat(n), east_to_lon(e), (dir / (id + ".db")).string()});
      char row[80];
      std::snprintf(row, sizeof row, "0,%.7f,%.7f\n", sensors.back().lat, sensors.back().lon);
      tracks.push_back((dir / (id + ".track")).string());
      tw::test::write_file(tracks.back(), row);
    }
  const auto round = [&](const std::string& scene, const std::vector<std::size_t>& who) {
    std::vector<std::vector<std::string>> cmds;
    for (auto i : who) {
      cmds.push_back(scan_args(sensors[i], url, (dir / scene).string(), "full", ",track=" + tracks[i]));
      cmds.back().insert(cmds.back().end(), {"--arfcn", "58-82"});   // the scene's channels: fewer tunings
    }
    for (auto c : run_all(cmds, dir, 3)) EXPECT_EQ(c, 0);
  };
  std::vector<std::size_t> all(sensors.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;

  tw::fleet::MqttClientOptions so;
  so.client_id = "test-fleet-alerts";
  so.clean_session = false;
  tw::fleet::MqttClient alerts_sub(tw::fleet::parse_mqtt_url(url), so);
  std::vector<json> alert_msgs;
  alerts_sub.on_message = [&](const std::string&, std::string_view p) { alert_msgs.push_back(json::parse(p)); };
  alerts_sub.connect(5);
  alerts_sub.subscribe("fleet20/fleet/alert", 1);
  alerts_sub.disconnect();

  // Round 1: the fleet learns.
  tw::test::CollectorProcess collector(dir, url, pg_server.url());
  collector.start({"--summary-every", "1", "--learn", "86400"});
  ASSERT_FALSE(collector.lines().empty()) << collector.err();
  round("quiet.json", all);
  tw::fleet::FleetStore pg(pg_server.url());
  ASSERT_EQ(wait_for_sweeps(pg, 20), 20);
  std::this_thread::sleep_for(std::chrono::seconds(3));   // the fleet rules' last run
  collector.stop(SIGTERM);
  EXPECT_TRUE(tw::test::lines_of_type(collector.lines(), "fleet_alert").empty()) << "alerts while only legitimate cells were on";
  // Every sensor heard every legitimate cell (the geometry holds): 20 x 6.
  EXPECT_EQ(pg.query_int("SELECT count(DISTINCT (sensor_id, ci)) FROM observations"), 120);

  // Round 2: the rogue is on; scored from now on (the baseline is round 1).
  collector.start({"--summary-every", "1"});
  round("rogue.json", all);
  ASSERT_EQ(wait_for_sweeps(pg, 40), 40);
  std::vector<std::size_t> heard;
  for (const auto& r : pg.query("SELECT DISTINCT sensor_id FROM observations WHERE lac = 4711 AND ci = 10099"))
    for (std::size_t i = 0; i < sensors.size(); ++i)
      if (sensors[i].id == r[0]) heard.push_back(i);
  ASSERT_GE(heard.size(), 2u) << "the rogue was heard by fewer than two sensors";
  for (auto i : heard) EXPECT_EQ(sensors[i].id[1], 'a') << sensors[i].id << " of another group heard the weak rogue";

  // Round 3: the rogue is off; the sensors that heard it sweep again.
  round("quiet.json", heard);
  ASSERT_EQ(wait_for_sweeps(pg, 40 + static_cast<std::int64_t>(heard.size())), 40 + static_cast<std::int64_t>(heard.size()));
  std::set<std::string> rules;
  for (int i = 0; i < 40 && !rules.count("FL4"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    rules.clear();
    for (const auto& r : pg.query("SELECT rule FROM fleet_alerts WHERE cell_key = $1", {rogue_key})) rules.insert(r[0]);
  }
  EXPECT_TRUE(rules.count("FL2")) << "FL2 (lone cell) did not flag the rogue";
  EXPECT_TRUE(rules.count("FLB")) << "scoring against the fleet baseline did not flag the rogue";
  EXPECT_TRUE(rules.count("FL4")) << "FL4 (transient) did not flag the rogue";
  for (const auto& r : pg.query("SELECT rule, cell_key, body::json->>'detail' FROM fleet_alerts WHERE cell_key <> $1", {rogue_key}))
    ADD_FAILURE() << r[0] << " flagged a legitimate cell " << r[1] << ": " << r[2];
  // Explained: every stored fleet alert has a detail, and FLB carries the scorer's reasons.
  for (const auto& r : pg.query("SELECT body::text FROM fleet_alerts")) {
    const json b = json::parse(r[0]);
    EXPECT_FALSE(b.value("detail", "").empty()) << r[0];
    if (b["rule"] == "FLB") EXPECT_FALSE(b["reasons"].empty()) << r[0];
    else EXPECT_FALSE(b.value("rationale", "").empty()) << r[0];
  }
  collector.stop(SIGTERM);
  // Published on PREFIX/fleet/alert as well.
  alerts_sub.connect(5);
  for (int i = 0; i < 20; ++i) alerts_sub.loop(50);
  alerts_sub.disconnect();
  std::set<std::string> published;
  for (const auto& a : alert_msgs)
    if (a.value("cell_key", "") == rogue_key) published.insert(a.value("rule", ""));
  EXPECT_EQ(published, rules);
  std::fprintf(stderr, "rogue heard by %zu sensors of group A; fleet alerts on it: %zu (%s)\n", heard.size(), rules.size(),
               [&] {
                 std::string r;
                 for (const auto& x : rules) r += x + " ";
                 return r;
               }().c_str());
}

// The fleet baseline's learned statistics at work (FLB): six sensors in two groups 4 km apart (beyond FL2's
// 3 km: a weak cell heard by one group only is no lone cell to the other) in a scene with
// placed cells. Operator 262-01's cell A-3 (CI 10013, ARFCN 66, BSIC 17) is weak and stands at the north
// group: only the north sensors hear it. Round 1: the fleet learns. Round 2: a catcher at the south group
// clones A-3's whole broadcast (its CGI, neighbour list, everything) but on ARFCN 82 with BSIC 21 and a
// location-update timer of 6 minutes (T3212 1); the south sensors never heard the real A-3. Without learned
// statistics its score stays below the threshold (R1 unannounced + T1 short timer = 2.5 < 2.6; B1 is silent:
// the CGI is known); with the fleet's learned operator plan (ARFCNs 58/62/66 and their BA lists, learned
// from every sensor) B2 adds 1.0. Truth: the scene - the clone is the cell on ARFCN 82; every legitimate cell
// (ARFCNs 58..76) must stay unflagged.
namespace {

std::string clone_scene(bool clone_on) {
  json scene = json::parse(tw::test::read_file("tests/fuzz/corpus/scene/syn_city-with-rogue.json"));
  struct Site {
    const char* name;
    double east, north, p1m, exponent;
  };
  const Site sites[] = {{"A-1", -2000, 0, 25, 3.0},    {"A-2", 2000, 0, 25, 3.0},    {"A-3", 0, 2000, 0, 4.0},
                        {"B-1", -1500, 1000, 25, 3.0}, {"B-2", 1500, -1000, 25, 3.0}, {"B-3", 0, 0, 25, 3.0},
                        {"clone", 0, -2000, 0, 4.0}};
  json cells = json::array();
  for (auto c : scene["cells"]) {
    const std::string name = c["name"];
    if (name == "rogue") continue;
    if (name == "A-3" && clone_on) {
      json k = c;
      k["name"] = "clone";
      k["arfcn"] = 82;
      k["bsic"] = 21;
      k["cell_allocation"] = json::array({82});
      k["t3212"] = 1;
      cells.push_back(k);
    }
    cells.push_back(c);
  }
  for (auto& c : cells)
    for (const auto& st : sites)
      if (c["name"] == st.name) {
        c["lat"] = north_to_lat(st.north);
        c["lon"] = east_to_lon(st.east);
        c["power_1m_dbm"] = st.p1m;
        c["path_loss_exponent"] = st.exponent;
        c["shadowing_db"] = 3.0;
      }
  scene["cells"] = cells;
  scene["rx_gain_db"] = 35.0;
  scene["name"] = clone_on ? "fleet-clone" : "fleet-clean";
  return scene.dump();
}

}  // namespace

TEST(FleetE2e, ACloneOfAKnownCellOnAnotherChannelIsFlaggedByTheFleetsLearnedPlanAndNoLegitimateCell) {
  tw::test::MosquittoServer broker;
  TW_SERVER_OR_SKIP(broker);
  tw::test::PostgresServer pg_server;
  TW_SERVER_OR_SKIP(pg_server);
  tw::test::TempDir dir;
  const std::string url = broker.url("fleetc");
  tw::test::write_file(dir / "clean.json", clone_scene(false));
  tw::test::write_file(dir / "clone.json", clone_scene(true));
  std::vector<Sensor> sensors;
  std::vector<std::string> tracks;
  const double offsets[3][2] = {{0, 150}, {150, 0}, {-120, -120}};
  for (int g = 0; g < 2; ++g)
    for (int i = 0; i < 3; ++i) {
      const std::string id = std::string(g == 0 ? "north" : "south") + std::to_string(i);
      const double e = offsets[i][0], n = (g == 0 ? 2000 : -2000) + offsets[i][1];
      sensors.push_back({id, north_to_lat(n), east_to_lon(e), (dir / (id + ".db")).string()});
      char row[80];
      std::snprintf(row, sizeof row, "0,%.7f,%.7f\n", sensors.back().lat, sensors.back().lon);
      tracks.push_back((dir / (id + ".track")).string());
      tw::test::write_file(tracks.back(), row);
    }
  const auto round = [&](const std::string& scene) {
    std::vector<std::vector<std::string>> cmds;
    for (std::size_t i = 0; i < sensors.size(); ++i) {
      cmds.push_back(scan_args(sensors[i], url, (dir / scene).string(), "full", ",track=" + tracks[i]));
      cmds.back().insert(cmds.back().end(), {"--arfcn", "58-82"});
    }
    for (auto c : run_all(cmds, dir, 3)) EXPECT_EQ(c, 0);
  };

  tw::test::CollectorProcess collector(dir, url, pg_server.url());
  collector.start({"--summary-every", "1", "--learn", "86400"});
  ASSERT_FALSE(collector.lines().empty()) << collector.err();
  round("clean.json");
  tw::fleet::FleetStore pg(pg_server.url());
  ASSERT_EQ(wait_for_sweeps(pg, 6), 6);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  collector.stop(SIGTERM);
  for (const auto& a : tw::test::lines_of_type(collector.lines(), "fleet_alert")) ADD_FAILURE() << "while learning: " << a.dump();
  // The geometry holds: A-3 (ARFCN 66) heard by the north sensors only; the fleet learned it with them.
  for (const auto& r : pg.query("SELECT DISTINCT sensor_id FROM observations WHERE ci = 10013"))
    EXPECT_EQ(r[0].rfind("north", 0), 0u) << r[0] << " heard A-3";
  EXPECT_EQ(pg.query_int("SELECT count(DISTINCT sensor_id) FROM observations WHERE ci = 10013"), 3);
  EXPECT_EQ(pg.query_int("SELECT count(*) FROM known_cells WHERE source = 'learned' AND mcc = 262 AND mnc = '01' AND arfcn IN (58, 62, 66)"), 3);

  collector.start({"--summary-every", "1"});
  round("clone.json");
  ASSERT_EQ(wait_for_sweeps(pg, 12), 12);
  // The clone heard at the south group only, never the real A-3 there.
  std::set<std::string> clone_heard;
  for (const auto& r : pg.query("SELECT DISTINCT sensor_id FROM observations WHERE ci = 10013 AND arfcn = 82")) clone_heard.insert(r[0]);
  ASSERT_GE(clone_heard.size(), 2u) << "the clone was heard by fewer than two sensors";
  for (const auto& s : clone_heard) EXPECT_EQ(s.rfind("south", 0), 0u) << s << " heard the clone";
  EXPECT_EQ(pg.query_int("SELECT count(*) FROM observations WHERE ci = 10013 AND arfcn = 66 AND sensor_id LIKE 'south%'"), 0);

  std::vector<json> flb;
  for (int i = 0; i < 40 && flb.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    flb.clear();
    for (const auto& r : pg.query("SELECT body FROM fleet_alerts WHERE rule = 'FLB'")) flb.push_back(json::parse(r[0]));
  }
  ASSERT_FALSE(flb.empty()) << "the clone was not flagged against the fleet baseline";
  // Reasons the fleet baseline's learned statistics give (the rules that read more than find_cell/operator_known).
  const std::set<std::string> learned_rules{"B2", "C1", "S1", "S2", "S3", "S4", "F2", "N1", "J1"};
  for (const auto& a : flb) {
    EXPECT_EQ(a["cell"]["arfcn"], 82) << "a legitimate cell flagged: " << a.dump();
    EXPECT_EQ(a["cell"]["bsic"], 21) << a.dump();
    EXPECT_TRUE(clone_heard.count(a.value("sensor", ""))) << a.dump();
    std::set<std::string> rules;
    double learned_weight = 0;
    for (const auto& r : a["reasons"]) {
      rules.insert(r["rule"].get<std::string>());
      if (learned_rules.count(r["rule"].get<std::string>())) learned_weight += r["weight"].get<double>();
    }
    EXPECT_TRUE(rules.count("B2")) << "B2 (outside the operator's learned plan) missing: " << a.dump();
    EXPECT_LT(a["score"].get<double>() - learned_weight, 2.6) << "it would alert without learned statistics: " << a.dump();
  }
  for (const auto& r : pg.query("SELECT rule, cell_key, body FROM fleet_alerts")) {
    EXPECT_EQ(r[1], "GSM:262-01-1234-10013") << r[0] << " flagged a legitimate cell: " << r[2];
  }
  collector.stop(SIGTERM);
  std::fprintf(stderr, "clone heard by %zu south sensors; FLB alerts: %zu, first: %s\n", clone_heard.size(), flb.size(),
               flb.front()["detail"].get<std::string>().c_str());
}
