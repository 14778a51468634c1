// libpcap (`analyze FILE.pcap`) loaded on first use (src/core/on_demand_library.hpp): the functions
// hw/pcap_source.cpp calls, with pcap.h's signatures.

#include <pcap/pcap.h>

#include "hw/ondemand/on_demand_libs.hpp"

namespace tw::ondemand {
OnDemandLibrary& libpcap_library() {
  static OnDemandLibrary lib(TW_SONAME_PCAP, TW_PACKAGE_PCAP, "pcap files (analyze FILE.pcap)");
  return lib;
}
}  // namespace tw::ondemand

extern "C" {

void pcap_close(pcap_t *p) { TW_ON_DEMAND_CALL(tw::ondemand::libpcap_library(), pcap_close, p); }
int pcap_datalink(pcap_t *p) { TW_ON_DEMAND_CALL(tw::ondemand::libpcap_library(), pcap_datalink, p); }
char *pcap_geterr(pcap_t *p) { TW_ON_DEMAND_CALL(tw::ondemand::libpcap_library(), pcap_geterr, p); }
int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **header, const u_char **data) { TW_ON_DEMAND_CALL(tw::ondemand::libpcap_library(), pcap_next_ex, p, header, data); }
pcap_t *pcap_open_offline_with_tstamp_precision(const char *fname, u_int precision, char *errbuf) { TW_ON_DEMAND_CALL(tw::ondemand::libpcap_library(), pcap_open_offline_with_tstamp_precision, fname, precision, errbuf); }

}  // extern "C"
