#include "dsp/lte/mib.hpp"

#include <string>

#include "src/core/error.hpp"

namespace tw::dsp::lte {

namespace {
constexpr int kBandwidths[6] = {6, 15, 25, 50, 75, 100};
const char* const kResources[4] = {"1/6", "1/2", "1", "2"};
}  // namespace

std::array<std::uint8_t, 3> pack_mib(const Mib& mib) {
  int bw = -1, res = -1;
  for (int i = 0; i < 6; ++i)
    if (kBandwidths[i] == mib.bandwidth_prb) bw = i;
  for (int i = 0; i < 4; ++i)
    if (mib.phich_resource == kResources[i]) res = i;
  if (bw < 0) throw InputError("MIB dl-Bandwidth: " + std::to_string(mib.bandwidth_prb) + " PRB is not 6/15/25/50/75/100");
  if (res < 0) throw InputError("MIB phich-Resource: '" + mib.phich_resource + "' is not 1/6, 1/2, 1 or 2");
  if (mib.sfn < 0 || mib.sfn > 1023) throw InputError("MIB systemFrameNumber: " + std::to_string(mib.sfn) + " is outside 0..1023");
  const std::uint32_t v = (static_cast<std::uint32_t>(bw) << 21) | ((mib.phich_extended ? 1u : 0u) << 20) |
                          (static_cast<std::uint32_t>(res) << 18) | (static_cast<std::uint32_t>(mib.sfn >> 2) << 10);
  return {static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

Mib unpack_mib(std::span<const std::uint8_t, 3> octets, int frame_in_40ms_block) {
  if (frame_in_40ms_block < 0 || frame_in_40ms_block > 3)
    throw InputError("MIB frame_in_40ms_block: " + std::to_string(frame_in_40ms_block) + " is outside 0..3");
  const std::uint32_t v = (static_cast<std::uint32_t>(octets[0]) << 16) | (static_cast<std::uint32_t>(octets[1]) << 8) | octets[2];
  const unsigned bw = (v >> 21) & 7u;
  if (bw > 5) throw InputError("MIB dl-Bandwidth: code " + std::to_string(bw) + " is not an enumerated value (0..5)");
  Mib m;
  m.bandwidth_prb = kBandwidths[bw];
  m.phich_extended = ((v >> 20) & 1u) != 0;
  m.phich_resource = kResources[(v >> 18) & 3u];
  m.sfn = static_cast<int>(((v >> 10) & 0xFFu) * 4u) + frame_in_40ms_block;
  return m;
}

}  // namespace tw::dsp::lte
