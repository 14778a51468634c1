// towerwatch collect: the fleet's collector (src/fleet/collector.hpp): MQTT in, PostgreSQL out.
#include <atomic>
#include <csignal>

#include "src/cli/command.hpp"
#include "src/core/error.hpp"
#include "src/core/json_lines.hpp"
#include "src/core/log.hpp"
#include "src/fleet/collector.hpp"
#include "src/fleet/fleet_rules.hpp"

namespace tw::cli {

namespace {
std::atomic<bool> g_collect_stop{false};
extern "C" void on_collect_signal(int sig) {
  if (g_collect_stop.exchange(true)) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}
}  // namespace

int run_collect(const std::vector<std::string>& argv) {
  HelpText help{
      "--mqtt URL --db postgresql://USER@HOST:PORT/DB [--json]",
      "The fleet's collector: subscribes to PREFIX/+/+ of the broker (every sensor's cell, alert, sweep and\n"
      "status messages; a persistent session, so the broker keeps what arrives while the collector is away),\n"
      "checks every message as attacker input (size, JSON shape, types and ranges, a per-sensor rate limit)\n"
      "and writes sweeps, observations and alerts into PostgreSQL (versioned schema, migrated on start),\n"
      "one transaction per batch, each message once (duplicates dropped by message id). Sensors running with\n"
      "--mqtt-confirm collector get, on PREFIX/SENSOR/ack, how far their messages are stored. Then the fleet\n"
      "rules compare what the sensors heard (src/fleet/fleet_rules.hpp); their alerts go to PREFIX/fleet/alert\n"
      "and the fleet_alerts table. Every sweep a sensor completes is scored by the single-sensor rules against\n"
      "the fleet baseline (the cells every sensor taught it, learned as sweeps complete; rule FLB); after the\n"
      "learning period the cells of a sweep that raised no alert keep teaching it. Bad messages are counted\n"
      "by reason and dropped (collector_summary lines).\n"
      "Runs until SIGINT or SIGTERM.",
      {{"mqtt", true, "URL", "the broker: mqtt://[user:pass@]host[:port]/PREFIX or mqtts://..."},
       {"mqtt-ca", true, "FILE", "mqtts://: CA certificate file"},
       {"mqtt-cert", true, "FILE", "mqtts://: client certificate (PEM)"},
       {"mqtt-key", true, "FILE", "mqtts://: client private key (PEM)"},
       {"db", true, "URL", "the PostgreSQL database: postgresql://user[:password]@host:port/dbname"},
       {"client-id", true, "ID", "MQTT client id of this collector (default towerwatch-collector)"},
       {"rate", true, "N", "messages per second a sensor may send, sustained (default 200)"},
       {"burst", true, "N", "messages a sensor may send at once (default 5000)"},
       {"summary-every", true, "S", "seconds between collector_summary lines (default 10)"},
       {"fleet-window", true, "S", "fleet rules: how far back to compare the sensors (default 600)"},
       {"learn", true, "S",
        "the fleet learns for S seconds after the first sweep it stored: every sweep is folded into the baseline "
        "and not scored against it (default 0)"},
       {"json", false, "", "JSON lines: collector_start, collector_summary, fleet_alert, collector_stop"}},
      "towerwatch collect --mqtt mqtt://127.0.0.1/towerwatch --db postgresql://tw@127.0.0.1:5432/fleet --json"};
  auto args = parse_or_help("collect", help, argv);
  if (!args) return 0;
  if (!args->has("mqtt")) throw InputError("collect needs --mqtt URL");
  if (!args->has("db")) throw InputError("collect needs --db postgresql://...");
  fleet::CollectorOptions o;
  o.url = fleet::parse_mqtt_url(*args->get("mqtt"));
  if (args->has("mqtt-ca") || args->has("mqtt-cert") || args->has("mqtt-key"))
    o.tls = fleet::TlsFiles{args->get_or("mqtt-ca", ""), args->get_or("mqtt-cert", ""), args->get_or("mqtt-key", "")};
  o.db = *args->get("db");
  if (o.db.rfind("postgresql://", 0) != 0 && o.db.rfind("postgres://", 0) != 0)
    throw InputError("--db: the collector needs a PostgreSQL URL (postgresql://...), got '" + o.db + "'");
  o.client_id = args->get_or("client-id", o.client_id);
  o.rate_per_s = args->number_or("rate", o.rate_per_s);
  o.burst = args->number_or("burst", o.burst);
  if (!(o.rate_per_s > 0 && o.rate_per_s <= 1e6) || !(o.burst >= 1 && o.burst <= 1e7))
    throw InputError("--rate must be in (0, 1e6] and --burst in [1, 1e7]");
  o.summary_every_s = args->number_or("summary-every", 10.0);
  if (!(o.summary_every_s > 0)) throw InputError("--summary-every must be positive");
  const double window_s = args->number_or("fleet-window", 600.0);
  if (!(window_s >= 10 && window_s <= 86400)) throw InputError("--fleet-window must be within 10..86400 s");
  const double learn_s = args->number_or("learn", 0.0);
  if (!(learn_s >= 0 && learn_s <= 365.0 * 86400)) throw InputError("--learn must be within 0..31536000 s");
  const bool json = args->has("json");
  o.emit = [json](const nlohmann::json& e) {
    if (json) emit_json_line(e);
    else if (e.value("type", "") == "fleet_alert")
      log::warn("fleet alert " + e.value("rule", "") + " " + e.value("cell_key", "") + ": " + e.value("detail", ""));
    else
      log::info("collect: " + e.dump());
  };
  auto rules = std::make_shared<fleet::FleetRuleRunner>(static_cast<std::int64_t>(window_s * 1000));
  o.after_batch = [rules](fleet::FleetStore& db, std::int64_t now_ms) { return rules->run(db, now_ms); };
  auto scorer = std::make_shared<fleet::FleetSweepScorer>(static_cast<std::int64_t>(learn_s * 1000),
                                                          static_cast<std::int64_t>(window_s * 1000));
  o.on_sweeps = [scorer](fleet::FleetStore& db, std::int64_t now_ms, const std::vector<fleet::SweepRef>& done) {
    return scorer->score(db, done, now_ms);
  };
  g_collect_stop.store(false);
  auto prev_int = std::signal(SIGINT, on_collect_signal);
  auto prev_term = std::signal(SIGTERM, on_collect_signal);
  o.stop = &g_collect_stop;
  fleet::run_collector(o);
  std::signal(SIGINT, prev_int);
  std::signal(SIGTERM, prev_term);
  return 0;
}

}  // namespace tw::cli
