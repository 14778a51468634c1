// Home Assistant MQTT discovery for a sensor (--mqtt-homeassistant), as rtl_433's bridge does for its
// devices: retained config messages under DISCOVERY/<component>/<node_id>/<object_id>/config (DISCOVERY:
// "homeassistant" by default, node_id "towerwatch_<sensor>") make Home Assistant create, per sensor, one
// device with
//   binary_sensor rogue_cell     "Rogue cell nearby" (device_class safety: on = unsafe), on while the last
//                                 sweep had an alert;
//   sensor        cells_seen     cells in the last sweep;
//   sensor        highest_score  the highest alert score of the last sweep (0: no alert).
// All three read one retained JSON state message on PREFIX/SENSOR/ha/state (a level below the collector's
// PREFIX/+/+) through value templates; availability is the sensor's PREFIX/SENSOR/status (online, and the
// last will offline). The state carries the alerted cells as attributes (identities of cells, never of
// phones).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/scorer/scorer.hpp"

namespace tw::fleet {

struct HaMessage {
  std::string topic;
  std::string payload;
};

// The three retained config messages.
std::vector<HaMessage> ha_discovery_configs(const std::string& discovery_prefix, const std::string& mqtt_prefix,
                                            const std::string& sensor_id);
std::string ha_state_topic(const std::string& mqtt_prefix, const std::string& sensor_id);
// {"rogue_cell":"ON"|"OFF","cells_seen":N,"highest_score":X,"alerts":[{"cell":..,"score":..}],"time_unix_ms":T}
nlohmann::json ha_state(const SweepObservations& sweep, const std::vector<Alert>& alerts);

}  // namespace tw::fleet
