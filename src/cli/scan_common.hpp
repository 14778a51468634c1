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
// "--arfcn 58-66,70": keeps only these channels of the bands (tw::InputError for a bad list or none left).
void restrict_to_arfcns(std::vector<sweep::SweepBand>& bands, const std::string& list);

}  // namespace tw::cli
