// GSM bursts of the C0 carrier as bits in transmission order (3GPP TS 45.002 clause 5.2) and TDMA frame
// timing (45.002 clause 4.3.3). Channel coding of SCH and xCCH comes from libosmocoding (45.003).
#pragma once
#include <array>
#include <cstdint>
#include <span>

namespace tw::synth {

using BurstBits = std::array<std::uint8_t, 148>;   // one bit (0/1) per element
using L2Octets = std::array<std::uint8_t, 23>;

constexpr int kSymbolsPerFrame = 1250;
constexpr std::uint32_t kHyperframe = 2715648;      // 26 * 51 * 2048
constexpr double kSymbolRate = 1625000.0 / 6.0;     // 270833.33 symbols/s
// Symbols per timeslot: 148-bit burst + guard; 157 in TS0 and TS4, 156 elsewhere (8.25 on average).
constexpr std::array<int, 8> kTimeslotSymbols = {157, 156, 156, 156, 157, 156, 156, 156};
constexpr int timeslot_start(int tn) {
  int s = 0;
  for (int i = 0; i < tn; ++i) s += kTimeslotSymbols[static_cast<std::size_t>(i)];
  return s;
}

// 45.002 clause 3.3.2.2: T1 = FN div 1326, T2 = FN mod 26, T3 = FN mod 51, T3' = (T3 - 1) div 10.
struct FrameTime {
  int t1, t2, t3, t3p;
};
FrameTime frame_time(std::uint32_t fn);

// 45.002 clause 5.2.3: training sequences of the normal burst, TSC 0..7 (throws std::out_of_range).
const std::array<std::uint8_t, 26>& training_sequence(int tsc);
// 45.002 clause 5.2.5: extended training sequence of the SCH.
const std::array<std::uint8_t, 64>& sch_training_sequence();

BurstBits fcch_burst();    // 45.002 5.2.4: 148 zero bits
BurstBits dummy_burst();   // 45.002 5.2.6

// SCH information bits (45.003 clause 4.7 / 44.018 9.1.30) in libosmocoding's 4-octet form.
std::array<std::uint8_t, 4> sch_info(int bsic, std::uint32_t fn);
// 45.002 5.2.5: 3 tail + 39 coded + 64 extended training + 39 coded + 3 tail.
BurstBits sch_burst(int bsic, std::uint32_t fn);

// 45.002 5.2.3: the four normal bursts of one xCCH block (45.003 4.1 coding, TSC of C0 = BCC).
std::array<BurstBits, 4> normal_bursts(const L2Octets& block, int tsc);
// Places 116 coded bits (two halves of 57 data + 1 stealing flag) around the training sequence.
BurstBits normal_burst(std::span<const std::uint8_t, 116> coded, int tsc);

}  // namespace tw::synth
