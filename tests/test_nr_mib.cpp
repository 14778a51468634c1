// NR MIB (src/nr/mib) against TS 38.331 6.2.2 and X.691 UNALIGNED PER: field positions written out as bit
// strings here, every enumeration both ways, the messageClassExtension alternative and oversize input refused
// with the field named, pack -> parse identity over all 2^23 mib bit patterns, and the JSON keys.
#include <gtest/gtest.h>

#include <bitset>
#include <string>

#include "src/core/error.hpp"
#include "src/nr/mib.hpp"

namespace nr = tw::nr;

namespace {
// A BCCH-BCH-Message from '0'/'1' characters (spaces ignored), MSB first.
uint32_t bits(const std::string& s) {
  uint32_t v = 0;
  int n = 0;
  for (char c : s) {
    if (c == ' ') continue;
    v = (v << 1) | (c == '1' ? 1u : 0u);
    ++n;
  }
  EXPECT_EQ(n, 24) << s;
  return v;
}
}  // namespace

TEST(NrMib, FieldsAtTheirPerPositions) {
  // choice mib | SFN 101101 | scs30or120 | k_SSB 0110 | pos3 | CORESET#0 1010 | SS#0 0011 | notBarred | notAllowed | spare 0
  std::string err;
  auto m = nr::parse_mib(bits("0 101101 1 0110 1 1010 0011 1 1 0"), &err);
  ASSERT_TRUE(m) << err;
  EXPECT_EQ(m->sfn, 0x2D << 4);
  EXPECT_EQ(m->sub_carrier_spacing_common, 1);
  EXPECT_EQ(m->ssb_subcarrier_offset, 6);
  EXPECT_EQ(m->dmrs_type_a_position, 3);
  EXPECT_EQ(m->control_resource_set_zero, 10);
  EXPECT_EQ(m->search_space_zero, 3);
  EXPECT_FALSE(m->cell_barred);
  EXPECT_FALSE(m->intra_freq_reselection_allowed);
  EXPECT_EQ(m->spare, 0);
  // The other enumeration values: scs15or60, pos2, barred, allowed, spare set.
  m = nr::parse_mib(bits("0 000001 0 1111 0 0000 1111 0 0 1"), &err);
  ASSERT_TRUE(m) << err;
  EXPECT_EQ(m->sfn, 16);
  EXPECT_EQ(m->sub_carrier_spacing_common, 0);
  EXPECT_EQ(m->ssb_subcarrier_offset, 15);
  EXPECT_EQ(m->dmrs_type_a_position, 2);
  EXPECT_EQ(m->control_resource_set_zero, 0);
  EXPECT_EQ(m->search_space_zero, 15);
  EXPECT_TRUE(m->cell_barred);
  EXPECT_TRUE(m->intra_freq_reselection_allowed);
  EXPECT_EQ(m->spare, 1);
}

TEST(NrMib, RefusesTheExtensionAlternativeAndOversizeInput) {
  std::string err;
  EXPECT_FALSE(nr::parse_mib(bits("1 000000 0 0000 0 0000 0000 0 0 0"), &err));
  EXPECT_NE(err.find("messageClassExtension"), std::string::npos) << err;
  err.clear();
  EXPECT_FALSE(nr::parse_mib(1u << 24, &err));
  EXPECT_NE(err.find("BCCH-BCH-Message"), std::string::npos) << err;
  EXPECT_FALSE(nr::parse_mib(0xFFFFFFFFu, nullptr));
}

TEST(NrMib, PackParseIdentityOverEveryMib) {
  for (uint32_t b = 0; b < (1u << 23); ++b) {
    const auto m = nr::parse_mib(b, nullptr);
    ASSERT_TRUE(m) << b;
    ASSERT_EQ(nr::pack_mib(*m), b) << b;
  }
}

TEST(NrMib, PackRefusesOutOfRangeFields) {
  nr::Mib m;
  m.dmrs_type_a_position = 4;
  EXPECT_THROW(nr::pack_mib(m), tw::InputError);
  m = {};
  m.ssb_subcarrier_offset = 16;
  EXPECT_THROW(nr::pack_mib(m), tw::InputError);
  m = {};
  m.sfn = 1024;
  EXPECT_THROW(nr::pack_mib(m), tw::InputError);
  m = {};
  m.search_space_zero = 16;
  EXPECT_THROW(nr::pack_mib(m), tw::InputError);
}

TEST(NrMib, JsonKeys) {
  const auto m = nr::parse_mib(bits("0 101101 1 0110 1 1010 0011 1 1 0"), nullptr);
  ASSERT_TRUE(m);
  auto mib = *m;
  mib.sfn |= 5;  // the 4 LSBs from the PBCH payload
  const auto j = nr::to_json(mib);
  EXPECT_EQ(j["sfn"], 0x2D5);
  EXPECT_EQ(j["scs_common_khz"], 30);
  EXPECT_EQ(j["ssb_subcarrier_offset"], 6);
  EXPECT_EQ(j["dmrs_type_a_position"], 3);
  EXPECT_EQ(j["pdcch_config_sib1"]["control_resource_set_zero"], 10);
  EXPECT_EQ(j["pdcch_config_sib1"]["search_space_zero"], 3);
  EXPECT_EQ(j["cell_barred"], false);
  EXPECT_EQ(j["intra_freq_reselection"], "notAllowed");
  EXPECT_FALSE(j.contains("spare"));
  EXPECT_EQ(nr::to_json(mib, true)["scs_common_khz"], 120);
}
