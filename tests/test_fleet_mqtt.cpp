// Fleet, sensors publish (issue 18): the real towerwatch binary publishes to a real mosquitto broker that the
// test starts on loopback (tests/support/fleet_servers.hpp); a subscriber of the test's own reads what
// arrived. Truth: the binary's own --json lines of the same run (what it printed must be what it sent), the
// outbox table of its database, and the synthesizer's truth file of paging identities (privacy).
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <map>
#include <set>

#include "src/core/error.hpp"
#include "src/fleet/mqtt_client.hpp"
#include "src/fleet/mqtt_url.hpp"
#include "src/store/store.hpp"
#include "support/fleet_servers.hpp"
#include "support/test_support.hpp"

using nlohmann::json;
using tw::fleet::parse_mqtt_url;

namespace {

// A persistent-session subscriber: subscribe() registers it with the broker (which then keeps QoS 1
// messages for it while it is away); collect() reconnects and reads until the broker is quiet.
struct Received {
  std::string topic, payload;
};
class Subscriber {
 public:
  Subscriber(const std::string& url, const std::string& pattern) : url_(parse_mqtt_url(url)), pattern_(pattern) {
    tw::fleet::MqttClientOptions o;
    o.client_id = "test-subscriber";
    o.clean_session = false;
    client_ = std::make_unique<tw::fleet::MqttClient>(url_, o);
    client_->on_message = [this](const std::string& t, std::string_view p) { got_.push_back({t, std::string(p)}); };
    client_->connect(5);
    client_->subscribe(pattern_, 1);
    for (int i = 0; i < 10; ++i) client_->loop(20);
    client_->disconnect();
  }
  std::vector<Received> collect(int quiet_ms = 700) {
    client_->connect(5);
    int quiet = 0;
    std::size_t n = got_.size();
    while (quiet < quiet_ms) {
      client_->loop(50);
      if (got_.size() == n) quiet += 50; else quiet = 0;
      n = got_.size();
    }
    client_->disconnect();
    return got_;
  }

 private:
  tw::fleet::MqttUrl url_;
  std::string pattern_;
  std::unique_ptr<tw::fleet::MqttClient> client_;
  std::vector<Received> got_;
};

std::vector<std::string> sim_scan(const std::string& mqtt_url, const std::string& db, const std::string& sensor) {
  return {"scan", "--device", "driver=towerwatch-sim,realtime=0,scene=city", "--band", "P-GSM900", "--mode", "sync",
          "--json", "--db", db, "--mqtt", mqtt_url, "--mqtt-sensor", sensor, "--mqtt-timeout", "5"};
}

std::int64_t sqlite_int(const std::string& db, const std::string& sql) {
  tw::store::Store st(db);
  return st.query_int(sql);
}

}  // namespace

TEST(FleetMqttUrl, ParsesEveryPartAndNamesTheFaultyOne) {
  auto u = parse_mqtt_url("mqtt://broker.example:1884/site/north");
  EXPECT_FALSE(u.tls);
  EXPECT_EQ(u.host, "broker.example");
  EXPECT_EQ(u.port, 1884);
  EXPECT_EQ(u.prefix, "site/north");
  EXPECT_FALSE(u.username);
  // RFC 3986 2.1: %40 is '@', %3A is ':' inside the userinfo.
  u = parse_mqtt_url("mqtts://sensor%40a:p%3Ass@10.0.0.1/tw");
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.port, 8883);  // the IANA port of MQTT over TLS
  EXPECT_EQ(*u.username, "sensor@a");
  EXPECT_EQ(*u.password, "p:ss");
  u = parse_mqtt_url("mqtt://[::1]:2000/tw");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 2000);
  EXPECT_EQ(parse_mqtt_url("mqtt://h/tw").port, 1883);
  tw::test::expect_input_error([] { parse_mqtt_url("http://h/tw"); }, {"mqtt://"});
  tw::test::expect_input_error([] { parse_mqtt_url("mqtt://h"); }, {"PREFIX"});
  tw::test::expect_input_error([] { parse_mqtt_url("mqtt://h/tw/#"); }, {"level '#'"});
  tw::test::expect_input_error([] { parse_mqtt_url("mqtt://h/a//b"); }, {"level ''"});
  tw::test::expect_input_error([] { parse_mqtt_url("mqtt://h:99999/tw"); }, {"port '99999'"});
  tw::test::expect_input_error([] { parse_mqtt_url("mqtt://u%4@h/tw"); }, {"percent-encoding"});
  tw::test::expect_input_error([] { parse_mqtt_url("mqtt://:1883/tw"); }, {"no host"});
}

TEST(FleetMqtt, ScanPublishesWhatItPrintsInOrderWithUniqueIdsAndRetainedStatus) {
  tw::test::MosquittoServer broker;
  TW_SERVER_OR_SKIP(broker);
  tw::test::TempDir dir;
  Subscriber sub(broker.url("tw"), "tw/#");
  const auto db = (dir / "s1.db").string();
  const auto r = tw::test::run_towerwatch(sim_scan(broker.url("tw"), db, "s1"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = tw::test::json_lines(r.out);
  const auto cells = tw::test::lines_of_type(lines, "cell");
  ASSERT_GE(cells.size(), 3u);
  const auto got = sub.collect();

  std::vector<json> cell_msgs, sweep_msgs;
  std::vector<std::string> statuses;
  std::set<std::string> ids;
  std::int64_t last_seq = 0;
  for (const auto& m : got) {
    if (m.topic == "tw/s1/status") {
      statuses.push_back(m.payload);
      continue;
    }
    const json j = json::parse(m.payload);
    EXPECT_TRUE(ids.insert(j.at("msg_id").get<std::string>()).second) << "duplicate id " << j["msg_id"];
    EXPECT_EQ(j.at("msg_id").get<std::string>(),
              "s1:" + j.at("epoch").get<std::string>() + ":" + std::to_string(j.at("seq").get<std::int64_t>()));
    EXPECT_GT(j["seq"].get<std::int64_t>(), last_seq) << "out of order";
    last_seq = j["seq"].get<std::int64_t>();
    EXPECT_EQ(j["sensor"], "s1");
    if (m.topic == "tw/s1/cell") cell_msgs.push_back(j);
    else if (m.topic == "tw/s1/sweep") sweep_msgs.push_back(j);
    else ADD_FAILURE() << "unexpected topic " << m.topic;
  }
  // Every printed cell line was sent, member for member (the publisher only adds its own members).
  ASSERT_EQ(cell_msgs.size(), cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i)
    for (const auto& [k, v] : cells[i].items()) EXPECT_EQ(cell_msgs[i][k], v) << "cell " << i << " member " << k;
  ASSERT_EQ(sweep_msgs.size(), 1u);
  EXPECT_EQ(sweep_msgs[0]["n_cells"], cells.size());
  EXPECT_EQ(sweep_msgs[0]["sweep"], tw::test::lines_of_type(lines, "sweep_summary").at(0)["sweep_id"]);
  // The retained status: online while connected, offline when the scan ended.
  ASSERT_FALSE(statuses.empty());
  EXPECT_EQ(statuses.front(), "online");
  EXPECT_EQ(statuses.back(), "offline");
  // PUBACKed: nothing left in the outbox.
  EXPECT_EQ(sqlite_int(db, "SELECT count(*) FROM mqtt_outbox"), 0);
}

TEST(FleetMqtt, BrokerAwayMessagesWaitInTheOutboxAndGoOutInOrderLater) {
  tw::test::MosquittoServer broker;
  TW_SERVER_OR_SKIP(broker);
  tw::test::TempDir dir;
  Subscriber sub(broker.url("tw"), "tw/+/sweep");
  broker.stop();
  const auto db = (dir / "s2.db").string();
  auto r1 = tw::test::run_towerwatch(sim_scan(broker.url("tw"), db, "s2"));
  ASSERT_EQ(r1.exit_code, 0) << r1.err;  // a broker away is not an error of the scan
  EXPECT_NE(r1.err.find("wait in the outbox"), std::string::npos) << r1.err;
  const auto n1 = tw::test::lines_of_type(tw::test::json_lines(r1.out), "cell").size();
  EXPECT_EQ(sqlite_int(db, "SELECT count(*) FROM mqtt_outbox"), static_cast<std::int64_t>(n1) + 1);
  ASSERT_TRUE(broker.start()) << broker.error();
  auto r2 = tw::test::run_towerwatch(sim_scan(broker.url("tw"), db, "s2"));
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  const auto got = sub.collect();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(json::parse(got[0].payload)["sweep"], 1);  // the sweep that waited goes first
  EXPECT_EQ(json::parse(got[1].payload)["sweep"], 2);
  EXPECT_EQ(sqlite_int(db, "SELECT count(*) FROM mqtt_outbox"), 0);
}

TEST(FleetMqtt, NoPagedIdentityInAnyPayloadUnlessKeepIdentities) {
  tw::test::MosquittoServer broker;
  TW_SERVER_OR_SKIP(broker);
  tw::test::TempDir dir;
  // One strong cell paging IMSIs, IMEIs and TMSIs (as tests/test_e2e_privacy.cpp); its truth file lists them.
  tw::test::write_file(dir / "scene.json", R"({"seed":7, "noise_dbfs":-75, "receiver_ppm":0.0,
    "cells":[{"arfcn":62, "bsic":23, "mcc":262, "mnc":1, "lac":1234, "ci":5678, "power_dbfs":-30,
              "traffic":{"paging_per_s":20, "paging_imsi_fraction":0.45, "paging_imei_fraction":0.25}}]})");
  const auto iq = (dir / "pages.cf32").string();
  auto s = tw::test::run_towerwatch({"synth", (dir / "scene.json").string(), "--freq", "947.4M", "--rate", "1.083333M",
                                     "--duration", "3", "-o", iq});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const json truth = json::parse(tw::test::read_file(dir / "pages.truth.json"));
  std::vector<std::string> identities;
  for (const auto& b : truth["blocks"])
    if (b.contains("identities"))
      for (const auto& id : b["identities"]) {
        std::string v = id["value"].get<std::string>();
        identities.push_back(v.rfind("0x", 0) == 0 ? v.substr(2) : v);
      }
  ASSERT_GE(identities.size(), 20u);
  Subscriber sub(broker.url("tw"), "tw/#");
  auto a = tw::test::run_towerwatch({"analyze", iq, "--json", "--rat", "gsm", "--db", (dir / "a.db").string(), "--mqtt",
                                     broker.url("tw"), "--mqtt-sensor", "p1"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto got = sub.collect();
  std::size_t cells = 0;
  for (const auto& m : got) {
    if (m.topic == "tw/p1/cell") {
      ++cells;
      // The paging counts are kept (they are counts, not identities).
      EXPECT_GT(json::parse(m.payload)["paging"]["messages"].get<int>(), 10) << m.payload;
    }
    for (const auto& id : identities) EXPECT_EQ(m.payload.find(id), std::string::npos) << "identity " << id << " in " << m.topic;
  }
  EXPECT_EQ(cells, 1u);
}

// monitor: the outbox is written in each sweep's transaction (MonitorCore) and drained after each sweep.
TEST(FleetMqtt, MonitorPublishesEachCommittedSweepWithItsCells) {
  tw::test::MosquittoServer broker;
  TW_SERVER_OR_SKIP(broker);
  tw::test::TempDir dir;
  Subscriber sub(broker.url("tw"), "tw/#");
  const auto db = (dir / "m.db").string();
  const auto r = tw::test::run_towerwatch({"monitor", "--device", "driver=towerwatch-sim,realtime=0,scene=city", "--band",
                                           "P-GSM900", "--arfcn", "58-66", "--rate", "2.6M", "--mode", "sync", "--db", db,
                                           "--learn", "0", "--clock", "stream", "--max-sweeps", "2", "--json", "--mqtt",
                                           broker.url("tw"), "--mqtt-sensor", "m1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto got = sub.collect();
  std::map<std::int64_t, std::size_t> cells_per_sweep;
  std::vector<json> sweeps;
  for (const auto& m : got) {
    if (m.topic == "tw/m1/cell") ++cells_per_sweep[json::parse(m.payload)["sweep"].get<std::int64_t>()];
    if (m.topic == "tw/m1/sweep") sweeps.push_back(json::parse(m.payload));
  }
  // Truth: the monitor's own database, sweep by sweep.
  tw::store::Store st(db);
  const auto stored = st.sweeps();
  ASSERT_EQ(stored.size(), 2u);
  ASSERT_EQ(sweeps.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(sweeps[i]["sweep"], stored[i].id);
    EXPECT_EQ(sweeps[i]["n_cells"], stored[i].n_cells);
    EXPECT_EQ(cells_per_sweep[stored[i].id], static_cast<std::size_t>(stored[i].n_cells));
    EXPECT_GE(stored[i].n_cells, 3);   // operator A's three carriers on 58..66
  }
  EXPECT_EQ(st.query_int("SELECT count(*) FROM mqtt_outbox"), 0);
}

// mqtts:// with a broker that demands a client certificate: certificates made here with openssl (a CA, the
// broker's for IP 127.0.0.1, a client's). With --mqtt-ca and the client certificate the sweep goes out; without
// the certificate the broker refuses the connection and the messages wait in the outbox.
TEST(FleetMqtt, TlsWithClientCertificateDeliversAndWithoutItTheMessagesWait) {
  tw::test::TempDir dir;
  const auto d = dir.path().string();
  const std::string ossl = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=tw-test-ca -keyout " + d +
                           "/ca.key -out " + d + "/ca.crt";
  auto sh = [](const std::string& c) { return std::system((c + " >/dev/null 2>&1").c_str()); };
  if (sh("command -v openssl") != 0) {
    if (tw::test::running_in_ci()) FAIL() << "openssl needed in CI";
    GTEST_SKIP() << "openssl not available";
  }
  ASSERT_EQ(sh(ossl), 0);
  tw::test::write_file(dir / "san.ext", "subjectAltName=IP:127.0.0.1\n");
  for (const std::string who : {"server", "client"}) {
    ASSERT_EQ(sh("openssl req -newkey rsa:2048 -nodes -subj /CN=" + who + " -keyout " + d + "/" + who + ".key -out " + d +
                  "/" + who + ".csr"), 0);
    ASSERT_EQ(sh("openssl x509 -req -in " + d + "/" + who + ".csr -CA " + d + "/ca.crt -CAkey " + d +
                 "/ca.key -CAcreateserial -days 2 -out " + d + "/" + who + ".crt" +
                 (who == "server" ? " -extfile " + d + "/san.ext" : std::string())), 0);
  }
  ::chmod((d + "/server.key").c_str(), 0644);
  tw::test::MosquittoServer broker("cafile " + d + "/ca.crt\ncertfile " + d + "/server.crt\nkeyfile " + d +
                                   "/server.key\nrequire_certificate true\n");
  TW_SERVER_OR_SKIP(broker);
  const std::string url = "mqtts://127.0.0.1:" + std::to_string(broker.port()) + "/tw";
  const auto db = (dir / "t.db").string();
  auto base = sim_scan(url, db, "t1");
  base.insert(base.end(), {"--mqtt-ca", d + "/ca.crt"});
  auto no_cert = tw::test::run_towerwatch(base);
  ASSERT_EQ(no_cert.exit_code, 0) << no_cert.err;
  EXPECT_NE(no_cert.err.find("wait in the outbox"), std::string::npos) << no_cert.err;
  const auto waiting = sqlite_int(db, "SELECT count(*) FROM mqtt_outbox");
  EXPECT_GT(waiting, 0);
  auto with_cert = base;
  with_cert.insert(with_cert.end(), {"--mqtt-cert", d + "/client.crt", "--mqtt-key", d + "/client.key"});
  auto ok = tw::test::run_towerwatch(with_cert);
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.err.find("wait in the outbox"), std::string::npos) << ok.err;
  EXPECT_EQ(sqlite_int(db, "SELECT count(*) FROM mqtt_outbox"), 0);   // both sweeps' messages acknowledged
  // A CA that did not sign the broker's certificate: refused.
  auto wrong = with_cert;
  for (auto& a : wrong)
    if (a == d + "/ca.crt") a = d + "/client.crt";
  auto bad = tw::test::run_towerwatch(wrong);
  EXPECT_NE(bad.err.find("wait in the outbox"), std::string::npos) << bad.err;
}

// --mqtt-homeassistant: the discovery configs Home Assistant reads (its MQTT discovery: a retained JSON config
// under homeassistant/<component>/<node_id>/<object_id>/config, with the state topic, a unique_id, a device
// block and the availability topic) and the states they point at. Truth: the scene (city has no rogue,
// city-with-rogue's rogue is 262-01 LAC 4711 CI 10099) and what the same runs printed (cells, alert scores).
TEST(FleetMqtt, HomeAssistantDiscoveryConfigsAndStatesFollowTheSweeps) {
  tw::test::MosquittoServer broker;
  TW_SERVER_OR_SKIP(broker);
  tw::test::TempDir dir;
  const std::string url = broker.url("tw");
  Subscriber sub(url, "#");
  const auto db = (dir / "ha.db").string();
  const auto run = [&](const std::string& scene) {
    auto args = sim_scan(url, db, "gate.north");
    args[2] = "driver=towerwatch-sim,realtime=0,scene=" + scene;
    args[6] = "full";
    args.push_back("--mqtt-homeassistant");
    auto r = tw::test::run_towerwatch(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return tw::test::json_lines(r.out);
  };
  const auto quiet = run("city");
  const auto rogue = run("city-with-rogue");
  const auto got = sub.collect();

  const std::string node = "towerwatch_gate_north";   // '.' is not allowed in a node_id
  std::map<std::string, json> configs;
  std::vector<json> states;
  for (const auto& m : got) {
    if (m.topic.rfind("homeassistant/", 0) == 0) {
      json j;
      ASSERT_NO_THROW(j = json::parse(m.payload)) << m.topic << ": " << m.payload;
      configs[m.topic] = j;   // published again on each connection: the last one
    } else if (m.topic == "tw/gate.north/ha/state") {
      states.push_back(json::parse(m.payload));
    }
  }
  const std::string binary = "homeassistant/binary_sensor/" + node + "/rogue_cell/config";
  const std::string cells = "homeassistant/sensor/" + node + "/cells_seen/config";
  const std::string score = "homeassistant/sensor/" + node + "/highest_score/config";
  ASSERT_EQ(configs.size(), 3u);
  ASSERT_TRUE(configs.count(binary) && configs.count(cells) && configs.count(score));
  std::set<std::string> unique_ids;
  for (const auto& [topic, c] : configs) {
    for (const char* k : {"name", "unique_id", "state_topic", "value_template", "availability_topic", "device"})
      EXPECT_TRUE(c.contains(k)) << topic << " lacks " << k;
    EXPECT_EQ(c["state_topic"], "tw/gate.north/ha/state") << topic;
    EXPECT_EQ(c["availability_topic"], "tw/gate.north/status") << topic;   // the sensor's status and last will
    EXPECT_EQ(c["payload_available"], "online");
    EXPECT_EQ(c["payload_not_available"], "offline");
    EXPECT_EQ(c["device"]["identifiers"], json::array({node}));
    EXPECT_TRUE(unique_ids.insert(c["unique_id"].get<std::string>()).second) << "unique_id repeated";
  }
  EXPECT_EQ(configs[binary]["device_class"], "safety");
  EXPECT_EQ(configs[binary]["payload_on"], "ON");
  EXPECT_EQ(configs[binary]["payload_off"], "OFF");
  EXPECT_EQ(configs[binary]["value_template"], "{{ value_json.rogue_cell }}");
  EXPECT_EQ(configs[cells]["value_template"], "{{ value_json.cells_seen }}");
  EXPECT_EQ(configs[score]["value_template"], "{{ value_json.highest_score }}");

  // One state per sweep, matching what the run printed.
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[0]["rogue_cell"], "OFF");
  EXPECT_EQ(states[0]["cells_seen"], tw::test::lines_of_type(quiet, "cell").size());
  EXPECT_EQ(states[0]["highest_score"], 0.0);
  EXPECT_TRUE(tw::test::lines_of_type(quiet, "alert").empty());
  const auto alerts = tw::test::lines_of_type(rogue, "alert");
  ASSERT_FALSE(alerts.empty());
  double highest = 0;
  for (const auto& a : alerts) highest = std::max(highest, a["score"].get<double>());
  EXPECT_EQ(states[1]["rogue_cell"], "ON");
  EXPECT_EQ(states[1]["cells_seen"], tw::test::lines_of_type(rogue, "cell").size());
  EXPECT_DOUBLE_EQ(states[1]["highest_score"].get<double>(), highest);
  bool names_rogue = false;
  for (const auto& a : states[1]["alerts"])
    names_rogue = names_rogue || a["cell"].get<std::string>().find("262-01-4711-10099") != std::string::npos;
  EXPECT_TRUE(names_rogue) << states[1].dump();

  // Retained: Home Assistant starting later gets the configs and the last state.
  std::map<std::string, std::string> retained;
  {
    tw::fleet::MqttClientOptions o;
    o.client_id = "test-late";
    tw::fleet::MqttClient late(parse_mqtt_url(url), o);
    late.on_message = [&](const std::string& t, std::string_view p) { retained[t] = std::string(p); };
    late.connect(5);
    late.subscribe("#", 1);
    for (int i = 0; i < 20; ++i) late.loop(25);
  }
  EXPECT_TRUE(retained.count(binary) && retained.count(cells) && retained.count(score));
  ASSERT_TRUE(retained.count("tw/gate.north/ha/state"));
  EXPECT_EQ(json::parse(retained["tw/gate.north/ha/state"])["rogue_cell"], "ON");
  EXPECT_EQ(retained["tw/gate.north/status"], "offline");   // the entities show unavailable
}
