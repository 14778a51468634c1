// NR polar code (TS 38.212 5.3.1): the reliability sequence Q_0^{Nmax-1} (table 5.3.1.2-1), the code length
// N, the frozen set, the input-bit interleaver (5.3.1.1, table 5.3.1.1-1), the encoder d = u G_N and a
// successive-cancellation list decoder (LLR domain, min-sum, CRC-aided selection by the caller's check).
// Parity-check bits (n_PC > 0, UCI) are not supported: the downlink (PBCH, DCI) has n_PC = 0.
// LLR convention everywhere: positive = bit 0 more likely (log P(0)/P(1)).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace tw::nr {

constexpr int kPolarNmax = 1024;
constexpr int kPolarKilMax = 164;

// Table 5.3.1.2-1: Q_0^{1023}, ascending reliability (element 0 least reliable). A permutation of 0..1023.
const std::array<std::uint16_t, kPolarNmax>& polar_reliability_sequence();

// 5.3.1: N = 2^n for K information bits (CRC included), E rate-matched bits and n_max (9 downlink, 10
// uplink). Throws tw::InputError for K < 1, E < K or n_max outside 5..10.
int polar_code_length(int K, int E, int n_max);

// 5.3.1.1: Pi(0..K-1) of the input interleaver for I_IL = 1 (c'_k = c_{Pi(k)}), K <= 164.
std::vector<int> polar_input_interleaver(int K);

// 5.3.1.2 with n_PC = 0: true at the frozen positions of u (N entries): the N-K least reliable of Q_0^{N-1}
// after excluding Q_F,tmp (the positions 5.4.1.1 punctures or shortens when E < N).
std::vector<std::uint8_t> polar_frozen_set(int K, int E, int N);

// The code of one configuration: K, E, N, I_IL. RAII, no state between calls except scratch space.
class PolarCode {
 public:
  PolarCode(int K, int E, int n_max, bool input_interleave);

  int K() const { return K_; }
  int E() const { return E_; }
  int N() const { return N_; }
  const std::vector<std::uint8_t>& frozen() const { return frozen_; }
  // Information positions of u in ascending order (K entries): c'_k goes to u_{info[k]}.
  const std::vector<int>& info_positions() const { return info_; }
  const std::vector<int>& interleaver() const { return pi_; }  // identity when I_IL = 0

  // c (K bits 0/1) -> d (N bits): interleave (I_IL), place on the information positions, d = u G_N
  // (G_N = the n-fold Kronecker power of [1 0; 1 1]).
  void encode(std::span<const std::uint8_t> c, std::span<std::uint8_t> d) const;

 private:
  int K_, E_, N_;
  std::vector<std::uint8_t> frozen_;
  std::vector<int> info_, pi_;
};

// The polar transform in place (x = x G_N over GF(2)), N a power of two. G_N is its own inverse.
void polar_transform(std::span<std::uint8_t> x);

// Successive-cancellation list decoder (Tal-Vardy list, LLR-based path metric of Balatsoukas-Stimming et al.:
// a path pays |LLR| for each decision against the sign of its leaf LLR; f = min-sum, g = b + (1-2u) a).
// decode() returns the K bits c (de-interleaved) of the most likely path whose bits pass `check` (the CRC),
// trying the L survivors in increasing path metric; nothing when none passes.
class PolarListDecoder {
 public:
  PolarListDecoder(const PolarCode& code, int list_size);
  PolarListDecoder(const PolarListDecoder&) = delete;
  PolarListDecoder& operator=(const PolarListDecoder&) = delete;

  struct Result {
    std::vector<std::uint8_t> c;  // K bits
    double path_metric;           // of the chosen path (0 = every decision agreed with its LLR)
    int list_rank;                // 0 = the best path passed the check
  };
  // llr_d: N values of d (after rate recovery). Non-finite values count as 0.
  bool decode(std::span<const float> llr_d, const std::function<bool(std::span<const std::uint8_t>)>& check,
              Result& out);

 private:
  struct Path {
    std::vector<float> alpha;           // LLRs per stage: stage s (node size 2^s) at offset 2^s - 1 .. 2^(s+1)-2
    std::vector<std::uint8_t> beta;     // partial sums per stage: stage s at s*N + leaf position
    double pm = 0.0;
  };
  void recurse(int s, int leaf);
  void leaf_decision(int leaf);
  float* alpha(Path& p, int s) { return p.alpha.data() + ((1 << s) - 1); }
  std::uint8_t* beta(Path& p, int s) { return p.beta.data() + static_cast<std::size_t>(s) * static_cast<std::size_t>(N_); }

  const PolarCode& code_;
  int L_, N_, n_;
  std::vector<Path> paths_;
  std::vector<int> active_;  // indices into paths_ of the live paths
  std::vector<int> free_;
};

}  // namespace tw::nr
