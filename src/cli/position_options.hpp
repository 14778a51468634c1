// --gps [HOST:PORT] and --position LAT,LON[,ALT] (scan, monitor, drive): the sensor's position source
// (hw/position_source.hpp).
#pragma once
#include <memory>
#include <vector>

#include "hw/position_source.hpp"
#include "src/cli/args.hpp"

namespace tw::cli {

std::vector<OptionSpec> position_options();
// nullptr when neither option is given; tw::InputError when both are, or for a bad value.
std::unique_ptr<PositionSource> position_source_from_args(const Args& args);

}  // namespace tw::cli
