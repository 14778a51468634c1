// What `scan`, `calibrate` and `demo` share (defined in cmd_scan.cpp): band options, the scan request
// from the common options, and the progress line on stderr.
#pragma once
#include <string>
#include <vector>

#include "src/cli/args.hpp"
#include "src/sweep/scan_session.hpp"

namespace tw::cli {

// --band LIST or --region eu|us, then --rat gsm|lte if given (rat_option).
std::vector<sweep::SweepBand> bands_from_args(const Args& args, const std::string& fallback);
OptionSpec rat_option();
std::vector<sweep::SweepBand> apply_rat_option(const Args& args, std::vector<sweep::SweepBand> bands);
sweep::ScanRequest scan_request_from_args(const Args& args);
void print_progress(const sweep::SweepProgress& p);
// "--arfcn 58-66,70": keeps only these channels of the GSM bands, LTE bands whole (tw::InputError for a bad
// list or none left).
void restrict_to_arfcns(std::vector<sweep::SweepBand>& bands, const std::string& list);
// "--earfcn 6300,1575": keeps only these EARFCNs of the LTE bands, GSM bands whole.
void restrict_to_earfcns(std::vector<sweep::SweepBand>& bands, const std::string& list);
OptionSpec earfcn_option();

}  // namespace tw::cli
