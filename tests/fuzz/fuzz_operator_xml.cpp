// The operator list reader (src/cells/mini_xml.*, src/cells/operator_names.*): OperatorTable::from_xml on
// arbitrary text. Only tw::InputError may come out, naming the file and a line. An accepted list holds only
// PLMNs of 3 + 2..3 digits (TS 23.003 2.2), each found again by lookup and listed by mncs_of under its MCC;
// every name is non-empty, valid UTF-8 without control characters (it goes to JSON and terminals: nlohmann's
// dump() throws on invalid UTF-8); reading is deterministic. The event stream of the reader: start and end
// tags balance, names non-empty.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "src/cells/mini_xml.hpp"
#include "src/cells/operator_names.hpp"
#include "src/core/error.hpp"
#include "tests/fuzz/fuzz_common.hpp"

namespace {
bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65536) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string source = "fuzz.xml";
  // The reader alone: balanced events.
  try {
    int depth = 0;
    tw::xml::parse(text, source, [&](const tw::xml::Event& e) {
      if (e.kind == tw::xml::Event::Kind::start) ++depth;
      if (e.kind == tw::xml::Event::Kind::end) --depth;
      TW_FUZZ_CHECK(depth >= 0 && depth <= 32, "depth " + std::to_string(depth));
      if (e.kind != tw::xml::Event::Kind::text) TW_FUZZ_CHECK(!e.name.empty(), "empty element name");
      TW_FUZZ_CHECK(e.line >= 1, "line " + std::to_string(e.line));
    });
    TW_FUZZ_CHECK(depth == 0, "unbalanced document accepted");
  } catch (const tw::InputError& e) {
    TW_FUZZ_CHECK(std::string(e.what()).rfind(source + ": line ", 0) == 0, std::string("error without file/line: ") + e.what());
  }
  tw::cells::OperatorTable t;
  try {
    t = tw::cells::OperatorTable::from_xml(text, source);
  } catch (const tw::InputError& e) {
    TW_FUZZ_CHECK(std::string(e.what()).rfind(source + ": line ", 0) == 0, std::string("error without file/line: ") + e.what());
    return 0;
  }
  std::size_t listed = 0;
  for (int mcc = 0; mcc <= 999; ++mcc) {
    const std::string m = tw::cells::mcc_string(mcc);
    const auto mncs = t.mncs_of(m);
    TW_FUZZ_CHECK(t.mcc_has_operators(m) == !mncs.empty(), "mcc_has_operators " + m);
    for (const auto& mnc : mncs) {
      ++listed;
      TW_FUZZ_CHECK((mnc.size() == 2 || mnc.size() == 3) && digits(mnc), "MNC '" + mnc + "'");
      const auto op = t.lookup(m, mnc);
      TW_FUZZ_CHECK(op.has_value(), "listed PLMN not found " + m + "-" + mnc);
      TW_FUZZ_CHECK(!op->name.empty(), "empty name");
      nlohmann::json j = {{"name", op->name}, {"country", op->country}, {"code", op->country_code}, {"others", op->others}};
      std::string dumped;
      try {
        dumped = j.dump();
      } catch (const nlohmann::json::exception& e) {
        TW_FUZZ_CHECK(false, std::string("name is not UTF-8: ") + e.what());
      }
      for (unsigned char c : op->name) TW_FUZZ_CHECK(c >= 0x20, "control character in a name");
    }
  }
  TW_FUZZ_CHECK(listed == t.plmn_count(), "plmn_count " + std::to_string(t.plmn_count()) + " vs " + std::to_string(listed));
  const auto again = tw::cells::OperatorTable::from_xml(text, source);
  TW_FUZZ_CHECK(again.plmn_count() == t.plmn_count() && again.skipped_entries() == t.skipped_entries(), "not deterministic");
  return 0;
}
