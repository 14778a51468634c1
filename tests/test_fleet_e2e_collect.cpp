// Fleet end to end (issue 18) with real servers started by the test (tests/support/fleet_servers.hpp):
// simulated sensors (the real binary, the simulated radio) -> mosquitto -> `towerwatch collect` ->
// PostgreSQL. Truth: each sensor's own SQLite database (what it committed) against what PostgreSQL holds;
// the built-in scene "city-with-rogue" (its rogue: 262-01, LAC 4711, CI 10099) for the fleet rule.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include "src/fleet/mqtt_client.hpp"
#include "src/fleet/mqtt_url.hpp"
#include "src/fleet/pg_store.hpp"
#include "src/store/store.hpp"
#include "support/fleet_servers.hpp"
#include "support/test_support.hpp"

using nlohmann::json;

namespace {

struct Sensor {
  std::string id;
  double lat, lon;
  std::string db;
};

std::vector<std::string> scan_args(const Sensor& s, const std::string& url, const std::string& scene, const std::string& mode) {
  char pos[64];
  std::snprintf(pos, sizeof pos, "%.6f,%.6f", s.lat, s.lon);
  return {"scan", "--device", "driver=towerwatch-sim,realtime=0,scene=" + scene, "--band", "P-GSM900", "--mode", mode,
          "--json", "--db", s.db, "--mqtt", url, "--mqtt-sensor", s.id, "--mqtt-position", pos, "--mqtt-confirm",
          "collector", "--mqtt-resend-after", "2", "--mqtt-timeout", "5", "--threads", "1"};
}

// libfaketime (Debian package faketime): a process whose wall clock is off, its monotonic clock untouched.
std::string libfaketime() {
  std::error_code ec;
  for (const auto& d : std::filesystem::directory_iterator("/usr/lib", ec))
    if (std::filesystem::exists(d.path() / "faketime" / "libfaketimeMT.so.1"))
      return (d.path() / "faketime" / "libfaketimeMT.so.1").string();
  return "";
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
      if (next == skewed) {
        ::setenv("LD_PRELOAD", libfaketime().c_str(), 1);
        ::setenv("FAKETIME", "-10m", 1);
        ::setenv("DONT_FAKE_MONOTONIC", "1", 1);
      }
      running[tw::test::spawn_towerwatch(cmds[next], dir / ("run" + tag + ".out"), dir / ("run" + tag + ".err"))] = next;
      if (next == skewed) {
        ::unsetenv("LD_PRELOAD");
        ::unsetenv("FAKETIME");
        ::unsetenv("DONT_FAKE_MONOTONIC");
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

class Collector {
 public:
  Collector(const tw::test::TempDir& dir, std::string mqtt, std::string db) : dir_(dir), mqtt_(std::move(mqtt)), db_(std::move(db)) {}
  ~Collector() { stop(SIGKILL); }
  void start() {
    ++n_;
    out_ = dir_ / ("collect" + std::to_string(n_) + ".out");
    pid_ = tw::test::spawn_towerwatch({"collect", "--mqtt", mqtt_, "--db", db_, "--json", "--summary-every", "1"}, out_,
                                      dir_ / ("collect" + std::to_string(n_) + ".err"));
    for (int i = 0; i < 200 && tw::test::complete_json_lines(out_).empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  void stop(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
  }
  std::vector<json> lines() const { return tw::test::complete_json_lines(out_); }
  std::string err() const { return tw::test::read_file(dir_ / ("collect" + std::to_string(n_) + ".err")); }

 private:
  const tw::test::TempDir& dir_;
  std::string mqtt_, db_;
  std::filesystem::path out_;
  pid_t pid_ = -1;
  int n_ = 0;
};

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
std::map<std::pair<std::string, std::int64_t>, std::string> in_postgres(tw::fleet::PgFleetStore& pg) {
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
  Collector collector(dir, url, pg_server.url());
  collector.start();
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
  collector.start();

  // The broker restarted between rounds (SIGTERM: it saves the collector's session and queued messages).
  broker.stop();
  ASSERT_TRUE(broker.start()) << broker.error();

  // Round 2: the rogue appears at group A; meanwhile a flood of malformed messages, and PostgreSQL restarts;
  // the last sensor's clock is 10 minutes behind.
  const bool can_skew = !libfaketime().empty();
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
  tw::fleet::PgFleetStore pg(pg_server.url());
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
  EXPECT_EQ(have.size(), want.size());
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
