#include "src/nr/mib.hpp"

#include <cstdio>
#include <string>

#include "src/core/error.hpp"

namespace tw::nr {

std::optional<Mib> parse_mib(uint32_t mib_bits, std::string* error) {
  auto fail = [error](const std::string& what) -> std::optional<Mib> {
    if (error) *error = what;
    return std::nullopt;
  };
  if (mib_bits >> 24) return fail("BCCH-BCH-Message: more than 24 bits (0x" + [&] {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%X", mib_bits);
    return std::string(buf);
  }() + ")");
  // X.691 23: a CHOICE of 2 alternatives without extension marker is a 1-bit index.
  if ((mib_bits >> 23) & 1u) return fail("BCCH-BCH-Message.message: messageClassExtension (no MIB)");
  auto field = [mib_bits](int first, int n) { return (mib_bits >> (23 - first - n + 1)) & ((1u << n) - 1u); };
  Mib m;
  m.sfn = static_cast<uint16_t>(field(1, 6) << 4);                     // systemFrameNumber, 6 MSBs
  m.sub_carrier_spacing_common = static_cast<uint8_t>(field(7, 1));    // ENUMERATED, 1 bit
  m.ssb_subcarrier_offset = static_cast<uint8_t>(field(8, 4));         // INTEGER (0..15), 4 bits
  m.dmrs_type_a_position = static_cast<uint8_t>(field(12, 1) ? 3 : 2);
  m.control_resource_set_zero = static_cast<uint8_t>(field(13, 4));
  m.search_space_zero = static_cast<uint8_t>(field(17, 4));
  m.cell_barred = field(21, 1) == 0;                  // barred (0), notBarred (1)
  m.intra_freq_reselection_allowed = field(22, 1) == 0;  // allowed (0), notAllowed (1)
  m.spare = static_cast<uint8_t>(field(23, 1));
  return m;
}

uint32_t pack_mib(const Mib& m) {
  if (m.sfn > 1023) throw InputError("MIB.systemFrameNumber: SFN " + std::to_string(m.sfn) + " outside 0..1023");
  if (m.sub_carrier_spacing_common > 1) throw InputError("MIB.subCarrierSpacingCommon: " + std::to_string(m.sub_carrier_spacing_common));
  if (m.ssb_subcarrier_offset > 15) throw InputError("MIB.ssb-SubcarrierOffset: " + std::to_string(m.ssb_subcarrier_offset));
  if (m.dmrs_type_a_position != 2 && m.dmrs_type_a_position != 3) {
    throw InputError("MIB.dmrs-TypeA-Position: " + std::to_string(m.dmrs_type_a_position) + " is not 2 or 3");
  }
  if (m.control_resource_set_zero > 15) throw InputError("MIB.pdcch-ConfigSIB1.controlResourceSetZero: " + std::to_string(m.control_resource_set_zero));
  if (m.search_space_zero > 15) throw InputError("MIB.pdcch-ConfigSIB1.searchSpaceZero: " + std::to_string(m.search_space_zero));
  if (m.spare > 1) throw InputError("MIB.spare: " + std::to_string(m.spare));
  uint32_t b = 0;  // choice bit 0 (mib)
  auto put = [&b](uint32_t v, int n) { b = (b << n) | (v & ((1u << n) - 1u)); };
  put(0, 1);
  put(m.sfn >> 4, 6);
  put(m.sub_carrier_spacing_common, 1);
  put(m.ssb_subcarrier_offset, 4);
  put(m.dmrs_type_a_position == 3 ? 1 : 0, 1);
  put(m.control_resource_set_zero, 4);
  put(m.search_space_zero, 4);
  put(m.cell_barred ? 0 : 1, 1);
  put(m.intra_freq_reselection_allowed ? 0 : 1, 1);
  put(m.spare, 1);
  return b;
}

nlohmann::json to_json(const Mib& m, bool fr2) {
  // 38.331 MIB field descriptions: scs15or60 is 15 kHz in FR1 and 60 kHz in FR2, scs30or120 30 / 120 kHz.
  const int scs = fr2 ? (m.sub_carrier_spacing_common ? 120 : 60) : (m.sub_carrier_spacing_common ? 30 : 15);
  nlohmann::json j = {
      {"sfn", m.sfn},
      {"scs_common_khz", scs},
      {"ssb_subcarrier_offset", m.ssb_subcarrier_offset},
      {"dmrs_type_a_position", m.dmrs_type_a_position},
      {"pdcch_config_sib1", {{"control_resource_set_zero", m.control_resource_set_zero}, {"search_space_zero", m.search_space_zero}}},
      {"cell_barred", m.cell_barred},
      {"intra_freq_reselection", m.intra_freq_reselection_allowed ? "allowed" : "notAllowed"},
  };
  if (m.spare) j["spare"] = m.spare;
  return j;
}

}  // namespace tw::nr
