// A pcap or pcapng file read with libpcap (pcap_open_offline), one frame at a time with its timestamp.
// What the frames carry is walked by hw/pcap_packet and decoded by src/capture; this class only reads.
#pragma once
#include <cstdint>
#include <span>
#include <string>

struct pcap;

namespace tw {

// True when the file starts with a pcap (0xa1b2c3d4 / 0xa1b23c4d nanosecond, either byte order) or pcapng
// (Section Header Block 0x0a0d0d0a) magic number: `analyze` sends such files here whatever their name.
bool is_pcap_file(const std::string& path);

struct PcapFrame {
  double time_s = 0.0;                    // the packet's timestamp (seconds since the epoch)
  std::span<const std::uint8_t> data;     // the captured octets (valid until the next read)
  std::uint32_t original_length = 0;      // the length on the wire (more than data.size() when cut by snaplen)
};

class PcapSource {
 public:
  // Throws tw::InputError naming the file when it cannot be opened or is not a pcap/pcapng file.
  explicit PcapSource(const std::string& path);
  ~PcapSource();
  PcapSource(const PcapSource&) = delete;
  PcapSource& operator=(const PcapSource&) = delete;

  int link_type() const { return link_type_; }   // tcpdump.org link-layer header type (DLT value)
  const std::string& path() const { return path_; }
  // The next frame; false at the end of the file. Throws tw::InputError naming the file when it is cut
  // short or damaged (libpcap's reason in the message).
  bool next(PcapFrame& frame);

 private:
  std::string path_;
  pcap* handle_ = nullptr;
  int link_type_ = -1;
};

}  // namespace tw
