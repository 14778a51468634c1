// Fleet rule FL3 (power that contradicts distance, src/fleet/rules/fl3_path_loss.cpp) end to end, with real
// servers the test starts (tests/support/fleet_servers.hpp: mosquitto, PostgreSQL) and the real binary:
// simulated sensors at their own places (`track=` with one row, `--mqtt-position`) in a scene with placed
// cells, each sensor hearing every cell at its path loss (tools/synth/geometry.hpp), -> mosquitto ->
// `towerwatch collect` -> PostgreSQL. Checked black-box on the collector's JSON lines and the
// PREFIX/fleet/alert topic.
//
// Truth: the scene. Operator A's three cells (the corpus scene city-with-rogue) stand 2.1-4.2 km from six
// sensors spread over 2.3 x 2.1 km; the clone carries A-1's identity (its every parameter) on another channel
// and stands 20 m from sensor "near", at a power that makes "near" hear A-1's identity ~35 dB above what the
// legitimate A-1, 4.2 km away, gives it (6 dBm at 1 m, exponent 4: below the noise at the other sensors,
// >= 1.1 km away). Rounds:
//   1. legitimate, with the collector's clock an hour behind (libfaketime): the fleet's history, from which it
//      places the cells (FL3 compares against positions estimated from what was heard before its window);
//   2. legitimate again, the positions known: no FL3 alert;
//   3. the clone on, swept by "near" and its nearest neighbour only (the others' round-2 sightings are within
//      the window): FL3 names A-1's identity and "near", and no other cell or sensor.
// Sizes: six sensors is the least the fleet's position fit takes (src/locate: six places); 14 scans in all.
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
#include "support/collector_process.hpp"
#include "support/fleet_servers.hpp"
#include "support/test_support.hpp"

using nlohmann::json;

namespace {

constexpr double kLat0 = 52.5200, kLon0 = 13.4050;
double north_to_lat(double m) { return kLat0 + m / 111195.0; }
double east_to_lon(double m) { return kLon0 + m / (111195.0 * std::cos(kLat0 * 3.14159265358979323846 / 180)); }

const char* const kA1Key = "GSM:262-01-1234-10011";

// The corpus scene's operator A, placed (and with the clone of A-1 when `clone`).
std::string placed_scene(bool clone) {
  json scene = json::parse(tw::test::read_file("tests/fuzz/corpus/scene/syn_city-with-rogue.json"));
  struct Site {
    const char* name;
    double east, north, p1m, exponent;
  };
  const Site sites[] = {{"A-1", -1500, -1500, 25, 3.0}, {"A-2", 2500, -1000, 25, 3.0}, {"A-3", -1000, 2500, 25, 3.0}};
  json cells = json::array();
  for (auto c : scene["cells"]) {
    const std::string name = c["name"];
    for (const auto& st : sites)
      if (name == st.name) {
        c["lat"] = north_to_lat(st.north);
        c["lon"] = east_to_lon(st.east);
        c["power_1m_dbm"] = st.p1m;
        c["path_loss_exponent"] = st.exponent;
        c["shadowing_db"] = 3.0;
        cells.push_back(c);
        if (clone && name == "A-1") {
          json k = c;   // every parameter of A-1, identity included
          k["name"] = "A-1-clone";
          k["arfcn"] = 64;   // a free channel of the tuning, two from A-2's 62 and A-3's 66
          k["cell_allocation"] = json::array({64});
          k["lat"] = north_to_lat(1500);
          k["lon"] = east_to_lon(1520);   // 20 m from sensor "near"
          k["power_1m_dbm"] = 6.0;
          k["path_loss_exponent"] = 4.0;
          cells.push_back(k);
        }
      }
  }
  EXPECT_EQ(cells.size(), clone ? 4u : 3u);
  scene["cells"] = cells;
  scene["rx_gain_db"] = 35.0;
  scene["name"] = clone ? "fl3-clone" : "fl3";
  return scene.dump();
}

struct Sensor {
  std::string id;
  double lat, lon;
  std::string db, track;
};

}  // namespace

TEST(FleetE2eFl3, ACloneNearOneSensorIsFlaggedByPathLossAndTheLegitimateRunIsNot) {
  tw::test::MosquittoServer broker;
  TW_SERVER_OR_SKIP(broker);
  tw::test::PostgresServer pg_server;
  TW_SERVER_OR_SKIP(pg_server);
  tw::test::TempDir dir;
  const auto t0 = std::chrono::steady_clock::now();
  const std::string url = broker.url("fl3");
  tw::test::write_file(dir / "legit.json", placed_scene(false));
  tw::test::write_file(dir / "clone.json", placed_scene(true));

  // Six places, not on a line (east, north in m from the origin).
  const struct {
    const char* id;
    double east, north;
  } places[] = {{"near", 1500, 1500}, {"s1", 0, 0}, {"s2", 1400, -200}, {"s3", -300, 1300}, {"s4", 700, 600}, {"s5", -800, -600}};
  std::vector<Sensor> sensors;
  for (const auto& p : places) {
    Sensor s{p.id, north_to_lat(p.north), east_to_lon(p.east), (dir / (std::string(p.id) + ".db")).string(),
             (dir / (std::string(p.id) + ".track")).string()};
    char row[80];
    std::snprintf(row, sizeof row, "0,%.7f,%.7f\n", s.lat, s.lon);
    tw::test::write_file(s.track, row);
    sensors.push_back(s);
  }
  // One scan per sensor, all at once (the rounds stay short against the 10 s window); each must end with
  // its outbox confirmed by the collector (stored in PostgreSQL).
  std::set<std::string> all;
  for (const auto& s : sensors) all.insert(s.id);
  int round_no = 0;
  const auto round = [&](const std::string& scene, const std::set<std::string>& who) {
    ++round_no;
    const auto started = std::chrono::steady_clock::now();
    std::map<pid_t, std::size_t> running;
    for (std::size_t i = 0; i < sensors.size(); ++i) {
      const auto& s = sensors[i];
      if (!who.count(s.id)) continue;
      char pos[64];
      std::snprintf(pos, sizeof pos, "%.7f,%.7f", s.lat, s.lon);
      const std::string tag = "r" + std::to_string(round_no) + "-" + s.id;
      running[tw::test::spawn_towerwatch(
          {"scan", "--device", "driver=towerwatch-sim,realtime=0,scene=" + (dir / scene).string() + ",track=" + s.track,
           "--band", "P-GSM900", "--arfcn", "58-66", "--rate", "2.6M", "--mode", "full", "--json", "--db", s.db, "--mqtt",
           url, "--mqtt-sensor", s.id, "--mqtt-position", pos, "--mqtt-confirm", "collector", "--mqtt-resend-after", "2",
           "--mqtt-timeout", "10", "--threads", "1"},
          dir / (tag + ".out"), dir / (tag + ".err"))] = i;
    }
    while (!running.empty()) {
      int st = 0;
      const pid_t pid = ::waitpid(-1, &st, 0);
      auto it = running.find(pid);
      if (it == running.end()) continue;
      const std::string tag = "r" + std::to_string(round_no) + "-" + sensors[it->second].id;
      EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << tag << ": " << tw::test::read_file(dir / (tag + ".err"));
      const std::string err = tw::test::read_file(dir / (tag + ".err"));
      EXPECT_EQ(err.find("wait in the outbox"), std::string::npos) << tag << " not confirmed: " << err;
      running.erase(it);
    }
    std::fprintf(stderr, "round %d: %.1f s\n", round_no,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  };
  // What each sensor heard of A-1's identity in a round (its own scan output): the strongest level.
  const auto a1_level = [&](int r, const std::string& id) {
    double best = -1e9;
    for (const auto& l : tw::test::json_lines(tw::test::read_file(dir / ("r" + std::to_string(r) + "-" + id + ".out"))))
      if (l.value("ci", 0) == 10011 && l.value("lac", 0) == 1234 && l.contains("power_dbfs"))
        best = std::max(best, l["power_dbfs"].get<double>());
    return best;
  };

  tw::fleet::MqttClientOptions so;
  so.client_id = "test-fl3-alerts";
  so.clean_session = false;
  tw::fleet::MqttClient alerts_sub(tw::fleet::parse_mqtt_url(url), so);
  std::vector<json> alert_msgs;
  alerts_sub.on_message = [&](const std::string&, std::string_view p) { alert_msgs.push_back(json::parse(p)); };
  alerts_sub.connect(5);
  alerts_sub.subscribe("fl3/fleet/alert", 1);
  alerts_sub.disconnect();

  if (tw::test::libfaketime().empty()) {
    if (tw::test::running_in_ci()) FAIL() << "libfaketime needed in CI (Debian package faketime)";
    GTEST_SKIP() << "libfaketime not found (Debian package faketime)";
  }
  // Round 1, an hour ago (the collector's clock): the fleet's history, from which it places the cells.
  // --learn: every sweep is baseline (FLB quiet); the fleet rules run regardless (default window 600 s).
  const std::vector<std::string> learn{"--learn", "86400"};
  tw::test::CollectorProcess collector(dir, url, pg_server.url());
  collector.start(learn, "-1h");   // the fleet's history, an hour before any later window
  round("legit.json", all);
  // Every sensor heard all three cells (the geometry holds).
  for (const auto& s : sensors) EXPECT_GT(a1_level(1, s.id), -1e9) << s.id << " did not hear A-1";
  collector.stop(SIGTERM);
  EXPECT_TRUE(collector.fleet_alerts("FL3").empty());

  // Round 2, now: the legitimate cells against their positions.
  collector.start(learn);
  round("legit.json", all);
  std::this_thread::sleep_for(std::chrono::seconds(4));   // the fleet rules' runs after the last batch (every >= 2 s)
  EXPECT_TRUE(collector.fleet_alerts("FL3").empty()) << collector.fleet_alerts("FL3").front().dump();

  const std::int64_t round3_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch()).count();
  round("clone.json", {"near", "s4"});
  const auto round3_done = std::chrono::steady_clock::now();
  // The truth of the scene: "near" hears A-1's identity far stronger with the clone on; s4, the next sensor
  // (1.2 km from the clone), does not.
  EXPECT_GT(a1_level(3, "near") - a1_level(2, "near"), 25.0);
  EXPECT_NEAR(a1_level(3, "s4"), a1_level(2, "s4"), 6.0);
  std::vector<json> fl3;
  for (int i = 0; i < 600 && fl3.empty(); ++i) {   // the rules run at most every 2 s (or 10x their cost)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fl3 = collector.fleet_alerts("FL3");
  }
  std::fprintf(stderr, "FL3 alert %.1f s after round 3\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - round3_done).count());
  ASSERT_EQ(fl3.size(), 1u) << collector.err();
  EXPECT_EQ(fl3[0]["cell_key"], kA1Key) << fl3[0].dump();
  EXPECT_GE(fl3[0]["time_unix_ms"].get<std::int64_t>(), round3_ms);   // from the clone's round
  ASSERT_EQ(fl3[0]["evidence"]["sensors"].size(), 1u) << fl3[0].dump();
  EXPECT_EQ(fl3[0]["evidence"]["sensors"][0]["sensor"], "near") << fl3[0].dump();
  EXPECT_GE(fl3[0]["evidence"]["fit_sensors"].get<int>(), 4) << fl3[0].dump();
  EXPECT_NE(fl3[0]["detail"].get<std::string>().find("near"), std::string::npos);
  EXPECT_FALSE(fl3[0].value("rationale", "").empty());
  collector.stop(SIGTERM);
  EXPECT_EQ(collector.fleet_alerts("FL3").size(), 1u);   // no other cell of rounds 2 and 3, no repeat

  // Published on PREFIX/fleet/alert as well: the same single FL3 alert.
  alerts_sub.connect(5);
  for (int i = 0; i < 20; ++i) alerts_sub.loop(50);
  alerts_sub.disconnect();
  std::vector<json> published;
  for (const auto& a : alert_msgs)
    if (a.value("rule", "") == "FL3") published.push_back(a);
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0]["cell_key"], kA1Key);
  EXPECT_EQ(published[0]["evidence"]["sensors"][0]["sensor"], "near");
  std::fprintf(stderr, "FL3: %s (%.0f s wall)\n", fl3[0]["detail"].get<std::string>().c_str(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}
