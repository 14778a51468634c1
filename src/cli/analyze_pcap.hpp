// `towerwatch analyze FILE.pcap|FILE.pcapng`: the pcap branch of analyze (src/pipeline/pcap_analysis).
#pragma once
#include "src/cli/args.hpp"
#include "hw/pcap_source.hpp"

namespace tw::cli {

// The options only the pcap branch reads (--gsmtap-port, --sweep-seconds), for analyze's help.
std::vector<OptionSpec> pcap_options();
// Analyzes one opened pcap: cell records per sweep, each scored (and stored with --db); --json events,
// counters on stderr and in the summary line; --report for the run.
void analyze_pcap(PcapSource& source, const Args& args);

}  // namespace tw::cli
