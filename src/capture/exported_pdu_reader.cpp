#include "src/capture/exported_pdu_reader.hpp"

#include <array>
#include <optional>
#include <string_view>

#include "src/capture/gsmtap_reader.hpp"
#include "src/capture/mac_lte_reader.hpp"

namespace tw::capture {

namespace {
// Tags (exported_pdu.h): end of options, dissector name, dissector table name, the table's numeric value.
constexpr std::uint16_t kTagEnd = 0, kTagDissectorName = 12, kTagDissectorTable = 14, kTagTableValue = 32;

// A bare LTE RRC message under its Wireshark dissector name (packet-lte-rrc.c registrations).
struct RrcDissector {
  std::string_view name;
  CapturedLteRrc::Channel channel;
};
constexpr std::array<RrcDissector, 3> kRrcDissectors{{
    {"lte_rrc.bcch_bch", CapturedLteRrc::Channel::bcch_bch},
    {"lte_rrc.bcch_dl_sch", CapturedLteRrc::Channel::bcch_dl_sch},
    {"lte_rrc.pcch", CapturedLteRrc::Channel::pcch},
}};

// A string value without its NUL padding.
std::string_view text(std::span<const std::uint8_t> v) {
  std::size_t n = 0;
  while (n < v.size() && v[n] != 0) ++n;
  return {reinterpret_cast<const char*>(v.data()), n};
}

template <class V>
ExportedPduResult widen(V&& v) {
  return std::visit([](auto&& x) -> ExportedPduResult { return ExportedPduResult(std::forward<decltype(x)>(x)); },
                    std::forward<V>(v));
}
}  // namespace

ExportedPduResult read_exported_pdu(std::span<const std::uint8_t> f, std::uint16_t gsmtap_port) {
  std::size_t at = 0;
  std::string_view dissector, table;
  std::optional<std::uint32_t> table_value;
  for (;;) {
    if (f.size() < at + 4) return std::string("exported_pdu_truncated");
    const std::uint16_t tag = static_cast<std::uint16_t>(f[at] << 8 | f[at + 1]);
    const std::size_t len = static_cast<std::size_t>(f[at + 2] << 8 | f[at + 3]);
    at += 4;
    if (f.size() < at + len) return std::string("exported_pdu_truncated");
    const auto value = f.subspan(at, len);
    at += len;
    if (tag == kTagEnd) break;
    if (tag == kTagDissectorName) dissector = text(value);
    else if (tag == kTagDissectorTable) table = text(value);
    else if (tag == kTagTableValue && len == 4)
      table_value = std::uint32_t(value[0]) << 24 | std::uint32_t(value[1]) << 16 | std::uint32_t(value[2]) << 8 | value[3];
  }
  const auto pdu = f.subspan(at);
  if (dissector.empty() && table == "udp.port" && table_value == gsmtap_port) dissector = "gsmtap";
  if (dissector.empty()) return std::string("exported_pdu_no_dissector");
  if (dissector == "gsmtap") return widen(read_gsmtap(pdu));
  if (dissector == "mac-lte-framed") return widen(read_mac_lte(pdu, false));
  for (const auto& r : kRrcDissectors) {
    if (dissector != r.name) continue;
    if (pdu.empty()) return std::string("lte_rrc_empty");
    CapturedLteRrc m;
    m.channel = r.channel;
    m.framing = "exported-pdu";
    m.octets.assign(pdu.begin(), pdu.end());
    return m;
  }
  return std::string("exported_pdu_dissector_other");
}

}  // namespace tw::capture
