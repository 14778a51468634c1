// NR MIB (src/nr/mib): 4 octets, big-endian, to parse_mib (any 32-bit value: the 24-bit BCCH-BCH-Message
// and beyond). Invariants: accepted exactly when the value has 24 bits and the choice bit (bit 23) is 0 (mib);
// a refusal names BCCH-BCH-Message; an accepted MIB has fields in their ranges, packs back to the same 24 bits
// and its JSON serialises with the agreed keys.
#include <cstddef>
#include <cstdint>
#include <string>

#include "src/nr/mib.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size != 4) return -1;
  const std::uint32_t v = (static_cast<std::uint32_t>(data[0]) << 24) | (data[1] << 16) | (data[2] << 8) | data[3];
  std::string err;
  const auto m = tw::nr::parse_mib(v, &err);
  const bool valid = v < (1u << 24) && ((v >> 23) & 1u) == 0;
  TW_FUZZ_CHECK(m.has_value() == valid, "accepted " + std::to_string(m.has_value()) + " for " + std::to_string(v));
  if (!m) {
    TW_FUZZ_CHECK(err.find("BCCH-BCH-Message") != std::string::npos, "error does not name the message: " + err);
    return 0;
  }
  TW_FUZZ_CHECK(m->sfn <= 1023 && (m->sfn & 15) == 0, "SFN " + std::to_string(m->sfn));
  TW_FUZZ_CHECK(m->sub_carrier_spacing_common <= 1 && m->ssb_subcarrier_offset <= 15, "scs / k_SSB");
  TW_FUZZ_CHECK(m->dmrs_type_a_position == 2 || m->dmrs_type_a_position == 3, "dmrs-TypeA-Position");
  TW_FUZZ_CHECK(m->control_resource_set_zero <= 15 && m->search_space_zero <= 15 && m->spare <= 1, "pdcch-ConfigSIB1 / spare");
  TW_FUZZ_CHECK(tw::nr::pack_mib(*m) == v, "does not re-pack");
  const auto j = tw::nr::to_json(*m);
  for (const char* k : {"sfn", "scs_common_khz", "ssb_subcarrier_offset", "dmrs_type_a_position", "pdcch_config_sib1", "cell_barred",
                        "intra_freq_reselection"}) {
    TW_FUZZ_CHECK(j.contains(k), std::string("JSON lacks ") + k);
  }
  TW_FUZZ_CHECK(!j.dump().empty(), "JSON");
  return 0;
}
