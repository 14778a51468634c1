// Every GSM L3 parser of the BCCH/CCCH (SI1..SI13, paging 1/2/3, immediate assignment, extended, reject) as the
// pipeline calls it: parse_l3_block (src/gsm/decoder_table.cpp) on a raw block, then to_json and dump.
// Invariants: nothing but a ParsedMessage comes out (no exception, no out-of-bounds read: ASan), ok and
// error agree, every ARFCN list is sorted, unique and within 0..1023 (44.018 10.5.2.13), identity values
// exist only when asked for (privacy), the JSON dumps as valid UTF-8, and parsing is deterministic.
// Redaction (redact_identities, the step every output goes through): never changes the first three octets
// (pseudo length, PD, message type); a block that parsed still parses to the same message with the same counts
// per identity type, and every identity value in it is the filler (digits 0, TMSI 0xffffffff).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "src/gsm/l3_message.hpp"
#include "src/gsm/message_json.hpp"
#include "tests/fuzz/fuzz_common.hpp"

namespace {

using namespace tw::gsm;

void check_arfcns(const std::vector<std::uint16_t>& a, const char* what) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    TW_FUZZ_CHECK(a[i] <= 1023, std::string(what) + ": ARFCN " + std::to_string(a[i]) + " outside 0..1023");
    if (i) TW_FUZZ_CHECK(a[i - 1] < a[i], std::string(what) + ": ARFCNs not sorted and unique");
  }
}

void check_message(const ParsedMessage& m, bool identities_kept) {
  TW_FUZZ_CHECK(m.ok == m.error.empty(), "ok=" + std::to_string(m.ok) + " error='" + m.error + "'");
  TW_FUZZ_CHECK(m.name == message_kind_name(m.kind), m.name);
  if (!m.ok) {
    TW_FUZZ_CHECK(std::holds_alternative<std::monostate>(m.content), "a failed parse keeps content: " + m.name);
    return;
  }
  if (const auto* s = m.get<Si1>()) check_arfcns(s->cell_arfcns, "SI1 cell allocation");
  if (const auto* s = m.get<Si2>()) check_arfcns(s->neighbours.arfcns, "SI2/SI2bis neighbours");
  if (const auto* s = m.get<Si2ter>()) check_arfcns(s->neighbours.arfcns, "SI2ter neighbours");
  if (const auto* s = m.get<Si3>()) {
    TW_FUZZ_CHECK(s->lai.mcc <= 999, "SI3 MCC " + std::to_string(s->lai.mcc));
    TW_FUZZ_CHECK(s->ccd.bs_pa_mfrms >= 2 && s->ccd.bs_pa_mfrms <= 9, "SI3 BS_PA_MFRMS");
    const int n = s->ccd.number_of_ccch();
    TW_FUZZ_CHECK(n >= 1 && n <= 4, "SI3 number of CCCH " + std::to_string(n));
  }
  if (const auto* s = m.get<Si2quater>()) {
    TW_FUZZ_CHECK(s->index <= 15 && s->count <= 15, "SI2quater index/count are 4 bits");
  }
  if (const auto* p = m.get<PagingSummary>()) {
    TW_FUZZ_CHECK(p->imsi >= 0 && p->tmsi >= 0 && p->imei >= 0 && p->none >= 0 && p->other >= 0, "negative count");
    TW_FUZZ_CHECK(p->total() <= 8, "more identities than a 23-octet paging message holds: " +
                                       std::to_string(p->total()));
    if (!identities_kept) TW_FUZZ_CHECK(p->identities.empty(), "identity values kept without keep_identities");
    for (const auto& id : p->identities) TW_FUZZ_CHECK(id.value.size() <= 32, "identity value too long");
  }
  if (const auto* a = m.get<ImmediateAssignmentInfo>()) {
    TW_FUZZ_CHECK(a->assignments.size() >= 1 && a->assignments.size() <= 2, "assignments");
    for (const auto& x : a->assignments) {
      TW_FUZZ_CHECK(x.channel.tn <= 7 && x.channel.tsc <= 7, "TN/TSC are 3 bits");
      TW_FUZZ_CHECK(x.channel.arfcn <= 1023, "assigned ARFCN " + std::to_string(x.channel.arfcn));
    }
    TW_FUZZ_CHECK(a->mobile_allocation.size() == a->mobile_allocation_length, "mobile allocation length");
  }
  if (const auto* r = m.get<ImmediateAssignmentReject>()) TW_FUZZ_CHECK(r->entries.size() <= 4, "reject entries");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64) return -1;   // CCCH/BCCH blocks are 23 octets; longer inputs add nothing
  const std::span<const std::uint8_t> block(data, size);
  std::string first_dump;
  for (bool keep : {false, true}) {
    ParseOptions opts;
    opts.keep_identities = keep;
    const ParsedMessage m = parse_l3_block(block, opts);
    check_message(m, keep);
    const nlohmann::json j = to_json(m);
    const std::string dump = j.dump();   // throws on invalid UTF-8 in any string (a finding)
    TW_FUZZ_CHECK(parse_l3_block(block, opts).ok == m.ok, "parsing is not deterministic");
    TW_FUZZ_CHECK(to_json(parse_l3_block(block, opts)).dump() == dump, "JSON is not deterministic");
    if (!keep) {
      first_dump = dump;
    } else {
      const ParsedMessage plain = parse_l3_block(block, {});
      TW_FUZZ_CHECK(plain.ok == m.ok && plain.kind == m.kind, "keep_identities changes the parse result");
    }
  }
  // Privacy: the block as every output sees it.
  std::vector<std::uint8_t> redacted(block.begin(), block.end());
  const ParsedMessage original = parse_l3_block_redacting(redacted, {});
  for (std::size_t i = 0; i < 3 && i < size; ++i) TW_FUZZ_CHECK(redacted[i] == data[i], "redaction changed the header");
  if (original.ok) {
    ParseOptions keep;
    keep.keep_identities = true;
    const ParsedMessage again = parse_l3_block(redacted, keep);
    TW_FUZZ_CHECK(again.ok && again.kind == original.kind, "the redacted block no longer parses: " + again.error);
    const auto* p = original.get<PagingSummary>();
    const auto* q = again.get<PagingSummary>();
    TW_FUZZ_CHECK((p == nullptr) == (q == nullptr), "redaction changed the content type");
    if (p && q) {
      TW_FUZZ_CHECK(p->imsi == q->imsi && p->tmsi == q->tmsi && p->imei == q->imei && p->none == q->none &&
                        p->other == q->other, "redaction changed the counts per identity type");
      for (const auto& id : q->identities)
        TW_FUZZ_CHECK(id.type == IdentityType::tmsi ? id.value == "0xffffffff"
                                                    : id.value.find_first_not_of('0') == std::string::npos,
                      "an identity survived redaction: " + id.value);
    }
  }
  return 0;
}
