#include "dsp/gold_sequence.hpp"

namespace tw::dsp {

void gold_sequence(std::uint32_t c_init, std::span<std::uint8_t> out) {
  // 36.211 7.2 / 38.211 5.2.1: x1(0) = 1, x1(n+31) = x1(n+3) + x1(n); x2(n+31) = x2(n+3) + x2(n+2) + x2(n+1) +
  // x2(n); c(n) = x1(n + 1600) + x2(n + 1600). 31-bit registers, bit i = x(n + i).
  constexpr int kNc = 1600;
  std::uint32_t x1 = 1, x2 = c_init & 0x7FFFFFFFu;
  auto step = [&]() {
    const std::uint32_t n1 = ((x1 >> 3) ^ x1) & 1u;
    const std::uint32_t n2 = ((x2 >> 3) ^ (x2 >> 2) ^ (x2 >> 1) ^ x2) & 1u;
    x1 = (x1 >> 1) | (n1 << 30);
    x2 = (x2 >> 1) | (n2 << 30);
  };
  for (int i = 0; i < kNc; ++i) step();
  for (auto& b : out) {
    b = static_cast<std::uint8_t>((x1 ^ x2) & 1u);
    step();
  }
}

}  // namespace tw::dsp
