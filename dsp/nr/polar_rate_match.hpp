// NR polar rate matching (TS 38.212 5.4.1): sub-block interleaving (5.4.1.1, 32 sub-blocks, table
// 5.4.1.1-1), bit selection (5.4.1.2: repetition when E >= N, else puncturing when K/E <= 7/16, else
// shortening). The coded-bit interleaver (5.4.1.3) is for the uplink (I_BIL = 1) and is not used here.
// The inverse works on LLRs (positive = bit 0): repeated copies add, punctured bits get 0 and shortened
// bits (known zeros) a large positive value.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace tw::nr {

// 5.4.1.1: J(n), n = 0..N-1 (y_n = d_{J(n)}); N a power of two >= 32, else tw::InputError.
std::vector<int> polar_subblock_interleaver(int N);

class PolarRateMatcher {
 public:
  // K information bits (CRC included) decide puncturing against shortening when E < N.
  PolarRateMatcher(int N, int K, int E);

  int N() const { return N_; }
  int E() const { return E_; }

  // d (N bits) -> e (E bits).
  void match(std::span<const std::uint8_t> d, std::span<std::uint8_t> e) const;
  // LLRs of e (E values) -> LLRs of d (N values). Non-finite values count as 0.
  void recover(std::span<const float> llr_e, std::span<float> llr_d) const;

 private:
  int N_, K_, E_;
  bool shortening_;  // E < N and K/E > 7/16
  std::vector<int> J_;
};

}  // namespace tw::nr
