// TS 36.331 6.2.1 BCCH-DL-SCH-Message and 6.2.2 SystemInformation: the message CHOICEs and the table of SIB
// decoders (one per file, src/lte/sibN.cpp). Adding a SIB = one decoder file + one line in kSibDecoders.
#include "src/lte/bcch_dl_sch.hpp"

#include <algorithm>
#include <array>

#include "src/lte/sib_decoders.hpp"

namespace tw::lte {
namespace {

using SibFn = void (*)(UperReader&, BcchDlSchMessage&);

struct SibDecoder {
  const char* asn1_name;  // alternative of sib-TypeAndInfo
  const char* name;       // as listed in sibs_seen
  SibFn decode;
};

// The root alternatives of sib-TypeAndInfo, in their order (the CHOICE index).
constexpr std::array<SibDecoder, 10> kSibDecoders{{
    {"sib2", "SIB2", [](UperReader& r, BcchDlSchMessage& m) { m.sib2 = detail::decode_sib2(r); }},
    {"sib3", "SIB3", [](UperReader& r, BcchDlSchMessage& m) { m.sib3 = detail::decode_sib3(r); }},
    {"sib4", "SIB4", [](UperReader& r, BcchDlSchMessage& m) { m.sib4 = detail::decode_sib4(r); }},
    {"sib5", "SIB5", [](UperReader& r, BcchDlSchMessage& m) { m.sib5 = detail::decode_sib5(r); }},
    {"sib6", "SIB6", [](UperReader& r, BcchDlSchMessage& m) { m.sib6 = detail::decode_sib6(r); }},
    {"sib7", "SIB7", [](UperReader& r, BcchDlSchMessage& m) { m.sib7 = detail::decode_sib7(r); }},
    {"sib8", "SIB8", [](UperReader& r, BcchDlSchMessage& m) { m.sib8 = detail::decode_sib8(r); }},
    {"sib9", "SIB9", [](UperReader& r, BcchDlSchMessage& m) { m.sib9 = detail::decode_sib9(r); }},
    {"sib10", "SIB10", [](UperReader& r, BcchDlSchMessage& m) { m.sib10 = detail::decode_sib10(r); }},
    {"sib11", "SIB11", [](UperReader& r, BcchDlSchMessage& m) { m.sib11 = detail::decode_sib11(r); }},
}};

// Extension alternatives (open types): sib12-v920, sib13-v920, sib14-v1130, sib15-v1130, sib16-v1130,
// sib17-v1250, sib18-v1250, sib19-v1250, sib20-v1310, sib21-v1430, sib24-v1530, sib25-v1530, sib26-v1530.
constexpr std::array<int, 13> kExtensionSibs{12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 24, 25, 26};

int sib_number(const std::string& name) {  // "SIB12" -> 12; other names last
  if (name.rfind("SIB", 0) == 0 && name.size() > 3 && std::all_of(name.begin() + 3, name.end(), ::isdigit)) {
    return std::stoi(name.substr(3));
  }
  return 1000;
}

void decode_system_information(UperReader& r, BcchDlSchMessage& m) {
  auto s = r.scope("SystemInformation");
  // criticalExtensions CHOICE { systemInformation-r8, criticalExtensionsFuture }
  if (r.choice(2, "criticalExtensions") == 1) {
    m.kind = BcchDlSchMessage::Kind::critical_extensions_future;
    return;
  }
  auto s8 = r.scope("systemInformation-r8");
  const auto p = r.preamble(false, 1, "");  // nonCriticalExtension
  {
    auto sl = r.scope("sib-TypeAndInfo");
    const std::size_t n = r.length(1, 32, "");  // maxSIB
    for (std::size_t i = 0; i < n; ++i) {
      auto si = r.item(i);
      bool is_ext = false;
      const unsigned alt = r.choice_ext(static_cast<unsigned>(kSibDecoders.size()), &is_ext, "");
      if (is_ext) {
        const unsigned e = alt - static_cast<unsigned>(kSibDecoders.size());
        const std::string name = e < kExtensionSibs.size() ? "SIB" + std::to_string(kExtensionSibs[e])
                                                             : "SIB-ext" + std::to_string(e);
        r.skip_open_type(name.c_str());
        m.sibs_seen.push_back(name);
        continue;
      }
      const SibDecoder& d = kSibDecoders[alt];
      auto sd = r.scope(d.asn1_name);
      d.decode(r, m);
      m.sibs_seen.push_back(d.name);
    }
  }
  if (p.present(0)) {  // SystemInformation-v8a0-IEs
    auto sn = r.scope("nonCriticalExtension");
    const auto pn = r.preamble(false, 2, "");
    if (pn.present(0)) r.skip_open_type("lateNonCriticalExtension");
    if (pn.present(1)) r.preamble(false, 0, "nonCriticalExtension");  // SEQUENCE {}: no bits
  }
}

}  // namespace

BcchDlSchMessage decode_bcch_dl_sch(std::span<const std::uint8_t> octets) {
  return decode_bcch_dl_sch(octets, octets.size() * 8);
}

BcchDlSchMessage decode_bcch_dl_sch(std::span<const std::uint8_t> octets, std::size_t n_bits) {
  UperReader r(octets, n_bits, "BCCH-DL-SCH-Message");
  BcchDlSchMessage m;
  // BCCH-DL-SCH-MessageType ::= CHOICE { c1 CHOICE { systemInformation, systemInformationBlockType1 },
  //                                     messageClassExtension SEQUENCE {} }
  if (r.choice(2, "message") == 1) {
    m.kind = BcchDlSchMessage::Kind::message_class_extension;
    return m;
  }
  if (r.choice(2, "c1") == 1) {
    m.kind = BcchDlSchMessage::Kind::system_information_block_type1;
    auto s = r.scope("SystemInformationBlockType1");
    m.sib1 = detail::decode_sib1(r);
    m.sibs_seen.push_back("SIB1");
    return m;
  }
  m.kind = BcchDlSchMessage::Kind::system_information;
  decode_system_information(r, m);
  return m;
}

void merge_system_info(LteSystemInfo& info, const BcchDlSchMessage& m) {
  if (m.sib1) info.sib1 = m.sib1;
  if (m.sib2) info.sib2 = m.sib2;
  if (m.sib3) info.sib3 = m.sib3;
  if (m.sib4) info.sib4 = m.sib4;
  if (m.sib5) info.sib5 = m.sib5;
  if (m.sib6) info.sib6 = m.sib6;
  if (m.sib7) info.sib7 = m.sib7;
  if (m.sib8) info.sib8 = m.sib8;
  if (m.sib9) info.sib9 = m.sib9;
  if (m.sib10) info.sib10 = m.sib10;
  if (m.sib11) info.sib11 = m.sib11;
  for (const auto& name : m.sibs_seen) {
    if (std::find(info.sibs_seen.begin(), info.sibs_seen.end(), name) == info.sibs_seen.end()) {
      info.sibs_seen.push_back(name);
    }
  }
  std::stable_sort(info.sibs_seen.begin(), info.sibs_seen.end(),
                   [](const std::string& a, const std::string& b) { return sib_number(a) < sib_number(b); });
}

}  // namespace tw::lte
