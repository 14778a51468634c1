// The options every sample-reading subcommand shares, and opening the source they name:
// a recorded file (positional) or a SoapySDR device (--device ARGS; the simulated radio is
// --device driver=towerwatch-sim).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "hw/iq_source.hpp"
#include "src/cli/args.hpp"

namespace tw::cli {

std::vector<OptionSpec> file_source_options();    // --format --rate --freq --skip-bytes
std::vector<OptionSpec> device_source_options();  // --device --rate --freq --gain --ppm --antenna

std::unique_ptr<IqSource> open_file_from_args(const std::string& path, const Args& args);
std::unique_ptr<IqSource> open_device_from_args(const Args& args, double default_rate_hz, double default_freq_hz);

}  // namespace tw::cli
