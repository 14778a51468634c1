// The LTE turbo code (TS 36.212 5.1.3.2): the QPP internal interleaver (5.1.3.2.3, table 5.1.3-3), the PCCC
// encoder of two 8-state constituent encoders g0 = 1 + D^2 + D^3 (feedback), g1 = 1 + D + D^3 with trellis
// termination (5.1.3.2.2), and its iterative max-log-MAP decoder.
// Soft values: llr = log(P(bit = 0) / P(bit = 1)), positive means 0.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace tw::dsp::lte {

constexpr int kTurboKMin = 40;
constexpr int kTurboKMax = 6144;
constexpr int kTurboTailBits = 4;       // D = K + 4 bits per output stream (5.1.3.2)
constexpr int kTurboBlockSizes = 188;   // rows of table 5.1.3-3

struct QppParams {
  int k = 0, f1 = 0, f2 = 0;
};

// Table 5.1.3-3, i = 1..188 stored at [i - 1], K ascending.
std::span<const QppParams> qpp_table();
// Row index (0..187) of K in table 5.1.3-3, or -1 when K is not a turbo code block size.
int qpp_table_index(int k);
bool is_turbo_block_size(int k);
// Throws tw::InputError naming K when K is not in table 5.1.3-3.
QppParams qpp_params(int k);
// 5.1.3.2.3: Pi(i) = (f1 i + f2 i^2) mod K; the interleaver output is c'_i = c_Pi(i).
std::vector<int> qpp_interleaver(int k);

// 5.1.3.2: c = K bits (0/1; filler bits given as 0) -> the three streams d(0), d(1), d(2) of D = K + 4 bits
// each, the 12 tail bits placed as 5.1.3.2.2 orders them. Filler positions are not marked here (the rate
// matcher skips them as <NULL>). Throws tw::InputError for a K not in table 5.1.3-3 or a bit not 0/1.
struct TurboCodeword {
  std::vector<std::uint8_t> d0, d1, d2;
};
TurboCodeword turbo_encode(std::span<const std::uint8_t> c);

// Which CRC the decoder checks after each iteration to stop early (36.212 5.1.1): the code block's CRC24B
// (C > 1), the transport block's CRC24A (C = 1), or none (always max_iterations).
enum class TurboCrc { none, crc24a, crc24b };

struct TurboDecodeResult {
  bool crc_ok = false;   // the selected CRC checked (always false with TurboCrc::none)
  int iterations = 0;    // full iterations (both constituent decoders) run
};

// Iterative max-log-MAP decoder for one K (extrinsic values scaled by 0.75 between the constituent decoders).
// The forward/backward recursions run on the radix-2 butterflies of the trellis, 4 states per SSE register
// (x86-64) or a scalar loop of the same shape elsewhere. Buffers are kept between calls (create once per K,
// execute per code block).
class TurboDecoder {
 public:
  explicit TurboDecoder(int k);   // throws tw::InputError for a K not in table 5.1.3-3
  ~TurboDecoder();
  TurboDecoder(TurboDecoder&&) noexcept;
  TurboDecoder& operator=(TurboDecoder&&) noexcept;

  int k() const;
  // d0, d1, d2: D = K + 4 soft values each (unsent bits 0). n_filler: the first F systematic bits are known
  // to be 0 (5.1.2 filler bits). c: K hard bits out (0/1), the decision of the last iteration.
  // Throws tw::InputError for wrong span sizes, F outside 0..K-1 or max_iterations outside 1..64.
  TurboDecodeResult execute(std::span<const float> d0, std::span<const float> d1, std::span<const float> d2,
                            int n_filler, TurboCrc crc, int max_iterations, std::span<std::uint8_t> c);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The textbook form of the same decoder: a scalar max-log-MAP over a branch table built from the generator
// polynomials (state by state, input by input), same iteration schedule and extrinsic scaling. The baseline
// of tools/bench/bench_lte_turbo and an independent check of TurboDecoder in the tests.
TurboDecodeResult turbo_decode_reference(std::span<const float> d0, std::span<const float> d1,
                                         std::span<const float> d2, int n_filler, TurboCrc crc,
                                         int max_iterations, std::span<std::uint8_t> c);

}  // namespace tw::dsp::lte
