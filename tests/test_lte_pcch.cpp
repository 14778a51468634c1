// PCCH-Message / Paging (TS 36.331 6.2.2) written bit by bit from the ASN.1 (tests/support/uper_writer.hpp):
// decode_pcch counts the records by identity type, reads the flags, and refuses every truncation with an
// InputError naming the field.
#include <gtest/gtest.h>

#include "src/core/error.hpp"
#include "src/lte/pcch.hpp"
#include "support/uper_writer.hpp"

namespace {

using tw::test::UperWriter;

// c1.paging with the records given (each: 0 s-TMSI, 1 IMSI of n digits, 2 an extension alternative).
std::vector<std::uint8_t> paging(const std::vector<int>& records, bool sim, bool etws) {
  UperWriter w;
  w.put(0, 1);                                  // c1
  w.put(records.empty() ? 0 : 1, 1).put(sim, 1).put(etws, 1).put(0, 1);
  if (!records.empty()) {
    w.put(records.size() - 1, 4);               // SIZE (1..16)
    for (int r : records) {
      w.put(0, 1);                              // PagingRecord: no extension additions
      if (r == 2) {
        w.put(1, 1);                            // PagingUE-Identity: extension alternative
        w.put(0, 1).put(0, 6);                  // normally small index 0 (ng-5G-S-TMSI-r15)
        UperWriter inner;
        inner.put(0x123456789aULL, 40).put(0, 8);
        w.open_type(inner);
      } else {
        w.put(0, 1).put(r, 1);                  // root alternative s-TMSI / imsi
        if (r == 0) w.put(0x5a, 8).put(0xdeadbeef, 32);
        else {
          w.put(15 - 6, 4);
          for (int d = 0; d < 15; ++d) w.put(d % 10, 4);
        }
      }
      w.put(1, 1);                              // cn-Domain cs
    }
  }
  return w.bytes();
}

TEST(LtePcch, RecordsCountedByIdentityType) {
  const auto p = tw::lte::decode_pcch(paging({0, 1, 0, 2}, false, true));
  EXPECT_EQ(p.records, 4);
  EXPECT_EQ(p.s_tmsi, 2);
  EXPECT_EQ(p.imsi, 1);
  EXPECT_EQ(p.other, 1);
  EXPECT_FALSE(p.system_info_modification);
  EXPECT_TRUE(p.etws_indication);
  const auto q = tw::lte::decode_pcch(paging({}, true, false));
  EXPECT_EQ(q.records, 0);
  EXPECT_TRUE(q.system_info_modification);
}

TEST(LtePcch, EveryTruncationIsAnInputError) {
  const auto full = paging({0, 1}, false, false);
  // The message's last bits end inside the last octet: cut whole octets before it.
  for (std::size_t n = 0; n + 1 < full.size(); ++n) {
    const std::vector<std::uint8_t> cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_THROW(tw::lte::decode_pcch(cut), tw::InputError) << n;
  }
}

}  // namespace
