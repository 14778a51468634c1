// The fleet options of a sensor command (scan, monitor, analyze, drive): one call adds them to its help,
// one builds the publisher from them. --mqtt URL (src/fleet/mqtt_url.hpp) turns publishing on.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "src/cli/args.hpp"
#include "src/fleet/sensor_publisher.hpp"

namespace tw::cli {

// --mqtt --mqtt-ca --mqtt-cert --mqtt-key --mqtt-sensor --mqtt-position --mqtt-confirm --mqtt-timeout
// --mqtt-resend-after
std::vector<OptionSpec> mqtt_options();
inline void add_mqtt_options(std::vector<OptionSpec>& options) {
  for (auto& o : mqtt_options()) options.push_back(std::move(o));
}
// nullptr without --mqtt. `default_sensor` (the device serial, the file name) is used, made topic-safe,
// when --mqtt-sensor is not given. keep_identities: the command's --keep-identities.
std::unique_ptr<fleet::SensorPublisher> publisher_from_args(const Args& args, const std::string& default_sensor,
                                                            bool keep_identities = false);

}  // namespace tw::cli
