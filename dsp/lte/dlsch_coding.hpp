// DL-SCH / BCH-free transport channel coding for the PDSCH (TS 36.212 5.3.2 with 5.1): CRC24A over the
// transport block, code block segmentation with CRC24B (5.1.2), turbo coding (5.1.3.2, QPP interleaver),
// rate matching for turbo coded channels (5.1.4.1: sub-block interleaving, circular buffer, redundancy
// versions) and code block concatenation (5.1.5). One layer (N_L = 1: single port or transmit diversity).
// Soft values: llr = log(P(bit = 0) / P(bit = 1)), positive means 0 (the sign the QPSK demapper gives:
// bit 0 is +1/sqrt(2), 36.211 7.1.2).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace tw::dsp::lte {

// 36.212 5.1.1: gCRC24A / gCRC24B, register 0, parity p0 first (result bit 23 is p0). bits: 0/1.
std::uint32_t crc24a(std::span<const std::uint8_t> bits);
std::uint32_t crc24b(std::span<const std::uint8_t> bits);

// 36.212 5.1.2 for B = A + 24 bits.
struct CodeBlockSegmentation {
  int c = 1;          // code blocks
  int k_plus = 0, k_minus = 0, c_plus = 0, c_minus = 0;
  int f = 0;          // filler bits at the start of code block 0
  int k(int r) const { return r < c_minus ? k_minus : k_plus; }
};
CodeBlockSegmentation segment_code_blocks(int b_bits);   // throws tw::InputError for B < 1 or B > 64 (6144 - 24)

// Transmit side (the synthesizer's): A transport-block bits (0/1) -> the G rate-matched bits e (0/1) of one
// transmission with redundancy version rv (0..3), modulation order qm (2 QPSK, 4, 6). N_cb = K_w (no soft
// buffer limit: the transport blocks of System Information are small). Throws tw::InputError for A outside
// 16..75376, a bit not 0/1, rv outside 0..3, qm not 2/4/6, or G < 0, G not a multiple of qm, G > 2^18.
std::vector<std::uint8_t> dlsch_encode(std::span<const std::uint8_t> tb_bits, int g_bits, int qm, int rv);

// Receive side: soft-combines every transmission of one transport block of A = tbs_bits bits, then
// turbo-decodes. Throws tw::InputError for a TBS outside 16..75376 (or not a TBS the segmentation allows).
class DlschDecoder {
 public:
  explicit DlschDecoder(int tbs_bits);
  ~DlschDecoder();
  DlschDecoder(DlschDecoder&&) noexcept;
  DlschDecoder& operator=(DlschDecoder&&) noexcept;

  int tbs_bits() const;
  void reset();
  // Adds the G = llr.size() soft values of one transmission with redundancy version rv and modulation order qm
  // to the circular buffers (any rv, any order; NaN counts as 0). Throws tw::InputError for rv outside 0..3,
  // qm not 2/4/6, G not a multiple of qm or G > 2^18.
  void add(std::span<const float> llr, int qm, int rv);
  // Turbo-decodes the combined soft buffer: the transport block (A bits, 0/1) when every code block's CRC24B
  // (C > 1) and the transport block's CRC24A check, else nullopt. Also nullopt when a code block received
  // fewer (non-zero) soft values than its K - F bits, or the decoded code words do not agree with the soft
  // values (sum of w (1 - 2 bit) over the circular buffers not positive): near-erasures decode to the
  // all-zero block, whose CRC is 0. Max-log-MAP turbo decoding
  // (dsp/lte/turbo_code.hpp), stopping a code block early when its CRC checks. Throws tw::InputError for
  // max_iterations outside 1..64.
  std::optional<std::vector<std::uint8_t>> decode(int max_iterations = 8);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw::dsp::lte
