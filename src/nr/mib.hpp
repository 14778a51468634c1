// NR MIB (TS 38.331 6.2.2): BCCH-BCH-Message ::= SEQUENCE { message BCCH-BCH-MessageType },
// BCCH-BCH-MessageType ::= CHOICE { mib MIB, messageClassExtension SEQUENCE {} }, UNALIGNED PER (X.691):
// 1 choice bit, then systemFrameNumber BIT STRING (SIZE (6)), subCarrierSpacingCommon ENUMERATED {scs15or60,
// scs30or120}, ssb-SubcarrierOffset INTEGER (0..15), dmrs-TypeA-Position ENUMERATED {pos2, pos3},
// pdcch-ConfigSIB1 { controlResourceSetZero INTEGER (0..15), searchSpaceZero INTEGER (0..15) }, cellBarred
// ENUMERATED {barred, notBarred}, intraFreqReselection ENUMERATED {allowed, notAllowed}, spare BIT STRING
// (SIZE (1)): 24 bits, carried by the PBCH (dsp/nr/pbch_coding) MSB first.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace tw::nr {

struct Mib {
  uint16_t sfn = 0;                        // systemFrameNumber in bits 9..4; bits 3..0 come from the PBCH payload
  uint8_t sub_carrier_spacing_common = 0;  // 0 scs15or60, 1 scs30or120
  uint8_t ssb_subcarrier_offset = 0;       // 0..15: the 4 LSBs of k_SSB (38.213 4.1)
  uint8_t dmrs_type_a_position = 2;        // 2 or 3
  uint8_t control_resource_set_zero = 0;   // 0..15 (38.213 13)
  uint8_t search_space_zero = 0;           // 0..15
  bool cell_barred = false;
  bool intra_freq_reselection_allowed = true;
  uint8_t spare = 0;                       // the spare bit as sent (0 from a conforming gNB)
};

// mib_bits: the 24 bits of BCCH-BCH-Message, the choice bit in bit 23. nullopt (and *error, when given,
// naming the field) for more than 24 bits or the messageClassExtension alternative (no MIB).
std::optional<Mib> parse_mib(uint32_t mib_bits, std::string* error);
// The 24 bits of the mib alternative. Throws tw::InputError for a field out of range.
uint32_t pack_mib(const Mib& mib);

// {"sfn", "scs_common_khz" (15/30 in FR1, 60/120 in FR2), "ssb_subcarrier_offset", "dmrs_type_a_position",
//  "pdcch_config_sib1": {"control_resource_set_zero", "search_space_zero"}, "cell_barred" (bool),
//  "intra_freq_reselection" ("allowed"/"notAllowed")}, plus "spare": 1 only when the spare bit is set.
nlohmann::json to_json(const Mib& mib, bool fr2 = false);

}  // namespace tw::nr
