#include "hw/pcap_source.hpp"

#include <pcap/pcap.h>

#include <array>
#include <fstream>

#include "src/core/error.hpp"

namespace tw {

bool is_pcap_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 4> m{};
  if (!in.read(reinterpret_cast<char*>(m.data()), 4)) return false;
  const std::uint32_t be = std::uint32_t(m[0]) << 24 | std::uint32_t(m[1]) << 16 | std::uint32_t(m[2]) << 8 | m[3];
  return be == 0xa1b2c3d4 || be == 0xd4c3b2a1 || be == 0xa1b23c4d || be == 0x4d3cb2a1 || be == 0x0a0d0d0a;
}

PcapSource::PcapSource(const std::string& path) : path_(path) {
  char err[PCAP_ERRBUF_SIZE] = {0};
#ifdef PCAP_TSTAMP_PRECISION_NANO
  handle_ = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, err);
#else
  handle_ = pcap_open_offline(path.c_str(), err);
#endif
  if (!handle_) throw InputError(path + ": not a readable pcap/pcapng file (" + err + ")");
  link_type_ = pcap_datalink(handle_);
}

PcapSource::~PcapSource() {
  if (handle_) pcap_close(handle_);
}

bool PcapSource::next(PcapFrame& frame) {
  pcap_pkthdr* h = nullptr;
  const u_char* d = nullptr;
  const int r = pcap_next_ex(handle_, &h, &d);
  if (r == PCAP_ERROR_BREAK) return false;   // end of file
  if (r != 1 || !h || !d) throw InputError(path_ + ": damaged or truncated capture (" + pcap_geterr(handle_) + ")");
  frame.time_s = static_cast<double>(h->ts.tv_sec) +
#ifdef PCAP_TSTAMP_PRECISION_NANO
                 static_cast<double>(h->ts.tv_usec) * 1e-9;
#else
                 static_cast<double>(h->ts.tv_usec) * 1e-6;
#endif
  frame.data = std::span<const std::uint8_t>(d, h->caplen);
  frame.original_length = h->len;
  return true;
}

}  // namespace tw
