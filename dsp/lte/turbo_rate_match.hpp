// Rate matching for turbo coded transport channels (TS 36.212 5.1.4.1) for one code block: the sub-block
// interleaver of each of the three streams (5.1.4.1.1: 32 columns, the inter-column permutation of table
// 5.1.4-1, <NULL> dummy bits in front; stream 2 shifted by one), bit collection into the circular buffer
// w (v0, then v1 and v2 interleaved), and bit selection from k0 of the redundancy version, skipping <NULL>
// (dummy and filler bits) (5.1.4.1.2). The soft inverse adds each received value to its position of w, so that
// every transmission (any rv, any repetition) accumulates in one buffer.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "dsp/lte/turbo_code.hpp"

namespace tw::dsp::lte {

constexpr int kTurboSubblockColumns = 32;   // C_subblock^TC

class TurboRateMatcher {
 public:
  // k: code block size (table 5.1.3-3); n_filler: filler bits F at its start (<NULL> in d(0) and d(1)).
  // N_cb = K_w (no soft buffer limit). Throws tw::InputError for a bad K or F outside 0..K-1.
  TurboRateMatcher(int k, int n_filler);

  int k() const { return k_; }
  int n_filler() const { return n_filler_; }
  int d() const { return k_ + kTurboTailBits; }
  int r_subblock() const { return r_subblock_; }     // R_subblock^TC = ceil(D / 32)
  int k_pi() const { return r_subblock_ * kTurboSubblockColumns; }
  int k_w() const { return 3 * k_pi(); }
  int n_cb() const { return k_w(); }
  int n_null() const { return k_w() - static_cast<int>(valid_.size()); }   // dummy + filler positions of w
  // k0 = R (2 ceil(N_cb / (8 R)) rv + 2); throws tw::InputError for rv outside 0..3.
  int k0(int rv) const;
  // Position p of w -> stream i, bit j as i * D + j, or -1 for <NULL>.
  int w_source(int p) const { return w_map_[static_cast<std::size_t>(p)]; }

  // Transmit: the E = e.size() bits of redundancy version rv from the turbo codeword (D bits per stream).
  void match(const TurboCodeword& cw, int rv, std::span<std::uint8_t> e) const;
  // Receive: w[p] += e_k for every output position k (w holds K_w values; accumulates across calls).
  // NaN soft values count as 0.
  void accumulate(std::span<const float> e, int rv, std::span<float> w) const;
  // Receive: the soft streams d0, d1, d2 (D values each) from w; <NULL> positions give 0.
  void to_streams(std::span<const float> w, std::span<float> d0, std::span<float> d1, std::span<float> d2) const;

 private:
  int start_of(int rv) const;   // index into valid_ of the first non-<NULL> position at or after k0
  int k_ = 0, n_filler_ = 0, r_subblock_ = 0;
  std::vector<int> w_map_;   // K_w entries
  std::vector<int> valid_;   // positions of w that are not <NULL>, ascending
};

// 5.1.4.1.2 with N_L = 1: E_r for r = 0..C-1 from G bits (G' = G / Qm, gamma = G' mod C: the last gamma code
// blocks get Qm ceil(G'/C), the others Qm floor(G'/C)). Throws tw::InputError for qm not 2/4/6, C < 1,
// G < 0, G not a multiple of Qm or G beyond kMaxDlschG.
constexpr int kMaxDlschG = 1 << 18;
std::vector<int> turbo_rate_match_e(int g_bits, int qm, int c);

}  // namespace tw::dsp::lte
