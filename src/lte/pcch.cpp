#include "src/lte/pcch.hpp"

#include "src/lte/uper_reader.hpp"

namespace tw::lte {

PagingCounts decode_pcch(std::span<const std::uint8_t> octets) {
  UperReader r(octets, "PCCH-Message");
  PagingCounts p;
  // PCCH-MessageType ::= CHOICE { c1 CHOICE { paging Paging }, messageClassExtension SEQUENCE {} }
  if (r.choice(2, "message") != 0) return p;
  (void)r.choice(1, "c1");
  auto s = r.scope("paging");
  // Paging ::= SEQUENCE { pagingRecordList OPTIONAL, systemInfoModification OPTIONAL, etws-Indication
  // OPTIONAL, nonCriticalExtension OPTIONAL } (no extension marker)
  const auto pre = r.preamble(false, 4, "Paging");
  if (pre.present(0)) {
    const std::size_t n = r.length(1, 16, "pagingRecordList");   // maxPageRec = 16
    for (std::size_t i = 0; i < n; ++i) {
      auto item = r.item(i);
      ++p.records;
      // PagingRecord ::= SEQUENCE { ue-Identity PagingUE-Identity, cn-Domain ENUMERATED {ps, cs}, ... }
      const auto rec = r.preamble(true, 0, "PagingRecord");
      bool ext = false;
      const unsigned id = r.choice_ext(2, &ext, "ue-Identity");
      if (ext) {
        r.skip_open_type("ue-Identity");
        ++p.other;
      } else if (id == 0) {
        (void)r.bits(8, "mmec");       // S-TMSI ::= SEQUENCE { mmec BIT STRING (SIZE (8)), m-TMSI BIT STRING (SIZE (32)) }
        (void)r.bits(32, "m-TMSI");
        ++p.s_tmsi;
      } else {
        const std::size_t digits = r.length(6, 21, "imsi");   // IMSI ::= SEQUENCE (SIZE (6..21)) OF IMSI-Digit
        for (std::size_t d = 0; d < digits; ++d) (void)r.constrained(0, 9, "IMSI-Digit");
        ++p.imsi;
      }
      (void)r.enumerated(2, "cn-Domain");
      if (rec.extended) r.skip_extension_additions("PagingRecord");
    }
  }
  p.system_info_modification = pre.present(1);   // ENUMERATED {true}: no bits
  p.etws_indication = pre.present(2);
  return p;
}

}  // namespace tw::lte
