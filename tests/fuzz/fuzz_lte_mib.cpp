// LTE MIB and PBCH pieces (dsp/lte/). 4 octets: MasterInformationBlock unpacking (mib.*, TS 36.331 6.2.2),
// 3 octets and the frame's place in its 40 ms PBCH block (octet 3, any value). Only tw::InputError may come
// out. An accepted MIB has a bandwidth of the enumeration, an SFN 0..1023 whose two LSBs are the block offset,
// and packs back to the same 24 bits with the 10 spare bits zero.
// 5 octets: the rate-matching map of 36.212 5.1.4.2 (pbch_coding.*) for D = octets 0-1 (big-endian, 0..4095)
// and E = octets 2-4 (0..65535 after masking): E entries, each a coded bit 0..3D-1; when E <= 3D no coded bit
// is sent twice (the circular buffer is read once).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dsp/lte/mib.hpp"
#include "dsp/lte/pbch_coding.hpp"
#include "src/core/error.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 5) {
    const int d = ((data[0] << 8) | data[1]) & 0x0fff;
    const int e = ((data[2] << 16) | (data[3] << 8) | data[4]) & 0xffff;
    std::vector<int> map;
    try {
      map = tw::dsp::lte::conv_rate_match_map(d, e);
    } catch (const tw::InputError&) {
      TW_FUZZ_CHECK(d < 1, "rate matching refused D=" + std::to_string(d) + " E=" + std::to_string(e));
      return 0;
    }
    TW_FUZZ_CHECK(static_cast<int>(map.size()) == e, "map size");
    std::vector<bool> seen(static_cast<std::size_t>(3 * d), false);
    for (int idx : map) {
      TW_FUZZ_CHECK(idx >= 0 && idx < 3 * d, "coded bit index " + std::to_string(idx));
      if (e <= 3 * d) TW_FUZZ_CHECK(!seen[static_cast<std::size_t>(idx)], "a coded bit is sent twice");
      seen[static_cast<std::size_t>(idx)] = true;
    }
    return 0;
  }
  if (size != 4) return -1;
  const std::array<std::uint8_t, 3> octets{data[0], data[1], data[2]};
  const int offset = static_cast<std::int8_t>(data[3]);
  tw::dsp::lte::Mib mib;
  try {
    mib = tw::dsp::lte::unpack_mib(octets, offset);
  } catch (const tw::InputError&) {
    return 0;
  }
  const int bw = mib.bandwidth_prb;
  TW_FUZZ_CHECK(bw == 6 || bw == 15 || bw == 25 || bw == 50 || bw == 75 || bw == 100, "bandwidth " + std::to_string(bw));
  TW_FUZZ_CHECK(mib.sfn >= 0 && mib.sfn <= 1023 && mib.sfn % 4 == offset, "SFN " + std::to_string(mib.sfn));
  const auto r = mib.phich_resource;
  TW_FUZZ_CHECK(r == "1/6" || r == "1/2" || r == "1" || r == "2", "phich-Resource " + r);
  const auto back = tw::dsp::lte::pack_mib(mib);
  // 36.331: 3 + 1 + 2 + 8 bits, then 10 spare bits (the last 2 bits of octet 1 and all of octet 2).
  TW_FUZZ_CHECK(back[0] == octets[0] && back[1] == (octets[1] & 0xfc) && back[2] == 0, "MIB does not re-pack");
  return 0;
}
