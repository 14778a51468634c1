// Frequency list decoders (src/gsm/frequency_list.*, 44.018 10.5.2.13 / 10.5.2.1b / 10.5.2.22 / 10.5.2.22a).
// Input octet 0 chooses the mode, the rest is the data:
//   even: decode the rest as a frequency list value (format bits of 10.5.2.13 or of 10.5.2.22a by bit 1);
//         invariants: ok and error agree, the ARFCNs are sorted, unique and within 0..1023, a failed decode
//         gives no ARFCNs.
//   odd:  the rest, as 16-bit big-endian values mod 1024, is a set of ARFCNs; the synthesizer's encoder
//         (tools/synth/l3, written separately from the 44.018 text) codes it in the smallest format; when it
//         can, decoding must give back exactly that set.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "src/gsm/frequency_list.hpp"
#include "tests/fuzz/fuzz_common.hpp"
#include "tools/synth/l3/encode.hpp"

namespace {

std::string list(const std::vector<std::uint16_t>& a) {
  std::string s;
  for (auto x : a) s += std::to_string(x) + " ";
  return s;
}

void check_result(const tw::gsm::FrequencyListResult& r) {
  TW_FUZZ_CHECK(r.ok == r.error.empty(), "ok and error disagree: '" + r.error + "'");
  if (!r.ok) TW_FUZZ_CHECK(r.arfcns.empty(), "a failed decode returns ARFCNs");
  for (std::size_t i = 0; i < r.arfcns.size(); ++i) {
    TW_FUZZ_CHECK(r.arfcns[i] <= 1023, "ARFCN outside 0..1023: " + list(r.arfcns));
    if (i) TW_FUZZ_CHECK(r.arfcns[i - 1] < r.arfcns[i], "not sorted/unique: " + list(r.arfcns));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 130) return -1;
  const std::uint8_t mode = data[0];
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  if ((mode & 1) == 0) {
    const std::uint8_t bits = (mode & 2) ? tw::gsm::kFormatBitsNcd2 : tw::gsm::kFormatBitsDefault;
    const auto r = tw::gsm::decode_frequency_list(rest, bits);
    check_result(r);
    if (rest.size() >= 16) {
      // The parsers hand the decoder exactly the 16 octets of the IE: the same prefix decodes the same way
      // whatever follows it (no reads past the field).
      const auto r16 = tw::gsm::decode_frequency_list(rest.first(16), bits);
      check_result(r16);
    }
    return 0;
  }
  std::set<int> want;
  for (std::size_t i = 0; i + 1 < rest.size(); i += 2) want.insert(((rest[i] << 8) | rest[i + 1]) & 1023);
  const bool ext_ind = mode & 2, ba_ind = mode & 4;
  std::array<std::uint8_t, 16> field{};
  try {
    field = tw::synth::l3::encode_neighbour_cells(std::vector<int>(want.begin(), want.end()), ext_ind, ba_ind);
  } catch (const std::invalid_argument&) {
    return 0;   // the set does not fit 16 octets in any format
  }
  const auto r = tw::gsm::decode_frequency_list(field, tw::gsm::kFormatBitsDefault);
  check_result(r);
  TW_FUZZ_CHECK(r.ok, "an encodable set does not decode: " + r.error);
  const std::vector<std::uint16_t> expect(want.begin(), want.end());
  TW_FUZZ_CHECK(r.arfcns == expect, "decoded " + list(r.arfcns) + "(" +
                                        tw::gsm::frequency_list_format_name(r.format) + ") but encoded " +
                                        list(expect));
  return 0;
}
