// The burst-to-block path fed random soft bits (osmocom sbit_t: +127 = bit 0, -127 = bit 1). Octet 0 of the
// input (mod 3) chooses the stage, the rest is its input:
//   0  xCCH (45.003 clause 4.1): 464 soft bits -> gsm0503_xcch_decode as GsmCarrierReceiver calls it; a block
//      whose CRC holds must re-encode to bursts that decode back to the same 23 octets with no bit error,
//      then goes through parse_l3_block + to_json as the pipeline does.
//   1  SCH (45.003 clause 4.7, 45.002 3.3.2.2): 148 soft bits -> decode_sch_burst; a decoded SCH has BSIC
//      0..63, an FN below 26*51*2048 that is an SCH frame of TS0 (FN mod 51 = 1, 11, 21, 31, 41), and its
//      sb_info packs back to the same BSIC and FN.
//   2  TS0 mapping (45.002 clause 7 table 3): a 32-bit FN -> ts0_position / ts0_channel_name stay in range.
// The receiver on samples (GsmCarrierReceiver) has its own harness, fuzz_gsm_receiver.cpp.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "dsp/gsm/sch.hpp"
#include "dsp/gsm/ts0_blocks.hpp"
#include "src/gsm/l3_message.hpp"
#include "src/gsm/message_json.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" {
#include <osmocom/coding/gsm0503_coding.h>
}

namespace {

using namespace tw::gsm;

void xcch(std::span<const std::uint8_t> in) {
  std::int8_t soft[4 * 116] = {};   // missing soft bits are erasures (0)
  for (std::size_t i = 0; i < in.size() && i < 464; ++i) soft[i] = static_cast<std::int8_t>(in[i]);
  std::uint8_t octets[23] = {};
  int n_err = 0, n_bits = 0;
  if (gsm0503_xcch_decode(octets, soft, &n_err, &n_bits) != 0) return;
  TW_FUZZ_CHECK(n_err >= 0 && n_err <= n_bits, "bit error count " + std::to_string(n_err) + "/" + std::to_string(n_bits));
  // Re-encode (45.003 4.1: fire code, convolutional code, interleaving) and decode the clean bursts.
  ubit_t bursts[4 * 116];
  TW_FUZZ_CHECK(gsm0503_xcch_encode(bursts, octets) == 0, "re-encoding a decoded block fails");
  std::int8_t clean[4 * 116];
  for (int i = 0; i < 4 * 116; ++i) clean[i] = bursts[i] ? -127 : 127;
  std::uint8_t again[23] = {};
  int e2 = 0, b2 = 0;
  TW_FUZZ_CHECK(gsm0503_xcch_decode(again, clean, &e2, &b2) == 0, "a clean re-encoded block fails its CRC");
  TW_FUZZ_CHECK(std::equal(octets, octets + 23, again), "a re-encoded block decodes to other octets");
  TW_FUZZ_CHECK(e2 == 0, "a clean re-encoded block has " + std::to_string(e2) + " bit errors");
  const ParsedMessage m = parse_l3_block(std::span<const std::uint8_t>(octets, 23));
  TW_FUZZ_CHECK(m.ok == m.error.empty(), m.error);
  (void)to_json(m).dump();
}

void sch(std::span<const std::uint8_t> in) {
  std::array<std::int8_t, 148> soft{};
  for (std::size_t i = 0; i < in.size() && i < soft.size(); ++i) soft[i] = static_cast<std::int8_t>(in[i]);
  const auto info = decode_sch_burst(soft);
  if (!info) return;
  TW_FUZZ_CHECK(info->bsic >= 0 && info->bsic <= 63, "BSIC " + std::to_string(info->bsic));
  TW_FUZZ_CHECK(info->fn < 26u * 51u * 2048u, "FN " + std::to_string(info->fn));
  TW_FUZZ_CHECK(ts0_position(info->fn).kind == Ts0FrameKind::sch, "FN " + std::to_string(info->fn) + " is no SCH frame");
  const auto sb = pack_sb_info(info->bsic, info->fn);
  const auto back = unpack_sb_info(sb);
  TW_FUZZ_CHECK(back && back->fn == info->fn && back->bsic == info->bsic, "sb_info does not round-trip");
}

void ts0(std::span<const std::uint8_t> in) {
  std::uint32_t fn = 0;
  for (std::size_t i = 0; i < in.size() && i < 4; ++i) fn = (fn << 8) | in[i];
  const Ts0Position p = ts0_position(fn);
  const int t = static_cast<int>(fn % 51);
  switch (p.kind) {
    case Ts0FrameKind::fcch: TW_FUZZ_CHECK(t % 10 == 0 && t != 50, "FCCH at " + std::to_string(t)); break;
    case Ts0FrameKind::sch: TW_FUZZ_CHECK(t % 10 == 1, "SCH at " + std::to_string(t)); break;
    case Ts0FrameKind::idle: TW_FUZZ_CHECK(t == 50, "idle at " + std::to_string(t)); break;
    case Ts0FrameKind::block:
      TW_FUZZ_CHECK(p.burst_index >= 0 && p.burst_index <= 3 && p.block_first + p.burst_index == t,
                    "block at " + std::to_string(t));
      for (int conf : {-1, 0, 1}) TW_FUZZ_CHECK(ts0_channel_name(p.block_first, conf) != nullptr, "no channel name");
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 1 + 4 * 116) return -1;
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: xcch(rest); break;
    case 1: sch(rest); break;
    case 2: ts0(rest); break;
  }
  return 0;
}
