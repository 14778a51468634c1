// Soft combining of the transmissions of one System Information transport block (same TBS, same content)
// across the subframes of a capture: SIB1 repeats 4 times in its 80 ms period with RV 0, 2, 3, 1; an SI
// message repeats within its window and from period to period. Every transmission's soft values (from
// PdschDemodulator) are kept; decode() tries each transmission alone, then all of them combined, then (3 or
// more) all but one, each left out in turn (a transmission that does not belong: another block, a false
// DCI), through DlschDecoder (TS 36.212 5.3.2), and returns a block only when its CRC24A (and every CRC24B)
// checks.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace tw::dsp::lte {

struct SiDecodeResult {
  std::vector<std::uint8_t> octets;  // the transport block, tbs / 8 octets (MSB of octet 0 first)
  int transmissions = 0;             // how many were combined (1: one transmission alone)
  int first = -1;                    // index (order of add()) of the transmission decoded alone, -1 when combined
  int left_out = -1;                 // combined without this transmission (all of them failed), -1 otherwise
};

class SiCombiner {
 public:
  static constexpr int kMaxTransmissions = 64;

  // Throws tw::InputError for a TBS that is not a DL-SCH transport block size (and not a whole octet count).
  explicit SiCombiner(int tbs_bits);

  int tbs_bits() const { return tbs_bits_; }
  int transmissions() const { return static_cast<int>(tx_.size()); }
  void reset() { tx_.clear(); }
  // One transmission: G soft values (QPSK) with its redundancy version 0..3. Throws tw::InputError for an
  // rv outside 0..3, an empty or non-finite input, or more than kMaxTransmissions.
  void add(std::span<const float> llr, int rv);
  std::optional<SiDecodeResult> decode(int max_iterations = 8) const;

 private:
  struct Tx {
    std::vector<float> llr;
    int rv;
  };
  int tbs_bits_;
  std::vector<Tx> tx_;
};

}  // namespace tw::dsp::lte
