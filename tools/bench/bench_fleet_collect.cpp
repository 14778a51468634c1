// Ingest rate of one collector (issue 18): synthetic sensor traffic -> a real mosquitto -> run_collector ->
// a real PostgreSQL, both started here on loopback (tests/support/fleet_servers.hpp; as root PostgreSQL runs
// as 'nobody'). The traffic is published first, while the collector is away (its persistent session queues
// it at the broker), then the collector is timed from start until every message is stored: messages/s and
// observation rows/s for the whole path (broker delivery, validation, PostgreSQL transactions, confirmations).
// Each sweep: 50 cell messages (a real cell record's members, about 1 kB each) and the sweep record.
// Third argument 1: with the analysis `towerwatch collect` runs after each batch (every completed sweep
// scored against the fleet baseline, fleet_scoring.hpp; the fleet rules, fleet_rules.hpp); 0: ingest only.
//   build/tools/bench/bench_fleet_collect --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <thread>

#include "src/fleet/collector.hpp"
#include "src/fleet/fleet_rules.hpp"
#include "src/fleet/fleet_scoring.hpp"
#include "src/fleet/mqtt_client.hpp"
#include "src/fleet/fleet_store.hpp"
#include "src/scorer/score_records.hpp"
#include "tests/support/fleet_servers.hpp"

namespace {

using nlohmann::json;

std::string cell_payload(const std::string& sensor, int seq, int sweep, int i, std::int64_t t) {
  json c{{"type", "cell"}, {"rat", "GSM"}, {"arfcn", 1 + i}, {"band", "E-GSM900"}, {"freq_hz", 935.2e6 + 2e5 * i},
         {"mcc", 262}, {"mnc", "01"}, {"lac", 1234}, {"ci", 10000 + i}, {"bsic", i % 64}, {"power_dbfs", -40.5 - i * 0.1},
         {"snr_db", 22.4}, {"cfo_hz", 12.0}, {"cfo_residual_ppb", 10.0}, {"si_seen", {"SI1", "SI2", "SI2quater", "SI3", "SI4"}},
         {"t3212", 30}, {"cro", 0}, {"rxlev_access_min", 8}, {"max_retrans", 4}, {"ms_txpwr_max_cch", 5},
         {"neighbours", {5, 12, 58, 62, 66}}, {"cell_allocation", {5, 12, 58}}, {"gprs", true}, {"att", true},
         {"paging", {{"imsi", 0}, {"tmsi", 3}, {"imei", 0}, {"messages", 3}}}, {"blocks_decoded", 40}, {"blocks_tried", 40},
         {"sensor", sensor}, {"sweep", sweep}, {"time_unix_ms", t}, {"lat", 52.52}, {"lon", 13.405}};
  const std::string epoch = "0123456789abcdef";
  json head{{"msg_id", sensor + ":" + epoch + ":" + std::to_string(seq)}, {"epoch", epoch}, {"seq", seq}, {"floor", 0}};
  head.update(c);
  return head.dump();
}

void BM_CollectorIngest(benchmark::State& state) {
  const int sensors = static_cast<int>(state.range(0));
  const int sweeps_per_sensor = static_cast<int>(state.range(1));
  const bool analysis = state.range(2) != 0;
  constexpr int kCells = 50;
  for (auto _ : state) {
    state.PauseTiming();
    tw::test::MosquittoServer broker;
    tw::test::PostgresServer pg;
    if (!broker.running() || !pg.running()) {
      state.SkipWithError(("servers: " + broker.error() + pg.error()).c_str());
      return;
    }
    tw::fleet::CollectorOptions o;
    o.url = tw::fleet::parse_mqtt_url(broker.url("bench"));
    o.db = pg.url();
    o.rate_per_s = 1e6;
    o.burst = 1e7;
    { tw::fleet::FleetStore schema(o.db); }   // migrations outside the timing
    {  // the collector's session exists before the traffic (the broker queues for it)
      tw::fleet::MqttClientOptions mo;
      mo.client_id = o.client_id;
      mo.clean_session = false;
      tw::fleet::MqttClient c(o.url, mo);
      c.connect(5);
      c.subscribe("bench/+/+", 1);
      for (int i = 0; i < 10; ++i) c.loop(20);
      c.disconnect();
    }
    std::int64_t messages = 0;
    {
      tw::fleet::MqttClientOptions mo;
      mo.client_id = "bench-traffic";
      tw::fleet::MqttClient pub(o.url, mo);
      std::int64_t acked = 0;
      pub.on_puback = [&](int) { ++acked; };
      pub.connect(5);
      const std::int64_t t = tw::now_unix_ms();
      for (int s = 0; s < sensors; ++s) {
        const std::string sensor = "s" + std::to_string(s);
        int seq = 0;
        for (int w = 1; w <= sweeps_per_sensor; ++w) {
          for (int i = 0; i < kCells; ++i) {
            pub.publish("bench/" + sensor + "/cell", cell_payload(sensor, ++seq, w, i, t), 1, false);
            ++messages;
          }
          json sw{{"msg_id", sensor + ":0123456789abcdef:" + std::to_string(++seq)}, {"epoch", "0123456789abcdef"},
                  {"seq", seq}, {"floor", 0}, {"type", "sweep"}, {"sensor", sensor}, {"sweep", w}, {"time_unix_ms", t},
                  {"lat", 52.52}, {"lon", 13.405}, {"n_cells", kCells}, {"alerts", 0}, {"source", "bench"}};
          pub.publish("bench/" + sensor + "/sweep", sw.dump(), 1, false);
          ++messages;
          while (messages - acked > 1000) pub.loop(5);
        }
      }
      while (acked < messages) pub.loop(10);
    }
    std::atomic<bool> stop{false};
    o.stop = &stop;
    std::int64_t stored = 0;
    tw::fleet::FleetRuleRunner rules(600000);
    tw::fleet::FleetSweepScorer scorer(0, 600000);
    o.after_batch = [&](tw::fleet::FleetStore& db, std::int64_t now) {
      return analysis ? rules.run(db, now) : std::vector<json>{};
    };
    if (analysis)
      o.on_sweeps = [&](tw::fleet::FleetStore& db, std::int64_t now, const std::vector<tw::fleet::SweepRef>& done) {
        return scorer.score(db, done, now);
      };
    // The end: the collector's own count of stored messages (a summary line every 0.1 s), not a query of
    // PostgreSQL (counting the observations 20 times a second scanned the table and competed with the collector).
    o.summary_every_s = 0.1;
    o.emit = [&](const json& e) {
      if (e.value("type", "") == "collector_summary" && e.value("stored", std::int64_t{0}) + e.value("duplicates", std::int64_t{0}) >= messages)
        stop = true;
    };
    state.ResumeTiming();
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();   // the process's CPU (every thread: libmosquitto's too), not PostgreSQL's
    const auto stats = tw::fleet::run_collector(o);
    const double cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    state.PauseTiming();
    {
      tw::fleet::FleetStore db(o.db);
      stored = db.query_int("SELECT count(*) FROM observations");
    }
    state.counters["messages"] = static_cast<double>(messages);
    state.counters["msgs_per_s"] = static_cast<double>(stats.stored) / secs;
    state.counters["rows_per_s"] = static_cast<double>(stored) / secs;
    state.counters["sweeps_per_s"] = static_cast<double>(sensors * sweeps_per_sensor) / secs;
    state.counters["rejected"] = static_cast<double>(stats.rejected);
    state.counters["collector_cpu_s"] = cpu_s;
    state.ResumeTiming();
  }
}
// 100 sensors x 10 sweeps x 51 messages = 51 000 messages; ingest only, then with the analysis.
BENCHMARK(BM_CollectorIngest)->Args({100, 10, 0})->Args({100, 10, 1})->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
