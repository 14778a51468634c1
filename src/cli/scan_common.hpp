// What `scan`, `calibrate` and `demo` share (defined in cmd_scan.cpp): band options, the scan request
// from the common options, and the progress line on stderr.
#pragma once
#include <string>
#include <vector>

#include "src/cli/args.hpp"
#include "src/sweep/scan_session.hpp"

namespace tw::cli {

std::vector<sweep::SweepBand> bands_from_args(const Args& args, const std::string& fallback);
sweep::ScanRequest scan_request_from_args(const Args& args);
void print_progress(const sweep::SweepProgress& p);

}  // namespace tw::cli
