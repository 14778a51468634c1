// The length-31 Gold sequence c(n) common to LTE and NR: TS 36.211 7.2 and TS 38.211 5.2.1 (same
// generators, Nc = 1600). Scrambling and reference signals of both radio access technologies use it.
#pragma once
#include <cstdint>
#include <span>

namespace tw::dsp {

// c(n) for n = 0..out.size()-1 (bits 0/1), Nc = 1600, x1 fixed, x2 initialised by c_init (31 bits used).
void gold_sequence(std::uint32_t c_init, std::span<std::uint8_t> out);

}  // namespace tw::dsp
