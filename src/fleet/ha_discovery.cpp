#include "src/fleet/ha_discovery.hpp"

#include <algorithm>

#include "src/store/store.hpp"

#ifndef TW_VERSION
#define TW_VERSION "unknown"
#endif

namespace tw::fleet {

using nlohmann::json;

namespace {
// Home Assistant's node_id and object_id: [a-zA-Z0-9_-] (the sensor id may hold '.').
std::string ha_id(const std::string& s) {
  std::string out;
  for (char c : s) out += ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') ? c : '_';
  return out;
}
}  // namespace

std::string ha_state_topic(const std::string& mqtt_prefix, const std::string& sensor_id) {
  return mqtt_prefix + "/" + sensor_id + "/ha/state";
}

std::vector<HaMessage> ha_discovery_configs(const std::string& discovery_prefix, const std::string& mqtt_prefix,
                                            const std::string& sensor_id) {
  const std::string node = "towerwatch_" + ha_id(sensor_id);
  const json device{{"identifiers", {node}},
                    {"name", "towerwatch " + sensor_id},
                    {"manufacturer", "towerwatch"},
                    {"model", "rogue cell-site detector"},
                    {"sw_version", TW_VERSION}};
  const auto common = [&](const std::string& object, const std::string& name, const std::string& value) {
    return json{{"name", name},
                {"unique_id", node + "_" + object},
                {"object_id", node + "_" + object},
                {"state_topic", ha_state_topic(mqtt_prefix, sensor_id)},
                {"value_template", "{{ value_json." + value + " }}"},
                {"availability_topic", mqtt_prefix + "/" + sensor_id + "/status"},
                {"payload_available", "online"},
                {"payload_not_available", "offline"},
                {"device", device}};
  };
  json rogue = common("rogue_cell", "Rogue cell nearby", "rogue_cell");
  rogue["device_class"] = "safety";
  rogue["payload_on"] = "ON";
  rogue["payload_off"] = "OFF";
  rogue["json_attributes_topic"] = ha_state_topic(mqtt_prefix, sensor_id);
  rogue["json_attributes_template"] = "{{ {'alerts': value_json.alerts} | tojson }}";
  json cells = common("cells_seen", "Cells seen", "cells_seen");
  cells["state_class"] = "measurement";
  cells["unit_of_measurement"] = "cells";
  cells["icon"] = "mdi:radio-tower";
  json score = common("highest_score", "Highest score", "highest_score");
  score["state_class"] = "measurement";
  score["icon"] = "mdi:alert-decagram";
  const std::string base = discovery_prefix + "/";
  return {{base + "binary_sensor/" + node + "/rogue_cell/config", rogue.dump()},
          {base + "sensor/" + node + "/cells_seen/config", cells.dump()},
          {base + "sensor/" + node + "/highest_score/config", score.dump()}};
}

json ha_state(const SweepObservations& sweep, const std::vector<Alert>& alerts) {
  double highest = 0;
  json list = json::array();
  for (const auto& a : alerts) {
    highest = std::max(highest, a.score);
    list.push_back({{"cell", store::cell_key(a.cell)}, {"score", a.score}});
  }
  return {{"rogue_cell", alerts.empty() ? "OFF" : "ON"},
          {"cells_seen", sweep.cells.size()},
          {"highest_score", highest},
          {"alerts", list},
          {"time_unix_ms", sweep.time_unix_ms}};
}

}  // namespace tw::fleet
