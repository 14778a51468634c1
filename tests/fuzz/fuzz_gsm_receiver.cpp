// GsmCarrierReceiver (dsp/gsm/carrier_receiver.*) on samples a fake base station chooses: FCCH search, SCH
// (45.002 3.3.2.2, 45.003 4.7), burst demodulation and MLSE, xCCH decoding of TS0 blocks (45.003 4.1).
// Split out of fuzz_gsm_bursts (whose soft-bit stages run thousands of times faster).
// Octet 0: bits 0-5 where the samples are cut in two execute() calls (the receiver keeps its history buffer
// and candidates across calls): at (bits 0-5) / 64 of the input, 0 meaning the middle; bits 6-7 the CCCH
// configuration known beforehand (set_ccch_conf: -1 unknown, 0 non-combined, 1 combined, or none set).
// The rest: cs8 samples at the working rate (4 samples per symbol, 1083333 sps), at most 12 TDMA frames
// (60000 samples: an FCCH, its SCH, a BCCH block and the next FCCH fit in 11).
// Invariants: every reported block is on TS0 at a frame where 45.002 table 3 puts a block (the FN of its
// first burst), names a channel and parses (parse_l3_block, to_json) without exception; every sync event has
// a BSIC 0..63 and an SCH frame number below 26*51*2048; blocks decoded <= blocks tried; no exception.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "dsp/gsm/carrier_receiver.hpp"
#include "dsp/gsm/ts0_blocks.hpp"
#include "src/gsm/l3_message.hpp"
#include "src/gsm/message_json.hpp"
#include "tests/fuzz/fuzz_common.hpp"

namespace {
constexpr std::size_t kMaxSamples = 12 * 5000;
// TW_FUZZ_PRINT=1 in the environment prints what the receiver found (to see what an input does).
const bool g_print = std::getenv("TW_FUZZ_PRINT") != nullptr;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tw::gsm;
  if (size < 1 || size > 1 + 2 * kMaxSamples) return -1;
  std::vector<cf32> iq((size - 1) / 2);
  for (std::size_t i = 0; i < iq.size(); ++i)
    iq[i] = cf32(static_cast<std::int8_t>(data[1 + 2 * i]) / 128.0f, static_cast<std::int8_t>(data[2 + 2 * i]) / 128.0f);
  GsmCarrierReceiver rx;
  const int conf = data[0] >> 6;
  if (conf < 3) rx.set_ccch_conf(conf - 1);
  rx.on_block([](const DecodedBlock& b) {
    TW_FUZZ_CHECK(b.tn == 0 && ts0_position(b.fn).kind == Ts0FrameKind::block && ts0_position(b.fn).burst_index == 0,
                  "block off TS0 blocks: FN " + std::to_string(b.fn));
    TW_FUZZ_CHECK(!b.channel.empty(), "block without a channel name at FN " + std::to_string(b.fn));
    const ParsedMessage m = parse_l3_block(b.octets);
    TW_FUZZ_CHECK(m.ok == m.error.empty(), m.error);
    (void)to_json(m).dump();
    if (g_print) std::fprintf(stderr, "block FN %u %s\n", b.fn, b.channel.c_str());
  });
  rx.on_sync([](const SyncEvent& s) {
    TW_FUZZ_CHECK(s.bsic >= 0 && s.bsic <= 63, "sync BSIC " + std::to_string(s.bsic));
    TW_FUZZ_CHECK(s.fn < 26u * 51u * 2048u && ts0_position(s.fn).kind == Ts0FrameKind::sch, "sync FN " + std::to_string(s.fn));
  });
  const std::size_t cut_64 = data[0] & 63;
  const std::size_t cut = cut_64 == 0 ? iq.size() / 2 : iq.size() * cut_64 / 64;
  rx.execute(std::span<const cf32>(iq.data(), cut));
  rx.execute(std::span<const cf32>(iq.data() + cut, iq.size() - cut));
  const auto& st = rx.stats();
  TW_FUZZ_CHECK(st.blocks_decoded <= st.blocks_tried, "more blocks decoded than tried");
  TW_FUZZ_CHECK(st.bsic >= -1 && st.bsic <= 63, "stats BSIC " + std::to_string(st.bsic));
  if (g_print)
    std::fprintf(stderr, "FCCH %llu, SCH ok %llu failed %llu, blocks %llu of %llu, BSIC %d, CFO %.0f Hz\n",
                 static_cast<unsigned long long>(st.fcch_found), static_cast<unsigned long long>(st.sch_ok),
                 static_cast<unsigned long long>(st.sch_failed), static_cast<unsigned long long>(st.blocks_decoded),
                 static_cast<unsigned long long>(st.blocks_tried), st.bsic, st.cfo_hz);
  return 0;
}
