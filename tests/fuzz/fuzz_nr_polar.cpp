// NR PBCH decoding (dsp/nr/pbch_coding, polar_code, polar_rate_match): octet 0 chooses L_max (mod 3: 4, 8,
// 64) and the mode (bit 7), octets 1-2 the PCI (10 bits, 1008..1023 must be refused), octet 3 the SSB index
// LSBs (3 bits: 4..7 must be refused for L_max 4). Mode 0: the rest are the 864 soft values (raw float32 when
// there are 3456 octets or more, NaN/Inf included; else int8 repeated). Mode 1: octets 4-8 choose a payload
// that is encoded, and the rest are int8 offsets added to +-8 LLRs of its block.
// Invariants: only tw::InputError, exactly for the arguments out of range; a decoded payload has fields in
// range, its SSB index LSBs are the ones given, its SFN MSBs are the MIB's, its metric is in [-1, 1], and its
// re-encoding decodes to itself; in mode 1 with offsets that never flip a sign the sent payload comes back.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "dsp/nr/pbch_coding.hpp"
#include "src/core/error.hpp"
#include "tests/fuzz/fuzz_common.hpp"

namespace nr = tw::nr;

namespace {

bool same(const nr::PbchPayload& a, const nr::PbchPayload& b) {
  return a.mib_bits == b.mib_bits && a.sfn == b.sfn && a.half_frame == b.half_frame && a.ssb_index == b.ssb_index &&
         a.k_ssb_msb == b.k_ssb_msb && a.reserved_bits == b.reserved_bits;
}

std::vector<float> clean_llr(const std::array<std::uint8_t, 864>& f) {
  std::vector<float> l(864);
  for (int i = 0; i < 864; ++i) l[static_cast<std::size_t>(i)] = f[static_cast<std::size_t>(i)] ? -4.0f : 4.0f;
  return l;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return -1;
  const int l_max = (data[0] % 3 == 0) ? 4 : (data[0] % 3 == 1 ? 8 : 64);
  const bool encode_mode = (data[0] & 0x80) != 0;
  const auto pci = static_cast<std::uint16_t>(((data[1] << 8) | data[2]) & 0x3FF);
  const auto lsbs = static_cast<std::uint8_t>(data[3] & 7);
  const bool args_ok = pci <= 1007 && lsbs < (l_max == 4 ? 4 : 8);
  std::vector<float> llr(864, 0.0f);
  nr::PbchPayload sent{};
  bool sign_kept = false;
  if (encode_mode) {
    if (size < 9 || !args_ok) return -1;
    sent.sfn = static_cast<std::uint16_t>(((data[4] << 8) | data[5]) & 0x3FF);
    sent.mib_bits = (static_cast<std::uint32_t>(sent.sfn >> 4) << 17) | ((static_cast<std::uint32_t>(data[6]) << 9) | (data[7] << 1) | (data[8] & 1));
    sent.mib_bits &= 0x7FFFFFu;  // choice bit 0
    sent.half_frame = (data[8] & 2) != 0;
    const std::uint8_t high = l_max == 64 ? static_cast<std::uint8_t>((data[8] >> 2) & 7) : 0;
    sent.ssb_index = static_cast<std::uint8_t>((high << 3) | lsbs);
    if (sent.ssb_index >= l_max) return -1;
    sent.k_ssb_msb = l_max == 64 ? 0 : static_cast<std::uint8_t>((data[8] >> 5) & 1);
    const auto f = nr::pbch_encode(sent, pci, l_max);
    sign_kept = true;
    for (int i = 0; i < 864; ++i) {
      const float off = 9 + i < static_cast<int>(size) ? static_cast<float>(static_cast<std::int8_t>(data[9 + i])) : 0.0f;
      const float base = f[static_cast<std::size_t>(i)] ? -8.0f : 8.0f;
      llr[static_cast<std::size_t>(i)] = base + off;
      if ((base + off) * base <= 0) sign_kept = false;
    }
  } else if (size >= 4 + 864 * 4) {
    std::memcpy(llr.data(), data + 4, 864 * 4);
  } else if (size > 4) {
    for (int i = 0; i < 864; ++i) llr[static_cast<std::size_t>(i)] = static_cast<float>(static_cast<std::int8_t>(data[4 + static_cast<std::size_t>(i) % (size - 4)]));
  }
  std::optional<nr::PbchDecoded> d;
  try {
    d = nr::pbch_decode(llr, pci, lsbs, l_max);
  } catch (const tw::InputError& e) {
    TW_FUZZ_CHECK(!args_ok, std::string("refused valid arguments: ") + e.what());
    return 0;
  }
  TW_FUZZ_CHECK(args_ok, "accepted PCI " + std::to_string(pci) + " / SSB LSBs " + std::to_string(lsbs));
  if (sign_kept) TW_FUZZ_CHECK(d && same(d->payload, sent), "a block whose signs are all right does not decode to what was sent");
  if (!d) return 0;
  const auto& p = d->payload;
  TW_FUZZ_CHECK(p.mib_bits < (1u << 24) && p.sfn <= 1023 && p.ssb_index < l_max && p.k_ssb_msb <= 1 && p.reserved_bits <= 3, "field range");
  TW_FUZZ_CHECK((p.ssb_index & (l_max == 4 ? 3 : 7)) == lsbs, "SSB index LSBs");
  TW_FUZZ_CHECK(((p.mib_bits >> 17) & 0x3F) == (p.sfn >> 4), "SFN MSBs differ from the MIB's");
  TW_FUZZ_CHECK(std::isfinite(d->metric) && d->metric >= -1.0 - 1e-9 && d->metric <= 1.0 + 1e-9, "metric " + std::to_string(d->metric));
  const auto again = nr::pbch_decode(clean_llr(nr::pbch_encode(p, pci, l_max)), pci, lsbs, l_max);
  TW_FUZZ_CHECK(again && same(again->payload, p), "the decoded payload's re-encoding does not decode to it");
  return 0;
}
