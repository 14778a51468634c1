// Redaction of bystanders' identities (l3_message.hpp, redact_identities): the fillers of 24.008 10.5.1.4 /
// 44.018 10.5.2.42 / 10.5.2.16 on hand-built blocks and a real one (gr-gsm's decode of a 2007 recording), and a
// property test over many random CCCH blocks: the header and message type never change, the redacted block
// parses to the same message with the same counts per identity type, and no identity value survives.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "src/gsm/l3_message.hpp"

namespace {

using tw::gsm::IdentityType;
using tw::gsm::ParsedMessage;
using tw::gsm::PagingSummary;

using Block = std::array<std::uint8_t, 23>;

Block padded(std::vector<std::uint8_t> v) {
  Block b;
  b.fill(0x2b);
  for (std::size_t i = 0; i < v.size() && i < b.size(); ++i) b[i] = v[i];
  return b;
}

tw::gsm::ParseOptions keep() {
  tw::gsm::ParseOptions o;
  o.keep_identities = true;
  return o;
}

std::vector<std::string> values_of(const ParsedMessage& m) {
  std::vector<std::string> v;
  if (const auto* p = m.get<PagingSummary>())
    for (const auto& id : p->identities) v.push_back(id.value);
  return v;
}

// A Mobile Identity value part (24.008 10.5.1.4) written here from the clause, not by the parser's code.
std::vector<std::uint8_t> bcd_identity(const std::string& digits, int type) {
  const bool odd = digits.size() % 2 == 1;
  std::vector<std::uint8_t> v{static_cast<std::uint8_t>((digits[0] - '0') << 4 | (odd ? 8 : 0) | type)};
  for (std::size_t i = 1; i < digits.size(); i += 2) {
    const int hi = i + 1 < digits.size() ? digits[i + 1] - '0' : 0xf;
    v.push_back(static_cast<std::uint8_t>(hi << 4 | (digits[i] - '0')));
  }
  return v;
}

// Paging Request Type 1 (44.018 9.1.22) with one or two identities.
Block paging1(const std::vector<std::uint8_t>& id1, const std::vector<std::uint8_t>* id2 = nullptr) {
  std::vector<std::uint8_t> v{0, 0x06, 0x21, 0x00, static_cast<std::uint8_t>(id1.size())};
  v.insert(v.end(), id1.begin(), id1.end());
  if (id2) {
    v.push_back(0x17);
    v.push_back(static_cast<std::uint8_t>(id2->size()));
    v.insert(v.end(), id2->begin(), id2->end());
  }
  v[0] = static_cast<std::uint8_t>((v.size() - 1) << 2 | 0x01);
  return padded(v);
}

TEST(Redaction, ImsiDigitsBecomeZeroesKeepingTypeParityAndLength) {
  const auto imsi = bcd_identity("262011234567890", 1);
  Block b = paging1(imsi);
  const ParsedMessage m = tw::gsm::parse_l3_block_redacting(b, {});
  ASSERT_TRUE(m.ok) << m.error;
  // Octets 0..4 (length, PD, type, page mode, identity length) untouched; the identity: digit 1 = 0, odd, IMSI;
  // 7 octets of zero digits (15 digits: odd, so no 1111 end mark).
  EXPECT_EQ(b[4], 8);
  EXPECT_EQ(b[5], 0x09);
  for (int i = 6; i < 13; ++i) EXPECT_EQ(b[i], 0x00) << i;
  const ParsedMessage again = tw::gsm::parse_l3_block(b, keep());
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(values_of(again), std::vector<std::string>{"000000000000000"});
}

TEST(Redaction, EvenDigitCountKeepsTheEndMark) {
  const auto imsi = bcd_identity("26201123456789", 1);  // 14 digits: even, last octet's high nibble 1111
  Block b = paging1(imsi);
  tw::gsm::parse_l3_block_redacting(b, {});
  EXPECT_EQ(b[5], 0x01);
  EXPECT_EQ(b[5 + imsi.size() - 1], 0xf0);
  EXPECT_EQ(values_of(tw::gsm::parse_l3_block(b, keep())), std::vector<std::string>{"00000000000000"});
}

TEST(Redaction, ImeiAndTmsiInOnePage) {
  const auto imei = bcd_identity("356938035643809", 2);
  const std::vector<std::uint8_t> tmsi{0xf4, 0xde, 0xad, 0xbe, 0xef};
  Block b = paging1(imei, &tmsi);
  const ParsedMessage m = tw::gsm::parse_l3_block_redacting(b, {});
  ASSERT_TRUE(m.ok) << m.error;
  const auto* p = m.get<PagingSummary>();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->imei, 1);
  EXPECT_EQ(p->tmsi, 1);
  EXPECT_TRUE(p->identities.empty());  // values only with keep_identities
  const ParsedMessage again = tw::gsm::parse_l3_block(b, keep());
  EXPECT_EQ(values_of(again), (std::vector<std::string>{"000000000000000", "0xffffffff"}));
}

TEST(Redaction, RealPagingRequestFromARecording) {
  // shared/captures/gsm/reference.json, fn 675007 (gr-gsm): Paging Request Type 1, TMSI 0x2402810b and, as
  // mobile identity 2, TMSI 0x18000312.
  Block b{0x41, 0x06, 0x21, 0xa0, 0x05, 0xf4, 0x24, 0x02, 0x81, 0x0b, 0x17, 0x05,
          0xf4, 0x18, 0x00, 0x03, 0x12, 0x2b, 0x2b, 0x2b, 0x2b, 0x2b, 0x2b};
  const Block original = b;
  const ParsedMessage m = tw::gsm::parse_l3_block_redacting(b, {});
  ASSERT_TRUE(m.ok) << m.error;
  const Block expected{0x41, 0x06, 0x21, 0xa0, 0x05, 0xf4, 0xff, 0xff, 0xff, 0xff, 0x17, 0x05,
                       0xf4, 0xff, 0xff, 0xff, 0xff, 0x2b, 0x2b, 0x2b, 0x2b, 0x2b, 0x2b};
  EXPECT_EQ(b, expected);
  // With --keep-identities nothing changes.
  Block kept = original;
  tw::gsm::parse_l3_block_redacting(kept, keep());
  EXPECT_EQ(kept, original);
}

TEST(Redaction, PagingRequestTypes2And3TmsiFields) {
  // 9.1.23: page mode, TMSI 1, TMSI 2 (V), mobile identity 3 (TLV 0x17) an IMSI.
  const auto imsi = bcd_identity("001010123456789", 1);
  std::vector<std::uint8_t> v{0, 0x06, 0x22, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0x17, static_cast<std::uint8_t>(imsi.size())};
  v.insert(v.end(), imsi.begin(), imsi.end());
  v[0] = static_cast<std::uint8_t>((v.size() - 1) << 2 | 1);
  Block b2 = padded(v);
  ASSERT_TRUE(tw::gsm::parse_l3_block_redacting(b2, {}).ok);
  for (int i = 4; i < 12; ++i) EXPECT_EQ(b2[i], 0xff) << i;
  EXPECT_EQ(values_of(tw::gsm::parse_l3_block(b2, keep())),
            (std::vector<std::string>{"0xffffffff", "0xffffffff", "000000000000000"}));
  // 9.1.24: four TMSIs.
  std::vector<std::uint8_t> w{static_cast<std::uint8_t>(19 << 2 | 1), 0x06, 0x24, 0x00};
  for (int i = 0; i < 16; ++i) w.push_back(static_cast<std::uint8_t>(0x10 + i));
  Block b3 = padded(w);
  ASSERT_TRUE(tw::gsm::parse_l3_block_redacting(b3, {}).ok);
  for (int i = 4; i < 20; ++i) EXPECT_EQ(b3[i], 0xff) << i;
  EXPECT_EQ(b3[2], 0x24);
}

TEST(Redaction, TlliOfAPacketDownlinkAssignmentInTheIaRestOctets) {
  // 9.1.18 Immediate Assignment, downlink TBF (T/D = 1, downlink = 1), packet channel description, request
  // reference, timing advance, empty mobile allocation; IA rest octets H H 0 1 <TLLI 0x12345678> ...
  std::vector<std::uint8_t> v{0, 0x06, 0x3f, 0x30, 0x01, 0x20, 0x3e, 0x7c, 0x11, 0x22, 0x05, 0x00};
  v[0] = static_cast<std::uint8_t>((v.size() - 1) << 2 | 1);
  // Rest octets: bits 1101 then the TLLI 0001 0010 0011 0100 0101 0110 0111 1000, then 1 (TFI follows)...
  const std::vector<std::uint8_t> rest{0xd1, 0x23, 0x45, 0x67, 0x88, 0x2b};
  v.insert(v.end(), rest.begin(), rest.end());
  Block b = padded(v);
  const ParsedMessage m = tw::gsm::parse_l3_block_redacting(b, {});
  ASSERT_TRUE(m.ok) << m.error;
  EXPECT_EQ(b[12], 0xdf);  // 1101 kept, the TLLI's first 4 bits 1111
  EXPECT_EQ(b[13], 0xff);
  EXPECT_EQ(b[14], 0xff);
  EXPECT_EQ(b[15], 0xff);
  EXPECT_EQ(b[16], 0xf8);  // the TLLI's last 4 bits 1111, then 1000 as sent
  for (int i = 0; i < 12; ++i) EXPECT_EQ(b[i], v[i]) << i;
}

TEST(Redaction, UnparsedCcchBlocksArePaddedAfterTheMessageTypeSystemInformationIsNot) {
  // A Paging Request Type 1 whose identity is not BCD: the parser fails; the digits it could not read go.
  Block bad = paging1({0x29, 0x26, 0xf1, 0x10, 0x32, 0x54, 0x76, 0x98});
  const Block bad_original = bad;
  const ParsedMessage m = tw::gsm::parse_l3_block_redacting(bad, {});
  EXPECT_FALSE(m.ok);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(bad[i], bad_original[i]);
  for (std::size_t i = 3; i < bad.size(); ++i) EXPECT_EQ(bad[i], 0x2b) << i;
  // An RR message type towerwatch does not decode (Notification/NCH 0x20): padded after the type.
  Block nch = padded({0x15, 0x06, 0x20, 0x01, 0x02, 0x03, 0x04, 0x05});
  tw::gsm::parse_l3_block_redacting(nch, {});
  EXPECT_EQ(nch[2], 0x20);
  EXPECT_EQ(nch[3], 0x2b);
  // SI9 (0x04) is System Information: kept whole though not decoded.
  Block si9 = padded({0x31, 0x06, 0x04, 0x11, 0x22, 0x33});
  const Block si9_original = si9;
  EXPECT_FALSE(tw::gsm::parse_l3_block_redacting(si9, {}).ok);
  EXPECT_EQ(si9, si9_original);
}

// Random CCCH blocks: valid pages of every type with random identities, then random corruption of some.
TEST(Redaction, PropertyHeaderKeptCountsKeptNoValueSurvives) {
  std::mt19937_64 rng(2026);
  auto u8 = [&] { return static_cast<std::uint8_t>(rng()); };
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng() % 10));
    return s;
  };
  auto random_identity = [&]() -> std::vector<std::uint8_t> {
    switch (rng() % 4) {
      case 0: return bcd_identity(digits(6 + static_cast<int>(rng() % 10)), 1);
      case 1: return bcd_identity(digits(15), 2);
      case 2: return bcd_identity(digits(16), 3);
      default: return {0xf4, u8(), u8(), u8(), u8()};
    }
  };
  int parsed_ok = 0, identities = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    Block b;
    const int kind = static_cast<int>(rng() % 4);
    if (kind == 0) {
      const auto a = random_identity();
      const auto c = random_identity();
      b = rng() % 2 ? paging1(a, &c) : paging1(a);
    } else if (kind == 1) {
      std::vector<std::uint8_t> v{0, 0x06, 0x22, 0x00};
      for (int i = 0; i < 8; ++i) v.push_back(u8());
      if (rng() % 2) {
        auto c = random_identity();
        v.push_back(0x17);
        v.push_back(static_cast<std::uint8_t>(c.size()));
        v.insert(v.end(), c.begin(), c.end());
      }
      v[0] = static_cast<std::uint8_t>((v.size() - 1) << 2 | 1);
      b = padded(v);
    } else if (kind == 2) {
      std::vector<std::uint8_t> v{static_cast<std::uint8_t>(19 << 2 | 1), 0x06, 0x24, 0x00};
      for (int i = 0; i < 16; ++i) v.push_back(u8());
      b = padded(v);
    } else {
      for (auto& x : b) x = u8();
      b[0] = static_cast<std::uint8_t>((b[0] & 0xfc) | 1);
      b[1] = 0x06;
      const std::uint8_t types[] = {0x21, 0x22, 0x24, 0x3f, 0x39, 0x3a, 0x20};
      b[2] = types[rng() % 7];
    }
    if (rng() % 4 == 0) b[3 + rng() % 20] ^= static_cast<std::uint8_t>(1u << (rng() % 8));  // corruption
    const Block original = b;
    const ParsedMessage before = tw::gsm::parse_l3_block(original, keep());
    const ParsedMessage m = tw::gsm::parse_l3_block_redacting(b, {});
    ASSERT_EQ(m.ok, before.ok);
    for (int i = 0; i < 3; ++i) ASSERT_EQ(b[i], original[i]) << "trial " << trial;
    const ParsedMessage after = tw::gsm::parse_l3_block(b, keep());
    if (!before.ok) continue;
    ++parsed_ok;
    ASSERT_TRUE(after.ok) << "trial " << trial << ": " << after.error;
    ASSERT_EQ(after.kind, before.kind);
    if (const auto* p = before.get<PagingSummary>()) {
      const auto* q = after.get<PagingSummary>();
      ASSERT_NE(q, nullptr);
      ASSERT_EQ(q->imsi, p->imsi);
      ASSERT_EQ(q->tmsi, p->tmsi);
      ASSERT_EQ(q->imei, p->imei);
      ASSERT_EQ(q->other, p->other);
      ASSERT_EQ(q->none, p->none);
      for (const auto& id : q->identities) {
        ++identities;
        if (id.type == IdentityType::tmsi) ASSERT_EQ(id.value, "0xffffffff");
        else ASSERT_EQ(id.value.find_first_not_of('0'), std::string::npos) << id.value;
      }
    }
  }
  EXPECT_GT(parsed_ok, 10000);
  EXPECT_GT(identities, 20000);
}

}  // namespace
