// The synthesizer's seed mixer: SplitMix64's output function (Steele, Lea, Flood 2014), one step from a
// seed to a well-spread 64-bit value. Every random choice of a scene derives its seed through it, so scenes
// are reproducible from their seed alone.
#pragma once
#include <cstdint>

namespace tw::synth {

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace tw::synth
